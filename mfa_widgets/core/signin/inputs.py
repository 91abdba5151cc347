"""The inputs of a sign-in prediction: the pool's MFA set-up, the user's MFA facts, the context.

:class:`PoolMfaConfig` (the pool's ``MfaConfiguration``, factors, feature plan, recovery channel
and device remembering), :class:`UserMfaFacts` (preference, attributes, a registered
authenticator) and :class:`SignInContext` (a remembered device, an adaptive decision) are what
:func:`~mfa_widgets.core.signin.password.predict_challenge` and
:func:`~mfa_widgets.core.signin.choice.predict_user_auth` decide on. Values are read
case-insensitively (:func:`parse_factors`, :func:`parse_preferred`); :func:`input_space` lists
every distinct input the engine tells apart.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import TypeVar

from mfa_widgets.core.errors import MfaPreferenceError
from mfa_widgets.core.preferences import Factor, FactorState, MfaPreference
from mfa_widgets.core.string_enum import StrEnum
from mfa_widgets.core.validation import need_flag, need_instance

__all__ = [
    "Adaptive",
    "FactorsLike",
    "PoolMfaConfig",
    "PoolMfaMode",
    "Recovery",
    "SignInContext",
    "SignInFlow",
    "Tier",
    "UserMfaFacts",
    "input_space",
    "parse_factors",
    "parse_preferred",
]

SMS, TOTP, EMAIL = Factor.SMS, Factor.TOTP, Factor.EMAIL
_ORDER = (SMS, TOTP, EMAIL)  # option order in MFAS_CAN_CHOOSE / MFAS_CAN_SETUP

# Internally a set of factors is a bit mask: the decision runs on ints, not enum members.
_S, _T, _E = 1, 2, 4
_BIT = {SMS: _S, TOTP: _T, EMAIL: _E}
_FACTOR_OF = {_S: SMS, _T: TOTP, _E: EMAIL}
_FACTOR_SET = tuple(frozenset(f for f in _ORDER if m & _BIT[f]) for m in range(8))
_API_NAMES = tuple(tuple(f.api_name for f in _ORDER if m & _BIT[f]) for m in range(8))
# -- inputs -----------------------------------------------------------------------------------


class SignInFlow(StrEnum):
    """How a sign-in starts (``MfaClient.sign_in``'s ``flow``, the probe's flow selector)."""

    PASSWORD = "password"  # noqa: S105 - a flow's name, not a secret
    """``USER_PASSWORD_AUTH``: the password goes to Cognito."""
    SRP = "srp"
    """``USER_SRP_AUTH``: the password never leaves the kernel (an SRP proof does)."""
    CHOICE = "choice"
    """``USER_AUTH``: choice-based; a password, an email or SMS code, or a passkey."""


class PoolMfaMode(str, Enum):
    """The pool's ``MfaConfiguration``."""

    OFF = "OFF"
    OPTIONAL = "OPTIONAL"
    ON = "ON"


class Tier(str, Enum):
    """The pool's feature plan (``UserPoolTier``)."""

    LITE = "LITE"
    ESSENTIALS = "ESSENTIALS"
    PLUS = "PLUS"


class Recovery(str, Enum):
    """The pool's primary account-recovery channel (``AccountRecoverySetting`` priority 1)."""

    EMAIL = "verified_email"
    PHONE = "verified_phone_number"
    ADMIN_ONLY = "admin_only"


class Adaptive(str, Enum):
    """The adaptive-authentication (threat protection) decision for this sign-in."""

    NONE = "none"
    ALLOW = "allow"
    OPTIONAL_MFA = "optional_mfa"
    REQUIRE_MFA = "require_mfa"
    BLOCK = "block"


_EnumT = TypeVar("_EnumT", bound=Enum)


def _parse_choice(
    kind: type[_EnumT], value: object, what: str, aliases: dict[str, _EnumT], accepted: str
) -> _EnumT:
    """Read an enum member from itself, its name, value or an alias (any case; ``-`` is ``_``)."""
    if isinstance(value, kind):
        return value
    if not isinstance(value, str):  # str(None) == "NONE" must not read as a choice
        raise MfaPreferenceError(
            f"{what} cannot be a {type(value).__name__} ({value!r:.40}): use one of {accepted}"
        )
    text = value.strip().upper().replace("-", "_")
    for member in kind:
        if text in (member.name, str(member.value).upper()):
            return member
    if text in aliases:
        return aliases[text]
    raise MfaPreferenceError(f"unknown {what} {value!r:.60}: use one of {accepted}")


def _parse_mode(value: object) -> PoolMfaMode:
    return _parse_choice(
        PoolMfaMode, value, "pool MFA mode", {"REQUIRED": PoolMfaMode.ON}, "OFF, OPTIONAL, ON"
    )


def _parse_tier(value: object) -> Tier:
    return _parse_choice(Tier, value, "pool tier", {}, "LITE, ESSENTIALS, PLUS")


def _parse_recovery(value: object) -> Recovery:
    aliases = {"ADMIN": Recovery.ADMIN_ONLY, "NONE": Recovery.ADMIN_ONLY}
    return _parse_choice(
        Recovery,
        value,
        "recovery channel",
        aliases,
        "email, phone, admin (or verified_email, verified_phone_number, admin_only)",
    )


def _parse_adaptive(value: object) -> Adaptive:
    return _parse_choice(
        Adaptive,
        value,
        "adaptive decision",
        {"OFF": Adaptive.NONE},
        "none, allow, optional_mfa, require_mfa, block",
    )


_RECOVERY_BIT = {Recovery.EMAIL: _E, Recovery.PHONE: _S, Recovery.ADMIN_ONLY: 0}

FactorsLike = str | Factor | Iterable[str | Factor] | None


def parse_factors(value: FactorsLike) -> frozenset[Factor]:
    """Read a set of factors from ``"SMS,TOTP"``, an iterable of names/factors, or nothing.

    ``None``, ``""`` and ``"none"`` mean no factor.

    Raises
    ------
    MfaPreferenceError
        When a name is not a factor; the message lists the accepted names.
    """
    if value is None or isinstance(value, Factor):
        return frozenset() if value is None else frozenset({value})
    if not isinstance(value, (str, Iterable)) or isinstance(value, Mapping):
        raise MfaPreferenceError(
            f"factors cannot be {type(value).__name__} {value!r:.60}: pass names such as "
            "'SMS,TOTP', a list of factors, or None for none"
        )
    items: Iterable[str | Factor] = value.split(",") if isinstance(value, str) else value
    names = [i for i in items if not isinstance(i, str) or i.strip().lower() not in ("", "none")]
    return frozenset(Factor.parse(name) for name in names)


def parse_preferred(value: str | Factor | None) -> Factor | None:
    """Read the preferred factor: a factor name, or ``None`` / ``""`` / ``"none"`` for none.

    Raises
    ------
    MfaPreferenceError
        When the text names no factor.
    """
    if value is None or (isinstance(value, str) and value.strip().lower() in ("", "none")):
        return None
    try:
        return Factor.parse(value)
    except MfaPreferenceError as error:
        raise MfaPreferenceError(f"{error}; or none for no preferred factor") from None


@dataclass(frozen=True)
class PoolMfaConfig:
    """The parts of a user pool's configuration that decide the MFA challenge.

    Parameters
    ----------
    mode
        ``MfaConfiguration``: OFF, OPTIONAL or ON (names are read case-insensitively).
    factors
        The factors the pool offers (``SmsMfaConfiguration``, ``SoftwareTokenMfaConfiguration``,
        ``EmailMfaConfiguration``); names such as ``"SMS,TOTP"`` are accepted.
    tier
        The feature plan; email MFA needs ESSENTIALS or PLUS, adaptive authentication PLUS.
    recovery
        The primary account-recovery channel; Cognito does not use it for MFA.
    device_remembering
        ``DeviceConfiguration`` lets a remembered device skip MFA.
    """

    mode: PoolMfaMode = PoolMfaMode.OPTIONAL
    factors: frozenset[Factor] = frozenset({Factor.SMS, Factor.TOTP})
    tier: Tier = Tier.ESSENTIALS
    recovery: Recovery = Recovery.ADMIN_ONLY
    device_remembering: bool = False

    # Bit masks (SMS=1, TOTP=2, EMAIL=4) computed once, so a prediction hashes no enum member.
    _offered: int = field(init=False, repr=False, compare=False, default=0)
    _usable: int = field(init=False, repr=False, compare=False, default=0)
    _rec: int = field(init=False, repr=False, compare=False, default=0)

    def __post_init__(self) -> None:
        # Normalise friendly inputs (names, sets of names) once, here.
        object.__setattr__(self, "mode", _parse_mode(self.mode))
        object.__setattr__(self, "factors", parse_factors(self.factors))
        object.__setattr__(self, "tier", _parse_tier(self.tier))
        object.__setattr__(self, "recovery", _parse_recovery(self.recovery))
        need_flag(self.device_remembering, "device_remembering")
        offered = sum(_BIT[f] for f in self.factors)
        usable = offered & ~_E if self.tier is Tier.LITE else offered
        object.__setattr__(self, "_offered", offered)
        object.__setattr__(self, "_usable", usable)
        object.__setattr__(self, "_rec", _RECOVERY_BIT[self.recovery])

    @property
    def usable_factors(self) -> frozenset[Factor]:
        """The factors the pool offers and can use (email needs the Essentials or Plus plan)."""
        return _FACTOR_SET[self._usable]

    @property
    def recovery_factor(self) -> Factor | None:
        """The factor whose attribute is the recovery channel (SMS for phone), if any."""
        return _FACTOR_OF.get(self._rec)


@dataclass(frozen=True)
class UserMfaFacts:
    """What Cognito knows about the user when choosing the challenge.

    Parameters
    ----------
    preference
        The user's MFA preference (a factor left unchanged, ``None``, counts as disabled).
    totp_registered
        The user completed ``VerifySoftwareToken``.
    has_phone, has_email
        The ``phone_number`` / ``email`` attribute is present (verified or not: SMS and email
        MFA may target unverified attributes).
    """

    preference: MfaPreference
    totp_registered: bool = False
    has_phone: bool = False
    has_email: bool = False
    # Bit masks of enabled / preferred / receivable factors, computed once (see PoolMfaConfig).
    _enabled: int = field(init=False, repr=False, compare=False, default=0)
    _preferred: int = field(init=False, repr=False, compare=False, default=0)
    _receivable: int = field(init=False, repr=False, compare=False, default=0)

    def __post_init__(self) -> None:
        pref = need_instance(
            self.preference,
            MfaPreference,
            "preference",
            "pass an MfaPreference, e.g. MfaPreference(sms='preferred', totp='disabled')",
        )
        for name in ("totp_registered", "has_phone", "has_email"):
            need_flag(getattr(self, name), name)
        states = (pref.sms, pref.totp, pref.email)
        enabled = sum(
            bit for bit, st in zip((_S, _T, _E), states, strict=True) if st and st.enabled
        )
        preferred = sum(
            bit for bit, st in zip((_S, _T, _E), states, strict=True) if st and st.preferred
        )
        receivable = self.has_phone * _S | self.totp_registered * _T | self.has_email * _E
        object.__setattr__(self, "_enabled", enabled)
        object.__setattr__(self, "_preferred", preferred)
        object.__setattr__(self, "_receivable", receivable)


@dataclass(frozen=True)
class SignInContext:
    """Facts about this one sign-in attempt.

    Parameters
    ----------
    remembered_device
        A confirmed and remembered ``DEVICE_KEY`` is presented (USER_SRP_AUTH flow).
    adaptive
        The adaptive-authentication decision for this sign-in.
    """

    remembered_device: bool = False
    adaptive: Adaptive = Adaptive.NONE

    def __post_init__(self) -> None:
        need_flag(self.remembered_device, "remembered_device")
        object.__setattr__(self, "adaptive", _parse_adaptive(self.adaptive))


_NO_CONTEXT = SignInContext()


def input_space() -> tuple[list[PoolMfaConfig], list[UserMfaFacts], list[SignInContext]]:
    """Every distinct pool, user and sign-in context the engine tells apart.

    Their product (432 x 160 x 10 = 691,200 inputs) is the whole input space, for sweeps,
    exhaustive tests and benchmarks.
    """
    states = list(FactorState)
    preferences = [
        MfaPreference(sms=a, totp=b, email=c)
        for a, b, c in itertools.product(states, states, states)
        if [a, b, c].count(FactorState.PREFERRED) <= 1
    ]
    factor_sets = [frozenset(c) for n in range(4) for c in itertools.combinations(_ORDER, n)]
    flags = (False, True)
    pools = [
        PoolMfaConfig(*values)
        for values in itertools.product(PoolMfaMode, factor_sets, Tier, Recovery, flags)
    ]
    users = [
        UserMfaFacts(*values) for values in itertools.product(preferences, flags, flags, flags)
    ]
    contexts = [SignInContext(*values) for values in itertools.product(flags, Adaptive)]
    return pools, users, contexts
