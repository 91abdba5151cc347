"""The checks of the secrets a sign-in presents: each a small value the gates call once.

A proof holds the request's parameters (or a challenge's answers); :func:`~.gates.attempt` calls
it inside its critical section with the admitted party and the live session (``None`` without
one) and gets ``None`` for a right secret or the error a wrong one answers. A proof reads its
parameters when called, so the gates can make one from the answers themselves (the machine's
``CHECKED`` names the proof of each challenge): an answer is bound to its session and its
secret checked in one call of the gates, and the gates never call back into the machine.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mfa_widgets.sandbox.bridge.moto_bridge import WRONG_PASSWORD
from mfa_widgets.sandbox.cognito.context import RequestContext
from mfa_widgets.sandbox.cognito.signin import devices
from mfa_widgets.sandbox.cognito.signin.srp import ServerSrp
from mfa_widgets.sandbox.cognito.signin.webauthn import verify_assertion
from mfa_widgets.sandbox.store.codes import CodeCheck
from mfa_widgets.sandbox.store.state import ChallengeSession
from mfa_widgets.sandbox.wire import WireError, code_already_used, not_authorized, required

if TYPE_CHECKING:
    from mfa_widgets.sandbox.cognito.signin.gates import Party

__all__ = [
    "CODE_MISMATCH",
    "MESSAGE_CODE_MISMATCH",
    "DeliveredCode",
    "DeviceClaim",
    "Passkey",
    "Password",
    "Proof",
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
_CLAIM = ("PASSWORD_CLAIM_SIGNATURE", "PASSWORD_CLAIM_SECRET_BLOCK", "TIMESTAMP")


@dataclass(frozen=True)
class Proof:
    """A secret presented in ``parameters`` (the request's, or a challenge's answers)."""

    ctx: RequestContext
    parameters: dict[str, Any]

    def __call__(self, party: Party, live: ChallengeSession | None) -> WireError | None:
        """``None`` for the right secret, else the error a wrong one answers."""
        raise NotImplementedError


class Password(Proof):
    """A password, checked against the one moto holds; other refusals (unconfirmed) are raised."""

    def __call__(self, party: Party, live: ChallengeSession | None) -> WireError | None:
        """``None`` for the right secret, else the error a wrong one answers."""
        password = required(self.parameters, "PASSWORD")
        try:
            self.ctx.bridge.check_password(party.pool, party.user, password)
        except WireError as error:
            if error.message == WRONG_PASSWORD:
                return error
            raise
        return None


class SrpClaim(Proof):
    """An SRP password claim, checked against the live session's server half."""

    def __call__(self, party: Party, live: ChallengeSession | None) -> WireError | None:
        """``None`` for the right secret, else the error a wrong one answers."""
        for name in _CLAIM:
            required(self.parameters, name)
        server = None if live is None else live.proof
        suffix = party.pool.id.split("_", 1)[1]
        if isinstance(server, ServerSrp) and server.check(
            suffix, party.user.username, self.parameters
        ):
            return None
        return not_authorized(WRONG_PASSWORD)


class DeliveredCode(Proof):
    """An SMS or email code (``<challenge>_CODE``), checked against the live session's."""

    def __call__(self, party: Party, live: ChallengeSession | None) -> WireError | None:
        """``None`` for the right secret, else the error a wrong one answers."""
        assert live is not None  # the gates call a proof of an answer with its live session
        code = required(self.parameters, f"{live.challenge}_CODE")
        if live.code is not None and hmac.compare_digest(live.code, code):
            return None
        return MESSAGE_CODE_MISMATCH


class TotpCode(Proof):
    """An authenticator code, in a time step not used before."""

    def __call__(self, party: Party, live: ChallengeSession | None) -> WireError | None:
        """``None`` for the right secret, else the error a wrong one answers."""
        code = required(self.parameters, "SOFTWARE_TOKEN_MFA_CODE")
        state = self.ctx.state
        secret = state.user(*party.key).totp_secret
        steps = state.totp_steps
        found = CodeCheck.MISMATCH if secret is None else steps.check(party.key, secret, code)
        if found == CodeCheck.USED:  # a right code whose step was used: not a wrong one
            raise code_already_used()
        return None if found == CodeCheck.OK else CODE_MISMATCH


class Passkey(Proof):
    """A passkey assertion, checked against the user's passkeys and the session's challenge."""

    def __call__(self, party: Party, live: ChallengeSession | None) -> WireError | None:
        """``None`` for the right secret, else the error a wrong one answers."""
        challenge = live.proof if live is not None and isinstance(live.proof, bytes) else b""
        credential = self.parameters.get("CREDENTIAL")
        try:
            verify_assertion(self.ctx, party.pool, party.user, credential, challenge)
        except WireError as error:
            return error
        return None


class DeviceClaim(Proof):
    """A remembered device's SRP claim, checked against the session's exchange."""

    def __call__(self, party: Party, live: ChallengeSession | None) -> WireError | None:
        """``None`` for the right secret, else the error a wrong one answers."""
        assert live is not None  # the gates call a proof of an answer with its live session
        device = devices.remembered(self.ctx, live, party.pool, party.user, self.parameters)
        for name in _CLAIM:
            required(self.parameters, name)
        server = live.proof
        if isinstance(server, ServerSrp) and server.check(
            device.group_key, device.key, self.parameters
        ):
            return None
        return not_authorized("Incorrect username or password.")
