"""What a parsed command needs installed, checked before it makes any call.

A subcommand declares its extras with ``parser.set_defaults(extras=...)``: a function of the
parsed arguments returning ``(extra, feature)`` pairs, since an option can bring a need of its own
(``audit --parquet`` needs pyarrow, ``explore`` without ``--endpoint-url`` starts a sandbox).
:func:`check_extras` runs right after parsing, so a missing extra is one line naming it before a
pool is read, a server started or a file written, never a traceback or an export refused at the
end of the work.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable

from mfa_widgets.core.extras import require_extra

__all__ = ["Needs", "always", "check_extras"]

#: ``extras(args) -> [(extra, feature), ...]``: what the command, with these options, needs.
Needs = Callable[[argparse.Namespace], Iterable[tuple[str, str]]]


def always(extra: str, feature: str) -> Needs:
    """A :data:`Needs` for a command that needs ``extra`` whatever its options."""
    return lambda args: [(extra, feature)]


def check_extras(args: argparse.Namespace) -> None:
    """Raise :class:`~mfa_widgets.core.extras.MissingExtraError` for the first extra missing."""
    needs: Needs | None = getattr(args, "extras", None)
    for extra, feature in needs(args) if needs is not None else ():
        require_extra(extra, feature)
