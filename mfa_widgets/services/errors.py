"""The errors and warnings the services raise, in one place.

Every error is an :class:`~mfa_widgets.core.errors.MfaWidgetsError` (the core's root, defined in
:mod:`mfa_widgets.core.errors` with the errors of the pure rules), so
``except MfaWidgetsError`` catches all of them::

    MfaWidgetsError                      (mfa_widgets.core.errors)
    ├── LogEventError      ValueError    a log event field the log cannot store
    ├── LogFileError       ValueError    a saved log that cannot be read
    │   └── LogWriteError  OSError       the autosave file could not take an event
    ├── AuditError         ValueError    an audit that cannot start or continue
    └── PortInUseError                   the port asked for a server is taken

    UserWarning
    └── LogRecoveryWarning               a saved log had a truncated last line, left out
    RuntimeWarning
    └── SubscriberWarning                a log subscriber raised; the event was logged anyway

Every name here is importable from :mod:`mfa_widgets`.
"""

from __future__ import annotations

from mfa_widgets.core.errors import MfaWidgetsError

__all__ = [
    "AuditError",
    "LogEventError",
    "LogFileError",
    "LogRecoveryWarning",
    "LogWriteError",
    "PortInUseError",
    "SubscriberWarning",
]


class LogEventError(MfaWidgetsError, ValueError):
    """A log event field has a value the log cannot store; the message names field and fix."""


class LogFileError(MfaWidgetsError, ValueError):
    """A saved log cannot be read (beyond a truncated last line, which is tolerated)."""


class LogWriteError(LogFileError, OSError):
    """An event is logged in memory but the autosave file could not take it (disk full, ...)."""


class LogRecoveryWarning(UserWarning):
    """A saved log was read or reopened after a crash: a truncated last line was left out."""


class SubscriberWarning(RuntimeWarning):
    """A log subscriber raised; the event was logged anyway."""


class AuditError(MfaWidgetsError, ValueError):
    """An audit cannot start or continue: a bad argument or a checkpoint that doesn't fit."""


class PortInUseError(MfaWidgetsError):
    """The port asked for is taken by another program; the message says how to choose another.

    Parameters
    ----------
    host, port
        The address asked for.
    """

    def __init__(self, host: str, port: int) -> None:
        super().__init__(
            f"port {port} on {host} is already in use (another server is running there): "
            f"stop it, or choose another port with --port {port + 1} (with make: PORT={port + 1}), "
            "or --port 0 for a free one"
        )
        self.host = host
        self.port = port
