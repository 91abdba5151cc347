"""``mfa-widgets dashboard``: the quickstart in Voila for a presenter (preheated, culled)."""

from __future__ import annotations

import argparse

from mfa_widgets.commands import needs
from mfa_widgets.commands.lab import add_server_arguments
from mfa_widgets.services import launch


def register(parser: argparse.ArgumentParser) -> None:
    """Add the server arguments and set the handler."""
    add_server_arguments(parser)
    parser.add_argument(
        "--cull-idle",
        type=int,
        default=launch.CULL_IDLE_SECONDS,
        metavar="SECONDS",
        help="shut down a kernel no page uses after this long idle "
        f"(default {launch.CULL_IDLE_SECONDS}; 0: never)",
    )
    parser.add_argument(
        "--preheat",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="keep a kernel that already ran the notebook waiting for the next visitor",
    )
    parser.set_defaults(func=run, extras=needs.always("demo", "the Voila dashboard"))


def run(args: argparse.Namespace) -> int:
    """Copy the notebooks if needed, then become Voila."""
    return launch.start(
        "voila", args.host, args.port, args.dir, cull_idle=args.cull_idle, preheat=args.preheat
    )
