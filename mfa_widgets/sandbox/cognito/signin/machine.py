"""The sign-in state machine: every flow, every first factor, every challenge answer.

A sign-in is a chain of sessions; each session's ``ChallengeName`` is a state, each
``RespondToAuthChallenge`` a transition, and every transition passes the gates of
:mod:`.gates` (the user admitted, the session bound, each secret one locked attempt)::

    InitiateAuth
      USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, ADMIN_NO_SRP_AUTH ── password ──> (A)
      USER_SRP_AUTH ───────────────> PASSWORD_VERIFIER ── SRP proof ──────────────> (A)
      USER_AUTH ──┬─ PREFERRED_CHALLENGE ──> the first factor below
                  └─ SELECT_CHALLENGE ── ANSWER ──> the first factor below
                       PASSWORD ── password (with the answer, or as a PASSWORD state) ──> (A)
                       PASSWORD_SRP ──> PASSWORD_VERIFIER ── SRP proof ──────────────> (A)
                       EMAIL_OTP | SMS_OTP ── delivered code ──────────────────────> tokens
                       WEB_AUTHN ── passkey ───────────────────────────────────────> tokens
      REFRESH_TOKEN(_AUTH) ── a live refresh token of this client ─────────────────> tokens

    (A) after a password:
      NEW_PASSWORD_REQUIRED ── new password ──> (A)
      a remembered DEVICE_KEY: DEVICE_SRP_AUTH ── SRP_A ──> DEVICE_PASSWORD_VERIFIER
                                                   ── device proof ──> tokens
      the MFA stage (:mod:`.mfa_stage`): tokens, or
        SMS_MFA | EMAIL_OTP | SOFTWARE_TOKEN_MFA ── code ──> tokens
        SELECT_MFA_TYPE ── ANSWER ──> that challenge
        MFA_SETUP ── VerifySoftwareToken(Session) or an EMAIL ──> tokens | EMAIL_OTP

Tokens are issued in one place (:func:`_tokens`): the lockout count resets, the event is
recorded, a new device is offered. :data:`FLOWS`, :data:`FIRST_FACTORS` and :data:`ANSWERS` are
the machine's own lists; the gate test drives every entry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mfa_widgets.core.errors import MfaPreferenceError
from mfa_widgets.core.preferences import Factor, FactorState
from mfa_widgets.core.signin import Outcome, UserAuthPrediction, predict_user_auth
from mfa_widgets.sandbox.bridge.views import ClientView, PoolView
from mfa_widgets.sandbox.cognito.context import RequestContext
from mfa_widgets.sandbox.cognito.signin import devices, events, gates, proofs
from mfa_widgets.sandbox.cognito.signin.facts import SignInFacts, gather
from mfa_widgets.sandbox.cognito.signin.gates import Party
from mfa_widgets.sandbox.cognito.signin.mfa_stage import mfa_challenge, start_challenge
from mfa_widgets.sandbox.cognito.signin.srp import password_exchange
from mfa_widgets.sandbox.cognito.signin.webauthn import assertion_options
from mfa_widgets.sandbox.store.state import ChallengeSession
from mfa_widgets.sandbox.wire import WireError, invalid_parameter, not_authorized, required

__all__ = ["ANSWERS", "FIRST_FACTORS", "FLOWS", "HANDLERS"]

#: AuthFlow -> (the ExplicitAuthFlows entries, current and legacy, that allow it; admin only).
FLOWS: dict[str, tuple[frozenset[str], bool]] = {
    "USER_PASSWORD_AUTH": (frozenset({"ALLOW_USER_PASSWORD_AUTH", "USER_PASSWORD_AUTH"}), False),
    "USER_SRP_AUTH": (frozenset({"ALLOW_USER_SRP_AUTH"}), False),
    "USER_AUTH": (frozenset({"ALLOW_USER_AUTH"}), False),
    "ADMIN_USER_PASSWORD_AUTH": (
        frozenset({"ALLOW_ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"}),
        True,
    ),
    "ADMIN_NO_SRP_AUTH": (frozenset({"ALLOW_ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"}), True),
}
_REFRESH_FLOWS = frozenset({"REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"})
_FLOW_FACTOR = {"USER_SRP_AUTH": "PASSWORD_SRP", "USER_AUTH": ""}
INVALID_REFRESH = "Invalid Refresh Token"

Answer = Callable[[RequestContext, ChallengeSession, Party, dict[str, Any]], dict[str, Any]]

# -- InitiateAuth --------------------------------------------------------------------------------


def initiate_auth(ctx: RequestContext) -> dict[str, Any]:
    """``InitiateAuth``: the app client names the pool."""
    pool, client = ctx.bridge.find_client(str(ctx.body.get("ClientId", "")))
    return _initiate(ctx, pool, client, admin=False)


def admin_initiate_auth(ctx: RequestContext) -> dict[str, Any]:
    """``AdminInitiateAuth``: pool and app client are both named."""
    pool = ctx.bridge.pool(str(ctx.body.get("UserPoolId", "")))
    client = ctx.bridge.client_of(pool, str(ctx.body.get("ClientId", "")))
    return _initiate(ctx, pool, client, admin=True)


def _initiate(
    ctx: RequestContext, pool: PoolView, client: ClientView, admin: bool
) -> dict[str, Any]:
    """One pipeline: the facts read once, the gates passed in one call, then the next state."""
    flow = str(ctx.body.get("AuthFlow", ""))
    served = sorted(name for name, (_, only_admin) in FLOWS.items() if only_admin == admin)
    if flow not in FLOWS or FLOWS[flow][1] != admin:
        if flow not in _REFRESH_FLOWS:
            raise WireError(
                "UnsupportedOperationException",
                f"AuthFlow {flow} is not emulated by the local Cognito sandbox; use "
                f"{', '.join([*served, *sorted(_REFRESH_FLOWS)])}.",
            )
        return _refresh(ctx, pool, client)
    allowed = client.explicit_auth_flows
    if allowed and not FLOWS[flow][0] & set(allowed):
        raise invalid_parameter(f"{flow} flow not enabled for this client")
    parameters = ctx.body.get("AuthParameters") or {}
    facts = gather(ctx, pool, client, required(parameters, "USERNAME"))
    factor = _FLOW_FACTOR.get(flow, "PASSWORD")
    admissible = facts.user is not None and facts.user.enabled
    # USER_AUTH: the first factor is chosen before the gate, refused (if it must be) after it.
    # Only USER_AUTH: the other flows name their first factor and know nothing of feature plans.
    prediction = None
    if admissible and flow == "USER_AUTH":
        prediction = _predict(facts, parameters.get("PREFERRED_CHALLENGE"))
    if isinstance(prediction, UserAuthPrediction) and prediction.chosen is not None:
        factor = prediction.chosen
    password = parameters.get("PASSWORD")
    proof = None
    if admissible and factor == "PASSWORD" and isinstance(password, str) and password:
        assert facts.user is not None
        proof = (gates.PASSWORD, proofs.Password(ctx, parameters))
    party = gates.admit(ctx, facts, parameters.get("SECRET_HASH"), proof)
    if isinstance(prediction, WireError):
        raise prediction
    if proof is not None:
        return _after_password(ctx, party, facts, "PASSWORD", parameters.get("DEVICE_KEY"))
    if factor == "PASSWORD" and flow != "USER_AUTH":
        required(parameters, "PASSWORD")  # a password flow without its password
    if factor:
        return _first_factor(ctx, party, facts, factor, parameters)
    assert isinstance(prediction, UserAuthPrediction)
    session = _open(ctx, party, "SELECT_CHALLENGE", options=prediction.available)
    return {
        "ChallengeName": "SELECT_CHALLENGE",
        "Session": session.session_id,
        "ChallengeParameters": {},
        "AvailableChallenges": list(prediction.available),
    }


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
        raise not_authorized(gates.DISABLED)
    ctx.bridge.check_secret_hash(client, user.username, parameters.get("SECRET_HASH"))
    return ctx.bridge.refresh_tokens(pool, token)


def _predict(facts: SignInFacts, preferred: Any) -> UserAuthPrediction | WireError:
    """``USER_AUTH``: the preferred first factor, or the choices (or the error to answer)."""
    assert facts.choices is not None
    assert facts.chooser is not None
    try:
        prediction = predict_user_auth(facts.choices, facts.chooser, preferred)
    except MfaPreferenceError as error:
        return invalid_parameter(str(error))
    first = prediction.initiate
    if first.outcome is Outcome.ERROR:
        return WireError(str(first.error_code), str(first.error_message))
    return prediction


def _open(ctx: RequestContext, party: Party, challenge: str, **fields: Any) -> ChallengeSession:
    return ctx.state.open_session(
        pool_id=party.pool.id,
        client_id=party.client.id,
        username=party.user.username,
        challenge=challenge,
        **fields,
    )


def _first_factor(
    ctx: RequestContext,
    party: Party,
    facts: SignInFacts,
    factor: str,
    parameters: dict[str, Any],
    *,
    chosen_in: ChallengeSession | None = None,
) -> dict[str, Any]:
    """Start (or, with its password in ``parameters``, prove) first factor ``factor``.

    ``chosen_in`` is the ``SELECT_CHALLENGE`` session the factor was chosen in: consumed by the
    password's attempt, or before any other factor starts.
    """
    device_key = parameters.get("DEVICE_KEY")
    if factor == "PASSWORD":
        password = parameters.get("PASSWORD")
        if not password:
            _consume(ctx, chosen_in)
            session = _open(ctx, party, "PASSWORD", first_factor="PASSWORD")
            return {
                "ChallengeName": "PASSWORD",
                "Session": session.session_id,
                "ChallengeParameters": {},
            }
        gates.attempt(ctx, party, gates.PASSWORD, proofs.Password(ctx, parameters), chosen_in)
        return _after_password(ctx, party, facts, "PASSWORD", device_key)
    passwordless = factor in ("EMAIL_OTP", "SMS_OTP", "WEB_AUTHN")
    if passwordless and facts.chooser is not None and facts.chooser.must_change_password:
        # A user still on a temporary password signs in with it and sets a new one. Real Cognito
        # offers such a user only PASSWORD and PASSWORD_SRP (recorded: conformance case
        # choice.select-challenge-temporary-password); asked for a passwordless factor anyway,
        # the refusal is our choice (the safe one: a code would skip the password change).
        raise not_authorized(
            "The user must change the temporary password: sign in with the password first."
        )
    _consume(ctx, chosen_in)
    if factor == "PASSWORD_SRP":
        return _srp_challenge(ctx, party, required(parameters, "SRP_A"), device_key)
    if factor in ("EMAIL_OTP", "SMS_OTP"):
        return start_challenge(
            ctx, party.pool, party.client.id, party.user, factor, first_factor=factor
        )
    challenge, options = assertion_options(ctx, party.pool, party.user)
    session = _open(ctx, party, "WEB_AUTHN", first_factor="WEB_AUTHN", proof=challenge)
    return {
        "ChallengeName": "WEB_AUTHN",
        "Session": session.session_id,
        "ChallengeParameters": {"CREDENTIAL_REQUEST_OPTIONS": options},
    }


#: Every first factor, and the flows that reach it (``DEVICE`` replaces MFA after a password).
FIRST_FACTORS: dict[str, tuple[str, ...]] = {
    "PASSWORD": (
        "USER_PASSWORD_AUTH",
        "ADMIN_USER_PASSWORD_AUTH",
        "ADMIN_NO_SRP_AUTH",
        "USER_AUTH",
    ),
    "PASSWORD_SRP": ("USER_SRP_AUTH", "USER_AUTH"),
    "EMAIL_OTP": ("USER_AUTH",),
    "SMS_OTP": ("USER_AUTH",),
    "WEB_AUTHN": ("USER_AUTH",),
    "DEVICE": ("USER_PASSWORD_AUTH", "ADMIN_USER_PASSWORD_AUTH", "USER_SRP_AUTH"),
}


def _consume(ctx: RequestContext, session: ChallengeSession | None) -> None:
    if session is not None:
        gates.consume(ctx, session)


def _srp_challenge(
    ctx: RequestContext, party: Party, srp_a: str, device_key: object
) -> dict[str, Any]:
    """``PASSWORD_VERIFIER``: the server's SRP half, kept in the session its answer consumes."""
    password = ctx.bridge.password_of(party.pool, party.user)
    try:
        server = password_exchange(party.pool.id, party.user.username, password, srp_a)
    except ValueError as error:
        raise invalid_parameter(f"SRP_A: {error}") from None
    session = _open(
        ctx,
        party,
        "PASSWORD_VERIFIER",
        first_factor="PASSWORD_SRP",
        proof=server,
        device_key=device_key if isinstance(device_key, str) else None,
    )
    return {
        "ChallengeName": "PASSWORD_VERIFIER",
        "Session": session.session_id,
        "ChallengeParameters": {
            **server.parameters,
            "USER_ID_FOR_SRP": party.user.username,
            "USERNAME": party.user.username,
        },
    }


def _after_password(
    ctx: RequestContext, party: Party, facts: SignInFacts, first_factor: str, device_key: object
) -> dict[str, Any]:
    """State (A): a new password, a remembered device, or the MFA stage (on ``facts``)."""
    key = device_key if isinstance(device_key, str) else None
    assert facts.chooser is not None
    assert facts.mfa is not None
    assert facts.user_mfa is not None
    if facts.chooser.must_change_password:
        return _challenge(ctx, party, "NEW_PASSWORD_REQUIRED", first_factor, key)
    if key is not None:
        device = devices.device_challenge(ctx, facts, party.user, key, first_factor)
        if device is not None:
            return device
    challenge = mfa_challenge(facts.mfa, facts.user_mfa)
    if challenge is None:
        return _tokens(ctx, party, first_factor, mfa=False, device_key=key)
    name, options = challenge
    return _challenge(ctx, party, name, first_factor, key, options)


def _tokens(
    ctx: RequestContext, party: Party, first_factor: str, mfa: bool, device_key: object
) -> dict[str, Any]:
    """The decision ``Pass``: the lockout count resets, tokens, the event, a new device."""
    ctx.state.lockout.success(party.key)
    tokens = ctx.bridge.issue_tokens(party.pool, party.client, party.user.username)
    events.passed(ctx, party.key, first_factor, mfa)
    return devices.with_new_device(ctx, party.pool, party.user, tokens, device_key)


# -- RespondToAuthChallenge ----------------------------------------------------------------------


def respond(ctx: RequestContext) -> dict[str, Any]:
    """``RespondToAuthChallenge``."""
    return _respond(ctx, admin_pool_id=None)


def admin_respond(ctx: RequestContext) -> dict[str, Any]:
    """``AdminRespondToAuthChallenge``: same, and the pool must be the session's pool."""
    return _respond(ctx, admin_pool_id=str(ctx.body.get("UserPoolId", "")))


def _respond(ctx: RequestContext, admin_pool_id: str | None) -> dict[str, Any]:
    session, party, answers = gates.bound(ctx, admin_pool_id, CHECKED)
    answer = ANSWERS.get(session.challenge)
    if answer is None:
        raise invalid_parameter(f"Unsupported challenge {session.challenge}")
    return answer(ctx, session, party, answers)


def _device_key(session: ChallengeSession, answers: dict[str, Any]) -> object:
    return answers.get("DEVICE_KEY") or session.device_key


def _select_challenge(
    ctx: RequestContext, session: ChallengeSession, party: Party, answers: dict[str, Any]
) -> dict[str, Any]:
    choice = required(answers, "ANSWER")
    if choice not in session.options:
        raise invalid_parameter(f"ANSWER must be one of {', '.join(session.options)}")
    facts = _facts(ctx, party)
    if choice not in _available_now(facts):
        # Decided again when answered: the user's MFA may have changed since the choice was
        # offered (our decision; the rules are those of InitiateAuth, applied at answer time).
        raise invalid_parameter(
            f"{choice} is no longer available to this user: start the sign-in again"
        )
    return _first_factor(ctx, party, facts, choice, answers, chosen_in=session)


def _facts(ctx: RequestContext, party: Party) -> SignInFacts:
    """The facts of an answered sign-in's user, read once for this answer."""
    return gather(ctx, party.pool, party.client, party.user.username)


def _available_now(facts: SignInFacts) -> tuple[str, ...]:
    """The first factors ``InitiateAuth`` would offer the user now (none when it would refuse)."""
    prediction = _predict(facts, None)
    return () if isinstance(prediction, WireError) else tuple(prediction.available)


def _password_answer(
    ctx: RequestContext, session: ChallengeSession, party: Party, answers: dict[str, Any]
) -> dict[str, Any]:
    facts = _facts(ctx, party)  # the password was checked by the gates (CHECKED)
    return _after_password(ctx, party, facts, "PASSWORD", _device_key(session, answers))


def _password_verifier(
    ctx: RequestContext, session: ChallengeSession, party: Party, answers: dict[str, Any]
) -> dict[str, Any]:
    facts = _facts(ctx, party)  # the SRP claim was checked by the gates (CHECKED)
    return _after_password(ctx, party, facts, session.first_factor, _device_key(session, answers))


def _code(
    ctx: RequestContext, session: ChallengeSession, party: Party, answers: dict[str, Any]
) -> dict[str, Any]:
    """A delivered code: ``SMS_MFA``/``EMAIL_OTP`` after a password, or a first-factor OTP."""
    first = session.first_factor in ("EMAIL_OTP", "SMS_OTP")  # the code: checked (CHECKED)
    # A delivered code proves the address: Cognito marks it verified.
    channel = "email" if session.challenge == "EMAIL_OTP" else "phone_number"
    ctx.bridge.set_attributes(party.pool, party.user, **{f"{channel}_verified": "true"})
    if session.setup_stage == "email":
        _enable(ctx, party, Factor.EMAIL)
    return _tokens(ctx, party, session.first_factor, not first, _device_key(session, answers))


def _software_token(
    ctx: RequestContext, session: ChallengeSession, party: Party, answers: dict[str, Any]
) -> dict[str, Any]:
    return _tokens(ctx, party, session.first_factor, True, _device_key(session, answers))


def _passkey(
    ctx: RequestContext, session: ChallengeSession, party: Party, answers: dict[str, Any]
) -> dict[str, Any]:
    return _tokens(ctx, party, "WEB_AUTHN", False, _device_key(session, answers))


def _device_srp(
    ctx: RequestContext, session: ChallengeSession, party: Party, answers: dict[str, Any]
) -> dict[str, Any]:
    device = devices.remembered(ctx, session, party.pool, party.user, answers)
    return devices.device_exchange(ctx, session, device, party.user.username, answers)


def _device_verifier(
    ctx: RequestContext, session: ChallengeSession, party: Party, answers: dict[str, Any]
) -> dict[str, Any]:
    return _tokens(ctx, party, session.first_factor or "PASSWORD", False, session.device_key)


def _select_mfa_type(
    ctx: RequestContext, session: ChallengeSession, party: Party, answers: dict[str, Any]
) -> dict[str, Any]:
    answer = required(answers, "ANSWER")
    if answer not in session.options:
        raise invalid_parameter(f"ANSWER must be one of {', '.join(session.options)}")
    gates.consume(ctx, session)
    return _challenge(ctx, party, answer, session.first_factor, session.device_key)


def _challenge(
    ctx: RequestContext,
    party: Party,
    name: str,
    first_factor: str,
    device_key: str | None,
    options: tuple[str, ...] = (),
    stage: str = "",
) -> dict[str, Any]:
    """Open challenge ``name`` of this sign-in (its code delivered if it is a message one)."""
    return start_challenge(
        ctx,
        party.pool,
        party.client.id,
        party.user,
        name,
        options,
        setup_stage=stage,
        first_factor=first_factor,
        device_key=device_key,
    )


def _mfa_setup(
    ctx: RequestContext, session: ChallengeSession, party: Party, answers: dict[str, Any]
) -> dict[str, Any]:
    """MFA_SETUP: finished by VerifySoftwareToken(Session=...), or by an EMAIL address answer."""
    email = answers.get("EMAIL") or answers.get("email")
    if email and Factor.EMAIL.api_name in session.options:
        if "@" not in str(email):
            raise invalid_parameter("Invalid email address format.")
        gates.consume(ctx, session)
        ctx.bridge.set_attributes(party.pool, party.user, email=str(email))
        email_otp = Factor.EMAIL.api_name
        return _challenge(
            ctx, party, email_otp, session.first_factor, session.device_key, stage="email"
        )
    if session.setup_stage != "verified":
        raise invalid_parameter(
            "MFA setup is not complete: call AssociateSoftwareToken and VerifySoftwareToken "
            "with this session first"
        )
    gates.consume(ctx, session)
    return _tokens(ctx, party, session.first_factor, False, _device_key(session, answers))


def _new_password(
    ctx: RequestContext, session: ChallengeSession, party: Party, answers: dict[str, Any]
) -> dict[str, Any]:
    """NEW_PASSWORD_REQUIRED: store the new password, then the MFA stage."""
    password = required(answers, "NEW_PASSWORD")
    ctx.bridge.check_password_policy(party.pool, password)
    gates.consume(ctx, session)
    ctx.bridge.set_new_password(party.pool, party.user, password)
    confirmed = Party(
        party.pool, party.client, ctx.bridge.user(party.pool, party.user.username), party.key
    )
    facts = _facts(ctx, confirmed)
    return _after_password(
        ctx, confirmed, facts, session.first_factor, _device_key(session, answers)
    )


def _enable(ctx: RequestContext, party: Party, factor: Factor) -> None:
    state = ctx.state.user(*party.key)
    with ctx.state.lock:
        if state.preference.state(factor) is FactorState.DISABLED:
            state.preference = state.preference.with_state(factor, FactorState.ENABLED)


#: The challenges whose answer checks a secret: which secret, and its proof. The gates bind the
#: answer to its session and check it in one call (``gates.bound``); the answer's transition
#: below runs once it was right.
CHECKED: dict[str, tuple[gates.Secret, gates.CheckKind]] = {
    "PASSWORD": (gates.PASSWORD, proofs.Password),
    "PASSWORD_VERIFIER": (gates.SRP_PROOF, proofs.SrpClaim),
    "EMAIL_OTP": (gates.MFA_CODE, proofs.DeliveredCode),
    "SMS_OTP": (gates.MFA_CODE, proofs.DeliveredCode),
    "SMS_MFA": (gates.MFA_CODE, proofs.DeliveredCode),
    "SOFTWARE_TOKEN_MFA": (gates.MFA_CODE, proofs.TotpCode),
    "WEB_AUTHN": (gates.PASSKEY, proofs.Passkey),
    "DEVICE_PASSWORD_VERIFIER": (gates.DEVICE_PROOF, proofs.DeviceClaim),
}

#: Every challenge (a session's state) and the transition its answer takes.
ANSWERS: dict[str, Answer] = {
    "SELECT_CHALLENGE": _select_challenge,
    "PASSWORD": _password_answer,
    "PASSWORD_VERIFIER": _password_verifier,
    "EMAIL_OTP": _code,
    "SMS_OTP": _code,
    "SMS_MFA": _code,
    "SOFTWARE_TOKEN_MFA": _software_token,
    "WEB_AUTHN": _passkey,
    "DEVICE_SRP_AUTH": _device_srp,
    "DEVICE_PASSWORD_VERIFIER": _device_verifier,
    "SELECT_MFA_TYPE": _select_mfa_type,
    "MFA_SETUP": _mfa_setup,
    "NEW_PASSWORD_REQUIRED": _new_password,
}

HANDLERS = {
    "InitiateAuth": initiate_auth,
    "AdminInitiateAuth": admin_initiate_auth,
    "RespondToAuthChallenge": respond,
    "AdminRespondToAuthChallenge": admin_respond,
}
