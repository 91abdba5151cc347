"""The sweep's scenarios: one :class:`Scenario` per point, and the generators of a sweep."""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from mfa_widgets.core.errors import ArgumentTypeError, MfaPreferenceError
from mfa_widgets.core.preferences import Factor, FactorState, MfaPreference
from mfa_widgets.core.requests import contact_attributes
from mfa_widgets.core.signin import (
    POOL_FIRST_FACTORS,
    ChoicePool,
    ChoiceUser,
    PoolMfaConfig,
    PoolMfaMode,
    Prediction,
    SignInContext,
    UserMfaFacts,
    parse_factors,
    predict_challenge,
    predict_user_auth,
)
from mfa_widgets.core.signin.labels import prediction_label
from mfa_widgets.core.validation import need_flag

if TYPE_CHECKING:
    pass


__all__ = [
    "DIMENSION_PREFERENCES",
    "Scenario",
    "default_scenarios",
    "valid_preferences",
]


ALL_FACTORS = frozenset(Factor)
#: Round trips one scenario makes one after another (create, password, attributes, write,
#: read-back, sign-in; more to register an authenticator): sizes the default thread count.
ROUND_TRIPS_PER_SCENARIO = 8
SWEEP_PHONE = "+15555550100"  # a fictional number (555-01xx)
_SHORT = {FactorState.DISABLED: "-", FactorState.ENABLED: "on", FactorState.PREFERRED: "PREF"}
#: The password flow (``USER_PASSWORD_AUTH``) and choice-based sign-in (``USER_AUTH``).
PASSWORD_FLOW, CHOICE_FLOW = "USER_PASSWORD_AUTH", "USER_AUTH"
#: The SRP password flow: the one AWS documents for device tracking (remembered devices).
SRP_FLOW = "USER_SRP_AUTH"
#: ``PREFERRED_CHALLENGE`` values the flow dimension sends (``None``: ``SELECT_CHALLENGE``).
#: ``PASSWORD_SRP`` sends a real ``SRP_A`` and answers ``PASSWORD_VERIFIER`` with a real claim
#: (:mod:`mfa_widgets.services.srp`, pycognito's SRP).
SWEPT_CHALLENGES = (None, "PASSWORD", "PASSWORD_SRP", "WEB_AUTHN", "EMAIL_OTP", "SMS_OTP")
#: A remembered device's sign-in after the password, to its end (the device-tracking guide).
DEVICE_STEPS = ("DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER", "NONE")
#: The relying party of the sweep's passkey pools and the origin of its software authenticator.
PASSKEY_RP, PASSKEY_ORIGIN = "localhost", "http://localhost"
#: The WebAuthn configuration of a dimension scenario's pool: passkey MFA possible (rule F).
PASSKEY_MFA_WEBAUTHN = {
    "RelyingPartyId": PASSKEY_RP,
    "UserVerification": "required",
    "FactorConfiguration": "MULTI_FACTOR_WITH_USER_VERIFICATION",
}
#: Remember every confirmed device (no user prompt); new devices still need MFA.
REMEMBER_DEVICES = {"ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": False}


@dataclass(frozen=True)
class Scenario:
    """One point of the sweep: a pool mode and factors, a preference, the user's attributes."""

    mode: PoolMfaMode
    preference: MfaPreference
    has_phone: bool = True
    has_email: bool = True
    pool_factors: frozenset[Factor] = ALL_FACTORS
    #: ``None``: the password flow in a plain pool (the default sweep); :data:`PASSWORD_FLOW` or
    #: :data:`CHOICE_FLOW` (``USER_AUTH``): that flow in a pool allowing every first factor.
    flow: str | None = None
    #: ``PREFERRED_CHALLENGE`` of a ``USER_AUTH`` sign-in; ``None`` asks for SELECT_CHALLENGE.
    preferred_challenge: str | None = None
    #: ``None``: no passkey; ``False``/``True``: a registered passkey, passkey MFA off/on.
    passkey_mfa: bool | None = None
    #: ``None``: the pool tracks no devices; ``False``/``True``: it remembers devices and the
    #: sign-in presents no device / a confirmed, remembered device (answering DEVICE_SRP_AUTH
    #: and DEVICE_PASSWORD_VERIFIER with the device's real SRP proof).
    remembered_device: bool | None = None

    @property
    def has_dimensions(self) -> bool:
        """True when the scenario sets a dimension (a flow, passkey MFA or a remembered device).

        Such a scenario runs in a pool of its own: every first factor allowed, passkey MFA
        possible, devices remembered.
        """
        return bool(self.variant)

    @property
    def variant(self) -> str:
        """The scenario's dimensions as a short label; ``""`` for the password-flow sweep."""
        parts = []
        if self.flow == CHOICE_FLOW:
            parts.append(f"{self.flow}>{self.preferred_challenge or 'SELECT_CHALLENGE'}")
        elif self.flow is not None:
            parts.append(self.flow)
        if self.passkey_mfa is not None:
            parts.append(f"passkey-MFA:{'on' if self.passkey_mfa else 'off'}")
        if self.remembered_device is not None:
            parts.append(f"device:{'remembered' if self.remembered_device else 'none'}")
        return " ".join(parts)

    @property
    def needs_tokens(self) -> bool:
        """Preparing the user needs a signed-in session (to register a passkey or a device)."""
        return self.passkey_mfa is not None or self.remembered_device is not None

    @property
    def totp_registered(self) -> bool:
        """Users whose preference enables TOTP get a registered authenticator first."""
        return Factor.TOTP in self.preference.enabled

    @property
    def combination(self) -> str:
        """The preference as a short label, e.g. ``"SMS:PREF TOTP:on EMAIL:-"``."""
        return " ".join(f"{f.name}:{_SHORT[s or FactorState.DISABLED]}" for f, s in self.preference)

    @property
    def attributes(self) -> str:
        """The user's attributes, e.g. ``"phone+email"``."""
        present = [
            name for name, has in (("phone", self.has_phone), ("email", self.has_email)) if has
        ]
        return "+".join(present) or "no phone/email"

    @property
    def pool(self) -> PoolMfaConfig:
        """The pool the scenario runs in: its MFA mode and offered factors (default plan)."""
        return PoolMfaConfig(
            mode=self.mode,
            factors=self.pool_factors,
            device_remembering=self.remembered_device is not None,
        )

    def contact_attributes(self, username: str) -> list[dict[str, str]]:
        """The phone number and email address the scenario's user has (verified)."""
        return contact_attributes(
            SWEEP_PHONE if self.has_phone else None,
            f"{username}@example.com" if self.has_email else None,
        )

    @property
    def key(self) -> str:
        """A stable identifier used to resume a sweep."""
        factors = ",".join(sorted(f.name for f in self.pool_factors))
        key = f"{self.mode.value}[{factors}] {self.combination} ({self.attributes})"
        return f"{key} | {self.variant}" if self.variant else key  # old keys stay as they were

    @property
    def request(self) -> MfaPreference:
        """The preference to write: the scenario's, with passkey MFA when the scenario sets it."""
        if self.passkey_mfa is None:
            return self.preference
        return replace(self.preference, webauthn=self.passkey_mfa)

    def facts(self, state: MfaPreference | None = None) -> UserMfaFacts:
        """The user facts the core predicts from (``state`` read back from the server wins)."""
        return UserMfaFacts(
            preference=state or self.preference,
            totp_registered=self.totp_registered,
            has_phone=self.has_phone,
            has_email=self.has_email,
        )

    def predict(self, state: MfaPreference | None = None) -> tuple[Prediction, str]:
        """The core's prediction of the scenario's sign-in and its cell label.

        The password flow is :func:`~mfa_widgets.core.signin.predict_challenge` (with the
        remembered device, if any); ``USER_AUTH`` is
        :func:`~mfa_widgets.core.signin.predict_user_auth`. A passkey first factor is
        followed to its end, labelled ``"WEB_AUTHN > NONE"`` (or ``> ERROR``);
        ``SELECT_CHALLENGE`` carries its ``AvailableChallenges``, e.g.
        ``"SELECT_CHALLENGE [PASSWORD,PASSWORD_SRP,WEB_AUTHN]"``.
        """
        facts = self.facts(state)
        context = SignInContext(remembered_device=bool(self.remembered_device))
        if self.flow != CHOICE_FLOW:
            prediction = predict_challenge(self.pool, facts, context)
            label = prediction_label(prediction)
            if label == DEVICE_STEPS[0]:  # followed to its end: the device's SRP, then tokens
                label = " > ".join(DEVICE_STEPS)
            if self.flow == SRP_FLOW:  # the password is proven first (PASSWORD_VERIFIER)
                label = f"PASSWORD_VERIFIER > {label}"
            return prediction, label
        pool = ChoicePool(self.pool, frozenset(POOL_FIRST_FACTORS), passkey_mfa=True)
        user = ChoiceUser(facts, self.passkey_mfa is not None, bool(self.passkey_mfa))
        choice = predict_user_auth(pool, user, self.preferred_challenge, context)
        label = _with_options(prediction_label(choice.initiate), choice.initiate.options)
        if choice.chosen in _FOLLOWED and choice.then is not None:
            label = f"{label} > {prediction_label(choice.then)}"
        return choice.initiate, label


def valid_preferences(
    offered: Iterable[Factor] = ALL_FACTORS, *, has_phone: bool = True, has_email: bool = True
) -> list[MfaPreference]:
    """Every complete preference Cognito accepts for such a pool and user (20 of 27 at most).

    At most one factor is preferred, and only factors the user can enable are enabled: the pool
    offers them, and SMS needs a phone number, email an email address.
    """
    usable = set(offered)
    if not has_phone:
        usable.discard(Factor.SMS)
    if not has_email:
        usable.discard(Factor.EMAIL)
    found = []
    for states in itertools.product(FactorState, repeat=len(Factor)):
        single = sum(s is FactorState.PREFERRED for s in states) <= 1
        allowed = all(f in usable or not s.enabled for f, s in zip(Factor, states, strict=True))
        if single and allowed:
            sms, totp, email = states
            found.append(MfaPreference(sms=sms, totp=totp, email=email))
    return found


_OFF = FactorState.DISABLED
#: The preferences of the dimension scenarios: none, SMS preferred, TOTP on, TOTP preferred +
#: email.
DIMENSION_PREFERENCES = (
    MfaPreference(sms=_OFF, totp=_OFF, email=_OFF),
    MfaPreference(sms=FactorState.PREFERRED, totp=_OFF, email=_OFF),
    MfaPreference(sms=_OFF, totp=FactorState.ENABLED, email=_OFF),
    MfaPreference(sms=_OFF, totp=FactorState.PREFERRED, email=FactorState.ENABLED),
)


def default_scenarios(
    modes: Iterable[PoolMfaMode | str] = (PoolMfaMode.OPTIONAL, PoolMfaMode.ON),
    pool_factors: Iterable[Factor | str] = ALL_FACTORS,
    attributes: Iterable[tuple[bool, bool]] = ((True, True),),
    *,
    flows: bool = False,
    passkey_mfa: bool = False,
    remembered_device: bool = False,
    preferences: Iterable[MfaPreference] = DIMENSION_PREFERENCES,
) -> list[Scenario]:
    """The sweep: every valid preference under each pool mode, and the dimensions asked for.

    The password-flow sweep is always there (40 scenarios by default): every preference the pool
    and the user can have (a factor the pool does not offer, SMS without a phone number, email
    without an address are left out: Cognito refuses to set them). Each dimension turned on adds
    its scenarios (80 more with all three), in pools that offer SMS, TOTP and email, allow every
    first factor and passkey MFA (``MULTI_FACTOR_WITH_USER_VERIFICATION``), for users with a
    phone number and an email address; their keys carry the dimension, so the password-flow
    sweep's keys never change.

    Parameters
    ----------
    modes
        Pool MFA modes to sweep.
    pool_factors
        The factors every pool of the password-flow sweep offers.
    attributes
        ``(has_phone, has_email)`` pairs of the password-flow sweep.
    flows
        The flow dimension (passwordless sign-in among them): the password flow, and
        ``USER_AUTH`` with no ``PREFERRED_CHALLENGE`` (SELECT_CHALLENGE) and with each of
        :data:`SWEPT_CHALLENGES` (a password, SRP, a passkey, an email or SMS code).
    passkey_mfa
        For preferences that enable TOTP (passkey MFA needs another method): a user with a
        passkey, passkey MFA off and on, signing in with ``USER_AUTH`` (SELECT_CHALLENGE, a
        preferred passkey, a preferred password).
    remembered_device
        For preferences that enable TOTP: a pool that remembers devices, signing in without a
        device and from a confirmed, remembered device, with the password flow and with
        ``USER_SRP_AUTH`` (the flow AWS documents for device tracking; the other is inferred).
    preferences
        The users' MFA preferences in the dimensions' scenarios.
    """
    fix = "pass e.g. modes=['OPTIONAL', 'ON'], attributes=[(True, True)]"
    offered = parse_factors(pool_factors)
    chosen = [
        PoolMfaConfig(mode=mode).mode for mode in _all_of(modes, (str, PoolMfaMode), "modes", fix)
    ]
    pairs = _all_of(attributes, tuple, "attributes", fix)
    if not all(len(p) == 2 and all(isinstance(x, bool) for x in p) for p in pairs):
        raise MfaPreferenceError(f"attributes are (has_phone, has_email) pairs of booleans: {fix}")
    wanted = _all_of(
        preferences, MfaPreference, "preferences", "pass e.g. [MfaPreference(totp='enabled')]"
    )
    for flag, name in (
        (flows, "flows"),
        (passkey_mfa, "passkey_mfa"),
        (remembered_device, "remembered_device"),
    ):
        need_flag(flag, name)
    found = [
        Scenario(mode, preference, phone, email, offered)
        for mode in chosen
        for phone, email in pairs
        for preference in valid_preferences(offered, has_phone=phone, has_email=email)
    ]
    for mode in chosen:
        found += _dimensions(mode, wanted, flows, passkey_mfa, remembered_device)
    return found


def _dimensions(
    mode: PoolMfaMode,
    wanted: list[MfaPreference],
    flows: bool,
    passkey_mfa: bool,
    remembered_device: bool,
) -> list[Scenario]:
    """The scenarios of the dimensions turned on, under one pool mode."""
    with_totp = [p for p in wanted if Factor.TOTP in p.enabled]
    base = Scenario(mode, MfaPreference())
    found: list[Scenario] = []
    if flows:
        found += [
            replace(
                base,
                preference=p,
                flow=PASSWORD_FLOW if c == "" else CHOICE_FLOW,
                preferred_challenge=c or None,
            )
            for p in wanted
            for c in ("", *SWEPT_CHALLENGES)
        ]
    if passkey_mfa:
        found += [
            replace(base, preference=p, flow=CHOICE_FLOW, preferred_challenge=c, passkey_mfa=on)
            for p in with_totp
            for on in (False, True)
            for c in (None, "WEB_AUTHN", "PASSWORD")
        ]
    if remembered_device:
        found += [
            replace(base, preference=p, flow=flow, remembered_device=on)
            for flow in (PASSWORD_FLOW, SRP_FLOW)
            for p in with_totp
            for on in (False, True)
        ]
    return found


def surface_scenarios(
    modes: Iterable[PoolMfaMode | str] = (PoolMfaMode.OPTIONAL, PoolMfaMode.ON),
    preferences: Iterable[MfaPreference] = DIMENSION_PREFERENCES,
    *,
    flows: bool = True,
    passkey_mfa: bool = True,
    remembered_device: bool = True,
) -> list[Scenario]:
    """Deprecated: the dimensions' scenarios alone; use :func:`default_scenarios` with them on.

    ``default_scenarios(modes, flows=True, passkey_mfa=True, remembered_device=True,
    preferences=...)`` returns these after the password-flow sweep. This alias goes in the next
    release.
    """
    warnings.warn(
        "surface_scenarios is deprecated: use default_scenarios(..., flows=True, "
        "passkey_mfa=True, remembered_device=True) (it also returns the password-flow sweep)",
        DeprecationWarning,
        stacklevel=2,
    )
    found = default_scenarios(
        modes,
        preferences=preferences,
        flows=flows,
        passkey_mfa=passkey_mfa,
        remembered_device=remembered_device,
    )
    return [s for s in found if s.has_dimensions]


def _with_options(label: str, options: Sequence[str]) -> str:
    """A ``SELECT_CHALLENGE`` label with its ``AvailableChallenges``, so they are compared too."""
    if label != "SELECT_CHALLENGE":
        return label
    return f"{label} [{','.join(options)}]"


#: First factors whose sign-in the sweep follows past the first answer (a passkey, SRP).
_FOLLOWED = frozenset({"WEB_AUTHN", "PASSWORD_SRP"})


def _all_of(items: object, kind: type | tuple[type, ...], name: str, fix: str) -> list[Any]:
    """``items`` as a list when it is a collection of ``kind`` (a string is not); else refuse."""
    if isinstance(items, (str, bytes)) or not isinstance(items, Iterable):
        raise ArgumentTypeError(f"{name} must be a list, not a {type(items).__name__}: {fix}")
    found = list(items)
    if not all(isinstance(item, kind) for item in found):
        raise ArgumentTypeError(f"{name} holds an item of the wrong type: {fix}")
    return found
