"""Argument types for the subcommands: values are checked when parsed, with one-line errors.

argparse turns the :class:`argparse.ArgumentTypeError` these raise into
``mfa-widgets CMD: error: argument --x: <message>`` and exit status 2.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from mfa_widgets.core.errors import MfaWidgetsError
from mfa_widgets.core.validation import need_count, need_rate

if TYPE_CHECKING:
    from mfa_widgets.services.client import MfaClient

__all__ = ["admin_client", "port", "rate", "workers"]


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
