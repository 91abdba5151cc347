"""``mfa-widgets lab``: open the notebooks in JupyterLab, from a working copy the user owns."""

from __future__ import annotations

import argparse
from pathlib import Path

from mfa_widgets.commands import arguments, needs
from mfa_widgets.services import launch


def add_server_arguments(parser: argparse.ArgumentParser) -> None:
    """``--dir``, ``--host`` and ``--port``, shared by ``lab`` and ``dashboard``."""
    parser.add_argument(
        "--dir",
        type=Path,
        default=launch.DEFAULT_FOLDER,
        help="working folder for the notebooks; missing ones are copied in, existing ones kept "
        f"(default: ./{launch.DEFAULT_FOLDER})",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (loopback)")
    parser.add_argument(
        "--port", type=arguments.port, default=8888, help="port to listen on (8888; 0: a free one)"
    )


def register(parser: argparse.ArgumentParser) -> None:
    """Add the server arguments and ``--learner``, and set the handler."""
    add_server_arguments(parser)
    parser.add_argument(
        "--learner",
        action="store_true",
        help="copy the learner's edition: the training lab without its worked solutions "
        "(the trainer's copy, the default, keeps them)",
    )
    parser.set_defaults(func=run, extras=needs.always("demo", "JupyterLab and Voila"))


def run(args: argparse.Namespace) -> int:
    """Copy the notebooks if needed, then become JupyterLab."""
    return launch.start("lab", args.host, args.port, args.dir, learner=args.learner)
