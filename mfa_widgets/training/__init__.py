"""Teaching on a sandbox: the training lab's exercises and the checks that sign in to grade them.

This layer sits above the services and reaches the sandbox only through
:mod:`mfa_widgets.embedded`, the one seam between the sandbox and the layers above it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mfa_widgets.training.lab import EXERCISES, CheckResult, Exercise, Lab, LabError

__all__ = ["EXERCISES", "CheckResult", "Exercise", "Lab", "LabError"]


def __getattr__(name: str) -> Any:
    """Import the lab on first use (PEP 562)."""
    if name in __all__:
        return getattr(importlib.import_module("mfa_widgets.training.lab"), name)
    raise AttributeError(f"module 'mfa_widgets.training' has no attribute {name!r}")
