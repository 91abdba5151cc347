"""A pool's MFA configuration, from one place: what GetUserPoolMfaConfig says is what sign-in uses.

:func:`mfa_document` is the ``GetUserPoolMfaConfig`` answer (moto's stored blocks plus the email
block the sandbox keeps); :func:`mfa_config` derives the factors sign-in offers *from that same
document*, so the two cannot disagree (before, a pool with an ``SmsConfiguration`` but no
``SmsMfaConfiguration`` reported SMS MFA off and still sent ``SMS_MFA``).
"""

from __future__ import annotations

from typing import Any

from mfa_widgets.core.preferences import Factor
from mfa_widgets.core.signin import PoolMfaConfig, PoolMfaMode
from mfa_widgets.sandbox.bridge.moto_bridge import MotoBridge
from mfa_widgets.sandbox.bridge.views import PoolView
from mfa_widgets.sandbox.store.state import SandboxState

__all__ = ["factors_of", "mfa_config", "mfa_document"]


def mfa_document(bridge: MotoBridge, state: SandboxState, pool: PoolView) -> dict[str, Any]:
    """The pool's ``GetUserPoolMfaConfig`` document."""
    document = bridge.stored_mfa_blocks(pool)
    email = state.email_mfa(pool.id)
    if email is not None:
        document["EmailMfaConfiguration"] = email
    return document


def factors_of(document: dict[str, Any]) -> frozenset[Factor]:
    """The factors a ``GetUserPoolMfaConfig`` document turns on."""
    found = set()
    if document.get("SmsMfaConfiguration"):
        found.add(Factor.SMS)
    if (document.get("SoftwareTokenMfaConfiguration") or {}).get("Enabled"):
        found.add(Factor.TOTP)
    if document.get("EmailMfaConfiguration") is not None:
        found.add(Factor.EMAIL)
    return frozenset(found)


def mfa_config(bridge: MotoBridge, state: SandboxState, pool: PoolView) -> PoolMfaConfig:
    """The pool's MFA configuration as the core rules (and so sign-in) see it."""
    document = mfa_document(bridge, state, pool)
    return PoolMfaConfig(
        mode=PoolMfaMode(document.get("MfaConfiguration") or "OFF"),
        factors=factors_of(document),
        tier=bridge.tier(pool),
        recovery=bridge.recovery(pool),
        device_remembering=bridge.device_remembering(pool),
    )
