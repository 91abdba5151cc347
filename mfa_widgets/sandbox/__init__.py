"""The embedded Cognito sandbox: moto's Cognito server plus a fidelity layer for MFA.

Importing this package does not import moto; :meth:`Sandbox.start` does.

Only cognito-idp is served, and only the operations in the table of
:mod:`mfa_widgets.sandbox.operations` (emulated, or answered by moto after review); the rest are
refused with ``UnsupportedOperationException``. Requests are checked against botocore's model,
sign-in locks users out as Cognito documents, codes are single-use, and moto is touched only
through :mod:`mfa_widgets.sandbox.moto_bridge`.

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
    from mfa_widgets.sandbox.outbox import Delivery, Outbox
    from mfa_widgets.sandbox.provision import DemoSetup, SandboxPool, SandboxUser
    from mfa_widgets.sandbox.server import Sandbox

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
    "Delivery": "mfa_widgets.sandbox.outbox",
    "Outbox": "mfa_widgets.sandbox.outbox",
    "Faults": "mfa_widgets.sandbox.faults",
}


def __getattr__(name: str) -> Any:
    """Load the public names on first use (PEP 562)."""
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'mfa_widgets.sandbox' has no attribute {name!r}")
