"""AssociateSoftwareToken / VerifySoftwareToken with a real per-user TOTP secret.

Both accept an access token, or the ``Session`` of an ``MFA_SETUP`` challenge (each step then
returns a new session, and the setup can only finish after a verified code).

Re-association: a new AssociateSoftwareToken replaces the pending secret **and** discards the
registered authenticator until the new one is verified, as users report for Cognito
(``cognito-mfa-semantics.md`` §3.3, amplify-js#3844): the old codes stop working, GetUser may
still list TOTP, and sign-in falls back to the other factors meanwhile.
"""

from __future__ import annotations

from typing import Any

from mfa_widgets.core.preferences import Factor
from mfa_widgets.core.totp import new_secret
from mfa_widgets.sandbox.cognito.context import RequestContext
from mfa_widgets.sandbox.cognito.signin.respond import open_session_for
from mfa_widgets.sandbox.store.state import ChallengeSession, UserMfaState
from mfa_widgets.sandbox.wire import WireError, invalid_parameter, not_authorized

__all__ = ["HANDLERS", "associate_software_token", "verify_software_token"]


Caller = tuple[UserMfaState, ChallengeSession | None, tuple[str, str]]


def _caller(ctx: RequestContext) -> Caller:
    """The caller's MFA state, its MFA_SETUP session if any, and its key (pool id, ``sub``)."""
    token, session_id = ctx.body.get("AccessToken"), ctx.body.get("Session")
    if token and session_id:
        raise invalid_parameter("Only one of AccessToken or Session can be provided")
    if token:
        owner = ctx.caller
        key = (owner.pool.id, owner.user.id)
        return ctx.state.user(*key), None, key
    if not session_id:
        raise invalid_parameter("Either AccessToken or Session must be provided")
    session = open_session_for(ctx, session_id)
    if session.challenge != "MFA_SETUP" or Factor.TOTP.api_name not in session.options:
        raise not_authorized("Invalid session for the user.")
    pool = ctx.bridge.pool(session.pool_id)
    user = ctx.bridge.user(pool, session.username)
    return ctx.state.user(pool.id, user.id), session, (pool.id, user.id)


def associate_software_token(ctx: RequestContext) -> dict[str, Any]:
    """Start a new authenticator: a fresh 160-bit secret, pending until verified."""
    state, session, _ = _caller(ctx)
    secret = new_secret()
    with ctx.state.lock:
        state.pending_secret = secret
        state.totp_secret = None
    response: dict[str, Any] = {"SecretCode": secret}
    if session is not None:
        response["Session"] = ctx.state.advance_session(
            session, setup_stage="associated"
        ).session_id
    return response


def verify_software_token(ctx: RequestContext) -> dict[str, Any]:
    """Register the pending authenticator when ``UserCode`` is one of its current codes."""
    state, session, key = _caller(ctx)
    pending = state.pending_secret
    if pending is None:
        raise WireError(
            "SoftwareTokenMFANotFoundException", "Software Token MFA has not been associated."
        )
    if not ctx.state.totp_steps.accept(key, pending, ctx.body.get("UserCode")):
        raise WireError(
            "EnableSoftwareTokenMFAException", "Code mismatch and fail enable Software Token MFA"
        )
    name = ctx.body.get("FriendlyDeviceName")
    with ctx.state.lock:
        state.totp_secret, state.pending_secret = pending, None
        state.totp_device_name = name if isinstance(name, str) and name else None
    response: dict[str, Any] = {"Status": "SUCCESS"}
    if session is not None:
        response["Session"] = ctx.state.advance_session(session, setup_stage="verified").session_id
    return response


HANDLERS = {
    "AssociateSoftwareToken": associate_software_token,
    "VerifySoftwareToken": verify_software_token,
}
