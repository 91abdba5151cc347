"""The code a user's authenticator app shows: for the sandbox's and the classroom's helpers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mfa_widgets.core.totp import STEP_SECONDS, totp_code

if TYPE_CHECKING:
    from mfa_widgets.sandbox.bridge.moto_bridge import MotoBridge
    from mfa_widgets.sandbox.store.state import SandboxState

__all__ = ["authenticator_code"]


def authenticator_code(
    bridge: MotoBridge,
    state: SandboxState,
    pool_id: str,
    username: str,
    moment: float,
    hint: str = "",
) -> str:
    """A code of the user's registered (else pending) authenticator that the sandbox accepts.

    The code of the time step at ``moment`` (epoch seconds) or, when the user already used that
    step's code, of the next step (still inside Cognito's one-step tolerance): codes are
    single-use per time step.

    Raises
    ------
    LookupError
        When the user never called AssociateSoftwareToken (``hint`` is added to the message).
    """
    view = bridge.pool(pool_id)
    user = bridge.user(view, username)
    mfa = state.user(view.id, user.id)
    secret = mfa.totp_secret or mfa.pending_secret
    if secret is None:
        raise LookupError(
            f"{username!r} has no authenticator: call AssociateSoftwareToken first{hint}"
        )
    step = state.totp_steps.unused_step((view.id, user.id), secret, moment)
    return totp_code(secret, step * STEP_SECONDS)
