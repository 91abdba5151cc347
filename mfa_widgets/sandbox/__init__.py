"""The embedded Cognito sandbox: moto's Cognito server plus an emulator that answers as Cognito.

Importing this package does not import moto; :meth:`Sandbox.start` does.

This package is the serving shell: the :class:`Sandbox` (:mod:`.server`), provisioning over the
wire (:mod:`.provision`), the fault seam (:mod:`.faults`), cognito-idp's wire format
(:mod:`.wire`), the quiet WSGI servers (:mod:`.serving`), the CORS policy (:mod:`.cors`) and the
authenticator-app helper (:mod:`.authenticator`). The parts it serves are folders:
:mod:`.cognito` (the emulator: the operations table, request context, access checks and the
operation families; :mod:`.cognito.signin` holds every auth flow and challenge),
:mod:`.store` (what the emulator remembers beside moto), :mod:`.bridge` (the one place moto is
touched) and :mod:`.classroom` (one process, a world per learner).

Only cognito-idp is served, and only the operations in the table of
:mod:`mfa_widgets.sandbox.cognito.operations` (emulated, or answered by moto after review); the
rest are refused with ``UnsupportedOperationException``. Requests are checked against botocore's
model, sign-in locks users out as Cognito documents, codes are single-use, and moto is touched
only through :mod:`mfa_widgets.sandbox.bridge`.

>>> from mfa_widgets.sandbox import Sandbox
>>> with Sandbox() as sandbox:                                   # doctest: +SKIP
...     pool = sandbox.create_pool()
...     client = sandbox.client()
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mfa_widgets.sandbox.faults import Faults
    from mfa_widgets.sandbox.provision import DemoSetup, SandboxPool, SandboxUser
    from mfa_widgets.sandbox.server import Sandbox
    from mfa_widgets.sandbox.store.outbox import Delivery, Outbox

__all__ = [
    "Delivery",
    "DemoSetup",
    "Faults",
    "Outbox",
    "Sandbox",
    "SandboxPool",
    "SandboxUser",
]

_LAZY = {
    "Sandbox": "mfa_widgets.sandbox.server",
    "SandboxPool": "mfa_widgets.sandbox.provision",
    "SandboxUser": "mfa_widgets.sandbox.provision",
    "DemoSetup": "mfa_widgets.sandbox.provision",
    "Delivery": "mfa_widgets.sandbox.store.outbox",
    "Outbox": "mfa_widgets.sandbox.store.outbox",
    "Faults": "mfa_widgets.sandbox.faults",
}


def __getattr__(name: str) -> Any:
    """Load the public names on first use (PEP 562)."""
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'mfa_widgets.sandbox' has no attribute {name!r}")
