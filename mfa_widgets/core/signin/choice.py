"""Choice-based sign-in (``USER_AUTH``) and passkey MFA: the documented rules as a pure engine.

The password flow (:mod:`mfa_widgets.core.signin.password`) decides what follows the *password*.
This module decides the step before it in the ``USER_AUTH`` flow (botocore 1.35.68+): which
first factors Cognito offers (``AvailableChallenges`` of ``SELECT_CHALLENGE``), where
``PREFERRED_CHALLENGE`` leads, and what follows each first factor; plus whether
``SetUserMFAPreference`` accepts passkey MFA (``WebAuthnMfaSettings``, botocore 1.42.90+).
The sandbox decides with these same functions.

Sources: the service model (SM: ``InitiateAuthRequest.AuthParameters``, ``AuthFlow``,
``RespondToAuthChallengeRequest.ChallengeResponses``, ``WebAuthnMfaSettingsType``,
``WebAuthnConfigurationType``, ``SignInPolicyType``, ``GetUserAuthFactorsResponse``) and the MFA
guide's table of MFA and choice-based sign-in (reference ``cognito-mfa-semantics.md`` §1.6,
decision-table rows 19–20).

Documented rules (``documented=True``):

A. Without ``PREFERRED_CHALLENGE`` Cognito answers ``SELECT_CHALLENGE`` with
   ``AvailableChallenges`` (SM AuthParameters; row 19). With it, the flow goes to that challenge
   when it is available (SM).
B. MFA required (pool ON): choice-based sign-in offers only ``PASSWORD``/``PASSWORD_SRP``, and MFA
   then follows the password rules (MFA guide table; row 19).
C. MFA optional and the user has MFA configured: only the password options (MFA guide table).
D. MFA optional and nothing configured, or MFA off: passwordless first factors are offered and no
   MFA follows them (MFA guide table; row 20).
E. Passkey MFA: when the pool's ``FactorConfiguration`` is ``MULTI_FACTOR_WITH_USER_VERIFICATION``
   and the user turned passkey MFA on, "passkey sign-in is available when MFA is required" and the
   passkey (with user verification) satisfies MFA (SM ``WebAuthnMfaSettingsType``,
   ``WebAuthnConfigurationType``). Passkey MFA "applies only when passkey is the first
   authentication factor": it never changes what follows a password.
F. Turning passkey MFA on needs another MFA method (SMS, TOTP or email) enabled, the pool's
   ``MULTI_FACTOR_WITH_USER_VERIFICATION`` and the Essentials tier or higher (SM).
G. ``USER_AUTH`` needs the Essentials tier or higher (SM ``AuthFlow``).
H. A remembered device lets the password path skip MFA as in
   :func:`~mfa_widgets.core.signin.password.predict_challenge` (row 17); the rule is applied
   unchanged after ``PASSWORD``/``PASSWORD_SRP``.

Our inferences (``documented=False``, and the rule says so):

1. The offered first factors: ``PASSWORD`` in ``AllowedFirstAuthFactors`` offers both
   ``PASSWORD`` and ``PASSWORD_SRP``; ``EMAIL_OTP`` needs an ``email`` attribute, ``SMS_OTP`` a
   ``phone_number``, ``WEB_AUTHN`` a registered passkey. The order of ``AvailableChallenges``
   (``PASSWORD``, ``PASSWORD_SRP``, ``WEB_AUTHN``, ``EMAIL_OTP``, ``SMS_OTP``) is ours.
2. "MFA configured" in an OPTIONAL pool means at least one MFA factor is enabled
   (``UserMFASettingList`` not empty).
3. Rule E in an OPTIONAL pool for a user with MFA configured (the model states it for "MFA is
   required"; we apply it whenever MFA would otherwise be asked for).
4. A ``PREFERRED_CHALLENGE`` that is not available falls back to ``SELECT_CHALLENGE``.
5. Exception names: ``USER_AUTH`` on Lite is ``FeatureUnavailableInTierException`` (declared on
   InitiateAuth); no first factor available is ``NotAuthorizedException``; the passkey-MFA
   refusals are ``FeatureUnavailableInTierException`` (tier), ``OperationNotEnabledException``
   (pool not configured: "not available ... for the current user pool configuration") and
   ``InvalidParameterException`` (no other MFA method). Turning off the last other method while
   passkey MFA stays on is refused the same way (the "prevent account lockout" reason).
6. ``PREFERRED_CHALLENGE=PASSWORD`` is sent with the ``PASSWORD`` parameter (as Amplify does), so
   ``InitiateAuth`` answers with what follows the password directly.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum

from mfa_widgets.core.errors import ArgumentTypeError, MfaPreferenceError
from mfa_widgets.core.preferences import FactorState, MfaPreference
from mfa_widgets.core.signin.inputs import (
    PoolMfaConfig,
    PoolMfaMode,
    SignInContext,
    Tier,
    UserMfaFacts,
)
from mfa_widgets.core.signin.password import predict_challenge
from mfa_widgets.core.signin.prediction import Outcome, Prediction
from mfa_widgets.core.validation import need_flag, need_instance, shown

__all__ = [
    "FIRST_FACTORS",
    "POOL_FIRST_FACTORS",
    "ChoicePool",
    "ChoiceUser",
    "FirstFactor",
    "UserAuthPrediction",
    "after_first_factor",
    "available_challenges",
    "configured_auth_factors",
    "passkey_mfa_refusal",
    "predict_user_auth",
    "user_auth_space",
]


class FirstFactor(str, Enum):
    """A first factor of choice-based sign-in (``SELECT_CHALLENGE`` ``ANSWER`` values)."""

    PASSWORD = "PASSWORD"  # noqa: S105 - a factor name
    PASSWORD_SRP = "PASSWORD_SRP"  # noqa: S105 - a factor name
    WEB_AUTHN = "WEB_AUTHN"
    EMAIL_OTP = "EMAIL_OTP"
    SMS_OTP = "SMS_OTP"


#: The order of ``AvailableChallenges`` (inference 1).
FIRST_FACTORS = tuple(f.value for f in FirstFactor)
#: ``AllowedFirstAuthFactors`` values (``AuthFactorType`` minus ``SOFTWARE_TOKEN``).
POOL_FIRST_FACTORS = ("PASSWORD", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN")
_PASSWORDLESS = frozenset({"WEB_AUTHN", "EMAIL_OTP", "SMS_OTP"})
_SM = "SM InitiateAuth AuthParameters (USER_AUTH)"
_TABLE = "MFA guide: MFA and choice-based sign-in"
_PASSKEY_SM = "SM WebAuthnMfaSettingsType, WebAuthnConfigurationType"


def _first_factors(value: Iterable[str] | str) -> frozenset[str]:
    items = value.split(",") if isinstance(value, str) else value
    fix = f"pass names such as 'PASSWORD,WEB_AUTHN' from {', '.join(POOL_FIRST_FACTORS)}"
    if isinstance(items, bytes) or not isinstance(items, Iterable):
        raise ArgumentTypeError(f"first_factors cannot be {shown(value)}: {fix}")
    items = list(items)
    if not all(isinstance(item, str) for item in items):
        raise ArgumentTypeError(f"first_factors holds an item that is not text: {fix}")
    names = frozenset(item.strip().upper() for item in items if item.strip())
    unknown = names - set(POOL_FIRST_FACTORS)
    if unknown:
        raise MfaPreferenceError(
            f"unknown first factor(s) {sorted(unknown)}: use {', '.join(POOL_FIRST_FACTORS)}"
        )
    return names


@dataclass(frozen=True)
class ChoicePool:
    """The pool facts choice-based sign-in adds to :class:`PoolMfaConfig`.

    Parameters
    ----------
    mfa
        The MFA configuration (mode, factors, tier, recovery, device remembering).
    first_factors
        ``SignInPolicy.AllowedFirstAuthFactors``: ``PASSWORD``, ``EMAIL_OTP``, ``SMS_OTP``,
        ``WEB_AUTHN`` (text such as ``"PASSWORD,WEB_AUTHN"`` is accepted).
    passkey_mfa
        ``WebAuthnConfiguration.FactorConfiguration`` is ``MULTI_FACTOR_WITH_USER_VERIFICATION``.
    """

    mfa: PoolMfaConfig = field(default_factory=PoolMfaConfig)
    first_factors: frozenset[str] = frozenset({"PASSWORD"})
    passkey_mfa: bool = False

    def __post_init__(self) -> None:
        need_instance(self.mfa, PoolMfaConfig, "mfa", "pass a PoolMfaConfig, e.g. PoolMfaConfig()")
        need_flag(self.passkey_mfa, "passkey_mfa")
        object.__setattr__(self, "first_factors", _first_factors(self.first_factors))


@dataclass(frozen=True)
class ChoiceUser:
    """The user facts choice-based sign-in adds to :class:`UserMfaFacts`.

    Parameters
    ----------
    mfa
        Preference, TOTP registration and the ``phone_number``/``email`` attributes.
    has_passkey
        At least one WebAuthn credential is registered.
    passkey_mfa
        The user's ``WebAuthnMfaSettings`` ``Enabled``.
    must_change_password
        The user signs in with a temporary password (``FORCE_CHANGE_PASSWORD``): only the
        password factors are offered (recorded: conformance case
        ``choice.select-challenge-temporary-password``).
    """

    mfa: UserMfaFacts = field(default_factory=lambda: UserMfaFacts(MfaPreference()))
    has_passkey: bool = False
    passkey_mfa: bool = False
    must_change_password: bool = False

    def __post_init__(self) -> None:
        need_instance(self.mfa, UserMfaFacts, "mfa", "pass a UserMfaFacts for the user")
        need_flag(self.has_passkey, "has_passkey")
        need_flag(self.passkey_mfa, "passkey_mfa")
        need_flag(self.must_change_password, "must_change_password")

    @property
    def mfa_configured(self) -> bool:
        """At least one MFA factor is enabled (inference 2)."""
        return bool(self.mfa.preference.enabled)


@dataclass(frozen=True)
class UserAuthPrediction:
    """What ``InitiateAuth(AuthFlow=USER_AUTH)`` answers, and what follows.

    Attributes
    ----------
    available
        ``AvailableChallenges``: the first factors offered to this user.
    initiate
        The answer to ``InitiateAuth``: ``SELECT_CHALLENGE`` (``options`` = ``available``), the
        preferred factor's challenge, what follows the password, or an error.
    chosen
        The first factor the flow went to, or ``None`` (``SELECT_CHALLENGE`` or an error).
    then
        What follows once ``chosen`` succeeds, or ``None``.
    """

    available: tuple[str, ...]
    initiate: Prediction
    chosen: str | None = None
    then: Prediction | None = None


def _prediction(
    outcome: Outcome,
    challenge: str | None,
    rule: str,
    source: str,
    documented: bool,
    *,
    options: tuple[str, ...] = (),
    row: int | None = None,
    error: tuple[str, str] | None = None,
) -> Prediction:
    code, message = error if error else (None, None)
    return Prediction(outcome, challenge, options, rule, source, documented, code, message, row)


def _mfa_would_apply(pool: ChoicePool, user: ChoiceUser) -> bool:
    mode = pool.mfa.mode
    return mode is PoolMfaMode.ON or (mode is PoolMfaMode.OPTIONAL and user.mfa_configured)


def _passkey_mfa_on(pool: ChoicePool, user: ChoiceUser) -> bool:
    return pool.passkey_mfa and user.passkey_mfa


def available_challenges(pool: ChoicePool, user: ChoiceUser) -> tuple[tuple[str, ...], str, bool]:
    """The first factors Cognito offers this user, the rule in words, and whether documented.

    Returns
    -------
    tuple
        ``(AvailableChallenges, rule, documented)``.
    """
    allowed = pool.first_factors
    has = {
        "PASSWORD": "PASSWORD" in allowed,
        "PASSWORD_SRP": "PASSWORD" in allowed,
        "WEB_AUTHN": "WEB_AUTHN" in allowed and user.has_passkey,
        "EMAIL_OTP": "EMAIL_OTP" in allowed and user.mfa.has_email,
        "SMS_OTP": "SMS_OTP" in allowed and user.mfa.has_phone,
    }
    offered = [name for name in FIRST_FACTORS if has[name]]
    if user.must_change_password:  # recorded: a temporary password is offered no passwordless way
        offered = [name for name in offered if name not in _PASSWORDLESS]
    parts = [
        "The pool allows "
        + (", ".join(sorted(allowed)) or "no first factor")
        + " as first factors; a password factor offers PASSWORD and PASSWORD_SRP, email and SMS "
        "codes need the email/phone_number attribute, and a passkey needs a registered passkey "
        "(inferred)."
    ]
    documented = False
    if _mfa_would_apply(pool, user):
        why = (
            "MFA is required"
            if pool.mfa.mode is PoolMfaMode.ON
            else "MFA is optional and the user has MFA configured"
        )
        keep_passkey = _passkey_mfa_on(pool, user)
        dropped = [
            n for n in offered if n in _PASSWORDLESS and not (n == "WEB_AUTHN" and keep_passkey)
        ]
        offered = [n for n in offered if n not in dropped]
        parts.append(f"{why}, so only the password options are offered")
        if keep_passkey and "WEB_AUTHN" in offered:
            parts.append(
                ", plus a passkey: passkey MFA is on for the pool and the user, and passkey "
                "sign-in with user verification satisfies MFA"
                + (
                    " (inferred for OPTIONAL pools)."
                    if pool.mfa.mode is not PoolMfaMode.ON
                    else "."
                )
            )
        else:
            parts.append(".")
    else:
        why = "MFA is off" if pool.mfa.mode is PoolMfaMode.OFF else "The user has no MFA configured"
        parts.append(f" {why}, so passwordless first factors are offered as well.")
    return tuple(offered), "".join(parts), documented


def after_first_factor(
    pool: ChoicePool, user: ChoiceUser, factor: str, context: SignInContext | None = None
) -> Prediction:
    """What Cognito returns once ``factor`` (a first factor) succeeded.

    After ``PASSWORD``/``PASSWORD_SRP`` the password rules of :func:`predict_challenge` decide
    (remembered devices included); after a passwordless factor, tokens.
    """
    name = FirstFactor(str(factor).upper()).value
    if name in ("PASSWORD", "PASSWORD_SRP"):
        return predict_challenge(pool.mfa, user.mfa, context)
    if (name != "WEB_AUTHN" and _mfa_would_apply(pool, user)) or (
        name == "WEB_AUTHN" and _mfa_would_apply(pool, user) and not _passkey_mfa_on(pool, user)
    ):
        return _prediction(
            Outcome.ERROR,
            None,
            f"{name} is not offered while MFA applies to this user (only the password options, "
            "and a passkey with passkey MFA on), so it cannot complete a sign-in (inferred).",
            f"inferred from {_TABLE}",
            False,
            error=("NotAuthorizedException", f"{name} is not available for this user."),
        )
    if name == "WEB_AUTHN" and _mfa_would_apply(pool, user):
        return _prediction(
            Outcome.TOKENS,
            None,
            "The user signed in with a passkey and passkey MFA is on for the pool and the user: "
            "passkey sign-in with user verification satisfies MFA, so Cognito issues tokens.",
            _PASSKEY_SM,
            pool.mfa.mode is PoolMfaMode.ON,
        )
    what = {"WEB_AUTHN": "a passkey", "EMAIL_OTP": "an email code", "SMS_OTP": "an SMS code"}[name]
    return _prediction(
        Outcome.TOKENS,
        None,
        f"The user signed in with {what}, a passwordless first factor that is offered only when "
        "no MFA applies, so Cognito issues tokens without an MFA challenge.",
        _TABLE,
        True,
        row=20,
    )


def predict_user_auth(
    pool: ChoicePool,
    user: ChoiceUser,
    preferred: str | None = None,
    context: SignInContext | None = None,
) -> UserAuthPrediction:
    """Predict ``InitiateAuth(AuthFlow=USER_AUTH)``, with or without ``PREFERRED_CHALLENGE``.

    Parameters
    ----------
    pool, user
        The pool and user facts.
    preferred
        ``PREFERRED_CHALLENGE`` (``PASSWORD``, ``PASSWORD_SRP``, ``WEB_AUTHN``, ``EMAIL_OTP``,
        ``SMS_OTP``), or ``None``.
    context
        Remembered device and adaptive decision, used after a password.

    Raises
    ------
    MfaPreferenceError
        When ``preferred`` names no first factor.
    """
    need_instance(pool, ChoicePool, "pool", "pass a ChoicePool, e.g. ChoicePool()")
    need_instance(user, ChoiceUser, "user", "pass a ChoiceUser, e.g. ChoiceUser()")
    if context is not None:
        need_instance(context, SignInContext, "context", "pass a SignInContext, or None")
    if preferred is not None and not isinstance(preferred, str):
        need_instance(preferred, str, "preferred", f"pass one of {', '.join(FIRST_FACTORS)}")
    if preferred is not None and str(preferred).upper() not in FIRST_FACTORS:
        raise MfaPreferenceError(
            f"unknown PREFERRED_CHALLENGE {preferred!r}: use {', '.join(FIRST_FACTORS)}"
        )
    if pool.mfa.tier is Tier.LITE:
        initiate = _prediction(
            Outcome.ERROR,
            None,
            "USER_AUTH (choice-based sign-in) needs the Essentials tier or higher, and this pool "
            "is on Lite, so Cognito refuses the flow (exception name inferred).",
            "SM InitiateAuth AuthFlow",
            False,
            error=(
                "FeatureUnavailableInTierException",
                "USER_AUTH requires the Essentials or Plus feature plan.",
            ),
        )
        return UserAuthPrediction((), initiate)
    available, rule, documented = available_challenges(pool, user)
    if not available:
        initiate = _prediction(
            Outcome.ERROR,
            None,
            f"{rule} Nothing is left to offer, so the user cannot sign in with USER_AUTH "
            "(inferred).",
            f"inferred from {_TABLE}",
            False,
            error=("NotAuthorizedException", "No sign-in method is available for this user."),
        )
        return UserAuthPrediction((), initiate)
    wanted = None if preferred is None else str(preferred).upper()
    if wanted is not None and wanted in available:
        then = after_first_factor(pool, user, wanted, context)
        return UserAuthPrediction(available, _go_to(wanted, rule, then), wanted, then)
    if wanted is None:
        lead, source, documented_here = "No PREFERRED_CHALLENGE was sent", _SM, True
    else:
        lead = f"PREFERRED_CHALLENGE {wanted} is not available to this user (falls back, inferred)"
        source, documented_here = f"inferred from {_SM}", False
    initiate = _prediction(
        Outcome.CHALLENGE,
        "SELECT_CHALLENGE",
        f"{lead}, so Cognito answers SELECT_CHALLENGE listing the available first factors "
        f"({', '.join(available)}). {rule}",
        source,
        documented_here and documented,
        options=available,
        row=19,
    )
    return UserAuthPrediction(available, initiate)


def _go_to(wanted: str, rule: str, after: Prediction) -> Prediction:
    """``InitiateAuth`` with an available ``PREFERRED_CHALLENGE`` (``after`` follows it)."""
    if wanted == "PASSWORD":
        return Prediction(
            after.outcome,
            after.challenge,
            after.options,
            "PREFERRED_CHALLENGE PASSWORD with the password: Cognito checks it at once and "
            f"answers with what follows the password (inferred: as Amplify sends it). {after.rule}",
            f"{_SM}; {after.source}",
            False,
            after.error_code,
            after.error_message,
            after.row,
        )
    challenge = "PASSWORD_VERIFIER" if wanted == "PASSWORD_SRP" else wanted
    return _prediction(
        Outcome.CHALLENGE,
        challenge,
        f"PREFERRED_CHALLENGE {wanted} is available to this user, so the flow goes straight to "
        f"it ({challenge}). {rule}",
        _SM,
        False,
    )


# -- passkey MFA preference --------------------------------------------------------------------


def passkey_mfa_refusal(
    tier: Tier | str, pool_passkey_mfa: bool, after: MfaPreference
) -> tuple[str, str] | None:
    """Why ``SetUserMFAPreference`` refuses the passkey-MFA part of a request, or ``None``.

    Parameters
    ----------
    tier
        The pool's feature plan.
    pool_passkey_mfa
        The pool's ``FactorConfiguration`` is ``MULTI_FACTOR_WITH_USER_VERIFICATION``.
    after
        The user's preference once the request is applied (its ``webauthn`` is the result).

    Returns
    -------
    tuple or None
        ``(error code, message)`` (rule F; exception names inferred, item 5).
    """
    if not after.webauthn:
        return None
    if Tier(str(getattr(tier, "value", tier)).upper()) is Tier.LITE:
        return (
            "FeatureUnavailableInTierException",
            "Passkey MFA requires the Essentials or Plus feature plan.",
        )
    if not pool_passkey_mfa:
        return (
            "OperationNotEnabledException",
            "Passkey MFA is not enabled for this user pool: set WebAuthnConfiguration "
            "FactorConfiguration to MULTI_FACTOR_WITH_USER_VERIFICATION.",
        )
    if not after.enabled:
        return (
            "InvalidParameterException",
            "Passkey MFA requires at least one other MFA method (SMS, TOTP or email) to be "
            "enabled for the user.",
        )
    return None


def configured_auth_factors(
    user: ChoiceUser, *, has_password: bool = True, email_verified: bool | None = None
) -> list[str]:
    """``ConfiguredUserAuthFactors`` for ``GetUserAuthFactors`` (``AuthFactorType`` order).

    ``PASSWORD`` when the user has one; ``EMAIL_OTP``/``SMS_OTP`` for the email/phone_number
    attribute (``email_verified`` narrows email, inference); ``WEB_AUTHN`` for a registered
    passkey; ``SOFTWARE_TOKEN`` for a verified authenticator app (SM
    ``GetUserAuthFactorsResponse``).
    """
    email = user.mfa.has_email if email_verified is None else user.mfa.has_email and email_verified
    present = {
        "PASSWORD": has_password,
        "EMAIL_OTP": email,
        "SMS_OTP": user.mfa.has_phone,
        "WEB_AUTHN": user.has_passkey,
        "SOFTWARE_TOKEN": user.mfa.totp_registered,
    }
    return [name for name, ok in present.items() if ok]


def user_auth_space() -> tuple[list[ChoicePool], list[ChoiceUser], list[str | None]]:
    """Every distinct pool, user and ``PREFERRED_CHALLENGE`` the first-factor rules tell apart.

    The MFA stage after a password is :func:`predict_challenge`'s own space; here the pool MFA
    factors and recovery are fixed, and the user's enabled set is none or SMS.
    """
    flags = (False, True)
    subsets = [
        frozenset(c) for n in range(5) for c in itertools.combinations(POOL_FIRST_FACTORS, n)
    ]
    pools = [
        ChoicePool(PoolMfaConfig(mode=mode, tier=tier), first, passkey)
        for mode, tier, first, passkey in itertools.product(PoolMfaMode, Tier, subsets, flags)
    ]
    users = [
        ChoiceUser(
            UserMfaFacts(
                MfaPreference(sms=FactorState.ENABLED if sms else FactorState.DISABLED),
                has_phone=phone or sms,
                has_email=email,
            ),
            has_passkey=passkey,
            passkey_mfa=passkey_mfa,
        )
        for sms, phone, email, passkey, passkey_mfa in itertools.product(flags, repeat=5)
    ]
    return pools, users, [None, *FIRST_FACTORS]
