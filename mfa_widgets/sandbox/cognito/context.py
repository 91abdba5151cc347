"""What an operation handler gets: the parsed request, its token's owner and the sandbox's parts.

The app checks the access token of a token-authorized operation once, before the handler runs,
and puts its owner on the context (:attr:`RequestContext.owner`); a handler never checks it again.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mfa_widgets.sandbox.bridge.moto_bridge import MotoBridge
from mfa_widgets.sandbox.cognito.access import INVALID, TokenOwner
from mfa_widgets.sandbox.store.outbox import Outbox
from mfa_widgets.sandbox.store.state import SandboxState
from mfa_widgets.sandbox.wire import not_authorized

__all__ = ["Handler", "MotoResponse", "RequestContext"]


@dataclass
class MotoResponse:
    """moto's answer to a forwarded request, buffered so it can be checked or patched."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def json(self) -> dict[str, Any]:
        """The body as a JSON object (``{}`` when empty)."""
        parsed = json.loads(self.body or b"{}")
        return parsed if isinstance(parsed, dict) else {}

    @property
    def ok(self) -> bool:
        """True for HTTP 2xx."""
        return 200 <= self.status < 300


@dataclass
class RequestContext:
    """One cognito-idp request as the fidelity layer sees it.

    Attributes
    ----------
    operation
        The operation name from ``X-Amz-Target``, e.g. ``"SetUserMFAPreference"``.
    body
        The JSON request document.
    region
        The region the request was signed for (the sandbox's region for unsigned requests).
    forward
        Sends the unchanged request to moto and returns its buffered answer.
    owner
        Who the request's ``AccessToken`` belongs to (checked once by the app), or ``None``
        when the request carries none.
    """

    operation: str
    body: dict[str, Any]
    region: str
    bridge: MotoBridge
    state: SandboxState
    outbox: Outbox
    forward: Callable[[], MotoResponse] = field(repr=False)
    owner: TokenOwner | None = None

    @property
    def caller(self) -> TokenOwner:
        """The owner of the request's access token (``NotAuthorizedException`` without one)."""
        if self.owner is None:
            raise not_authorized(INVALID)
        return self.owner


#: What answers one operation: the request in, Cognito's answer (or moto's, patched) out.
Handler = Callable[[RequestContext], "dict[str, Any] | MotoResponse"]
