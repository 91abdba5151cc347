"""Auth factors, TOTP reset, passkey MFA and the pool's WebAuthn configuration.

* ``GetUserAuthFactors`` / ``AdminGetUserAuthFactors``: the stored MFA preference plus
  ``ConfiguredUserAuthFactors`` (:func:`~mfa_widgets.core.user_auth.configured_auth_factors`).
* ``AdminDeleteSoftwareToken``: removes the TOTP registration and any TOTP preference; other
  factors are untouched (service model, ``cognito-2026-surface.md``).
* ``(Admin)SetUserMFAPreference``: the passkey-MFA rules
  (:func:`~mfa_widgets.core.user_auth.passkey_mfa_refusal`) before the sandbox's own checks.
* ``SetUserPoolMfaConfig`` / ``GetUserPoolMfaConfig``: ``WebAuthnConfiguration`` kept (the rest is
  the sandbox's pool operations). ``MULTI_FACTOR_WITH_USER_VERIFICATION`` needs Essentials or
  higher (documented, ``FeatureUnavailableInTierException``); a request without the block removes
  it (inferred: ``SetUserPoolMfaConfig`` sets the whole MFA configuration).
"""

from __future__ import annotations

from typing import Any

from mfa_widgets.core.challenges import Tier
from mfa_widgets.core.errors import MfaPreferenceError
from mfa_widgets.core.preferences import Factor, FactorState, MfaPreference
from mfa_widgets.core.user_auth import (
    configured_auth_factors,
    passkey_mfa_refusal,
)
from mfa_widgets.sandbox.bridge.views import PoolView, UserView
from mfa_widgets.sandbox.cognito.access import authorize
from mfa_widgets.sandbox.cognito.context import RequestContext
from mfa_widgets.sandbox.cognito.ops import pool as pool_ops
from mfa_widgets.sandbox.cognito.ops import preferences as preference_ops
from mfa_widgets.sandbox.cognito.signin.facts import choice_user
from mfa_widgets.sandbox.store.surface import surface_of
from mfa_widgets.sandbox.wire import CognitoError, invalid_parameter

__all__ = ["HANDLERS"]

_FACTOR_CONFIGURATIONS = ("SINGLE_FACTOR", "MULTI_FACTOR_WITH_USER_VERIFICATION")
_USER_VERIFICATION = ("required", "preferred")
# documented rule (WebAuthnConfigurationType.FactorConfiguration), wording ours
PASSKEY_MFA_NEEDS_TIER = (
    "MULTI_FACTOR_WITH_USER_VERIFICATION requires the ESSENTIALS or PLUS feature plan."
)


# -- reading factors ---------------------------------------------------------------------------


def _factors_document(ctx: RequestContext, pool: PoolView, user: UserView) -> dict[str, Any]:
    verified = ctx.bridge.attribute(user, "email_verified") == "true"
    return {
        "Username": user.username,
        **ctx.state.user(pool.id, user.id).preference.to_response(),
        "ConfiguredUserAuthFactors": configured_auth_factors(
            choice_user(ctx, pool, user), email_verified=verified
        ),
    }


def get_user_auth_factors(ctx: RequestContext) -> dict[str, Any]:
    """``GetUserAuthFactors`` (access token)."""
    owner = authorize(ctx.bridge, ctx.body.get("AccessToken"))
    return _factors_document(ctx, owner.pool, owner.user)


def admin_get_user_auth_factors(ctx: RequestContext) -> dict[str, Any]:
    """``AdminGetUserAuthFactors`` (IAM)."""
    pool = ctx.bridge.pool(str(ctx.body.get("UserPoolId", "")))
    return _factors_document(ctx, pool, ctx.bridge.user(pool, str(ctx.body.get("Username", ""))))


# -- resetting a lost authenticator ------------------------------------------------------------


def admin_delete_software_token(ctx: RequestContext) -> dict[str, Any]:
    """``AdminDeleteSoftwareToken``: forget the authenticator and any TOTP preference."""
    pool = ctx.bridge.pool(str(ctx.body.get("UserPoolId", "")))
    user = ctx.bridge.user(pool, str(ctx.body.get("Username", "")))
    if str(getattr(user.status, "value", user.status)) == "UNCONFIRMED":
        raise CognitoError("UserNotConfirmedException", "User is not confirmed.")
    state = ctx.state.user(pool.id, user.id)
    with ctx.state.lock:
        state.totp_secret = None
        state.pending_secret = None
        if state.preference.totp is not FactorState.DISABLED:
            state.preference = state.preference.with_state(Factor.TOTP, FactorState.DISABLED)
    return {}


# -- passkey MFA ---------------------------------------------------------------------------------


def _check_passkey_mfa(ctx: RequestContext, pool: PoolView, user: UserView) -> None:
    """Refuse a request whose result would be passkey MFA on without what it needs."""
    try:
        requested = MfaPreference.from_request(ctx.body)
    except MfaPreferenceError:
        return  # the sandbox's own preference check answers with Cognito's message
    stored = ctx.state.user(pool.id, user.id).preference
    after = requested.merged_onto(stored)
    refusal = passkey_mfa_refusal(
        ctx.bridge.tier(pool), surface_of(ctx.state).passkey_mfa_pool(pool.id), after
    )
    if refusal is not None:
        raise CognitoError(*refusal)


def set_user_mfa_preference(ctx: RequestContext) -> dict[str, Any]:
    """``SetUserMFAPreference`` with ``WebAuthnMfaSettings``."""
    owner = authorize(ctx.bridge, ctx.body.get("AccessToken"))
    _check_passkey_mfa(ctx, owner.pool, owner.user)
    return preference_ops.set_user_mfa_preference(ctx)


def admin_set_user_mfa_preference(ctx: RequestContext) -> dict[str, Any]:
    """``AdminSetUserMFAPreference`` with ``WebAuthnMfaSettings``."""
    pool = ctx.bridge.pool(str(ctx.body.get("UserPoolId", "")))
    user = ctx.bridge.user(pool, str(ctx.body.get("Username", "")))
    _check_passkey_mfa(ctx, pool, user)
    return preference_ops.admin_set_user_mfa_preference(ctx)


# -- the pool's WebAuthn configuration ---------------------------------------------------------


def _webauthn_config(ctx: RequestContext, pool: PoolView, block: object) -> dict[str, Any] | None:
    if block is None:
        return None
    if not isinstance(block, dict):
        raise invalid_parameter("WebAuthnConfiguration must be a structure.")
    config = {k: v for k, v in block.items() if v is not None}
    factor = config.setdefault("FactorConfiguration", "SINGLE_FACTOR")
    if factor not in _FACTOR_CONFIGURATIONS:
        raise invalid_parameter(
            f"FactorConfiguration must be one of {', '.join(_FACTOR_CONFIGURATIONS)}."
        )
    if config.setdefault("UserVerification", "preferred") not in _USER_VERIFICATION:
        raise invalid_parameter("UserVerification must be one of required, preferred.")
    if factor != "SINGLE_FACTOR" and ctx.bridge.tier(pool) is Tier.LITE:
        raise CognitoError("FeatureUnavailableInTierException", PASSKEY_MFA_NEEDS_TIER)
    return config


def set_user_pool_mfa_config(ctx: RequestContext) -> dict[str, Any]:
    """``SetUserPoolMfaConfig`` keeping ``WebAuthnConfiguration``."""
    pool = ctx.bridge.pool(str(ctx.body.get("UserPoolId", "")))
    config = _webauthn_config(ctx, pool, ctx.body.pop("WebAuthnConfiguration", None))
    document = pool_ops.set_user_pool_mfa_config(ctx)
    surface_of(ctx.state).set_webauthn_config(pool.id, config)
    if config is not None:
        document["WebAuthnConfiguration"] = config
    return document


def get_user_pool_mfa_config(ctx: RequestContext) -> dict[str, Any]:
    """``GetUserPoolMfaConfig`` with ``WebAuthnConfiguration``."""
    document = pool_ops.get_user_pool_mfa_config(ctx)
    config = surface_of(ctx.state).webauthn_config(str(ctx.body.get("UserPoolId", "")))
    if config is not None:
        document["WebAuthnConfiguration"] = config
    return document


HANDLERS = {
    "GetUserAuthFactors": get_user_auth_factors,
    "AdminGetUserAuthFactors": admin_get_user_auth_factors,
    "AdminDeleteSoftwareToken": admin_delete_software_token,
    "SetUserMFAPreference": set_user_mfa_preference,
    "AdminSetUserMFAPreference": admin_set_user_mfa_preference,
    "SetUserPoolMfaConfig": set_user_pool_mfa_config,
    "GetUserPoolMfaConfig": get_user_pool_mfa_config,
}
