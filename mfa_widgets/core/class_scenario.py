"""A class-wide scenario: one change to the pools' MFA set-up, applied to every learner at once.

E.g. "pool MFA ON, email MFA off": the trainer's board describes it before asking for
confirmation, and the classroom applies it to each learner's pools. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass

from mfa_widgets.core.preferences import Factor
from mfa_widgets.core.signin import PoolMfaConfig, PoolMfaMode

__all__ = ["Scenario"]


@dataclass(frozen=True)
class Scenario:
    """A change to pools' MFA set-up, applied to every learner at once.

    Attributes
    ----------
    mfa
        ``"OFF"``, ``"OPTIONAL"`` or ``"ON"``; ``None`` keeps each pool's mode.
    sms, totp, email
        ``True`` offers the factor, ``False`` withdraws it, ``None`` keeps it.
    pool_name
        Only pools with this name (e.g. ``"training-optional"``); ``None`` means every pool.
    """

    mfa: str | None = None
    sms: bool | None = None
    totp: bool | None = None
    email: bool | None = None
    pool_name: str | None = None

    def __post_init__(self) -> None:
        if self.mfa is not None and self.mfa not in {m.value for m in PoolMfaMode}:
            raise ValueError(f"pool MFA must be OFF, OPTIONAL or ON, not {self.mfa!r}")

    def applied_to(self, config: PoolMfaConfig) -> PoolMfaConfig:
        """``config`` with this scenario's changes."""
        factors = set(config.factors)
        changes = ((Factor.SMS, self.sms), (Factor.TOTP, self.totp), (Factor.EMAIL, self.email))
        for factor, wanted in changes:
            if wanted is not None:
                (factors.add if wanted else factors.discard)(factor)
        return PoolMfaConfig(
            mode=PoolMfaMode(self.mfa) if self.mfa else config.mode,
            factors=frozenset(factors),
            tier=config.tier,
            recovery=config.recovery,
        )

    def describe(self) -> str:
        """The scenario in plain words, e.g. ``"MFA ON, email off (every pool)"``."""
        parts = [f"pool MFA {self.mfa}"] if self.mfa else []
        for name, wanted in (("SMS", self.sms), ("TOTP", self.totp), ("email MFA", self.email)):
            if wanted is not None:
                parts.append(f"{name} {'on' if wanted else 'off'}")
        where = f"pools named {self.pool_name!r}" if self.pool_name else "every pool"
        return f"{', '.join(parts) or 'no change'} ({where})"
