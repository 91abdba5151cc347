"""RespondToAuthChallenge / AdminRespondToAuthChallenge against the sandbox's own sessions.

A session is bound to its user, app client and challenge, expires after three minutes, and is
consumed once answered (moto lets one user's session issue another user's tokens). SMS and email
codes must equal the delivered code and are checked and consumed in one step; TOTP codes must
match the user's registered authenticator in a time step not used before. Wrong codes count
towards the user's lockout (:mod:`~mfa_widgets.sandbox.store.lockout`), across sessions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mfa_widgets.core.preferences import Factor, FactorState
from mfa_widgets.sandbox.bridge.moto_bridge import WRONG_PASSWORD
from mfa_widgets.sandbox.bridge.views import ClientView, PoolView, UserView
from mfa_widgets.sandbox.cognito.context import RequestContext
from mfa_widgets.sandbox.cognito.signin.initiate import check_password_claim, required
from mfa_widgets.sandbox.cognito.signin.mfa_stage import after_password, start_challenge
from mfa_widgets.sandbox.store.codes import CodeCheck
from mfa_widgets.sandbox.store.state import ChallengeSession
from mfa_widgets.sandbox.wire import (
    WireError,
    code_already_used,
    invalid_parameter,
    not_authorized,
)

__all__ = ["MAX_CODE_FAILURES", "admin_respond", "open_session_for", "respond"]

#: Wrong codes accepted in one session before it is closed (Cognito: five, then a lockout).
MAX_CODE_FAILURES = 5

INVALID_SESSION = "Invalid session for the user."
EXPIRED_SESSION = "Invalid session for the user, session is expired."
#: A session answered already (conformance case choice.email-otp-session-used-twice, recorded).
USED_SESSION = "Invalid session for the user, session can only be used once."
#: A wrong SMS or email code (conformance cases challenge.sms-mfa-wrong-code and
#: choice.email-otp-wrong-code, recorded from the real service).
MESSAGE_CODE_MISMATCH = "Invalid code or auth state for the user."
#: A wrong authenticator code (conformance case totp.wrong-code-at-sign-in: clients quote it).
TOTP_MISMATCH = "Invalid code received for user"


def open_session_for(
    ctx: RequestContext, session_id: object, client_id: object = None
) -> ChallengeSession:
    """The live session ``session_id`` (optionally checked against the app client)."""
    session = ctx.state.session(session_id) if isinstance(session_id, str) else None
    if session is None:
        used = isinstance(session_id, str) and ctx.state.was_used(session_id)
        raise not_authorized(USED_SESSION if used else INVALID_SESSION)
    if session.expires_at <= ctx.state.clock():
        ctx.state.close_session(session.session_id, used=False)
        raise not_authorized(EXPIRED_SESSION)
    if client_id is not None and client_id != session.client_id:
        raise not_authorized(INVALID_SESSION)
    return session


def respond(ctx: RequestContext) -> dict[str, Any]:
    """``RespondToAuthChallenge``."""
    return _respond(ctx, admin_pool_id=None)


def admin_respond(ctx: RequestContext) -> dict[str, Any]:
    """``AdminRespondToAuthChallenge``: same, and the pool must be the session's pool."""
    return _respond(ctx, admin_pool_id=str(ctx.body.get("UserPoolId", "")))


def _respond(ctx: RequestContext, admin_pool_id: str | None) -> dict[str, Any]:
    session = open_session_for(ctx, ctx.body.get("Session"), ctx.body.get("ClientId"))
    if admin_pool_id is not None and admin_pool_id != session.pool_id:
        ctx.bridge.pool(admin_pool_id)  # unknown pool -> ResourceNotFoundException
        raise not_authorized(INVALID_SESSION)
    if ctx.body.get("ChallengeName") != session.challenge:
        raise not_authorized(INVALID_SESSION)
    answers = ctx.body.get("ChallengeResponses") or {}
    pool = ctx.bridge.pool(session.pool_id)
    client = ctx.bridge.client_of(pool, session.client_id)
    user = ctx.bridge.user(pool, session.username)
    named = ctx.bridge.find_user(pool, required(answers, "USERNAME"))
    if named is None or named.id != user.id:  # the session is bound to its user
        raise not_authorized(INVALID_SESSION)
    ctx.bridge.check_secret_hash(client, session.username, answers.get("SECRET_HASH"))
    handler = _BY_CHALLENGE.get(session.challenge)
    if handler is None:
        raise invalid_parameter(f"Unsupported challenge {session.challenge}")
    return handler(_Reply(ctx, session, answers, pool, client, user))


@dataclass(frozen=True)
class _Reply:
    """One answer to a live session: the request, the session, and what it is bound to."""

    ctx: RequestContext
    session: ChallengeSession
    answers: dict[str, Any]
    pool: PoolView
    client: ClientView
    user: UserView

    @property
    def key(self) -> tuple[str, str]:
        """The user's key in the lockout and TOTP guards: pool id and ``sub``."""
        return (self.pool.id, self.user.id)

    def close(self) -> None:
        """Consume the session: it answers once (a racing second answer is refused)."""
        if not self.ctx.state.close_session(self.session.session_id):
            raise not_authorized(INVALID_SESSION)

    def issue_tokens(self, consumed: bool = False) -> dict[str, Any]:
        """Consume the session (unless ``consumed`` already) and sign the user in.

        Their failure count resets.
        """
        if not consumed:
            self.close()
        self.ctx.state.lockout.success(self.key)
        return self.ctx.bridge.issue_tokens(self.pool, self.client, self.user.username)

    def challenge(self, name: str, setup_stage: str = "") -> dict[str, Any]:
        """The session is consumed and challenge ``name`` follows."""
        self.close()
        return start_challenge(
            self.ctx, self.pool, self.client.id, self.user, name, setup_stage=setup_stage
        )

    def after_password(self) -> dict[str, Any]:
        """The session is consumed and the MFA stage follows the password."""
        self.close()
        return after_password(self.ctx, self.pool, self.client, self.user)


Answer = Callable[[_Reply], dict[str, Any]]


def _message_code(reply: _Reply) -> dict[str, Any]:
    """SMS_MFA / EMAIL_OTP: the delivered code, once."""
    session = reply.session
    code = required(reply.answers, f"{session.challenge}_CODE")
    reply.ctx.state.lockout.check(reply.key)
    _check_code(
        reply, reply.ctx.state.consume_code(session.session_id, code), MESSAGE_CODE_MISMATCH
    )
    channel_attribute = "phone_number" if session.challenge == "SMS_MFA" else "email"
    # A delivered code proves the address: Cognito marks it verified.
    reply.ctx.bridge.set_attributes(
        reply.pool, reply.user, **{f"{channel_attribute}_verified": "true"}
    )
    if session.setup_stage == "email":
        _enable_factor(reply, Factor.EMAIL)
    return reply.issue_tokens(consumed=True)  # consume_code closed the session


def _software_token_code(reply: _Reply) -> dict[str, Any]:
    """SOFTWARE_TOKEN_MFA: a current code of the registered authenticator."""
    code = required(reply.answers, "SOFTWARE_TOKEN_MFA_CODE")
    reply.ctx.state.lockout.check(reply.key)
    secret = reply.ctx.state.user(reply.pool.id, reply.user.id).totp_secret
    found = (
        CodeCheck.MISMATCH
        if secret is None
        else reply.ctx.state.totp_steps.check(reply.key, secret, code)
    )
    if found == CodeCheck.USED:  # conformance case totp.reused-code-at-sign-in (recorded)
        raise code_already_used()
    _check_code(reply, found == CodeCheck.OK, TOTP_MISMATCH)
    return reply.issue_tokens()


def _check_code(reply: _Reply, matches: bool, message: str) -> None:
    if matches:
        return
    reply.ctx.state.lockout.failure(reply.key)
    failed = reply.ctx.state.record_failure(reply.session)
    if failed.failures >= MAX_CODE_FAILURES:
        reply.ctx.state.close_session(reply.session.session_id)
        raise not_authorized("Password attempts exceeded")
    raise WireError("CodeMismatchException", message)


def _select_mfa_type(reply: _Reply) -> dict[str, Any]:
    """SELECT_MFA_TYPE: ``ANSWER`` names one of ``MFAS_CAN_CHOOSE``; that challenge follows."""
    answer = required(reply.answers, "ANSWER")
    if answer not in reply.session.options:
        raise invalid_parameter(f"ANSWER must be one of {', '.join(reply.session.options)}")
    return reply.challenge(answer)


def _mfa_setup(reply: _Reply) -> dict[str, Any]:
    """MFA_SETUP: finished by VerifySoftwareToken(Session=...), or by an EMAIL address answer."""
    email = reply.answers.get("EMAIL") or reply.answers.get("email")
    if email and Factor.EMAIL.api_name in reply.session.options:
        if "@" not in str(email):
            raise invalid_parameter("Invalid email address format.")
        reply.ctx.bridge.set_attributes(reply.pool, reply.user, email=str(email))
        return reply.challenge(Factor.EMAIL.api_name, setup_stage="email")
    if reply.session.setup_stage != "verified":
        raise invalid_parameter(
            "MFA setup is not complete: call AssociateSoftwareToken and VerifySoftwareToken "
            "with this session first"
        )
    return reply.issue_tokens()


def _new_password(reply: _Reply) -> dict[str, Any]:
    """NEW_PASSWORD_REQUIRED: store the new password, then the MFA stage."""
    reply.ctx.bridge.set_new_password(
        reply.pool, reply.user, required(reply.answers, "NEW_PASSWORD")
    )
    return reply.after_password()


def _password_verifier(reply: _Reply) -> dict[str, Any]:
    """PASSWORD_VERIFIER (SRP): the claim must prove the password (a wrong one counts as one)."""
    for name in ("PASSWORD_CLAIM_SIGNATURE", "PASSWORD_CLAIM_SECRET_BLOCK", "TIMESTAMP"):
        required(reply.answers, name)
    reply.ctx.state.lockout.check(reply.key)  # a locked-out user cannot sign in by SRP either
    if not check_password_claim(
        reply.ctx, reply.session.session_id, reply.pool, reply.user, reply.answers
    ):
        reply.ctx.state.lockout.failure(reply.key)
        raise not_authorized(WRONG_PASSWORD)
    if reply.ctx.bridge.must_change_password(reply.user):
        return reply.challenge("NEW_PASSWORD_REQUIRED")
    return reply.after_password()


def _enable_factor(reply: _Reply, factor: Factor) -> None:
    state = reply.ctx.state.user(reply.pool.id, reply.user.id)
    with reply.ctx.state.lock:
        if state.preference.state(factor) is FactorState.DISABLED:
            state.preference = state.preference.with_state(factor, FactorState.ENABLED)


_BY_CHALLENGE: dict[str, Answer] = {
    "SMS_MFA": _message_code,
    "EMAIL_OTP": _message_code,
    "SOFTWARE_TOKEN_MFA": _software_token_code,
    "SELECT_MFA_TYPE": _select_mfa_type,
    "MFA_SETUP": _mfa_setup,
    "NEW_PASSWORD_REQUIRED": _new_password,
    "PASSWORD_VERIFIER": _password_verifier,
}
