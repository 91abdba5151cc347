"""AdminDeleteUser / DeleteUser: the user goes, and with them every token and guard they had.

moto deletes the user but keeps their tokens keyed by username, so a new user created with the
same name inherited them. Here deleting revokes the user's access, ID and refresh tokens and
drops the sandbox's MFA state, lockout count and codes held for them (keyed by ``sub``).
"""

from __future__ import annotations

from typing import Any

from mfa_widgets.sandbox.bridge.views import PoolView, UserView
from mfa_widgets.sandbox.cognito.context import RequestContext

__all__ = ["HANDLERS"]


def admin_delete_user(ctx: RequestContext) -> dict[str, Any]:
    """``AdminDeleteUser`` (IAM)."""
    pool = ctx.bridge.pool(str(ctx.body.get("UserPoolId", "")))
    user = ctx.bridge.user(pool, str(ctx.body.get("Username", "")))
    _delete(ctx, pool, user)
    return {}


def delete_user(ctx: RequestContext) -> dict[str, Any]:
    """``DeleteUser`` (the token's owner deletes themselves)."""
    owner = ctx.caller
    _delete(ctx, owner.pool, owner.user)
    return {}


def _delete(ctx: RequestContext, pool: PoolView, user: UserView) -> None:
    ctx.bridge.delete_user(pool, user)
    ctx.state.forget_user(pool.id, user.id)


HANDLERS = {"AdminDeleteUser": admin_delete_user, "DeleteUser": delete_user}
