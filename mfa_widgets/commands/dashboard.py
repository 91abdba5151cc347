"""``mfa-widgets dashboard``: the quickstart in Voila for a presenter (preheated, culled)."""

from __future__ import annotations

import argparse

from mfa_widgets.commands.lab import add_server_arguments
from mfa_widgets.services import launch


def register(parser: argparse.ArgumentParser) -> None:
    """Add the server arguments and set the handler."""
    add_server_arguments(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Copy the notebooks if needed, then become Voila."""
    return launch.start("voila", args.host, args.port, args.dir)
