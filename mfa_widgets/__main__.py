"""``python -m mfa_widgets`` runs the ``mfa-widgets`` command."""

from mfa_widgets.cli import main

raise SystemExit(main())
