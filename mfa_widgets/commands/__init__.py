"""Subcommands of ``mfa-widgets`` (see :mod:`mfa_widgets.cli`)."""
