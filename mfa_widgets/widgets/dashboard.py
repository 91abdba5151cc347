"""The whole toolkit in one dashboard, and :func:`demo`, the one-line entry on the sandbox.

``demo()`` starts an embedded sandbox (unless one is given), provisions the demo users
``alice``, ``bob`` and ``carol``, signs the chosen user in inside the kernel (the access token
never reaches a widget) and shows tabs: Preferences, Sign-in probe, Authenticator (TOTP),
Explorer, Admin and Log. Every call is logged to one :class:`~mfa_widgets.services.log.MfaLog`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as w

from mfa_widgets.services.client import MfaClient
from mfa_widgets.services.log import MfaLog
from mfa_widgets.widgets._common import Panel, action, header, status_line, styled
from mfa_widgets.widgets.admin import AdminPanel
from mfa_widgets.widgets.audit_panel import AuditPanel
from mfa_widgets.widgets.connection import TokenTarget
from mfa_widgets.widgets.explorer import ExplorerPanel
from mfa_widgets.widgets.log_view import LogView
from mfa_widgets.widgets.preference_panel import PreferencePanel
from mfa_widgets.widgets.probe import SignInProbe
from mfa_widgets.widgets.state import PanelStatus, StatusKind
from mfa_widgets.widgets.theme import STYLESHEET
from mfa_widgets.widgets.totp import TotpEnrollmentPanel

if TYPE_CHECKING:
    from mfa_widgets.embedded import DemoSetup, Sandbox

__all__ = ["TAB_TITLES", "Dashboard", "demo"]

#: The dashboard's tabs, in order.
TAB_TITLES = (
    "Preferences",
    "Sign-in probe",
    "Authenticator (TOTP)",
    "Explorer",
    "Admin",
    "Audit",
    "Log",
)


class Dashboard(Panel):
    """Every panel on one demo pool, for one chosen demo user at a time.

    Build it with :func:`demo`. The parts are attributes, so a notebook or a test can drive them.

    Parameters
    ----------
    sandbox
        A running sandbox.
    setup
        The demo pool and users (:meth:`Sandbox.provision_demo`).
    log
        The log every call goes to.
    user
        The demo user shown first.
    owns_sandbox
        Stop the sandbox in :meth:`close` (it was started for this dashboard).

    Attributes
    ----------
    preferences, totp, probe, explorer, admin, log_view
        The panels. ``preferences`` and ``totp`` are rebuilt when the user changes.
    client
        The :class:`~mfa_widgets.services.client.MfaClient` every panel calls through.
    """

    def __init__(
        self,
        sandbox: Sandbox,
        setup: DemoSetup,
        log: MfaLog,
        *,
        user: str = "alice",
        owns_sandbox: bool = False,
    ) -> None:
        self.sandbox = sandbox
        self.setup = setup
        self.log = log
        self.client = MfaClient.for_sandbox(sandbox, log=log)
        self.status = PanelStatus()
        self._owns_sandbox = owns_sandbox
        self._access_token = ""  # kernel memory only
        pool = setup.pool
        passwords = {name: u.password for name, u in setup.users.items()}
        self.user_picker = styled(
            w.Dropdown(options=list(setup.users), description="Demo user"), "dashboard", "user"
        )
        self.probe = SignInProbe(
            self.client,
            pool.pool_id,
            pool.client_id,
            sandbox=sandbox,
            passwords=passwords,
        )
        # A sweep makes ~80 calls: they go to a log of their own, not the presenter's.
        self.sweep_log = MfaLog()
        self.explorer = ExplorerPanel(self.client, log=self.sweep_log)
        self.admin = AdminPanel(self.client, user_pool_id=pool.pool_id)
        self.audit = AuditPanel(self.client, user_pool_id=pool.pool_id)
        self.log_view = LogView(log)
        self.preferences: PreferencePanel | None = None
        self.totp: TotpEnrollmentPanel | None = None
        self.tabs = styled(w.Tab(), "dashboard", "tabs")
        self.widget = styled(
            w.VBox(
                [
                    w.HTML(STYLESHEET),
                    header(f"mfa_widgets demo — sandbox pool {pool.pool_id}"),
                    self.user_picker,
                    status_line(self.status),
                    self.tabs,
                ]
            ),
            "dashboard",
        )
        self._admin_shows: str | None = None  # the user the Admin tab has loaded, if any
        self._registered: set[str] = set()  # demo users who registered an app in this session
        self.user_picker.value = user
        self._activate(user)
        self.user_picker.observe(lambda change: self._activate(change.new), names="value")
        self.tabs.observe(lambda _change: self._load_admin_if_shown(), names="selected_index")

    @property
    def user(self) -> str:
        """The demo user the Preferences and Authenticator tabs act for."""
        return str(self.user_picker.value)

    def switch_user(self, username: str) -> None:
        """Sign ``username`` in (in the kernel) and rebuild the token-path panels for them."""
        if self.user_picker.value != username:
            self.user_picker.value = username  # the picker's observer activates the user
        else:
            self._activate(username)

    def _activate(self, username: str) -> None:
        with action(self.status, f"Signing in {username}…"):
            tokens = self.sandbox.sign_in(
                self.setup.pool, username, self.setup.users[username].password
            )
            self._access_token = str(tokens["AccessToken"])
            self._build_user_panels()
            self.probe.state.username = username
            self.admin.state.username = username
            self._load_admin_if_shown()
            self.status.say(
                f"Signed in as {username} (token held in kernel memory only).", StatusKind.OK
            )

    def _load_admin_if_shown(self) -> None:
        """Read the user into the Admin tab when it is on screen (not before: first render wins)."""
        on_admin = self.tabs.selected_index == TAB_TITLES.index("Admin")
        if on_admin and self._admin_shows != self.user:
            self._admin_shows = self.user
            self.admin.open_user(self.user)

    def close(self) -> None:
        """Close every panel and widget; stop the sandbox if the dashboard started it."""
        for panel in self._panels():
            panel.close()
        super().close()
        self._access_token = ""
        if self._owns_sandbox:
            self.sandbox.stop()

    def _panels(self) -> list[Panel]:
        panels: list[Any] = [self.preferences, self.probe, self.totp]
        panels += [self.explorer, self.admin, self.audit, self.log_view]
        return [p for p in panels if p is not None]

    def _totp_registered(self) -> None:
        """The Authenticator tab verified an app: remember it (for switching back) and say so."""
        self._registered.add(self.user)
        if self.preferences is not None:
            self.preferences.mark_totp_registered()

    def _build_user_panels(self) -> None:
        for old in (self.preferences, self.totp):
            if old is not None:
                old.close()
        target = TokenTarget(self.client, lambda: self._access_token)
        username = self.user
        registered = username in self._registered or self.setup.users[username].totp
        self.preferences = PreferencePanel(target, totp_registered=registered)
        self.totp = TotpEnrollmentPanel(
            target, sandbox=self.sandbox, on_verified=self._totp_registered
        )
        parts: list[Panel] = [self.preferences, self.probe, self.totp, self.explorer, self.admin]
        parts += [self.audit, self.log_view]
        self.tabs.children = [p.widget for p in parts]
        for index, title in enumerate(TAB_TITLES):
            self.tabs.set_title(index, title)


def demo(
    sandbox: Sandbox | None = None,
    log: MfaLog | None = None,
    *,
    user: str = "alice",
) -> Dashboard:
    """Build the demo dashboard on a local sandbox (one is started if none is given).

    Parameters
    ----------
    sandbox
        A sandbox to use; it is started if needed, and stopped by ``close()`` only when this
        function started it.
    log
        The log for every call; default a new :class:`~mfa_widgets.services.log.MfaLog`.
    user
        The demo user shown first: ``"alice"`` (phone + email), ``"bob"`` (email) or
        ``"carol"`` (email + authenticator).

    Examples
    --------
    >>> from mfa_widgets.widgets.dashboard import demo   # doctest: +SKIP
    >>> dashboard = demo()                                # doctest: +SKIP
    >>> dashboard                                         # doctest: +SKIP
    """
    from mfa_widgets.embedded import Sandbox

    owns = sandbox is None or not sandbox.running
    running = (sandbox or Sandbox()).start()
    try:
        setup = running.provision_demo()
        chosen = log if log is not None else MfaLog()  # an empty log is falsy
        return Dashboard(running, setup, chosen, user=user, owns_sandbox=owns)
    except BaseException:
        if owns:
            running.stop()
        raise
