"""Child processes that the tests interrupt the way a terminal's Ctrl-C would."""

from __future__ import annotations

import signal
import subprocess
from typing import Any


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def interruptible(command: list[Any], **kwargs: Any) -> subprocess.Popen[str]:
    """``subprocess.Popen(command, **kwargs)`` with SIGINT at its default in the child.

    A shell without job control starts a background command with SIGINT ignored (POSIX, "Signal
    Concepts"), and a child inherits an ignored signal: in a suite run as ``make test &`` (or by
    ``nohup``), a child sent SIGINT would ignore it, as no foreground command in a terminal does,
    and the Ctrl-C tests would fail for a reason that is not theirs.
    """
    return subprocess.Popen(command, preexec_fn=_default_sigint, **kwargs)
