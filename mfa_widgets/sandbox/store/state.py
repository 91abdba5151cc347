"""What the sandbox remembers that moto does not: MFA state per user, per pool, and sessions.

One :class:`SandboxState` belongs to one :class:`~mfa_widgets.sandbox.Sandbox`; a lock guards it
because the HTTP server answers on several threads. Users are keyed by pool id and ``sub``, so a
user deleted and created again starts with a clean MFA state.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from dataclasses import dataclass, field, replace
from typing import Any

from mfa_widgets.core.preferences import FactorState, MfaPreference
from mfa_widgets.sandbox.store.clock import Clock, Every
from mfa_widgets.sandbox.store.codes import SentCodes, TotpSteps
from mfa_widgets.sandbox.store.lockout import Lockout

__all__ = ["SESSION_SECONDS", "ChallengeSession", "SandboxState", "UserMfaState"]

#: Cognito's authentication session lifetime (app client ``AuthSessionValidity`` default, 3 min).
SESSION_SECONDS = 180.0

_NO_MFA = MfaPreference(
    sms=FactorState.DISABLED, totp=FactorState.DISABLED, email=FactorState.DISABLED
)


@dataclass
class UserMfaState:
    """The MFA state of one user.

    Attributes
    ----------
    preference
        The complete stored preference (what GetUser reports).
    totp_secret
        The secret of the registered (verified) authenticator, if any.
    pending_secret
        The secret from the latest AssociateSoftwareToken not yet verified.
    totp_device_name
        The ``FriendlyDeviceName`` given at VerifySoftwareToken (sent with SOFTWARE_TOKEN_MFA).
    """

    preference: MfaPreference = _NO_MFA
    totp_secret: str | None = field(default=None, repr=False)
    pending_secret: str | None = field(default=None, repr=False)
    totp_device_name: str | None = None

    @property
    def totp_registered(self) -> bool:
        """True once VerifySoftwareToken succeeded for the current authenticator."""
        return self.totp_secret is not None

    @property
    def totp_associated(self) -> bool:
        """True when AssociateSoftwareToken was called (verified or not)."""
        return self.totp_secret is not None or self.pending_secret is not None


@dataclass(frozen=True)
class ChallengeSession:
    """One authentication session: bound to its user, app client and the challenge it answers.

    ``challenge`` is the ``ChallengeName`` the next RespondToAuthChallenge must carry. For
    ``MFA_SETUP`` the ``setup_stage`` records how far software-token setup went.
    """

    session_id: str = field(repr=False)
    pool_id: str
    client_id: str
    username: str
    challenge: str
    expires_at: float
    code: str | None = field(default=None, repr=False)
    options: tuple[str, ...] = ()
    failures: int = 0
    setup_stage: str = ""


class SandboxState:
    """What the sandbox holds beside moto: MFA state, sessions, and the per-user guards.

    Per-user MFA state, per-pool email MFA configuration, open challenge sessions, the lockout,
    sent one-time codes and used TOTP steps.

    Attributes
    ----------
    clock
        The sandbox's clock (:meth:`Clock.advance` simulates waiting).
    lockout, reset_codes, totp_steps
        See :mod:`~mfa_widgets.sandbox.store.lockout` and :mod:`~mfa_widgets.sandbox.store.codes`.
    """

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.clock = Clock()
        self.lockout = Lockout(self.clock)
        self.reset_codes = SentCodes(self.clock)
        # Authenticator apps read the real time, so TOTP steps do too (not the movable clock).
        self.totp_steps = TotpSteps(time.time)
        self._users: dict[tuple[str, str], UserMfaState] = {}
        self._email_mfa: dict[str, dict[str, Any]] = {}
        self._sessions: dict[str, ChallengeSession] = {}
        #: Sessions already answered (id -> when it would have expired): Cognito tells a used
        #: session from an unknown one (conformance case choice.email-otp-session-used-twice).
        self._used: dict[str, float] = {}
        self._sweeps = Every(30.0)

    # -- users -------------------------------------------------------------------------------

    def user(self, pool_id: str, sub: str) -> UserMfaState:
        """The MFA state of the user with ``sub`` in ``pool_id`` (created empty on first use)."""
        with self.lock:
            return self._users.setdefault((pool_id, sub), UserMfaState())

    def forget_user(self, pool_id: str, sub: str) -> None:
        """Drop everything held about a deleted user (a new user of the same name starts clean)."""
        with self.lock:
            self._users.pop((pool_id, sub), None)
        self.lockout.success((pool_id, sub))

    def secrets(self) -> list[str]:
        """Every TOTP secret, open session id and code held (for secret-leak scans in tests)."""
        with self.lock:
            found = [
                secret
                for mfa in self._users.values()
                for secret in (mfa.totp_secret, mfa.pending_secret)
                if secret
            ]
            found.extend(self._sessions)
            found.extend(self._used)
            found.extend(s.code for s in self._sessions.values() if s.code)
        found.extend(self.reset_codes.secrets())
        return found

    def session_count(self) -> int:
        """How many sessions are held (expired ones go at the next sweep)."""
        return len(self._sessions)

    # -- pools -------------------------------------------------------------------------------

    def email_mfa(self, pool_id: str) -> dict[str, Any] | None:
        """The pool's ``EmailMfaConfiguration``, or ``None`` when email MFA is not configured."""
        return self._email_mfa.get(pool_id)

    def set_email_mfa(self, pool_id: str, config: dict[str, Any] | None) -> None:
        """Store (or with ``None`` remove) the pool's ``EmailMfaConfiguration``."""
        with self.lock:
            if config is None:
                self._email_mfa.pop(pool_id, None)
            else:
                self._email_mfa[pool_id] = dict(config)

    # -- sessions ----------------------------------------------------------------------------

    def open_session(
        self,
        *,
        pool_id: str,
        client_id: str,
        username: str,
        challenge: str,
        code: str | None = None,
        options: tuple[str, ...] = (),
        setup_stage: str = "",
        now: float | None = None,
    ) -> ChallengeSession:
        """Open a new session expiring after :data:`SESSION_SECONDS`."""
        now = self.clock() if now is None else now
        session = ChallengeSession(
            session_id=secrets.token_urlsafe(48),
            pool_id=pool_id,
            client_id=client_id,
            username=username,
            challenge=challenge,
            expires_at=now + SESSION_SECONDS,
            code=code,
            options=options,
            setup_stage=setup_stage,
        )
        with self.lock:
            self._sessions[session.session_id] = session
            if self._sweeps.due(now):
                self._drop_expired(now)
        return session

    def _drop_expired(self, now: float) -> None:
        """Forget expired sessions (abandoned sign-ins): memory stays bounded."""
        for key, session in list(self._sessions.items()):
            if session.expires_at <= now:
                del self._sessions[key]
        for key, expires_at in list(self._used.items()):
            if expires_at <= now:
                del self._used[key]

    def consume_code(self, session_id: str, code: str) -> bool:
        """Atomically check a session's delivered code and, if it matches, close the session.

        Two requests carrying the right code at once: exactly one gets ``True``.
        """
        with self.lock:
            session = self._sessions.get(session_id)
            if session is None or session.code is None:
                return False
            if not hmac.compare_digest(session.code, code):
                return False
            del self._sessions[session_id]
            self._used[session_id] = session.expires_at
            return True

    def session(self, session_id: str) -> ChallengeSession | None:
        """The open session with this id, or ``None``."""
        return self._sessions.get(session_id)

    def close_session(self, session_id: str, used: bool = True) -> bool:
        """Consume a session: it cannot be answered again (``used=False``: it expired).

        False if it was already closed: of two answers racing for one session, one gets True.
        """
        with self.lock:
            session = self._sessions.pop(session_id, None)
            if session is not None and used:
                self._used[session_id] = session.expires_at
            return session is not None

    def was_used(self, session_id: str) -> bool:
        """True when ``session_id`` was a session that has been answered (and not yet expired)."""
        with self.lock:
            return session_id in self._used

    def advance_session(self, session: ChallengeSession, **changes: Any) -> ChallengeSession:
        """Replace ``session`` by a copy with a new id (and ``changes``); the old id stops working.

        The expiry is kept: a session chain cannot outlive the original 3 minutes.
        """
        successor = replace(session, session_id=secrets.token_urlsafe(48), **changes)
        with self.lock:
            self._sessions.pop(session.session_id, None)
            self._used[session.session_id] = session.expires_at
            self._sessions[successor.session_id] = successor
        return successor

    def record_failure(self, session: ChallengeSession) -> ChallengeSession:
        """Count one wrong code against ``session`` (same id) and return the updated copy."""
        updated = replace(session, failures=session.failures + 1)
        with self.lock:
            if session.session_id in self._sessions:
                self._sessions[session.session_id] = updated
        return updated

    def age_sessions(self, seconds: float) -> None:
        """Make every open session ``seconds`` older (tests and demos: simulate waiting)."""
        with self.lock:
            for key, session in list(self._sessions.items()):
                self._sessions[key] = replace(session, expires_at=session.expires_at - seconds)
