"""``python -m mfa_widgets`` runs the ``mfa-widgets`` command."""

from mfa_widgets.commands import main

raise SystemExit(main())
