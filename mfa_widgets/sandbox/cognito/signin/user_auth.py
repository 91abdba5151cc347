"""Choice-based sign-in (``USER_AUTH``) and the auth-event record of every sign-in.

``InitiateAuth``/``AdminInitiateAuth`` with ``AuthFlow=USER_AUTH`` are decided by
:func:`mfa_widgets.core.user_auth.predict_user_auth` (the one copy of the rules): an error,
``SELECT_CHALLENGE`` with ``AvailableChallenges``, or the preferred first factor. The answers
(``RespondToAuthChallenge``) follow the service model's ``ChallengeResponses`` documentation:

* ``SELECT_CHALLENGE``: ``ANSWER`` plus, for ``PASSWORD``/``PASSWORD_SRP``, ``PASSWORD``/``SRP_A``
  in the same response; ``EMAIL_OTP``/``SMS_OTP`` send a code; ``WEB_AUTHN`` answers with the
  ``WEB_AUTHN`` challenge carrying ``CREDENTIAL_REQUEST_OPTIONS`` (inferred: the model's example
  completes a passkey inside ``SELECT_CHALLENGE``, which needs options the client does not have
  yet).
* ``PASSWORD`` (``PASSWORD``), ``SMS_OTP`` (``SMS_OTP_CODE``), ``EMAIL_OTP`` (``EMAIL_OTP_CODE``),
  ``WEB_AUTHN`` (``CREDENTIAL``, verified with ``webauthn``).

After a password the MFA stage is the sandbox's own (``mfa_stage.after_password``); a passwordless
first factor ends in tokens. The first-factor ``EMAIL_OTP`` is answered by the sandbox's existing
``EMAIL_OTP`` code check, ``SMS_OTP`` by its SMS code check (same codes, lockout and messages).

Every sign-in answered here or by the password flows is recorded for ``AdminListUserAuthEvents``
(``Pass``/``Fail`` with ``Password``/``Mfa`` ``Success``/``Failure``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mfa_widgets.core.challenges import Outcome
from mfa_widgets.core.errors import MfaPreferenceError
from mfa_widgets.core.user_auth import predict_user_auth
from mfa_widgets.sandbox.bridge.views import ClientView, PoolView, UserView
from mfa_widgets.sandbox.cognito.context import MotoResponse, RequestContext
from mfa_widgets.sandbox.cognito.signin import initiate as signin_ops
from mfa_widgets.sandbox.cognito.signin import respond as respond_ops
from mfa_widgets.sandbox.cognito.signin.devices import (
    answer_device_challenge,
    device_challenge,
    with_new_device,
)
from mfa_widgets.sandbox.cognito.signin.facts import choice_pool, choice_user
from mfa_widgets.sandbox.cognito.signin.mfa_stage import after_password, start_challenge
from mfa_widgets.sandbox.cognito.signin.srp import take
from mfa_widgets.sandbox.cognito.signin.webauthn import assertion_options, verify_assertion
from mfa_widgets.sandbox.store.state import ChallengeSession
from mfa_widgets.sandbox.store.surface import AuthEvent, FlowSession, now_utc, page_of, surface_of
from mfa_widgets.sandbox.wire import WireError, invalid_parameter, not_authorized

__all__ = ["HANDLERS"]

_OURS = frozenset(
    {
        "USER_AUTH",
        "USER_PASSWORD_AUTH",
        "USER_SRP_AUTH",
        "ADMIN_USER_PASSWORD_AUTH",
        "ADMIN_NO_SRP_AUTH",
    }
)
_PASSWORD_FLOWS = frozenset({"USER_PASSWORD_AUTH", "ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"})
_PASSWORDLESS = frozenset({"EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"})
_CODE_ERRORS = frozenset({"CodeMismatchException", "NotAuthorizedException"})
_MFA_CHALLENGES = frozenset({"SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP", "SELECT_MFA_TYPE"})


# -- InitiateAuth ------------------------------------------------------------------------------


def initiate_auth(ctx: RequestContext) -> dict[str, Any] | MotoResponse:
    """``InitiateAuth``: USER_AUTH here, the password flows as before (and recorded)."""
    if ctx.body.get("AuthFlow") not in _OURS:
        return signin_ops.initiate_auth(ctx)  # refresh tokens, custom auth: as before
    pool, client = ctx.bridge.find_client(str(ctx.body.get("ClientId", "")))
    return _recorded_initiate(ctx, pool, lambda: _initiate(ctx, pool, client, admin=False))


def admin_initiate_auth(ctx: RequestContext) -> dict[str, Any] | MotoResponse:
    """``AdminInitiateAuth``: same, with the pool named."""
    if ctx.body.get("AuthFlow") not in _OURS:
        return signin_ops.admin_initiate_auth(ctx)
    pool = ctx.bridge.pool(str(ctx.body.get("UserPoolId", "")))
    client = ctx.bridge.client_of(pool, str(ctx.body.get("ClientId", "")))
    return _recorded_initiate(ctx, pool, lambda: _initiate(ctx, pool, client, admin=True))


def _initiate(
    ctx: RequestContext, pool: PoolView, client: ClientView, admin: bool
) -> dict[str, Any]:
    flow = str(ctx.body.get("AuthFlow", ""))
    if flow == "USER_AUTH":
        return _user_auth(ctx, pool, client)
    parameters = ctx.body.get("AuthParameters") or {}
    device_key = parameters.get("DEVICE_KEY")
    user = ctx.bridge.find_user(pool, str(parameters.get("USERNAME") or ""))
    if device_key and user is not None and flow in _PASSWORD_FLOWS:
        # The password flow's own checks first, then a remembered device may replace MFA.
        signin_ops._check_flow_enabled(client, flow)
        ctx.bridge.check_secret_hash(client, user.username, parameters.get("SECRET_HASH"))
        ctx.bridge.check_password(pool, user, signin_ops.required(parameters, "PASSWORD"))
        if not ctx.bridge.must_change_password(user):
            device = device_challenge(ctx, pool, client.id, user, device_key)
            if device is not None:
                return device
    answer = (signin_ops.admin_initiate_auth if admin else signin_ops.initiate_auth)(ctx)
    assert isinstance(answer, dict)  # the flows in _OURS are answered by the sandbox
    return answer


def _user_auth(ctx: RequestContext, pool: PoolView, client: ClientView) -> dict[str, Any]:
    allowed = client.explicit_auth_flows
    if allowed and "ALLOW_USER_AUTH" not in allowed:
        raise invalid_parameter("USER_AUTH flow not enabled for this client")
    parameters = ctx.body.get("AuthParameters") or {}
    username = signin_ops.required(parameters, "USERNAME")
    user = ctx.bridge.find_user(pool, username)
    if user is None:
        if client.prevent_user_existence_errors:
            raise not_authorized("Incorrect username or password.")
        raise WireError("UserNotFoundException", "User does not exist.")
    ctx.bridge.check_secret_hash(client, username, parameters.get("SECRET_HASH"))
    try:
        prediction = predict_user_auth(
            choice_pool(ctx, pool),
            choice_user(ctx, pool, user),
            parameters.get("PREFERRED_CHALLENGE"),
        )
    except MfaPreferenceError as error:
        raise invalid_parameter(str(error)) from None
    first = prediction.initiate
    if first.outcome is Outcome.ERROR:
        raise WireError(str(first.error_code), str(first.error_message))
    if prediction.chosen is None:
        session = ctx.state.open_session(
            pool_id=pool.id,
            client_id=client.id,
            username=user.username,
            challenge="SELECT_CHALLENGE",
            options=prediction.available,
        )
        surface_of(ctx.state).mark_flow(session.session_id, FlowSession())
        return {
            "ChallengeName": "SELECT_CHALLENGE",
            "Session": session.session_id,
            "ChallengeParameters": {},
            "AvailableChallenges": list(prediction.available),
        }
    return _start_factor(ctx, pool, client, user, prediction.chosen, parameters)


def _start_factor(
    ctx: RequestContext,
    pool: PoolView,
    client: ClientView,
    user: UserView,
    factor: str,
    answers: dict[str, Any],
) -> dict[str, Any]:
    """Go to first factor ``factor`` (its own parameters may come with the request)."""
    if factor == "PASSWORD":
        password = answers.get("PASSWORD")
        if not password:
            return _flow_challenge(ctx, pool, client, user, "PASSWORD", FlowSession("PASSWORD"))
        return _after_password_check(ctx, pool, client, user, str(password))
    if factor == "PASSWORD_SRP":
        srp_a = signin_ops.required(answers, "SRP_A")
        return signin_ops._password_verifier(ctx, pool, client, user, srp_a)
    if factor == "EMAIL_OTP":
        # The code check is the sandbox's EMAIL_OTP one; the mark keeps it a first factor.
        response = start_challenge(ctx, pool, client.id, user, "EMAIL_OTP")
        surface_of(ctx.state).mark_flow(response["Session"], FlowSession("EMAIL_OTP"))
        return response
    if factor == "SMS_OTP":
        # The SMS code and its checks are the sandbox's SMS_MFA ones; only the name differs.
        response = start_challenge(ctx, pool, client.id, user, "SMS_MFA")
        surface_of(ctx.state).mark_flow(response["Session"], FlowSession("SMS_OTP"))
        return {**response, "ChallengeName": "SMS_OTP"}
    challenge, options = assertion_options(ctx, pool, user)
    response = _flow_challenge(
        ctx, pool, client, user, "WEB_AUTHN", FlowSession("WEB_AUTHN", challenge)
    )
    response["ChallengeParameters"] = {"CREDENTIAL_REQUEST_OPTIONS": options}
    return response


def _flow_challenge(
    ctx: RequestContext,
    pool: PoolView,
    client: ClientView,
    user: UserView,
    name: str,
    flow: FlowSession,
) -> dict[str, Any]:
    session = ctx.state.open_session(
        pool_id=pool.id, client_id=client.id, username=user.username, challenge=name
    )
    surface_of(ctx.state).mark_flow(session.session_id, flow)
    return {"ChallengeName": name, "Session": session.session_id, "ChallengeParameters": {}}


def _after_password_check(
    ctx: RequestContext, pool: PoolView, client: ClientView, user: UserView, password: str
) -> dict[str, Any]:
    ctx.bridge.check_password(pool, user, password)
    if ctx.bridge.must_change_password(user):
        return start_challenge(ctx, pool, client.id, user, "NEW_PASSWORD_REQUIRED")
    return after_password(ctx, pool, client, user)


# -- RespondToAuthChallenge ----------------------------------------------------------------------


def respond(ctx: RequestContext) -> dict[str, Any]:
    """``RespondToAuthChallenge``: USER_AUTH steps here, the others as before (and recorded)."""
    return _recorded_respond(ctx, admin_pool_id=None)


def admin_respond(ctx: RequestContext) -> dict[str, Any]:
    """``AdminRespondToAuthChallenge``."""
    return _recorded_respond(ctx, admin_pool_id=str(ctx.body.get("UserPoolId", "")))


def _answer(ctx: RequestContext, admin_pool_id: str | None) -> dict[str, Any]:
    surface = surface_of(ctx.state)
    session_id = ctx.body.get("Session")
    flow = surface.flow(session_id)
    delegate = respond_ops.respond if admin_pool_id is None else respond_ops.admin_respond
    if flow is None:
        device = _srp_with_device(ctx, admin_pool_id)
        return device if device is not None else delegate(ctx)
    if flow.first_factor == "EMAIL_OTP":
        result = delegate(ctx)
        surface.end_flow(str(session_id))
        return result
    if flow.first_factor == "SMS_OTP":
        if ctx.body.get("ChallengeName") != "SMS_OTP":
            raise not_authorized(respond_ops.INVALID_SESSION)
        answers = dict(ctx.body.get("ChallengeResponses") or {})
        answers["SMS_MFA_CODE"] = answers.pop("SMS_OTP_CODE", None)
        ctx.body = {**ctx.body, "ChallengeName": "SMS_MFA", "ChallengeResponses": answers}
        result = delegate(ctx)
        surface.end_flow(str(session_id))
        return result
    session, pool, client, user, answers = _bound(ctx, admin_pool_id)
    if flow.first_factor == "DEVICE":
        return answer_device_challenge(ctx, session, flow, pool, client, user, answers)
    if session.challenge == "WEB_AUTHN":
        verify_assertion(ctx, pool, user, answers.get("CREDENTIAL"), flow.challenge or b"")
        _close(ctx, session.session_id)
        return ctx.bridge.issue_tokens(pool, client, session.username)
    if session.challenge == "PASSWORD":
        result = _after_password_check(
            ctx, pool, client, user, signin_ops.required(answers, "PASSWORD")
        )
        _close(ctx, session.session_id)
        return result
    choice = signin_ops.required(answers, "ANSWER")
    if choice not in session.options:
        raise invalid_parameter(f"ANSWER must be one of {', '.join(session.options)}")
    result = _start_factor(ctx, pool, client, user, choice, answers)
    _close(ctx, session.session_id)
    return result


def _bound(
    ctx: RequestContext, admin_pool_id: str | None
) -> tuple[ChallengeSession, Any, Any, Any, dict[str, Any]]:
    """The live session of this answer, checked as the sandbox checks every answer."""
    session = respond_ops.open_session_for(ctx, ctx.body.get("Session"), ctx.body.get("ClientId"))
    if admin_pool_id is not None and admin_pool_id != session.pool_id:
        raise not_authorized(respond_ops.INVALID_SESSION)
    if ctx.body.get("ChallengeName") != session.challenge:
        raise not_authorized(respond_ops.INVALID_SESSION)
    answers = ctx.body.get("ChallengeResponses") or {}
    pool = ctx.bridge.pool(session.pool_id)
    client = ctx.bridge.client_of(pool, session.client_id)
    user: UserView = ctx.bridge.user(pool, session.username)
    named = ctx.bridge.find_user(pool, signin_ops.required(answers, "USERNAME"))
    if named is None or named.id != user.id:
        raise not_authorized(respond_ops.INVALID_SESSION)
    ctx.bridge.check_secret_hash(client, session.username, answers.get("SECRET_HASH"))
    return session, pool, client, user, answers


def _srp_with_device(ctx: RequestContext, admin_pool_id: str | None) -> dict[str, Any] | None:
    """USER_SRP_AUTH's PASSWORD_VERIFIER answered with a remembered DEVICE_KEY."""
    session = ctx.state.session(str(ctx.body.get("Session")))
    answers = ctx.body.get("ChallengeResponses") or {}
    if session is None or session.challenge != "PASSWORD_VERIFIER" or not answers.get("DEVICE_KEY"):
        return None
    session, pool, client, user, answers = _bound(ctx, admin_pool_id)
    for name in ("PASSWORD_CLAIM_SIGNATURE", "PASSWORD_CLAIM_SECRET_BLOCK", "TIMESTAMP"):
        signin_ops.required(answers, name)
    if ctx.bridge.must_change_password(user):
        return None
    ctx.state.lockout.check((pool.id, user.id))
    if not signin_ops.check_password_claim(ctx, session.session_id, pool, user, answers, keep=True):
        return None  # the password path refuses it (and counts the failure)
    device = device_challenge(ctx, pool, client.id, user, answers["DEVICE_KEY"])
    if device is not None:
        take(ctx.state, session.session_id)
        ctx.state.close_session(session.session_id)
    return device


def _close(ctx: RequestContext, session_id: str) -> None:
    ctx.state.close_session(session_id)
    surface_of(ctx.state).end_flow(session_id)


# -- the auth-event record ---------------------------------------------------------------------


def _who(ctx: RequestContext, pool_id: str | None, username: object) -> tuple[str, str] | None:
    """``(pool id, sub)`` of the user signing in, or ``None`` when unknown."""
    try:
        if pool_id is None:
            pool, _ = ctx.bridge.find_client(str(ctx.body.get("ClientId", "")))
        else:
            pool = ctx.bridge.pool(pool_id)
        user = ctx.bridge.find_user(pool, str(username or ""))
    except WireError:
        return None
    return None if user is None else (pool.id, user.id)


def _record(
    ctx: RequestContext,
    who: tuple[str, str] | None,
    result: object,
    error: WireError | None,
    stage: str,
    first_factor: str,
) -> None:
    """Keep an event for a finished attempt: tokens issued, or a failed password/code."""
    if who is None:
        return
    steps: tuple[tuple[str, str], ...]
    if error is not None:
        wrong_password = "password" in error.message.lower()
        if stage == "Password" and error.code == "NotAuthorizedException" and wrong_password:
            steps = (("Password", "Failure"),)
        elif stage == "Mfa" and error.code == "CodeMismatchException":
            steps = (("Password", "Success"), ("Mfa", "Failure"))
        elif stage == "Factor" and error.code in (
            "CodeMismatchException",
            "NotAuthorizedException",
        ):
            steps = ()
        else:
            return
        event = AuthEvent("Fail", steps, now_utc(), first_factor=first_factor)
    elif isinstance(result, dict) and "AuthenticationResult" in result:
        steps = (("Password", "Success"),) if first_factor.startswith("PASSWORD") else ()
        if stage == "Mfa":
            steps += (("Mfa", "Success"),)
        event = AuthEvent("Pass", steps, now_utc(), first_factor=first_factor)
    else:
        return
    surface_of(ctx.state).record(*who, event)


def _recorded_initiate(
    ctx: RequestContext, pool: PoolView, handler: Callable[[], dict[str, Any]]
) -> dict[str, Any]:
    parameters = ctx.body.get("AuthParameters") or {}
    who = _who(ctx, pool.id, parameters.get("USERNAME"))
    preferred = str(parameters.get("PREFERRED_CHALLENGE") or "PASSWORD")
    first_factor = "PASSWORD" if ctx.body.get("AuthFlow") != "USER_AUTH" else preferred
    try:
        result = handler()
    except WireError as error:
        _record(ctx, who, None, error, "Password", first_factor)
        raise
    _record(ctx, who, result, None, "Password", first_factor)
    return _device_metadata(ctx, pool.id, parameters.get("USERNAME"), result, parameters)


def _recorded_respond(ctx: RequestContext, admin_pool_id: str | None) -> dict[str, Any]:
    session = ctx.state.session(str(ctx.body.get("Session")))
    who = None if session is None else _who(ctx, session.pool_id, session.username)
    flow = surface_of(ctx.state).flow(ctx.body.get("Session"))
    challenge = "" if session is None else session.challenge
    if flow is not None and flow.first_factor in _PASSWORDLESS:
        stage, first_factor = "Factor", flow.first_factor
    elif challenge in _MFA_CHALLENGES:
        stage, first_factor = "Mfa", "PASSWORD"
    else:
        stage, first_factor = "Password", "PASSWORD"
    answers = ctx.body.get("ChallengeResponses") or {}
    try:
        result = _answer(ctx, admin_pool_id)
    except WireError as error:
        _record(ctx, who, None, error, stage, first_factor)
        raise
    _record(ctx, who, result, None, stage, first_factor)
    if session is None or (flow is not None and flow.first_factor == "DEVICE"):
        return result  # a device sign-in adds its own metadata
    return _device_metadata(ctx, session.pool_id, session.username, result, answers)


def _device_metadata(
    ctx: RequestContext,
    pool_id: str,
    username: object,
    result: dict[str, Any],
    parameters: dict[str, Any],
) -> dict[str, Any]:
    """Tokens from an unknown device get ``NewDeviceMetadata`` when the pool tracks devices."""
    if "AuthenticationResult" not in result:
        return result
    pool = ctx.bridge.pool(pool_id)
    user = ctx.bridge.find_user(pool, str(username or ""))
    if user is None:
        return result
    return with_new_device(ctx, pool, user, result, parameters.get("DEVICE_KEY"))


def admin_list_user_auth_events(ctx: RequestContext) -> dict[str, Any]:
    """``AdminListUserAuthEvents``: newest first, ``MaxResults`` per page (default 60)."""
    pool = ctx.bridge.pool(str(ctx.body.get("UserPoolId", "")))
    user = ctx.bridge.user(pool, str(ctx.body.get("Username", "")))
    events = list(reversed(surface_of(ctx.state).user(pool.id, user.id).events))
    page, following = page_of(events, ctx.body.get("NextToken"), ctx.body.get("MaxResults"), 60)
    document: dict[str, Any] = {"AuthEvents": [e.to_wire() for e in page]}
    if following is not None:
        document["NextToken"] = following
    return document


HANDLERS = {
    "InitiateAuth": initiate_auth,
    "AdminInitiateAuth": admin_initiate_auth,
    "RespondToAuthChallenge": respond,
    "AdminRespondToAuthChallenge": admin_respond,
    "AdminListUserAuthEvents": admin_list_user_auth_events,
}
