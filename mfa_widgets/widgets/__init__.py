"""The ipywidgets views: standard controls composed over traitlets state models.

Each panel is an object that owns its widgets and displays itself (``_repr_mimebundle_``), so it
works in JupyterLab, Notebook 7, Voila and VS Code with no custom JavaScript. Panels hold no
business rules: they ask the core (preferences, challenges, CLI syntax, tokens) and call
:class:`~mfa_widgets.services.client.MfaClient`.

Start with :func:`demo`, which builds the whole dashboard on an embedded sandbox.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mfa_widgets.widgets.admin import AdminPanel
    from mfa_widgets.widgets.audit_panel import AuditPanel
    from mfa_widgets.widgets.authenticator_reset import AuthenticatorResetPanel
    from mfa_widgets.widgets.board import Board
    from mfa_widgets.widgets.charts import impact_figure
    from mfa_widgets.widgets.choice_sign_in import ChoiceSignInPanel
    from mfa_widgets.widgets.connection import (
        AdminTarget,
        ConnectionPanel,
        PreferenceTarget,
        TokenTarget,
    )
    from mfa_widgets.widgets.dashboard import Dashboard, demo
    from mfa_widgets.widgets.explorer import ExplorerPanel
    from mfa_widgets.widgets.impact_panel import ImpactPanel
    from mfa_widgets.widgets.log_view import LogView
    from mfa_widgets.widgets.passkeys import PasskeyPanel
    from mfa_widgets.widgets.preference_panel import PreferencePanel
    from mfa_widgets.widgets.probe import SignInProbe
    from mfa_widgets.widgets.totp import TotpEnrollmentPanel

__all__ = [
    "AdminPanel",
    "AdminTarget",
    "AuditPanel",
    "AuthenticatorResetPanel",
    "Board",
    "ChoiceSignInPanel",
    "ConnectionPanel",
    "Dashboard",
    "ExplorerPanel",
    "ImpactPanel",
    "LogView",
    "PasskeyPanel",
    "PreferencePanel",
    "PreferenceTarget",
    "SignInProbe",
    "TokenTarget",
    "TotpEnrollmentPanel",
    "demo",
    "impact_figure",
]

_MODULES = {
    "AdminPanel": "admin",
    "AdminTarget": "connection",
    "AuthenticatorResetPanel": "authenticator_reset",
    "ChoiceSignInPanel": "choice_sign_in",
    "AuditPanel": "audit_panel",
    "Board": "board",
    "ConnectionPanel": "connection",
    "Dashboard": "dashboard",
    "ExplorerPanel": "explorer",
    "ImpactPanel": "impact_panel",
    "impact_figure": "charts",
    "LogView": "log_view",
    "PasskeyPanel": "passkeys",
    "PreferencePanel": "preference_panel",
    "PreferenceTarget": "connection",
    "SignInProbe": "probe",
    "TokenTarget": "connection",
    "TotpEnrollmentPanel": "totp",
    "demo": "dashboard",
}


def __getattr__(name: str) -> Any:
    """Import each panel's module on first use (PEP 562), keeping start-up light."""
    if name in _MODULES:
        module = importlib.import_module(f"mfa_widgets.widgets.{_MODULES[name]}")
        return getattr(module, name)
    raise AttributeError(f"module 'mfa_widgets.widgets' has no attribute {name!r}")
