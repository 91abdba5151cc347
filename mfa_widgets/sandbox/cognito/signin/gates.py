"""The gates of every sign-in, each in one place: who may sign in, and one attempt at a secret.

* :func:`admit`: at ``InitiateAuth``, whatever the flow, given the facts the sign-in read once
  (:class:`~.facts.SignInFacts`): the user exists (or, with ``PreventUserExistenceErrors``, the
  wrong-password words), the ``SECRET_HASH``, the user is enabled ("User is disabled.", the
  words of the plain password flow); and, when the request carries its secret (a password
  flow), the :func:`attempt` at it in the same call: one decision, one call.
* :func:`bound`: at every ``RespondToAuthChallenge``: a live session of this app client (and,
  for the admin operation, this pool), answering the challenge it is for, for the user it is
  bound to; that user still enabled and not locked out; and, for a challenge that checks a
  secret, the :func:`attempt` at it in the same call.
* :func:`attempt`: every check of a secret (a password, an SRP proof, a delivered code, a TOTP
  code, a passkey, a device proof: the values of :mod:`.proofs`) in one critical section under
  the store's lock: the lockout enforced, the secret checked, and then either the session
  consumed (compare-and-consume: of two answers racing for one session, one wins and the other
  is refused) or the failure counted (towards the user's one lockout counter, across every
  flow and session, and towards the session's own limit of wrong codes).

What counts towards the lockout (:data:`PASSWORD`, :data:`SRP_PROOF`, :data:`MFA_CODE`,
:data:`OTP_CODE`, :data:`PASSKEY`, :data:`DEVICE_PROOF`): wrong passwords are documented
("After five failed ... sign-in attempts with a password", Amazon Cognito Developer Guide,
"Lockout behavior for failed sign-in attempts"), an SRP proof is a password attempt, and wrong MFA
codes are documented ("After five unsuccessful attempts to present an MFA code, Amazon Cognito
begins the exponential-timeout lockout process", the MFA page). A wrong one-time code of a
passwordless first factor counting is our inference (the same codes as MFA; not documented). A
wrong passkey or device proof not counting is our inference (neither is a password or a code).
A locked-out user answering any challenge is refused with the plain flow's words ("Password
attempts exceeded"): inferred for the paths the documentation does not name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from mfa_widgets.sandbox.bridge.moto_bridge import WRONG_PASSWORD
from mfa_widgets.sandbox.bridge.views import ClientView, PoolView, UserView
from mfa_widgets.sandbox.cognito.context import RequestContext
from mfa_widgets.sandbox.cognito.signin import events
from mfa_widgets.sandbox.cognito.signin.facts import SignInFacts
from mfa_widgets.sandbox.store.lockout import ATTEMPTS_EXCEEDED
from mfa_widgets.sandbox.store.state import ChallengeSession
from mfa_widgets.sandbox.wire import WireError, not_authorized, required

__all__ = [
    "DEVICE_PROOF",
    "MAX_CODE_FAILURES",
    "MFA_CODE",
    "OTP_CODE",
    "PASSKEY",
    "PASSWORD",
    "SRP_PROOF",
    "Party",
    "Secret",
    "admit",
    "attempt",
    "bound",
    "consume",
    "open_session_for",
]

#: Wrong codes accepted in one session before it is closed (Cognito: five, then a lockout).
MAX_CODE_FAILURES = 5
INVALID_SESSION = "Invalid session for the user."
EXPIRED_SESSION = "Invalid session for the user, session is expired."
#: A session answered already (conformance case choice.email-otp-session-used-twice, recorded).
USED_SESSION = "Invalid session for the user, session can only be used once."
DISABLED = "User is disabled."


@dataclass(frozen=True)
class Party:
    """Who is signing in: the pool, the app client, the user and the user's key.

    ``key`` is the user's key in the lockout and TOTP guards: pool id and ``sub`` (a field,
    filled where a party is admitted, so reading it calls nothing).
    """

    pool: PoolView
    client: ClientView
    user: UserView
    key: tuple[str, str]


@dataclass(frozen=True)
class Secret:
    """One kind of secret a sign-in checks, and what a wrong one does.

    Attributes
    ----------
    name
        What it is, for the gate test and the docs.
    counts
        A wrong one counts towards the user's lockout.
    single_use
        A wrong one consumes the session too (an SRP exchange cannot be retried).
    limited
        Wrong ones also count towards the session's :data:`MAX_CODE_FAILURES`.
    stage
        ``"Password"``, ``"Mfa"`` or ``"Factor"``: how a failure reads in the auth events.
    """

    name: str
    counts: bool
    single_use: bool = False
    limited: bool = False
    stage: str = "Password"


PASSWORD = Secret("password", counts=True)
SRP_PROOF = Secret("SRP password proof", counts=True, single_use=True)
MFA_CODE = Secret("MFA code", counts=True, limited=True, stage="Mfa")
OTP_CODE = Secret("one-time code (first factor)", counts=True, limited=True, stage="Factor")
PASSKEY = Secret("passkey", counts=False, stage="Factor")
DEVICE_PROOF = Secret("device proof", counts=False, single_use=True)

#: Every kind, so the gate test can check each one is driven.
SECRETS = (PASSWORD, SRP_PROOF, MFA_CODE, OTP_CODE, PASSKEY, DEVICE_PROOF)

#: A check: ``None`` when the secret is right, else the error a wrong one gets.
Check = Callable[["Party", ChallengeSession | None], WireError | None]
#: A challenge's check, made from its answers: ``kind(ctx, answers)`` (see :mod:`.proofs`).
CheckKind = Callable[[RequestContext, dict[str, Any]], Check]


def admit(
    ctx: RequestContext,
    facts: SignInFacts,
    secret_hash: object,
    proof: tuple[Secret, Check] | None = None,
) -> Party:
    """The gate of every ``InitiateAuth``: the user exists and is enabled; the secret hash.

    With ``proof`` (the secret the request carries and its check), the :func:`attempt` at it
    follows in the same call.
    """
    user = facts.user
    if user is None:
        if facts.client.prevent_user_existence_errors:
            raise not_authorized(WRONG_PASSWORD)
        raise WireError("UserNotFoundException", "User does not exist.")
    ctx.bridge.check_secret_hash(facts.client, facts.username, secret_hash)
    if not user.enabled:
        raise not_authorized(DISABLED)
    party = Party(facts.pool, facts.client, user, (facts.pool.id, user.id))
    if proof is not None:
        attempt(ctx, party, *proof)
    return party


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


def bound(
    ctx: RequestContext,
    admin_pool_id: str | None,
    checked: Mapping[str, tuple[Secret, CheckKind]] | None = None,
) -> tuple[ChallengeSession, Party, dict[str, Any]]:
    """The gate of every answer: its session, its party (enabled, not locked out), its answers.

    When ``checked`` names the secret its challenge checks (and how), the :func:`attempt` at it
    follows in the same call: a wrong one is refused here, a right one consumes the session.
    A one-time code is a first factor's (:data:`OTP_CODE`) when the sign-in began with it.
    """
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
    if not user.enabled:
        raise not_authorized(DISABLED)
    ctx.state.lockout.check((pool.id, user.id))
    party = Party(pool, client, user, (pool.id, user.id))
    check = None if checked is None else checked.get(session.challenge)
    if check is not None:
        secret, kind = check
        if secret is MFA_CODE and session.first_factor in ("EMAIL_OTP", "SMS_OTP"):
            secret = OTP_CODE
        attempt(ctx, party, secret, kind(ctx, answers), session)
    return session, party, answers


def consume(ctx: RequestContext, session: ChallengeSession) -> None:
    """Consume an answered session that checks no secret (a choice, a new password)."""
    if not ctx.state.close_session(session.session_id):
        raise not_authorized(USED_SESSION)


def attempt(
    ctx: RequestContext,
    party: Party,
    secret: Secret,
    check: Check,
    session: ChallengeSession | None = None,
) -> ChallengeSession | None:
    """One attempt at a secret: lockout, check, then consume the session or count the failure.

    One critical section: the lockout is enforced, ``check`` runs against the live session, and
    a right answer consumes it (a second answer racing it finds no session) while a wrong one
    is counted before the lock is released. Returns the consumed session (``None`` without one).

    Raises
    ------
    WireError
        ``Password attempts exceeded`` during a lockout (or at the session's limit of wrong
        codes), the session's ``Invalid session`` once consumed, or the wrong secret's error.
    """
    with ctx.state.lock:
        live = None
        if session is not None:
            live = ctx.state.session(session.session_id)
            if live is None:  # a racing answer consumed it first
                raise not_authorized(USED_SESSION)
        try:
            ctx.state.lockout.check(party.key)
        except WireError as refused:
            events.failed(ctx, party.key, secret.stage, first_factor(live))
            raise refused from None
        wrong = check(party, live)
        if wrong is None:
            if live is not None:
                ctx.state.close_session(live.session_id)
            return live
        if secret.counts:
            ctx.state.lockout.failure(party.key)
        if live is not None and secret.single_use:
            ctx.state.close_session(live.session_id)
        elif (
            live is not None
            and secret.limited
            and ctx.state.count_failure(live.session_id) >= MAX_CODE_FAILURES
        ):
            ctx.state.close_session(live.session_id)
            wrong = not_authorized(ATTEMPTS_EXCEEDED)
    events.failed(ctx, party.key, secret.stage, first_factor(live))
    raise wrong


def first_factor(session: ChallengeSession | None) -> str:
    """How the sign-in of ``session`` began (``PASSWORD`` without a session)."""
    return "PASSWORD" if session is None or not session.first_factor else session.first_factor
