"""The errors the training layer raises, in one place.

Both are :class:`~mfa_widgets.core.errors.MfaWidgetsError`, and both are importable from
:mod:`mfa_widgets`::

    MfaWidgetsError                      (mfa_widgets.core.errors)
    ├── LabError           ValueError    a lab call that cannot work (unknown exercise, not set up)
    └── ClassroomError     RuntimeError  the classroom refused a learner's call, or is unreachable
"""

from __future__ import annotations

from mfa_widgets.core.errors import MfaWidgetsError

__all__ = ["ClassroomError", "LabError"]


class LabError(MfaWidgetsError, ValueError):
    """A lab call that cannot work: an unknown exercise, or one not set up yet."""


class ClassroomError(MfaWidgetsError, RuntimeError):
    """The classroom refused a call, or cannot be reached."""
