"""The checks of the secrets a sign-in presents: each a small value the gates call once.

A proof holds what was presented and what it is checked against; :func:`~.gates.attempt` calls
it inside its critical section with the live session (``None`` without one) and gets ``None`` for
a right secret or the error a wrong one answers. They are values, not closures of the machine,
so the gates never call back into the state machine.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Any

from mfa_widgets.sandbox.bridge.moto_bridge import WRONG_PASSWORD, MotoBridge
from mfa_widgets.sandbox.bridge.views import PoolView, UserView
from mfa_widgets.sandbox.cognito.context import RequestContext
from mfa_widgets.sandbox.cognito.signin.srp import ServerSrp
from mfa_widgets.sandbox.cognito.signin.webauthn import verify_assertion
from mfa_widgets.sandbox.store.codes import CodeCheck
from mfa_widgets.sandbox.store.state import ChallengeSession
from mfa_widgets.sandbox.wire import WireError, code_already_used, not_authorized

__all__ = [
    "CODE_MISMATCH",
    "MESSAGE_CODE_MISMATCH",
    "DeliveredCode",
    "Passkey",
    "Password",
    "SrpClaim",
    "TotpCode",
]

#: A wrong authenticator code (conformance case totp.wrong-code-at-sign-in: clients quote it).
CODE_MISMATCH = WireError("CodeMismatchException", "Invalid code received for user")
#: A wrong SMS or email code (conformance cases challenge.sms-mfa-wrong-code and
#: choice.email-otp-wrong-code, recorded from the real service).
MESSAGE_CODE_MISMATCH = WireError(
    "CodeMismatchException", "Invalid code or auth state for the user."
)


@dataclass(frozen=True)
class Password:
    """A password, checked against the one moto holds; other refusals (unconfirmed) are raised."""

    bridge: MotoBridge
    pool: PoolView
    user: UserView
    password: str

    def __call__(self, _: ChallengeSession | None) -> WireError | None:
        """``None`` for the right secret, else the error a wrong one answers."""
        try:
            self.bridge.check_password(self.pool, self.user, self.password)
        except WireError as error:
            if error.message == WRONG_PASSWORD:
                return error
            raise
        return None


@dataclass(frozen=True)
class SrpClaim:
    """An SRP password claim, checked against the live session's server half."""

    suffix: str
    username: str
    answers: dict[str, Any]

    def __call__(self, live: ChallengeSession | None) -> WireError | None:
        """``None`` for the right secret, else the error a wrong one answers."""
        server = None if live is None else live.proof
        if isinstance(server, ServerSrp) and server.check(self.suffix, self.username, self.answers):
            return None
        return not_authorized(WRONG_PASSWORD)


@dataclass(frozen=True)
class DeliveredCode:
    """An SMS or email code, checked against the live session's."""

    code: str

    def __call__(self, live: ChallengeSession | None) -> WireError | None:
        """``None`` for the right secret, else the error a wrong one answers."""
        sent = None if live is None else live.code
        if sent is not None and hmac.compare_digest(sent, self.code):
            return None
        return MESSAGE_CODE_MISMATCH


@dataclass(frozen=True)
class TotpCode:
    """An authenticator code, in a time step not used before."""

    ctx: RequestContext
    key: tuple[str, str]
    code: str

    def __call__(self, _: ChallengeSession | None) -> WireError | None:
        """``None`` for the right secret, else the error a wrong one answers."""
        secret = self.ctx.state.user(*self.key).totp_secret
        steps = self.ctx.state.totp_steps
        found = CodeCheck.MISMATCH if secret is None else steps.check(self.key, secret, self.code)
        if found == CodeCheck.USED:  # a right code whose step was used: not a wrong one
            raise code_already_used()
        return None if found == CodeCheck.OK else CODE_MISMATCH


@dataclass(frozen=True)
class Passkey:
    """A passkey assertion, checked against the user's passkeys and the session's challenge."""

    ctx: RequestContext
    pool: PoolView
    user: UserView
    credential: object

    def __call__(self, live: ChallengeSession | None) -> WireError | None:
        """``None`` for the right secret, else the error a wrong one answers."""
        challenge = live.proof if live is not None and isinstance(live.proof, bytes) else b""
        try:
            verify_assertion(self.ctx, self.pool, self.user, self.credential, challenge)
        except WireError as error:
            return error
        return None
