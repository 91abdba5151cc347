"""The one seam between the embedded sandbox and the layers above it (training, widgets).

Services never see the sandbox: to them it is an endpoint like any other. The training lab and the
widgets need to *start* one, and they do it through this module only, so swapping the sandbox
(another process, a classroom server) touches one place. ``make lint`` checks that no other
module of those layers imports :mod:`mfa_widgets.sandbox`.

Importing this module does not import moto; :meth:`Sandbox.start` does.
"""

from __future__ import annotations

from mfa_widgets.sandbox import DemoSetup, Sandbox, SandboxPool, SandboxUser
from mfa_widgets.sandbox.plain_moto import PlainMoto

__all__ = ["DemoSetup", "PlainMoto", "Sandbox", "SandboxPool", "SandboxUser", "start_sandbox"]


def start_sandbox(sandbox: Sandbox | None = None) -> Sandbox:
    """Return ``sandbox`` started (a new one when ``None``); starting twice is harmless."""
    return (sandbox or Sandbox()).start()
