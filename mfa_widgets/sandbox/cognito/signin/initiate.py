"""InitiateAuth / AdminInitiateAuth for the password flows, with the documented MFA stage.

Handled here: ``USER_PASSWORD_AUTH``, ``USER_SRP_AUTH`` (answered with ``PASSWORD_VERIFIER``),
``ADMIN_USER_PASSWORD_AUTH``, ``ADMIN_NO_SRP_AUTH`` and ``REFRESH_TOKEN(_AUTH)``. Other flows
(custom auth, choice-based ``USER_AUTH``) are refused as not emulated; nothing goes to moto.
"""

from __future__ import annotations

import secrets
from typing import Any

from mfa_widgets.sandbox.bridge.moto_bridge import WRONG_PASSWORD
from mfa_widgets.sandbox.bridge.views import ClientView, PoolView, UserView
from mfa_widgets.sandbox.cognito.context import RequestContext
from mfa_widgets.sandbox.cognito.signin.mfa_stage import after_password, start_challenge
from mfa_widgets.sandbox.cognito.signin.srp import ServerSrp, password_verifier, remember, take
from mfa_widgets.sandbox.wire import WireError, invalid_parameter, not_authorized

__all__ = ["admin_initiate_auth", "initiate_auth", "required"]

#: AuthFlow -> the ExplicitAuthFlows entries (current and legacy) that allow it.
_ALLOWED_BY = {
    "USER_PASSWORD_AUTH": {"ALLOW_USER_PASSWORD_AUTH", "USER_PASSWORD_AUTH"},
    "USER_SRP_AUTH": {"ALLOW_USER_SRP_AUTH"},
    "ADMIN_USER_PASSWORD_AUTH": {"ALLOW_ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"},
    "ADMIN_NO_SRP_AUTH": {"ALLOW_ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"},
}


def required(parameters: dict[str, Any], name: str) -> str:
    """``parameters[name]`` as a non-empty string, else Cognito's "Missing required parameter"."""
    value = parameters.get(name)
    if not isinstance(value, str) or not value:
        raise invalid_parameter(f"Missing required parameter {name}")
    return value


_REFRESH_FLOWS = {"REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"}
INVALID_REFRESH = "Invalid Refresh Token"


def initiate_auth(ctx: RequestContext) -> dict[str, Any]:
    """``InitiateAuth``: the app client names the pool."""
    flow = str(ctx.body.get("AuthFlow", ""))
    _check_flow_served(flow, {"USER_PASSWORD_AUTH", "USER_SRP_AUTH"})
    pool, client = ctx.bridge.find_client(str(ctx.body.get("ClientId", "")))
    if flow in _REFRESH_FLOWS:
        return _refresh(ctx, pool, client)
    return _sign_in(ctx, pool, client, flow)


def admin_initiate_auth(ctx: RequestContext) -> dict[str, Any]:
    """``AdminInitiateAuth``: pool and app client are both named."""
    flow = str(ctx.body.get("AuthFlow", ""))
    _check_flow_served(flow, {"ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"})
    pool = ctx.bridge.pool(str(ctx.body.get("UserPoolId", "")))
    client = ctx.bridge.client_of(pool, str(ctx.body.get("ClientId", "")))
    if flow in _REFRESH_FLOWS:
        return _refresh(ctx, pool, client)
    return _sign_in(ctx, pool, client, flow)


def _check_flow_served(flow: str, password_flows: set[str]) -> None:
    if flow not in password_flows | _REFRESH_FLOWS:
        raise WireError(
            "UnsupportedOperationException",
            f"AuthFlow {flow} is not emulated by the local Cognito sandbox; use "
            f"{', '.join(sorted(password_flows | _REFRESH_FLOWS))}.",
        )


def _refresh(ctx: RequestContext, pool: PoolView, client: ClientView) -> dict[str, Any]:
    """New access and ID tokens for a refresh token this client was issued (and not revoked)."""
    parameters = ctx.body.get("AuthParameters") or {}
    token = required(parameters, "REFRESH_TOKEN")
    owner = ctx.bridge.refresh_token_owner(pool, token)
    if owner is None or owner[0] != client.id:
        raise not_authorized(INVALID_REFRESH)
    user = ctx.bridge.find_user(pool, owner[1])
    if user is None:
        raise not_authorized(INVALID_REFRESH)
    if not user.enabled:
        raise not_authorized("User is disabled.")
    ctx.bridge.check_secret_hash(client, user.username, parameters.get("SECRET_HASH"))
    return ctx.bridge.refresh_tokens(pool, token)


def _sign_in(ctx: RequestContext, pool: PoolView, client: ClientView, flow: str) -> dict[str, Any]:
    _check_flow_enabled(client, flow)
    parameters = ctx.body.get("AuthParameters") or {}
    username = required(parameters, "USERNAME")
    user = ctx.bridge.find_user(pool, username)
    if user is None:
        if client.prevent_user_existence_errors:
            raise not_authorized("Incorrect username or password.")
        raise WireError("UserNotFoundException", "User does not exist.")
    ctx.bridge.check_secret_hash(client, username, parameters.get("SECRET_HASH"))
    if flow == "USER_SRP_AUTH":
        return _password_verifier(ctx, pool, client, user, required(parameters, "SRP_A"))
    password = required(parameters, "PASSWORD")
    key = (pool.id, user.id)
    ctx.state.lockout.check(key)
    try:
        ctx.bridge.check_password(pool, user, password)
    except WireError as error:
        if error.message == WRONG_PASSWORD:
            ctx.state.lockout.failure(key)
        raise
    if ctx.bridge.must_change_password(user):
        return start_challenge(ctx, pool, client.id, user, "NEW_PASSWORD_REQUIRED")
    return after_password(ctx, pool, client, user)


def _check_flow_enabled(client: ClientView, flow: str) -> None:
    """Refuse a flow the app client does not allow (only when ExplicitAuthFlows is set)."""
    allowed = client.explicit_auth_flows
    if allowed and not _ALLOWED_BY[flow] & set(allowed):
        raise invalid_parameter(f"{flow} flow not enabled for this client")


def _password_verifier(
    ctx: RequestContext, pool: PoolView, client: ClientView, user: UserView, srp_a: str
) -> dict[str, Any]:
    """The SRP ``PASSWORD_VERIFIER`` challenge; the answer's proof is checked (sandbox.srp)."""
    salt = secrets.token_hex(16)
    verifier = password_verifier(pool.id, user.username, ctx.bridge.password_of(pool, user), salt)
    try:
        server = ServerSrp(verifier, salt, srp_a)
    except ValueError as error:
        raise invalid_parameter(f"SRP_A: {error}") from None
    response = start_challenge(ctx, pool, client.id, user, "PASSWORD_VERIFIER")
    remember(ctx.state, response["Session"], server)
    response["ChallengeParameters"] = {
        **server.parameters,
        "USER_ID_FOR_SRP": user.username,
        "USERNAME": user.username,
    }
    return response


def check_password_claim(
    ctx: RequestContext,
    session_id: str,
    pool: PoolView,
    user: UserView,
    answers: dict[str, Any],
    *,
    keep: bool = False,
) -> bool:
    """Whether a ``PASSWORD_VERIFIER`` answer proves the password (used up unless ``keep``)."""
    server = take(ctx.state, session_id, keep=keep)
    suffix = pool.id.split("_", 1)[1]
    return server is not None and server.check(suffix, user.username, answers)
