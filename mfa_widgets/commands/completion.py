"""``mfa-widgets completion bash|zsh``: a shell completion script generated from the parser.

The script comes from `shtab <https://github.com/iterative/shtab>`_, which reads the argparse
parser itself, so it never drifts from the real options. Install it with, for example::

    mfa-widgets completion bash > ~/.local/share/bash-completion/completions/mfa-widgets
    mfa-widgets completion zsh > "${fpath[1]}/_mfa-widgets"
"""

from __future__ import annotations

import argparse

SHELLS = ("bash", "zsh")


def register(parser: argparse.ArgumentParser) -> None:
    """Add the shell argument and set the handler."""
    parser.add_argument("shell", choices=SHELLS, help="the shell to complete for")
    parser.set_defaults(func=run)


def script(shell: str) -> str:
    """The completion script for ``shell`` covering every subcommand and option."""
    import shtab

    from mfa_widgets.commands.main import build_parser

    return str(shtab.complete(build_parser([], complete=True), shell=shell))


def run(args: argparse.Namespace) -> int:
    """Print the completion script."""
    print(script(args.shell))
    return 0
