"""A proposed change to a user pool's sign-in settings, and the pool it would leave.

:class:`PoolSignIn` is what decides a user's next sign-in beyond the MFA configuration an audit
reads (:class:`~mfa_widgets.core.signin.PoolMfaConfig`): whether passkey MFA is possible
(``WebAuthnConfiguration.FactorConfiguration`` is ``MULTI_FACTOR_WITH_USER_VERIFICATION``), the
``USER_AUTH`` first factors (``SignInPolicy.AllowedFirstAuthFactors``) and the app client's
``ExplicitAuthFlows``. :class:`PoolChange` describes a change to any of these at once (pool MFA
OFF/OPTIONAL/ON, factors offered or withdrawn, the feature plan, flows and first factors), and
:meth:`PoolChange.apply` returns the pool after it, refusing with one line what Cognito refuses
(sources beside each check). Pure: nothing here sends a request.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from mfa_widgets.core.errors import ArgumentTypeError, InvalidArgumentError, PoolChangeError
from mfa_widgets.core.preferences import Factor
from mfa_widgets.core.signin import POOL_FIRST_FACTORS, PoolMfaConfig, PoolMfaMode, Tier
from mfa_widgets.core.validation import need_flag, need_instance, shown

__all__ = [
    "AUTH_FLOWS",
    "MFA_FACTORS",
    "PASSKEY",
    "PoolChange",
    "PoolChangeError",
    "PoolSignIn",
    "as_change",
]

#: The MFA factors a change can offer or withdraw: SMS, TOTP, email and passkey MFA.
PASSKEY = "PASSKEY"
MFA_FACTORS = ("SMS", "TOTP", "EMAIL", PASSKEY)
#: The app-client flows the impact tells apart (``ExplicitAuthFlows`` without ``ALLOW_``).
#: ``REFRESH_TOKEN_AUTH`` is always kept: it signs no one in, and a client needs it.
AUTH_FLOWS = ("USER_PASSWORD_AUTH", "ADMIN_USER_PASSWORD_AUTH", "USER_SRP_AUTH", "USER_AUTH")
_DEFAULT_FLOWS = frozenset({"USER_PASSWORD_AUTH", "ADMIN_USER_PASSWORD_AUTH", "USER_SRP_AUTH"})
_SETTINGS = ("mfa", "tier")
#: Other names of the MFA factors: the API's and the registered-factor names.
_FACTOR_ALIASES = {
    "SMS_MFA": "SMS",
    "SOFTWARE_TOKEN": "TOTP",
    "SOFTWARE_TOKEN_MFA": "TOTP",
    "EMAIL_OTP": "EMAIL",
    "WEB_AUTHN": PASSKEY,
    "WEBAUTHN": PASSKEY,
}


def _names(value: object, accepted: tuple[str, ...], what: str, prefix: str = "") -> frozenset[str]:
    """Upper-case names from ``"A,B"`` or an iterable, each one of ``accepted``."""
    if value is None:
        return frozenset()
    if isinstance(value, Factor):
        value = value.name
    items = value.split(",") if isinstance(value, str) else value
    if isinstance(items, (bytes, Mapping)) or not isinstance(items, Iterable):
        raise PoolChangeError(
            f"{what} cannot be {shown(value)}: pass names such as {accepted[0]!r}"
        )
    found = set()
    for item in items:
        if isinstance(item, Factor):
            item = item.name
        if not isinstance(item, str):
            raise PoolChangeError(f"{what}: {shown(item)} is not a name; use {', '.join(accepted)}")
        name = item.strip().upper().replace("-", "_")
        name = name.removeprefix(prefix) if prefix else name
        if PASSKEY in accepted:
            name = _FACTOR_ALIASES.get(name, name)
        if not name:
            continue
        if name not in accepted:
            raise PoolChangeError(
                f"unknown {what} {item.strip()[:40]!r}: use {', '.join(accepted)}"
            )
        found.add(name)
    return frozenset(found)


@dataclass(frozen=True)
class PoolSignIn:
    """Everything about a pool that decides how its users sign in next.

    Parameters
    ----------
    mfa
        The MFA configuration an audit reads (mode, factors, tier, recovery, devices).
    passkey_mfa
        ``WebAuthnConfiguration.FactorConfiguration`` is ``MULTI_FACTOR_WITH_USER_VERIFICATION``.
    first_factors
        ``AllowedFirstAuthFactors`` of choice-based sign-in (``PASSWORD``, ``EMAIL_OTP``,
        ``SMS_OTP``, ``WEB_AUTHN``).
    flows
        The app client's flows among :data:`AUTH_FLOWS` (``ALLOW_`` prefixes are accepted). The
        default is what the toolkit's pools allow: the password flows.
    """

    mfa: PoolMfaConfig = field(default_factory=PoolMfaConfig)
    passkey_mfa: bool = False
    first_factors: frozenset[str] = frozenset({"PASSWORD"})
    flows: frozenset[str] = _DEFAULT_FLOWS

    def __post_init__(self) -> None:
        need_instance(self.mfa, PoolMfaConfig, "mfa", "pass a PoolMfaConfig, e.g. audit.pool")
        need_flag(self.passkey_mfa, "passkey_mfa")
        first = _names(self.first_factors, POOL_FIRST_FACTORS, "first factor")
        object.__setattr__(self, "first_factors", first)
        object.__setattr__(self, "flows", _names(self.flows, AUTH_FLOWS, "auth flow", "ALLOW_"))

    @property
    def password_flow(self) -> str | None:
        """The flow a password sign-in takes: a password flow, else ``USER_AUTH``, else none."""
        for flow in ("USER_PASSWORD_AUTH", "ADMIN_USER_PASSWORD_AUTH", "USER_SRP_AUTH"):
            if flow in self.flows:
                return flow
        return "USER_AUTH" if "USER_AUTH" in self.flows else None

    def describe(self) -> str:
        """One line: MFA mode, factors, plan, passkey MFA, flows, first factors."""
        factors = ",".join(f.name for f in Factor if f in self.mfa.factors) or "none"
        passkey = " + passkey MFA" if self.passkey_mfa else ""
        flows = ",".join(f for f in AUTH_FLOWS if f in self.flows) or "none"
        first = ",".join(f for f in POOL_FIRST_FACTORS if f in self.first_factors) or "none"
        return (
            f"MFA {self.mfa.mode.value} ({factors}{passkey}), {self.mfa.tier.value}; "
            f"flows {flows}; first factors {first}"
        )


@dataclass(frozen=True)
class PoolChange:
    """A proposed change to a pool's sign-in settings (several parts at once).

    Parameters
    ----------
    mfa
        The new ``MfaConfiguration``: OFF, OPTIONAL or ON (``None``: unchanged).
    offer, withdraw
        MFA factors to offer or withdraw: ``SMS``, ``TOTP``, ``EMAIL``, ``PASSKEY`` (passkey
        MFA); text such as ``"SMS,EMAIL"`` is accepted.
    tier
        The new feature plan: LITE, ESSENTIALS or PLUS (``None``: unchanged).
    allow_flows, deny_flows
        App-client flows to allow or take away (:data:`AUTH_FLOWS`; ``ALLOW_`` is optional).
    allow_first, withdraw_first
        ``USER_AUTH`` first factors to allow or withdraw (``PASSWORD``, ``EMAIL_OTP``,
        ``SMS_OTP``, ``WEB_AUTHN``).

    Raises
    ------
    PoolChangeError
        For an unknown name, a name both added and removed, or a change that changes nothing.

    Examples
    --------
    >>> PoolChange(mfa="ON", withdraw="SMS").describe()
    'MFA ON; withdraw SMS'
    """

    mfa: PoolMfaMode | None = None
    offer: frozenset[str] = frozenset()
    withdraw: frozenset[str] = frozenset()
    tier: Tier | None = None
    allow_flows: frozenset[str] = frozenset()
    deny_flows: frozenset[str] = frozenset()
    allow_first: frozenset[str] = frozenset()
    withdraw_first: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        try:
            mode = None if self.mfa is None else PoolMfaConfig(mode=self.mfa).mode
            tier = None if self.tier is None else PoolMfaConfig(tier=self.tier).tier
        except InvalidArgumentError as error:
            raise PoolChangeError(str(error)) from None
        except ValueError as error:  # MfaPreferenceError: the same one-line message
            raise PoolChangeError(str(error)) from None
        object.__setattr__(self, "mfa", mode)
        object.__setattr__(self, "tier", tier)
        pairs = (
            ("offer", "withdraw", MFA_FACTORS, "MFA factor", ""),
            ("allow_flows", "deny_flows", AUTH_FLOWS, "auth flow", "ALLOW_"),
            ("allow_first", "withdraw_first", POOL_FIRST_FACTORS, "first factor", ""),
        )
        for add, remove, accepted, what, prefix in pairs:
            added = _names(getattr(self, add), accepted, what, prefix)
            removed = _names(getattr(self, remove), accepted, what, prefix)
            both = sorted(added & removed)
            if both:
                raise PoolChangeError(
                    f"{', '.join(both)} is both in {add} and in {remove}: keep it in one of them"
                )
            object.__setattr__(self, add, added)
            object.__setattr__(self, remove, removed)
        if self.is_empty:
            raise PoolChangeError(
                "the change changes nothing: set mfa or tier, or offer/withdraw a factor, "
                "e.g. PoolChange(mfa='ON', withdraw='SMS')"
            )

    @property
    def is_empty(self) -> bool:
        """Nothing is set."""
        return (
            self.mfa is None
            and self.tier is None
            and not any(
                getattr(self, f.name) for f in dataclasses.fields(self) if f.name not in _SETTINGS
            )
        )

    @classmethod
    def parse(
        cls,
        settings: Iterable[str] = (),
        *,
        offer: Iterable[str] = (),
        withdraw: Iterable[str] = (),
        allow_flows: Iterable[str] = (),
        deny_flows: Iterable[str] = (),
        allow_first: Iterable[str] = (),
        withdraw_first: Iterable[str] = (),
    ) -> PoolChange:
        """Read the command line's form: ``settings`` such as ``["mfa=ON", "tier=LITE"]``.

        Raises
        ------
        PoolChangeError
            For a setting that is not ``mfa=...`` or ``tier=...``, or any error of the class.
        """
        if settings is None or isinstance(settings, str):
            settings = () if settings is None else (settings,)
        if isinstance(settings, (bytes, Mapping)) or not isinstance(settings, Iterable):
            raise PoolChangeError(
                f"settings cannot be {shown(settings)}: pass strings such as 'mfa=ON'"
            )
        values: dict[str, str] = {}
        for setting in settings:
            key, sep, value = str(setting).partition("=")
            key = key.strip().lower()
            if not sep or key not in _SETTINGS or not value.strip():
                raise PoolChangeError(
                    f"cannot read --set {str(setting)[:40]!r}: use mfa=OFF|OPTIONAL|ON or "
                    "tier=LITE|ESSENTIALS|PLUS"
                )
            values[key] = value.strip()
        # The lists go to the class as they are: its checks name a bad item (joining them first
        # would crash on None or a non-string).
        lists: dict[str, object] = {
            "offer": offer,
            "withdraw": withdraw,
            "allow_flows": allow_flows,
            "deny_flows": deny_flows,
            "allow_first": allow_first,
            "withdraw_first": withdraw_first,
        }
        return cls(mfa=values.get("mfa"), tier=values.get("tier"), **lists)  # type: ignore[arg-type]

    def describe(self) -> str:
        """The change in one line, e.g. ``"MFA ON; withdraw SMS"``."""
        parts = []
        if self.mfa is not None:
            parts.append(f"MFA {self.mfa.value}")
        if self.tier is not None:
            parts.append(f"plan {self.tier.value}")
        for name, label, order in (
            ("offer", "offer", MFA_FACTORS),
            ("withdraw", "withdraw", MFA_FACTORS),
            ("allow_flows", "allow flow", AUTH_FLOWS),
            ("deny_flows", "deny flow", AUTH_FLOWS),
            ("allow_first", "allow first factor", POOL_FIRST_FACTORS),
            ("withdraw_first", "withdraw first factor", POOL_FIRST_FACTORS),
        ):
            chosen: frozenset[str] = getattr(self, name)
            if chosen:
                parts.append(f"{label} {','.join(n for n in order if n in chosen)}")
        return "; ".join(parts)

    def apply(self, pool: PoolSignIn | PoolMfaConfig) -> PoolSignIn:
        """The pool after the change.

        Raises
        ------
        PoolChangeError
            When Cognito would refuse the result (the message names the fix).
        """
        if isinstance(pool, PoolMfaConfig):
            pool = PoolSignIn(pool)
        need_instance(pool, PoolSignIn, "pool", "pass a PoolSignIn or the audit's PoolMfaConfig")
        mfa = pool.mfa
        factors = (mfa.factors | _factors(self.offer)) - _factors(self.withdraw)
        mode = self.mfa or mfa.mode
        tier = self.tier or mfa.tier
        passkey = (pool.passkey_mfa or PASSKEY in self.offer) and PASSKEY not in self.withdraw
        after = PoolSignIn(
            dataclasses.replace(mfa, mode=mode, factors=frozenset(factors), tier=tier),
            passkey,
            (pool.first_factors | self.allow_first) - self.withdraw_first,
            (pool.flows | self.allow_flows) - self.deny_flows,
        )
        if mode is not PoolMfaMode.OFF and not factors:
            # SetUserPoolMfaConfig: "At least one of ... must be enabled when MfaConfiguration
            # is ON or OPTIONAL" (answer recorded in the sandbox's pool_ops).
            raise PoolChangeError(
                f"MFA {mode.value} needs at least one factor offered, and the change leaves none: "
                "offer SMS, TOTP or EMAIL, or set mfa=OFF"
            )
        if not after.first_factors:
            # AllowedFirstAuthFactors has a minimum length of 1 (botocore's service model).
            raise PoolChangeError(
                "the change withdraws every USER_AUTH first factor, and a pool needs at least "
                "one: keep PASSWORD, or allow another first factor"
            )
        if tier is Tier.LITE and Factor.EMAIL in factors:
            # Email MFA needs Essentials or Plus (reference: feature plans, FP).
            raise PoolChangeError(
                "email MFA is not available on the Lite plan and the pool would still offer it: "
                "withdraw EMAIL as well, or keep the plan"
            )
        if tier is Tier.LITE and passkey:
            # Passkey MFA needs Essentials or higher (SM WebAuthnMfaSettingsType).
            raise PoolChangeError(
                "passkey MFA needs the Essentials plan or higher: withdraw PASSKEY as well, or "
                "keep the plan"
            )
        return after


def _factors(names: frozenset[str]) -> frozenset[Factor]:
    return frozenset(Factor.parse(name) for name in names if name != PASSKEY)


def as_change(change: object) -> PoolChange:
    """A :class:`PoolChange`, or one built from its keywords (``{"mfa": "ON"}``).

    Raises
    ------
    PoolChangeError
        For keywords a change doesn't take, or a value it can't read.
    """
    if isinstance(change, PoolChange):
        return change
    if not isinstance(change, Mapping):
        raise ArgumentTypeError(
            f"change cannot be {shown(change)}: pass a PoolChange or its keywords, e.g. "
            "{'mfa': 'ON', 'withdraw': 'SMS'}"
        )
    known = {f.name for f in dataclasses.fields(PoolChange)}
    unknown = sorted(str(key)[:40] for key in change if key not in known)
    if unknown:
        raise PoolChangeError(
            f"unknown change keyword(s) {', '.join(unknown)}: use {', '.join(sorted(known))}"
        )
    return PoolChange(**change)
