"""What one audited user's MFA state means: the facts read, the predicted challenge, the traps.

Pure functions over the facts :func:`mfa_widgets.services.audit.audit_pool` collects (no I/O): an
:class:`AuditedUser` per ``AdminGetUser`` answer, :func:`assess` for one audit row (the challenge
:func:`~mfa_widgets.core.signin.predict_challenge` predicts and the :data:`FLAGS` raised),
and :func:`flag_names`; the typed table, counts and chart are in
:mod:`mfa_widgets.services.audit_report`.

``AdminGetUser`` doesn't say whether the user registered an authenticator app, only whether TOTP is
*enabled*; ``AdminGetUserAuthFactors`` does (``SOFTWARE_TOKEN`` in
``ConfiguredUserAuthFactors``). :attr:`AuditedUser.facts` counts an authenticator as registered
from those factors, so one registered and then disabled (which in a pool that requires MFA still
decides the challenge, runtime logic step 4) is seen. Only when the factors could not be read
(``factors_error``, e.g. an older backend or an IAM policy without the action) does it fall back
to "registered exactly when enabled" (Cognito refuses to enable TOTP before registration).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from mfa_widgets.core.preferences import Factor, FactorState, MfaPreference
from mfa_widgets.core.results import CallResult
from mfa_widgets.core.signin import (
    Outcome,
    PoolMfaConfig,
    PoolMfaMode,
    Prediction,
    UserMfaFacts,
    predict_challenge,
)
from mfa_widgets.core.signin.labels import prediction_label

__all__ = [
    "AUDIT_COLUMNS",
    "FLAGS",
    "AuditedUser",
    "Flag",
    "after_authenticator_reset",
    "assess",
    "flag_names",
    "stranded_by_reset",
]

# -- what one user read gives -----------------------------------------------------------------


@dataclass(frozen=True)
class AuditedUser:
    """What ``AdminGetUser`` says about one user (no secret: attributes are only present/verified).

    ``read_error`` is ``"Code: message"`` when the read failed (e.g. the user was deleted after
    ``ListUsers`` named them); the other facts are then unknown and left at their defaults.
    ``auth_factors`` is ``ConfiguredUserAuthFactors`` from ``AdminGetUserAuthFactors`` (``None``
    when not read; ``factors_error`` then says why, when a read was tried).
    """

    username: str
    status: str | None = None
    enabled: bool | None = None
    has_phone: bool = False
    phone_verified: bool = False
    has_email: bool = False
    email_verified: bool = False
    preference: MfaPreference = field(
        default_factory=lambda: MfaPreference(
            FactorState.DISABLED, FactorState.DISABLED, FactorState.DISABLED
        )
    )
    legacy_sms: bool = False
    read_error: str | None = None
    auth_factors: tuple[str, ...] | None = None
    factors_error: str | None = None

    @classmethod
    def from_result(cls, username: str, result: CallResult) -> AuditedUser:
        """Read an :meth:`MfaClient.admin_get_preference` result (or its error)."""
        if result.error is not None or result.state is None:
            error = result.error
            reason = f"{error.code}: {error.message}" if error else "no MFA state in the answer"
            return cls(username, read_error=reason)
        data = result.data
        response = data.get("response") or {}
        return cls(
            username=str(data.get("username") or username),
            status=data.get("status"),
            enabled=data.get("enabled_user"),
            has_phone=bool(data.get("has_phone")),
            phone_verified=bool(data.get("phone_verified")),
            has_email=bool(data.get("has_email")),
            email_verified=bool(data.get("email_verified")),
            preference=result.state,
            legacy_sms=bool(response.get("MFAOptions")),
        )

    def with_factors(self, result: CallResult) -> AuditedUser:
        """The user with an :meth:`MfaClient.admin_get_auth_factors` result (or its error)."""
        if result.error is not None:
            return dataclasses.replace(
                self, factors_error=f"{result.error.code}: {result.error.message}"
            )
        factors = tuple(str(f) for f in result.data.get("factors") or ())
        return dataclasses.replace(self, auth_factors=factors, factors_error=None)

    @property
    def totp_registered(self) -> bool:
        """An authenticator app is registered (``SOFTWARE_TOKEN``), enabled or not.

        Without the factors (not read, or the read failed): exactly when TOTP is enabled.
        """
        if self.auth_factors is not None:
            return "SOFTWARE_TOKEN" in self.auth_factors
        return Factor.TOTP in self.preference.enabled

    @property
    def facts(self) -> UserMfaFacts:
        """What the challenge rules need; the authenticator from :attr:`totp_registered`."""
        return UserMfaFacts(
            preference=self.preference,
            totp_registered=self.totp_registered,
            has_phone=self.has_phone,
            has_email=self.has_email,
        )

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (the checkpoint's user record)."""
        data = dataclasses.asdict(self)
        data["preference"] = self.preference.as_dict()
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AuditedUser:
        """Read :meth:`to_json` output."""
        values = dict(data)
        values["preference"] = _preference_of(tuple((values.get("preference") or {}).items()))
        if values.get("auth_factors") is not None:
            values["auth_factors"] = tuple(str(f) for f in values["auth_factors"])
        return cls(**values)


@functools.lru_cache(maxsize=1024)
def _preference_of(items: tuple[tuple[str, Any], ...]) -> MfaPreference:
    """One (immutable) preference per distinct saved state: a saved audit repeats a few."""
    return MfaPreference(**dict(items))


def after_authenticator_reset(user: AuditedUser) -> AuditedUser:
    """``user`` as ``AdminDeleteSoftwareToken`` leaves them: no authenticator, TOTP disabled."""
    preference = user.preference
    if preference.state(Factor.TOTP) is not FactorState.DISABLED:
        preference = MfaPreference(totp=FactorState.DISABLED).merged_onto(preference)
    factors = user.auth_factors
    left = None if factors is None else tuple(f for f in factors if f != "SOFTWARE_TOKEN")
    return dataclasses.replace(user, preference=preference, auth_factors=left)


def stranded_by_reset(user: AuditedUser, pool: PoolMfaConfig) -> bool:
    """A reset leaves no factor to sign in with: Cognito refuses, or asks for MFA_SETUP."""
    if pool.mode is not PoolMfaMode.ON or not user.totp_registered:
        return False
    after = predict_challenge(pool, after_authenticator_reset(user).facts)
    return after.outcome is Outcome.ERROR or after.challenge == "MFA_SETUP"


# -- the traps --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Flag:
    """A known MFA trap: its column name, plain-words meaning, where it is documented, its test."""

    name: str
    meaning: str
    source: str
    test: Callable[[AuditedUser, PoolMfaConfig, Prediction], bool] = field(repr=False)


def _unusable(user: AuditedUser, pool: PoolMfaConfig, factor: Factor) -> bool:
    """Cognito cannot use ``factor`` for this user: not offered, or no attribute to send to."""
    if factor not in pool.usable_factors:
        return True
    return (factor is Factor.SMS and not user.has_phone) or (
        factor is Factor.EMAIL and not user.has_email
    )


#: The traps every audited user is checked for, one boolean column each.
FLAGS: tuple[Flag, ...] = (
    Flag(
        "empty_list_but_challenged",
        "UserMFASettingList is empty, yet Cognito challenges this user at sign-in: the pool "
        "requires MFA and the user's attributes (phone, email) decide the factor.",
        "reference §4.1 and decision table rows 9-16; aws-sdk-js-v3#7961, amplify-js#11258",
        lambda user, pool, p: not user.preference.enabled and p.outcome is Outcome.CHALLENGE,
    ),
    Flag(
        "preferred_not_offered",
        "The preferred factor is one the pool doesn't offer (or email on the Lite plan): "
        "Cognito accepted the preference but ignores it at sign-in.",
        "reference §3.3; amplify-js#11260",
        lambda user, pool, p: (
            user.preference.preferred is not None
            and user.preference.preferred not in pool.usable_factors
        ),
    ),
    Flag(
        "several_enabled_none_preferred",
        "Several factors are enabled and none is preferred: the user is asked to choose "
        "(SELECT_MFA_TYPE) at sign-in, which some clients can't handle.",
        "SetUserMFAPreference API reference; amplify-js#4646, aws-sdk-ios#4632",
        lambda user, pool, p: (
            len(user.preference.enabled) > 1 and user.preference.preferred is None
        ),
    ),
    Flag(
        "enabled_factor_unusable",
        "A factor is enabled that Cognito can't use for this user: the pool doesn't offer it, "
        "or the phone_number/email attribute it sends to is missing.",
        "reference §3.3 (amplify-js#11260); MFA guide runtime logic steps 4-7",
        lambda user, pool, p: any(_unusable(user, pool, f) for f in user.preference.enabled),
    ),
    Flag(
        "cannot_sign_in",
        "Cognito is predicted to refuse the sign-in: MFA is required and no factor can be used "
        "(e.g. the only contact attribute is the account-recovery channel).",
        "MFA guide runtime logic steps 6.1/6.4; decision table rows 13 and 15",
        lambda user, pool, p: p.outcome is Outcome.ERROR,
    ),
    Flag(
        "mfa_off_factors_ignored",
        "Factors are enabled but the pool's MFA is OFF: the user is never challenged.",
        "MFA guide runtime logic step 2; decision table row 1",
        lambda user, pool, p: pool.mode.value == "OFF" and bool(user.preference.enabled),
    ),
    Flag(
        "preferred_is_recovery_channel",
        "The preferred factor sends to the pool's account-recovery channel: the user can't get "
        "a password-reset code there.",
        "MFA guide prerequisites (preferred MFA channel vs password reset)",
        lambda user, pool, p: (
            user.preference.preferred is not None
            and user.preference.preferred is pool.recovery_factor
        ),
    ),
    Flag(
        "legacy_sms_mfa",
        "MFAOptions (legacy SetUserSettings SMS MFA) is set: Cognito can send SMS codes although "
        "UserMFASettingList doesn't list SMS.",
        "reference §4.2; amplify-js#1875, amplify-js#447",
        lambda user, pool, p: user.legacy_sms,
    ),
    Flag(
        "no_way_back_after_reset",
        "The pool requires MFA and the authenticator app is this user's only usable factor (no "
        "phone_number for SMS, no email for email MFA, or only the recovery channel): after an "
        "authenticator reset (AdminDeleteSoftwareToken) Cognito refuses the sign-in, or asks "
        "them to register a new authenticator during sign-in (MFA_SETUP), which many apps "
        "don't handle. Add a phone or email first, or reset only with MFA_SETUP support.",
        "AdminDeleteSoftwareToken and AdminGetUserAuthFactors API references; MFA guide "
        "runtime logic steps 6-8",
        lambda user, pool, p: stranded_by_reset(user, pool),
    ),
)

_FLAG_NAMES = tuple(flag.name for flag in FLAGS)

#: Columns of :attr:`PoolAudit.frame`, in order (then one boolean column per flag).
AUDIT_COLUMNS = (
    "username",
    "status",
    "enabled",
    "has_phone",
    "phone_verified",
    "has_email",
    "email_verified",
    "sms",
    "totp",
    "email",
    "enabled_factors",
    "preferred_factor",
    "legacy_sms",
    "totp_registered",
    "auth_factors",
    "challenge",
    "options",
    "rule",
    "documented",
    "flags",
    "read_error",
)


def assess(user: AuditedUser, pool: PoolMfaConfig) -> dict[str, Any]:
    """One audit row: the user's facts, the predicted challenge and the flags.

    A user whose read failed gets no prediction (``challenge`` is ``None``) and no flag.
    """
    preference = user.preference
    row: dict[str, Any] = {
        "username": user.username,
        "status": user.status,
        "enabled": user.enabled,
        "has_phone": user.has_phone,
        "phone_verified": user.phone_verified,
        "has_email": user.has_email,
        "email_verified": user.email_verified,
        "enabled_factors": ",".join(f.name for f in Factor if f in preference.enabled) or "none",
        "preferred_factor": preference.preferred.name if preference.preferred else None,
        "legacy_sms": user.legacy_sms,
        "totp_registered": user.totp_registered,
        "auth_factors": None if user.auth_factors is None else ",".join(user.auth_factors),
        "read_error": user.read_error,
    }
    for factor in Factor:
        state = preference.state(factor)
        row[factor.key] = state.value if state else "disabled"
    if user.read_error is not None:
        row.update(challenge=None, options="", rule=None, documented=None, flags="")
        row.update(dict.fromkeys(_FLAG_NAMES, False))
        return row
    prediction = predict_challenge(pool, user.facts)
    raised = {flag.name: bool(flag.test(user, pool, prediction)) for flag in FLAGS}
    row.update(
        challenge=prediction_label(prediction),
        options=",".join(prediction.options),
        rule=prediction.rule,
        documented=prediction.documented,
        flags=",".join(name for name, on in raised.items() if on),
        **raised,
    )
    return row


def flag_names() -> tuple[str, ...]:
    """The names of :data:`FLAGS`, in order (the boolean columns of an audit table)."""
    return _FLAG_NAMES
