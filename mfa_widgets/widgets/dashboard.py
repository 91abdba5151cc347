"""The whole toolkit in one dashboard, and :func:`demo`, the one-line entry on the sandbox.

``demo()`` starts an embedded sandbox (unless one is given), provisions the demo users
``alice``, ``bob`` and ``carol``, signs the chosen user in inside the kernel (the access token
never reaches a widget) and shows tabs: Preferences, Sign-in probe, Authenticator (TOTP),
Explorer, Admin, Audit and Log. Every call is logged to one
:class:`~mfa_widgets.services.log.MfaLog`.

Only the first tab is built with the dashboard; each other tab is built the first time it is
shown, or its panel is read in code (``dash.audit``). Every widget model is a message and a view
the browser must create before the page is usable: the six hidden tabs were three quarters of
the dashboard's ~410 models and about a second of a Voila visitor's wait
(benchmarks/bench_voila.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar, cast

import ipywidgets as w

from mfa_widgets.services.client import MfaClient
from mfa_widgets.services.log import MfaLog
from mfa_widgets.widgets._common import Panel, action, block, header, status_line, styled
from mfa_widgets.widgets.admin import AdminPanel
from mfa_widgets.widgets.audit_panel import AuditPanel
from mfa_widgets.widgets.connection import TokenTarget
from mfa_widgets.widgets.explorer import ExplorerPanel
from mfa_widgets.widgets.impact_panel import ImpactPanel
from mfa_widgets.widgets.log_view import LogView
from mfa_widgets.widgets.preference_panel import PreferencePanel
from mfa_widgets.widgets.probe import SignInProbe
from mfa_widgets.widgets.state import PanelStatus, StatusKind
from mfa_widgets.widgets.theme import STYLESHEET
from mfa_widgets.widgets.totp import TotpEnrollmentPanel

if TYPE_CHECKING:
    from mfa_widgets.embedded import DemoSetup, Sandbox

__all__ = ["TAB_TITLES", "Dashboard", "demo"]

_P = TypeVar("_P", bound=Panel)

#: The dashboard's tabs, in order.
TAB_TITLES = (
    "Preferences",
    "Sign-in probe",
    "Authenticator (TOTP)",
    "Explorer",
    "Admin",
    "Audit",
    "Impact",
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
    preferences, totp, probe, explorer, admin, audit, impact, log_view
        The panels, one per tab. A tab's panel is built when the tab is first shown or the
        attribute is first read. ``preferences`` and ``totp`` follow the chosen user (a new
        panel for each user).
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
        # A sweep makes ~80 calls: they go to a log of their own, not the presenter's.
        self.sweep_log = MfaLog()
        self._built: dict[str, Panel] = {}  # tab title -> its panel, once built
        self._admin_shows: str | None = None  # the user the Admin tab has loaded, if any
        self._registered: set[str] = set()  # demo users who registered an app in this session
        self.user_picker = styled(
            w.Dropdown(options=list(setup.users), description="Demo user", value=user),
            "dashboard",
            "user",
        )
        placeholders = [_placeholder() for _ in TAB_TITLES]
        self.tabs = styled(w.Tab(placeholders, titles=TAB_TITLES), "dashboard", "tabs")
        self.widget = styled(
            w.VBox(
                [
                    w.HTML(STYLESHEET),
                    header(f"mfa_widgets demo — sandbox pool {setup.pool.pool_id}"),
                    self.user_picker,
                    status_line(self.status),
                    self.tabs,
                ]
            ),
            "dashboard",
        )
        self._activate(user)
        self.user_picker.observe(lambda change: self._activate(change.new), names="value")
        self.tabs.observe(lambda _change: self._show_selected(), names="selected_index")
        self._show_selected()

    @property
    def user(self) -> str:
        """The demo user the Preferences and Authenticator tabs act for."""
        return str(self.user_picker.value)

    @property
    def preferences(self) -> PreferencePanel:
        """The Preferences tab: the chosen user's MFA preference, through their access token."""
        return self._panel("Preferences", self._new_preferences)

    @property
    def probe(self) -> SignInProbe:
        """The Sign-in probe tab."""
        return self._panel("Sign-in probe", self._new_probe)

    @property
    def totp(self) -> TotpEnrollmentPanel:
        """The Authenticator (TOTP) tab, for the chosen user."""
        return self._panel("Authenticator (TOTP)", self._new_totp)

    @property
    def explorer(self) -> ExplorerPanel:
        """The Explorer tab (its sweeps log to :attr:`sweep_log`)."""
        return self._panel("Explorer", lambda: ExplorerPanel(self.client, log=self.sweep_log))

    @property
    def admin(self) -> AdminPanel:
        """The Admin tab; it reads the chosen user when it is shown."""
        return self._panel("Admin", self._new_admin)

    @property
    def audit(self) -> AuditPanel:
        """The Audit tab."""
        return self._panel(
            "Audit", lambda: AuditPanel(self.client, user_pool_id=self.setup.pool.pool_id)
        )

    @property
    def impact(self) -> ImpactPanel:
        """The Impact tab: a pool change predicted from the Audit tab's audit, rehearsed here."""
        return self._panel(
            "Impact", lambda: ImpactPanel(lambda: self.audit.audit, sandbox_client=self.client)
        )

    @property
    def log_view(self) -> LogView:
        """The Log tab, showing :attr:`log`."""
        return self._panel("Log", lambda: LogView(self.log))

    def switch_user(self, username: str) -> None:
        """Sign ``username`` in (in the kernel) and rebuild the token-path panels for them."""
        if self.user_picker.value != username:
            self.user_picker.value = username  # the picker's observer activates the user
        else:
            self._activate(username)

    def _panel(self, title: str, build: Callable[[], _P]) -> _P:
        """The panel of tab ``title``, built (and put in its tab) on first use."""
        panel = self._built.get(title)
        if panel is None:
            panel = self._built[title] = build()
            index = TAB_TITLES.index(title)
            old = self.tabs.children[index]
            children = list(self.tabs.children)
            children[index] = panel.widget
            self.tabs.children = children
            old.close()
        return cast(_P, panel)

    def _forget(self, title: str) -> None:
        """Close the panel of tab ``title``; it is built again (for the new user) when needed."""
        panel = self._built.pop(title, None)
        if panel is None:
            return
        index = TAB_TITLES.index(title)
        children = list(self.tabs.children)
        children[index] = _placeholder()
        self.tabs.children = children
        panel.close()

    def _show_selected(self) -> None:
        """Build the tab on screen if it is not built yet; load the Admin tab's user."""
        index = self.tabs.selected_index
        if index is None:
            return
        title = TAB_TITLES[index]
        getattr(self, _ATTRIBUTES[title])
        self._load_admin_if_shown()

    def _activate(self, username: str) -> None:
        with action(self.status, f"Signing in {username}…"):
            tokens = self.sandbox.sign_in(
                self.setup.pool, username, self.setup.users[username].password
            )
            self._access_token = str(tokens["AccessToken"])
            for title in _PER_USER:
                self._forget(title)
            self._show_selected()
            if "Sign-in probe" in self._built:
                self.probe.state.username = username
            if "Admin" in self._built:
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
        for panel in list(self._built.values()):
            panel.close()
        super().close()
        self._access_token = ""
        if self._owns_sandbox:
            self.sandbox.stop()

    def _totp_registered(self) -> None:
        """The Authenticator tab verified an app: remember it (for switching back) and say so."""
        self._registered.add(self.user)
        if "Preferences" in self._built:
            self.preferences.mark_totp_registered()

    def _token_target(self) -> TokenTarget:
        return TokenTarget(self.client, lambda: self._access_token)

    def _new_preferences(self) -> PreferencePanel:
        username = self.user
        registered = username in self._registered or self.setup.users[username].totp
        return PreferencePanel(self._token_target(), totp_registered=registered)

    def _new_totp(self) -> TotpEnrollmentPanel:
        return TotpEnrollmentPanel(
            self._token_target(), sandbox=self.sandbox, on_verified=self._totp_registered
        )

    def _new_probe(self) -> SignInProbe:
        pool = self.setup.pool
        probe = SignInProbe(
            self.client,
            pool.pool_id,
            pool.client_id,
            sandbox=self.sandbox,
            passwords={name: u.password for name, u in self.setup.users.items()},
        )
        probe.state.username = self.user
        return probe

    def _new_admin(self) -> AdminPanel:
        admin = AdminPanel(self.client, user_pool_id=self.setup.pool.pool_id)
        admin.state.username = self.user
        return admin


#: The attribute holding each tab's panel.
_ATTRIBUTES = dict(
    zip(
        TAB_TITLES,
        ("preferences", "probe", "totp", "explorer", "admin", "audit", "impact", "log_view"),
        strict=True,
    )
)
#: Tabs whose panel acts for the chosen user through their token (rebuilt when it changes).
_PER_USER = ("Preferences", "Authenticator (TOTP)")


def _placeholder() -> w.HTML:
    """What a tab shows until its panel is built (a moment after it is first selected)."""
    return styled(w.HTML(block("Loading…")), "tab", "loading")


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
