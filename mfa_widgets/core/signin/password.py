"""The password flow: which challenge Cognito returns after the password, as a pure engine.

:func:`predict_challenge` answers, for a pool configuration, a user and a sign-in context, what
Amazon Cognito returns once the password is accepted: tokens, an MFA challenge (``SMS_MFA``,
``SOFTWARE_TOKEN_MFA``, ``EMAIL_OTP``, ``SELECT_MFA_TYPE``, ``MFA_SETUP``), device authentication
(``DEVICE_SRP_AUTH``) or an error. Every :class:`Prediction` carries the rule in plain words, the
documentation step it comes from, the row of the reference decision table, and whether the rule is
documented by AWS or is our inference. The engine is pure Python (no boto3, no I/O) and total:
every input gets an answer.

It follows ``shared/reference/cognito-mfa-semantics.md``: the MFA guide's "Details of MFA logic at
user runtime" (§1.3 steps 1–8), remembered devices (§1.4), adaptive authentication (§1.5) and the
decision table (§2).

String facts kept here: ``MFAS_CAN_CHOOSE`` / ``MFAS_CAN_SETUP`` options are API names
(``SMS_MFA``, ``SOFTWARE_TOKEN_MFA``, ``EMAIL_OTP``) in the order SMS, TOTP, email; the pool's
primary account-recovery channel is never offered as an option; ``MFA_SETUP`` can be answered only
for TOTP or email (SMS needs a ``phone_number`` added, then a new sign-in).

Choices where the documentation is silent or contradicts itself (these predictions have
``documented=False`` and say so in their rule):

1. OPTIONAL pool, exactly one usable enabled factor and no preference: Cognito asks for that
   factor (row 5). A registered and enabled TOTP alone is documented (step 2.1, row 6).
2. OPTIONAL pool, several usable enabled factors and no preference: ``SELECT_MFA_TYPE`` over them
   is documented (row 4); leaving out the recovery-channel factor there is our choice.
3. In an OPTIONAL pool only *enabled* factors count (a registered but disabled TOTP does not
   prompt: disabling MFA for a user is what OPTIONAL pools allow). In an ON pool the enabled flags
   are ignored apart from the preferred factor, as the runtime logic reads attributes (steps 4–8;
   user reports aws-sdk-js-v3#7961, amplify-js#11258).
4. A preferred factor Cognito cannot use (the pool doesn't offer it, email on the Lite plan, no
   ``phone_number``/``email`` attribute, TOTP not verified) is ignored and the no-preference rules
   decide (user report amplify-js#11260: SMS preferred on a TOTP-only pool gives
   ``SOFTWARE_TOKEN_MFA``; amplify-js#3844 for an unverified TOTP).
5. A preferred factor that is also the recovery channel is still used (step 3 has no recovery
   condition; AccountRecoverySetting says an activated MFA channel is disqualified for recovery
   instead). This is documented.
6. When no factor is left after the recovery-channel rule, but the user *enabled* the
   recovery-channel factor, Cognito uses that factor rather than failing or asking for setup
   (from the AccountRecoverySetting text above).
7. Email MFA on the Lite plan is unavailable (email MFA needs Essentials or Plus; what a Lite pool
   that lists it does at sign-in is undocumented).
8. Pool TOTP disabled after the user registered an authenticator: the current runtime logic skips
   TOTP (steps 4.1/5); the archived guide said registered users keep using it. We follow the
   current logic.
9. Errors: the exception names are never documented. "MFA required but no usable method"
   (rows 13, 15, an empty ``MFA_SETUP``) is ``MFAMethodNotFoundException`` (declared on
   AdminInitiateAuth/RespondToAuthChallenge); an adaptive block or "Require MFA" without a factor
   is ``NotAuthorizedException`` "Unable to login because of security reasons.". Every ERROR
   prediction is therefore ``documented=False``, even where the failure itself is documented.
10. Step 8 (``MFA_SETUP`` for a user with no phone, no email, no TOTP) lists every pool factor that
    is not the recovery channel, SMS included, as the guide says (Amplify filters SMS out on the
    client, which shows the service sends it); the rule notes that SMS cannot be set up there.
11. Step 6 (one attribute, and it is the recovery channel) fails even when the pool offers TOTP:
    the guide puts that check first.
12. Step 7 with both attributes but neither eligible: treated like step 6.4/6.5 (TOTP setup if the
    pool offers TOTP, else an error).
13. Adaptive authentication needs the Plus plan: on other plans an adaptive decision is ignored.
    "Block" blocks in any MFA mode; the MFA actions act only in OPTIONAL pools and only for users
    without an activated factor (row 18); in ON pools MFA is already required. "Optional MFA"
    lets a user with no usable factor sign in; "Require MFA" blocks them.
14. A remembered device skips an MFA *code* or ``SELECT_MFA_TYPE`` challenge when the pool
    remembers devices (row 17; USER_SRP_AUTH flow, other flows inferred). It does not replace a
    factor the user has not set up (``MFA_SETUP``) and does not lift an error.
"""

from __future__ import annotations

import inspect
from typing import Any, NamedTuple

from mfa_widgets.core.errors import MfaPreferenceError
from mfa_widgets.core.preferences import Factor, FactorState, MfaPreference
from mfa_widgets.core.signin.inputs import (
    _API_NAMES,
    _E,
    _NO_CONTEXT,
    _S,
    _T,
    Adaptive,
    FactorsLike,
    PoolMfaConfig,
    PoolMfaMode,
    Recovery,
    SignInContext,
    Tier,
    UserMfaFacts,
    _parse_adaptive,
    _parse_mode,
    _parse_recovery,
    _parse_tier,
    parse_factors,
    parse_preferred,
)
from mfa_widgets.core.signin.prediction import Outcome, Prediction
from mfa_widgets.core.validation import need_flag, need_instance

__all__ = ["predict", "predict_challenge"]

SMS, TOTP, EMAIL = Factor.SMS, Factor.TOTP, Factor.EMAIL

# -- the decision -----------------------------------------------------------------------------

_NAME = {_S: "SMS", _T: "TOTP", _E: "email"}
_CODE = {_S: "an SMS code", _T: "the authenticator-app (TOTP) code", _E: "an email code"}
_ATTRIBUTE = {_S: "phone_number", _E: "email"}


def _join(mask: int) -> str:
    names = [_NAME[bit] for bit in (_S, _T, _E) if mask & bit]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


_AND = tuple(_join(m) if m else "" for m in range(8))

# Enum members bound once: attribute access on an Enum class is slow on the hot path.
_OFF, _ON = PoolMfaMode.OFF, PoolMfaMode.ON
_A_NONE, _A_ALLOW, _A_OPTIONAL, _A_BLOCK = (
    Adaptive.NONE,
    Adaptive.ALLOW,
    Adaptive.OPTIONAL_MFA,
    Adaptive.BLOCK,
)
_TOKENS, _CHALLENGE, _ERROR = Outcome.TOKENS, Outcome.CHALLENGE, Outcome.ERROR

_GUIDE = "MFA guide, runtime logic step"
_ADAPTIVE_SOURCE = "Adaptive authentication guide (risk actions), MFA guide step 3"
_SECURITY_MESSAGE = "Unable to login because of security reasons."
_NO_METHOD_MESSAGE = (
    "Cannot sign in: MFA is required and the user has no MFA method Cognito can use."
)


class _Verdict(NamedTuple):
    """A prediction before the notes and the remembered-device rule are applied."""

    outcome: Outcome
    challenge: str | None
    options: tuple[str, ...]
    rule: str
    source: str
    documented: bool
    row: int | None
    error_code: str | None = None
    error_message: str | None = None


def _ask(bit: int, rule: str, source: str, documented: bool, row: int | None) -> _Verdict:
    return _Verdict(_CHALLENGE, _API_NAMES[bit][0], (), rule, source, documented, row)


def _choose(mask: int, rule: str, source: str, documented: bool, row: int | None) -> _Verdict:
    return _Verdict(_CHALLENGE, "SELECT_MFA_TYPE", _API_NAMES[mask], rule, source, documented, row)


def _setup(mask: int, rule: str, source: str, documented: bool, row: int | None) -> _Verdict:
    return _Verdict(_CHALLENGE, "MFA_SETUP", _API_NAMES[mask], rule, source, documented, row)


def _tokens(rule: str, source: str, documented: bool, row: int | None) -> _Verdict:
    return _Verdict(_TOKENS, None, (), rule, source, documented, row)


def _fail(rule: str, source: str, row: int | None, code: str, message: str) -> _Verdict:
    # Exception names are never documented, so every error is an inference (docstring item 9).
    return _Verdict(_ERROR, None, (), rule, source, False, row, code, message)


def _single(mask: int) -> bool:
    return mask in (_S, _T, _E)


def _is_code_or_choice(verdict: _Verdict) -> bool:
    """A challenge answered with an existing factor (not MFA_SETUP, not tokens, not an error)."""
    return verdict.outcome is _CHALLENGE and verdict.challenge != "MFA_SETUP"


class _Decision:
    """One prediction: the facts as bit masks, the steps as methods, and the notes gathered."""

    __slots__ = (
        "enabled",
        "inferred",
        "notes",
        "pool",
        "preferred",
        "rec",
        "receivable",
        "usable",
    )

    def __init__(self, pool: PoolMfaConfig, user: UserMfaFacts) -> None:
        self.pool = pool
        self.usable = pool._usable
        self.rec = pool._rec
        self.enabled = user._enabled
        self.preferred = user._preferred
        self.receivable = user._receivable
        self.notes: list[str] = []
        self.inferred = False

    def note(self, text: str, inferred: bool) -> None:
        """Add a remark to the rule; an inferred remark makes the prediction inferred."""
        self.notes.append(text)
        if inferred:
            self.inferred = True

    def why_unusable(self, bit: int) -> str | None:
        """Why Cognito can't use this factor for this user, or ``None`` if it can."""
        if not bit & self.pool._offered:
            return f"the pool doesn't offer {_NAME[bit]} MFA"
        if not bit & self.usable:
            return "email MFA isn't available on the Lite plan"
        if not bit & self.receivable:
            if bit == _T:
                return "the user hasn't verified an authenticator app (VerifySoftwareToken)"
            return f"the user has no {_ATTRIBUTE[bit]} attribute"
        return None

    # -- steps ---------------------------------------------------------------------------------

    def decide(self, adaptive: Adaptive) -> _Verdict:
        """Steps 2–8 and row 18, before the remembered-device rule."""
        pool = self.pool
        if adaptive is not _A_NONE and adaptive is not _A_ALLOW:
            adaptive = self.effective_adaptive(adaptive)
            if adaptive is _A_BLOCK:
                return _fail(
                    "Adaptive authentication chose 'Block' for this sign-in's risk, so Cognito "
                    "refuses it whatever the MFA settings.",
                    _ADAPTIVE_SOURCE,
                    18,
                    "NotAuthorizedException",
                    _SECURITY_MESSAGE,
                )
        if pool.mode is _OFF:
            return _tokens(
                "Pool MFA is OFF, so Cognito signs the user in without an MFA challenge.",
                f"{_GUIDE} 2",
                True,
                1,
            )
        if pool._offered != self.usable:
            self.note(
                "The pool lists email MFA, but email MFA needs the Essentials or Plus plan.", True
            )
        required = pool.mode is _ON
        if self.preferred:
            verdict = self.preferred_factor("MFA is required" if required else "MFA is optional")
            if verdict is not None:
                return verdict
        if required:
            return self.required("MFA is required")
        return self.optional(adaptive)

    def effective_adaptive(self, adaptive: Adaptive) -> Adaptive:
        """The adaptive decision that can act in this pool (threat protection needs Plus)."""
        pool = self.pool
        if pool.tier is not Tier.PLUS:
            self.note(
                "Adaptive authentication needs the Plus plan, so the adaptive decision is ignored.",
                True,
            )
            return _A_NONE
        if adaptive is _A_BLOCK or pool.mode is PoolMfaMode.OPTIONAL:
            return adaptive
        if pool.mode is _OFF:
            self.note(
                "MFA is off in this pool, so the adaptive MFA action cannot ask for MFA.", True
            )
        else:
            self.note("MFA is already required, so the adaptive MFA action changes nothing.", False)
        return _A_NONE

    def preferred_factor(self, mode: str) -> _Verdict | None:
        """Step 3: a factor enabled and preferred is asked for, if Cognito can use it."""
        bit = self.preferred
        reason = self.why_unusable(bit)
        if reason is None:
            return _ask(
                bit,
                f"{_NAME[bit]} is enabled and preferred, and {mode}, so Cognito asks for "
                f"{_CODE[bit]}.",
                f"{_GUIDE} 3",
                True,
                3,
            )
        if not bit & self.pool._offered:
            report = " (user report amplify-js#11260)"
        elif bit == _T:
            report = " (user report amplify-js#3844)"
        else:
            report = ""
        self.note(
            f"{_NAME[bit]} is preferred, but {reason}, so the preference is ignored{report}.", True
        )
        return None

    def optional(self, adaptive: Adaptive) -> _Verdict:
        """OPTIONAL pool: enabled factors prompt; else adaptive authentication may assign MFA."""
        active = self.enabled & self.usable & self.receivable
        dropped = self.enabled & ~active & ~self.preferred  # a preferred one is already noted
        if dropped:
            for bit in (_S, _T, _E):
                if dropped & bit:
                    self.note(f"{_NAME[bit]} is enabled, but {self.why_unusable(bit)}.", True)
        eligible = active & ~self.rec
        if eligible and active & self.rec:
            self.note(
                f"{_NAME[self.rec]} is left out because its attribute is the pool's "
                "account-recovery channel.",
                True,
            )
        if eligible and not _single(eligible):
            return _choose(
                eligible,
                f"MFA is optional and {_AND[eligible]} are enabled with none preferred, so "
                "Cognito asks the user to choose a factor (SELECT_MFA_TYPE).",
                "SetUserMFAPreference API reference; MFA guide (user preferences)",
                True,
                4,
            )
        if eligible == _T:
            return _ask(
                _T,
                "MFA is optional and the user has a verified authenticator app (TOTP) enabled, "
                "so Cognito asks for the TOTP code.",
                f"{_GUIDE} 2.1",
                True,
                6,
            )
        if eligible:
            return _ask(
                eligible,
                f"MFA is optional and {_NAME[eligible]} is the only enabled factor, with none "
                f"preferred, so Cognito asks for {_CODE[eligible]} (inferred: the docs don't "
                "say).",
                "inferred from MFA guide step 3 (live-test)",
                False,
                5,
            )
        if active:
            return self.recovery_fallback()
        if adaptive is not _A_NONE and adaptive is not _A_ALLOW:
            return self.adaptive(self.required("Adaptive authentication assigned MFA"), adaptive)
        return _tokens(
            "MFA is optional and the user has no MFA factor enabled, so Cognito signs the user "
            "in without an MFA challenge.",
            f"{_GUIDE} 2.2",
            True,
            2,
        )

    def recovery_fallback(self) -> _Verdict:
        """The only usable enabled factor is the recovery channel: it stays the MFA factor."""
        rec = self.rec
        return _ask(
            rec,
            f"{_NAME[rec]} is enabled and no other factor can be used; its attribute is also the "
            "account-recovery channel, and an activated MFA channel is taken out of recovery "
            f"rather than out of MFA, so Cognito asks for {_CODE[rec]} (inferred).",
            "inferred from the AccountRecoverySetting API reference (live-test)",
            False,
            None,
        )

    def required(self, why: str) -> _Verdict:
        """Steps 4–8, with the enabled recovery-channel factor as a last resort (item 6)."""
        verdict = self.by_attributes(why)
        if _is_code_or_choice(verdict):
            return verdict
        rec = self.rec
        if rec & self.enabled & self.usable & self.receivable:
            return self.recovery_fallback()
        return verdict

    def by_attributes(self, why: str) -> _Verdict:
        """Steps 4–8 of the runtime logic: no usable preference, MFA required (or assigned)."""
        usable, receivable, rec = self.usable, self.receivable, self.rec
        eligible = usable & receivable & ~rec & (_S | _E)
        if receivable & _T:
            if not usable & _T:
                self.note(
                    "The user registered an authenticator app, but the pool doesn't offer TOTP "
                    "now; the current guide skips it (an older guide said registered users keep "
                    "it).",
                    True,
                )
            elif not eligible:
                return _ask(
                    _T,
                    f"{why}, no factor is preferred, the user has a verified authenticator app "
                    "and no SMS or email factor they can use, so Cognito asks for the TOTP code.",
                    f"{_GUIDE} 4.3",
                    True,
                    7,
                )
            else:
                return _choose(
                    eligible | _T,
                    f"{why}, no factor is preferred, and the user has a verified authenticator "
                    f"app plus {_AND[eligible]}, so Cognito asks the user to choose "
                    "(SELECT_MFA_TYPE).",
                    f"{_GUIDE} 4.5",
                    True,
                    8,
                )
        present = receivable & (_S | _E)
        if present == _S | _E:
            return self.both_attributes(why, eligible)
        if present:
            return self.one_attribute(why, present)
        return self.setup_any(why)

    def one_attribute(self, why: str, bit: int) -> _Verdict:
        """Step 6: the user has only one of phone_number and email."""
        attribute = _ATTRIBUTE[bit]
        if bit == self.rec:
            return _fail(
                f"{why}, the user has no authenticator app, and their only contact attribute "
                f"({attribute}) is the account-recovery channel, which Cognito doesn't use for "
                "MFA, so the user cannot sign in.",
                f"{_GUIDE} 6.1",
                13,
                "MFAMethodNotFoundException",
                _NO_METHOD_MESSAGE,
            )
        if bit & self.usable:
            return _ask(
                bit,
                f"{why}, no factor is preferred, the user has no authenticator app, and "
                f"{attribute} is their only MFA-eligible attribute, so Cognito asks for "
                f"{_CODE[bit]}.",
                f"{_GUIDE} 6.2" if bit == _E else f"{_GUIDE} 6.3",
                True,
                10 if bit == _E else 9,
            )
        return self.setup_totp_or_fail(why, f"{_GUIDE} 6.4/6.5", True)

    def both_attributes(self, why: str, eligible: int) -> _Verdict:
        """Step 7: the user has both phone_number and email."""
        if eligible == _S | _E:
            return _choose(
                eligible,
                f"{why}, no factor is preferred, the user has no authenticator app, and both "
                "phone_number and email can receive codes, so Cognito asks the user to choose "
                "(SELECT_MFA_TYPE).",
                f"{_GUIDE} 7.2",
                True,
                11,
            )
        if eligible:
            return _ask(
                eligible,
                f"{why}, no factor is preferred, the user has no authenticator app, and of "
                f"phone_number and email only {_ATTRIBUTE[eligible]} is eligible for MFA, so "
                f"Cognito asks for {_CODE[eligible]}.",
                f"{_GUIDE} 7.4",
                True,
                12,
            )
        return self.setup_totp_or_fail(
            why, "inferred from MFA guide steps 6.4/6.5 (live-test)", False
        )

    def setup_totp_or_fail(self, why: str, source: str, documented: bool) -> _Verdict:
        """Steps 6.4/6.5: no eligible attribute: set up TOTP if the pool offers it, else fail."""
        if self.usable & _T:
            return _setup(
                _T,
                f"{why}, the user has no authenticator app and no phone_number or email Cognito "
                "can use for MFA, so Cognito asks the user to set up an authenticator app "
                "(MFA_SETUP).",
                source,
                documented,
                14,
            )
        return _fail(
            f"{why}, the user has no authenticator app, no phone_number or email Cognito can use "
            "for MFA, and the pool doesn't offer TOTP, so the user cannot sign in.",
            source,
            15,
            "MFAMethodNotFoundException",
            _NO_METHOD_MESSAGE,
        )

    def setup_any(self, why: str) -> _Verdict:
        """Step 8: no TOTP, email or phone: set up any pool factor but the recovery one."""
        options = self.usable & ~self.rec
        if not options:
            return _fail(
                f"{why}, the user has no authenticator app, phone_number or email, and the pool "
                "offers no factor outside the account-recovery channel, so the user cannot sign "
                "in (inferred).",
                f"inferred from {_GUIDE} 8 (live-test)",
                None,
                "MFAMethodNotFoundException",
                _NO_METHOD_MESSAGE,
            )
        sms_note = (
            " SMS can't be set up inside this challenge: add a phone_number attribute and sign "
            "in again."
            if options & _S
            else ""
        )
        return _setup(
            options,
            f"{why}, and the user has no authenticator app, phone_number or email, so Cognito "
            f"asks them to set up one of the pool's factors ({_AND[options]}) (MFA_SETUP)."
            f"{sms_note}",
            f"{_GUIDE} 8",
            True,
            16,
        )

    @staticmethod
    def adaptive(verdict: _Verdict, adaptive: Adaptive) -> _Verdict:
        """Row 18: an adaptive MFA action for a user without an activated factor."""
        if _is_code_or_choice(verdict):
            return verdict
        if adaptive is _A_OPTIONAL:
            return _tokens(
                "Adaptive authentication chose 'Optional MFA' and the user has no MFA factor "
                "Cognito can use, so Cognito signs the user in without an MFA challenge.",
                _ADAPTIVE_SOURCE,
                True,
                18,
            )
        return _fail(
            "Adaptive authentication chose 'Require MFA' and the user has no MFA factor Cognito "
            "can use, so the sign-in is blocked.",
            _ADAPTIVE_SOURCE,
            18,
            "NotAuthorizedException",
            _SECURITY_MESSAGE,
        )

    def remembered_device(self, verdict: _Verdict) -> _Verdict:
        """Row 17: a remembered device replaces an MFA code or choice, not a missing factor."""
        if verdict.outcome is not _CHALLENGE:
            return verdict
        if verdict.challenge == "MFA_SETUP":
            self.note(
                "A remembered device doesn't replace an MFA factor the user hasn't set up.", True
            )
            return verdict
        if not self.pool.device_remembering:
            self.note(
                "A device key was presented, but the pool doesn't remember devices, so MFA still "
                "applies.",
                False,
            )
            return verdict
        return _Verdict(
            _CHALLENGE,
            "DEVICE_SRP_AUTH",
            (),
            f"Without a remembered device Cognito would return {verdict.challenge}, but the user "
            "signs in from a remembered device and the pool lets remembered devices skip MFA, so "
            "Cognito asks for device authentication instead (DEVICE_SRP_AUTH, then "
            "DEVICE_PASSWORD_VERIFIER, then tokens; USER_SRP_AUTH flow).",
            "SM DeviceConfigurationType and AuthParameters DEVICE_KEY; device tracking guide",
            verdict.documented,
            17,
        )


def predict_challenge(
    pool: PoolMfaConfig | None = None,
    user: UserMfaFacts | None = None,
    context: SignInContext | None = None,
    **shortcuts: Any,
) -> Prediction:
    """Predict what Cognito returns after the password step.

    Parameters
    ----------
    pool, user, context
        The pool configuration, the user, and this sign-in (default: no remembered device, no
        adaptive decision).
    **shortcuts
        Instead of ``pool`` and ``user``, the keywords of :func:`predict`, e.g.
        ``predict_challenge(pool_mfa="ON", pool_factors="SMS,TOTP", phone=True)``.

    Returns
    -------
    Prediction
        Always one: the function answers for every ``pool``/``user``/``context``.

    Raises
    ------
    MfaPreferenceError
        Only for the keyword form: an unreadable value, or keywords mixed with ``pool``/``user``.

    Examples
    --------
    >>> from mfa_widgets import MfaPreference
    >>> pool = PoolMfaConfig(mode=PoolMfaMode.ON, factors=frozenset({Factor.SMS}))
    >>> user = UserMfaFacts(MfaPreference(sms="preferred", totp="disabled", email="disabled"),
    ...                     has_phone=True)
    >>> predict_challenge(pool, user).challenge
    'SMS_MFA'
    """
    if pool is None or user is None or shortcuts:
        if pool is not None or user is not None or context is not None:
            raise MfaPreferenceError(
                "pass either pool and user (and optionally context), or keyword shortcuts such "
                "as pool_mfa='ON', pool_factors='SMS,TOTP', phone=True; not a mix"
            )
        if not shortcuts:
            # No facts at all: the answer would describe a default pool nobody asked about.
            raise MfaPreferenceError(
                "predict_challenge() needs the pool and the user: pass "
                "predict_challenge(PoolMfaConfig(...), UserMfaFacts(...)), or keywords such as "
                "pool_mfa='ON', pool_factors='SMS,TOTP', enabled='SMS'"
            )
        unknown = sorted(set(shortcuts) - _SHORTCUTS)
        if unknown:
            raise MfaPreferenceError(
                f"unknown keyword(s) {', '.join(unknown)[:200]}: use "
                + ", ".join(sorted(_SHORTCUTS))
            )
        return predict(**shortcuts)
    need_instance(pool, PoolMfaConfig, "pool", "pass a PoolMfaConfig, e.g. PoolMfaConfig('ON')")
    need_instance(user, UserMfaFacts, "user", "pass UserMfaFacts(MfaPreference(...))")
    if context is None:
        context = _NO_CONTEXT
    need_instance(context, SignInContext, "context", "pass a SignInContext, or None")
    decision = _Decision(pool, user)
    verdict = decision.decide(context.adaptive)
    if context.remembered_device:
        verdict = decision.remembered_device(verdict)
    rule, documented = verdict.rule, verdict.documented
    notes = decision.notes
    if notes:
        rule = " ".join([rule, *notes] if verdict.row == 17 else [*notes, rule])
        documented = documented and not decision.inferred
    return Prediction(
        verdict.outcome,
        verdict.challenge,
        verdict.options,
        rule,
        verdict.source,
        documented,
        verdict.error_code,
        verdict.error_message,
        verdict.row,
    )


def predict(
    *,
    pool_mfa: str | PoolMfaMode = PoolMfaMode.OPTIONAL,
    pool_factors: FactorsLike = "SMS,TOTP",
    tier: str | Tier = Tier.ESSENTIALS,
    recovery: str | Recovery = Recovery.ADMIN_ONLY,
    device_remembering: bool | None = None,
    enabled: FactorsLike = None,
    preferred: str | Factor | None = None,
    phone: bool | None = None,
    email: bool | None = None,
    totp_registered: bool | None = None,
    remembered_device: bool = False,
    adaptive: str | Adaptive = Adaptive.NONE,
) -> Prediction:
    """Predict the challenge from plain keywords (for notebooks and the command line).

    Parameters
    ----------
    pool_mfa
        OFF, OPTIONAL or ON.
    pool_factors
        The factors the pool offers, e.g. ``"SMS,TOTP"`` or ``["sms", "email"]``.
    tier
        LITE, ESSENTIALS or PLUS.
    recovery
        The primary account-recovery channel: ``email``, ``phone`` or ``admin``.
    device_remembering
        The pool lets remembered devices skip MFA; by default, true when ``remembered_device``
        is (a device can only be remembered in a pool that remembers devices).
    enabled
        The factors the user enabled, e.g. ``"SMS,TOTP"``.
    preferred
        The preferred factor, or ``None``. A preferred factor is enabled too, as in
        ``SetUserMFAPreference`` (``PreferredMfa`` needs ``Enabled``).
    phone, email, totp_registered
        The user has a ``phone_number`` / ``email`` attribute / a verified authenticator app.
        By default each is true when its factor is enabled or preferred (Cognito refuses to
        enable a factor the user can't receive); pass ``False`` to model the inconsistent case.
    remembered_device
        A confirmed, remembered device key is presented.
    adaptive
        The adaptive-authentication decision: none, allow, optional_mfa, require_mfa, block.

    Raises
    ------
    MfaPreferenceError
        When a value can't be read; the message lists the accepted forms.

    Examples
    --------
    >>> predict(pool_mfa="ON", pool_factors="SMS,TOTP", enabled="SMS,TOTP",
    ...         phone=True).challenge
    'SELECT_MFA_TYPE'
    """
    for name, flag in (
        ("device_remembering", device_remembering),
        ("phone", phone),
        ("email", email),
        ("totp_registered", totp_registered),
    ):
        if flag is not None:
            need_flag(flag, name)
    need_flag(remembered_device, "remembered_device")
    chosen = parse_preferred(preferred)
    on = parse_factors(enabled) | ({chosen} if chosen else frozenset())

    def state(factor: Factor) -> FactorState:
        if factor is chosen:
            return FactorState.PREFERRED
        return FactorState.ENABLED if factor in on else FactorState.DISABLED

    preference = MfaPreference(sms=state(SMS), totp=state(TOTP), email=state(EMAIL))
    user = UserMfaFacts(
        preference,
        totp_registered=TOTP in on if totp_registered is None else totp_registered,
        has_phone=SMS in on if phone is None else phone,
        has_email=EMAIL in on if email is None else email,
    )
    pool = PoolMfaConfig(
        mode=_parse_mode(pool_mfa),
        factors=parse_factors(pool_factors),
        tier=_parse_tier(tier),
        recovery=_parse_recovery(recovery),
        device_remembering=remembered_device if device_remembering is None else device_remembering,
    )
    context = SignInContext(remembered_device, _parse_adaptive(adaptive))
    return predict_challenge(pool, user, context)


#: The keywords :func:`predict` takes (the shortcut form of :func:`predict_challenge`).
_SHORTCUTS = frozenset(inspect.signature(predict).parameters)
