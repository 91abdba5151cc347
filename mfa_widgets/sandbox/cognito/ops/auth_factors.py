"""Auth factors and the TOTP reset.

* ``GetUserAuthFactors`` / ``AdminGetUserAuthFactors``: the stored MFA preference plus
  ``ConfiguredUserAuthFactors`` (:func:`~mfa_widgets.core.signin.configured_auth_factors`).
* ``AdminDeleteSoftwareToken``: removes the TOTP registration and any TOTP preference; other
  factors are untouched (service model: ``AdminDeleteSoftwareToken``).

Passkey MFA in ``(Admin)SetUserMFAPreference`` is :mod:`.preferences`'; the pool's
``WebAuthnConfiguration`` is :mod:`.pool`'.
"""

from __future__ import annotations

from typing import Any

from mfa_widgets.core.preferences import Factor, FactorState
from mfa_widgets.core.signin import (
    configured_auth_factors,
)
from mfa_widgets.sandbox.bridge.views import PoolView, UserView
from mfa_widgets.sandbox.cognito.context import RequestContext
from mfa_widgets.sandbox.cognito.signin.facts import choice_user
from mfa_widgets.sandbox.wire import WireError

__all__ = ["HANDLERS"]

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
    owner = ctx.caller
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
        raise WireError("UserNotConfirmedException", "User is not confirmed.")
    state = ctx.state.user(pool.id, user.id)
    with ctx.state.lock:
        state.totp_secret = None
        state.pending_secret = None
        state.totp_device_name = None
        if state.preference.totp is not FactorState.DISABLED:
            state.preference = state.preference.with_state(Factor.TOTP, FactorState.DISABLED)
    return {}


HANDLERS = {
    "GetUserAuthFactors": get_user_auth_factors,
    "AdminGetUserAuthFactors": admin_get_user_auth_factors,
    "AdminDeleteSoftwareToken": admin_delete_software_token,
}
