"""Access-token checks for every token-authorized operation, as Cognito makes them.

moto only checks that the token is a key of a dict; Cognito also refuses expired tokens, tokens
without the ``aws.cognito.signin.user.admin`` scope, ID tokens and anything it did not issue.
Messages are Cognito's and never contain the token.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from mfa_widgets.core.tokens import inspect_token
from mfa_widgets.sandbox.bridge.moto_bridge import ADMIN_SCOPE, MotoBridge
from mfa_widgets.sandbox.bridge.views import PoolView, UserView
from mfa_widgets.sandbox.wire import WireError, not_authorized

__all__ = ["TokenOwner", "authorize"]

INVALID = "Invalid Access Token"
EXPIRED = "Access Token has expired"
NO_SCOPE = "Access Token does not have required scopes"


@dataclass(frozen=True)
class TokenOwner:
    """The pool, app client id and user an access token belongs to."""

    pool: PoolView
    client_id: str
    user: UserView


def authorize(bridge: MotoBridge, token: object, now: float | None = None) -> TokenOwner:
    """Check ``token`` as Cognito does and return who it belongs to.

    Raises
    ------
    WireError
        ``NotAuthorizedException`` with "Invalid Access Token" (unknown, revoked, garbage or an
        ID token), "Access Token has expired" or "Access Token does not have required scopes";
        ``NotAuthorizedException: User is disabled.`` for a disabled user.
    """
    if not isinstance(token, str) or not token:
        raise not_authorized(INVALID)
    info = inspect_token(token)
    if info.token_use != "access" or not info.user_pool_id:  # noqa: S105 - a claim value
        raise not_authorized(INVALID)
    try:
        pool = bridge.pool(info.user_pool_id)
    except WireError:
        raise not_authorized(INVALID) from None
    registered = bridge.access_token_owner(pool, token)
    if registered is None:  # not issued here, or revoked by GlobalSignOut
        raise not_authorized(INVALID)
    if info.exp is None or info.exp <= (time.time() if now is None else now):
        raise not_authorized(EXPIRED)
    if ADMIN_SCOPE not in info.scope:
        raise not_authorized(NO_SCOPE)
    client_id, username = registered
    user = bridge.find_user(pool, username)
    if user is None:
        raise WireError("UserNotFoundException", "User does not exist.")
    if info.sub != user.id:  # issued to an earlier user of the same name
        raise not_authorized(INVALID)
    if not user.enabled:
        raise not_authorized("User is disabled.")
    return TokenOwner(pool=pool, client_id=client_id, user=user)
