"""The ``mfa-widgets`` command line: :func:`main` dispatches to one module per subcommand."""

from __future__ import annotations

from mfa_widgets.commands.main import main

__all__ = ["main"]
