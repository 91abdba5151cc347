"""ForgotPassword / ConfirmForgotPassword: reset codes the sandbox sends and checks.

moto resets the password for any made-up code (and in ``admin_only`` pools too). Here:

* ``ForgotPassword`` follows the pool's account-recovery mechanisms in priority order: an
  ``admin_only`` pool refuses ("Contact administrator to reset password."); otherwise the code
  goes to the first verified channel (``verified_email`` / ``verified_phone_number``) through the
  outbox, valid for one hour; a new request replaces the previous code.
* ``ConfirmForgotPassword`` checks and consumes the code in one step; a wrong code is
  ``CodeMismatchException`` and counts towards the user's lockout, an old one is
  ``ExpiredCodeException``. The new password must meet the pool's policy.
"""

from __future__ import annotations

from typing import Any

from mfa_widgets.sandbox.bridge.views import ClientView, PoolView, UserView
from mfa_widgets.sandbox.cognito.context import RequestContext
from mfa_widgets.sandbox.store.codes import CodeCheck
from mfa_widgets.sandbox.store.outbox import Delivery, mask_destination
from mfa_widgets.sandbox.wire import WireError, invalid_parameter, not_authorized

__all__ = ["HANDLERS"]

ADMIN_ONLY = "Contact administrator to reset password."
NO_CHANNEL = (
    "Cannot reset password for the user as there is no registered/verified email or phone_number"
)
#: recovery mechanism -> (delivery channel, address attribute)
_CHANNELS = {
    "verified_email": ("EMAIL", "email"),
    "verified_phone_number": ("SMS", "phone_number"),
}


def _pool_user(ctx: RequestContext) -> tuple[PoolView, ClientView, UserView]:
    pool, client = ctx.bridge.find_client(str(ctx.body.get("ClientId", "")))
    username = str(ctx.body.get("Username", ""))
    user = ctx.bridge.find_user(pool, username)
    if user is None:
        raise WireError("UserNotFoundException", "Username/client id combination not found.")
    ctx.bridge.check_secret_hash(client, username, ctx.body.get("SecretHash"))
    return pool, client, user


def forgot_password(ctx: RequestContext) -> dict[str, Any]:
    """``ForgotPassword``: send a reset code by the pool's recovery channel."""
    pool, _, user = _pool_user(ctx)
    for mechanism in ctx.bridge.recovery_mechanisms(pool):
        if mechanism == "admin_only":
            raise not_authorized(ADMIN_ONLY)
        channel, attribute = _CHANNELS.get(mechanism, ("", ""))
        address = ctx.bridge.attribute(user, attribute) if attribute else None
        if address and ctx.bridge.attribute(user, f"{attribute}_verified") == "true":
            break
    else:
        raise invalid_parameter(NO_CHANNEL)
    code = ctx.state.reset_codes.issue((pool.id, user.id))
    destination = mask_destination(channel, address)
    ctx.outbox.deliver(
        Delivery(user.username, channel, destination, code, pool.id, user_id=user.id)
    )
    return {
        "CodeDeliveryDetails": {
            "Destination": destination,
            "DeliveryMedium": channel,
            "AttributeName": attribute,
        }
    }


def confirm_forgot_password(ctx: RequestContext) -> dict[str, Any]:
    """``ConfirmForgotPassword``: the code sent, once, and a new password meeting the policy."""
    pool, _, user = _pool_user(ctx)
    key = (pool.id, user.id)
    ctx.state.lockout.check(key)
    password = str(ctx.body.get("Password", ""))
    ctx.bridge.check_password_policy(pool, password)
    outcome = ctx.state.reset_codes.consume(key, ctx.body.get("ConfirmationCode"))
    if outcome == CodeCheck.EXPIRED:
        raise WireError(
            "ExpiredCodeException", "Invalid code provided, please request a code again."
        )
    if outcome != CodeCheck.OK:
        ctx.state.lockout.failure(key)
        raise WireError(
            "CodeMismatchException", "Invalid verification code provided, please try again."
        )
    ctx.bridge.set_new_password(pool, user, password)
    return {}


HANDLERS = {"ForgotPassword": forgot_password, "ConfirmForgotPassword": confirm_forgot_password}
