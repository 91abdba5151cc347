"""Argument types for the subcommands: values are checked when parsed, with one-line errors.

argparse turns the :class:`argparse.ArgumentTypeError` these raise into
``mfa-widgets CMD: error: argument --x: <message>`` and exit status 2.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mfa_widgets.core.errors import MfaWidgetsError
from mfa_widgets.core.validation import need_count, need_rate

if TYPE_CHECKING:
    from mfa_widgets.services.client import MfaClient

__all__ = ["admin_client", "input_file", "output_file", "port", "rate", "workers"]


def admin_client(args: argparse.Namespace) -> MfaClient:
    """The client of a long admin job, from ``--region``, ``--endpoint-url``, ``--profile``.

    Adaptive retries (five attempts), so throttled reads are retried at the quota.
    """
    from mfa_widgets.services.client import MfaClient

    return MfaClient(
        region=args.region,
        endpoint_url=args.endpoint_url,
        profile=args.profile,
        retry_mode="adaptive",
        max_attempts=5,
    )


def _checked(check: Callable[[Any], Any], parse: Callable[[str], Any]) -> Callable[[str], Any]:
    def convert(text: str) -> Any:
        try:
            return check(parse(text))
        except (ValueError, MfaWidgetsError) as error:  # both carry a message for people
            raise argparse.ArgumentTypeError(str(error)) from None

    return convert


def _whole(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise ValueError(f"{text!r:.40} is not a whole number") from None


def _number(text: str) -> float:
    try:
        return float(text.strip())
    except ValueError:
        raise ValueError(f"{text!r:.40} is not a number") from None


def _port(value: int) -> int:
    return need_count(value, "the port", minimum=0, maximum=65535)


def _workers(value: int) -> int:
    return need_count(value, "workers", minimum=1, maximum=256)


def _rate(value: float) -> float:
    return need_rate(value, "the rate")


#: ``--port``: 0 (a free port) to 65535.
port = _checked(_port, _whole)
#: ``--workers``: 1 to 256 calls in flight.
workers = _checked(_workers, _whole)
#: ``--read-rate`` and other requests/s limits: a finite number >= 0 (0 = unlimited).
rate = _checked(_rate, _number)


def output_file(text: str) -> Path:
    """``--csv FILE`` and other files a command writes: checked before any work is done.

    An audit reads a whole pool before it writes its table; a file it cannot write must be
    refused now, not after minutes of quota. The file itself may exist (it is replaced, or
    resumed from); its folder must exist and be writable, and the path must not be a folder.
    """
    if not text.strip():
        raise argparse.ArgumentTypeError("the file name is empty: give a path, e.g. out.csv")
    try:
        return _writable(text, Path(text).expanduser())
    except (OSError, ValueError) as error:  # a name too long, a NUL byte
        reason = getattr(error, "strerror", None) or str(error)
        raise argparse.ArgumentTypeError(
            f"cannot use {text!r:.60} as a file name ({reason}): choose a shorter, plain path"
        ) from None


def _writable(text: str, path: Path) -> Path:
    if path.is_dir():
        raise argparse.ArgumentTypeError(
            f"{text!r:.80} is a folder: name a file in it (a new one, or one saved before)"
        )
    folder = path.parent
    if not folder.is_dir():
        raise argparse.ArgumentTypeError(
            f"{str(folder)!r:.80} does not exist: the folder must exist before any work is "
            "done (create it, or choose another path)"
        )
    if not os.access(folder, os.W_OK):
        raise argparse.ArgumentTypeError(
            f"cannot write in {str(folder)!r:.80}: choose a folder you may write to"
        )
    return path


def input_file(text: str) -> Path:
    """``--from FILE`` and other files a command reads: it must be there, and be a file."""
    path = Path(text).expanduser()
    try:
        if path.is_file():
            return path
        missing = not path.exists()
    except (OSError, ValueError) as error:  # a name too long, a NUL byte
        reason = getattr(error, "strerror", None) or str(error)
        raise argparse.ArgumentTypeError(f"cannot read {text!r:.60} ({reason})") from None
    what = "no such file" if missing else "not a file"
    raise argparse.ArgumentTypeError(f"{text!r:.80}: {what}; check the path (a file saved before)")
