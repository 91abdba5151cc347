"""The admin panel: pick a pool's user and read or set their MFA preference with IAM credentials.

Users come a page at a time from ``ListUsers``; opening one shows a
:class:`~mfa_widgets.widgets.preference_panel.PreferencePanel` with an
:class:`~mfa_widgets.widgets.connection.AdminTarget` (``AdminGetUser`` /
``AdminSetUserMFAPreference``), which also shows the predicted sign-in challenge, and the
user's attribute facts (status, phone and email present and verified). Every call goes through
the client, which logs it.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import ipywidgets as w
import traitlets as t

from mfa_widgets.core.signin import SignInContext
from mfa_widgets.widgets._common import (
    Panel,
    action,
    block,
    header,
    id_box,
    require_input,
    status_line,
    styled,
)
from mfa_widgets.widgets.connection import AdminTarget
from mfa_widgets.widgets.markup import HtmlView, markup
from mfa_widgets.widgets.preference_panel import PreferencePanel
from mfa_widgets.widgets.state import AdminState, PanelStatus, StatusKind

if TYPE_CHECKING:
    from mfa_widgets.services.client import MfaClient

__all__ = ["AdminPanel", "describe_facts"]


def describe_facts(data: Mapping[str, Any]) -> str:
    """Plain words for ``AdminGetUser`` facts: status, phone and email present and verified."""

    def attribute(name: str, present: Any, verified: Any) -> str:
        if not present:
            return f"no {name}"
        return f"{name} present ({'verified' if verified else 'not verified'})"

    parts = [
        f"status {data.get('status') or 'unknown'}",
        attribute("phone", data.get("has_phone"), data.get("phone_verified")),
        attribute("email", data.get("has_email"), data.get("email_verified")),
    ]
    if data.get("enabled_user") is False:
        parts.append("user disabled")
    return ", ".join(parts)


#: Clicks on "Next page" closer together than this are one double-click (the OS default is
#: about half a second).
DOUBLE_CLICK_SECONDS = 0.5


class AdminPanel(Panel):
    """Read and set any pool user's MFA preference with the admin API.

    Parameters
    ----------
    client
        The client calls go through (IAM credentials on real Cognito).
    user_pool_id, username
        Initial pool and user; when both are given the user is opened at once.
    context
        The sign-in situation the preference panel's prediction assumes.
    page_size
        Users per ``ListUsers`` page.

    Attributes
    ----------
    state
        Pool, user and the current page of users.
    status
        The status line.
    preferences
        The open user's :class:`PreferencePanel`, or ``None``.
    """

    def __init__(
        self,
        client: MfaClient,
        *,
        user_pool_id: str = "",
        username: str = "",
        context: SignInContext | None = None,
        page_size: int = 20,
    ) -> None:
        self.client = client
        self.context = context
        self.page_size = page_size
        self.state = AdminState(user_pool_id=user_pool_id, username=username)
        self.status = PanelStatus()
        self.preferences: PreferencePanel | None = None
        self._next_token: str | None = None
        self.pool_box = styled(id_box("Pool id", continuous_update=False), "admin", "pool")
        self.username_box = styled(id_box("Username", continuous_update=False), "admin", "username")
        self.list_button = styled(w.Button(description="List users", icon="list"), "admin", "list")
        self.next_button = styled(w.Button(description="Next page"), "admin", "next")
        self.users_list = styled(w.Select(description="Users", rows=6), "admin", "users")
        self.open_button = styled(
            w.Button(description="Open user", button_style="primary"), "admin", "open"
        )
        self.facts = styled(HtmlView(), "admin", "facts")
        self.slot = styled(w.VBox(), "admin", "user")
        self._next_shown_at = -DOUBLE_CLICK_SECONDS  # when "Next page" last showed a page
        self._wire()
        self.widget = self._layout()
        if user_pool_id and username:
            self.open_user()

    # -- actions -------------------------------------------------------------------------------

    def list_users(self, *, next_page: bool = False) -> None:
        """List the first page of the pool's users (or the next page)."""
        if self.status.busy:
            return  # a click during a call
        if next_page and (
            not self._next_token or time.monotonic() - self._next_shown_at < DOUBLE_CLICK_SECONDS
        ):
            # The second click of a double-click (queued before the button could be disabled):
            # it would skip a page, or restart at page 1 after the last one.
            return
        pool_id = self.state.user_pool_id.strip()
        token = self._next_token if next_page else None
        with action(self.status, "Listing users…"):
            require_input(pool_id, "the pool id", "ListUsers")
            result = self.client.list_users(pool_id, limit=self.page_size, pagination_token=token)
            result.raise_for_error()
            names = tuple(str(u["username"]) for u in result.data.get("users", []))
            self._next_token = result.data.get("next")
            with self.state.hold_trait_notifications():
                self.state.users = names
                self.state.page = self.state.page + 1 if next_page else 1
                self.state.has_next = bool(self._next_token)
            if next_page:
                self._next_shown_at = time.monotonic()
            more = " More on the next page." if self._next_token else ""
            self.status.say(
                f"Page {self.state.page}: {len(names)} users.{more}",
                StatusKind.INFO,
            )

    def open_user(self, username: str | None = None) -> None:
        """Show ``username``'s preference panel (default: the typed or selected user)."""
        if username is not None:
            self.state.username = username
        pool_id = self.state.user_pool_id.strip()
        name = self.state.username.strip()
        with action(self.status, f"Reading {name}…"):
            require_input(pool_id, "the pool id", "AdminGetUser")
            require_input(name, "a username", "AdminGetUser")
            self._close_user()
            panel = PreferencePanel(
                AdminTarget(self.client, pool_id, name), context=self.context, load=False
            )
            panel.state.observe(self._render_facts, names="loaded")
            self.preferences = panel
            self.slot.children = [panel.widget]
            panel.reload()
            self._render_facts()
            if panel.last_result is not None and panel.last_result.error is not None:
                raise panel.last_result.error
            self.status.say(f"Opened {name}.", StatusKind.INFO)

    def close(self) -> None:
        """Close the open user's panel, then the widgets."""
        self._close_user()
        super().close()

    # -- view ----------------------------------------------------------------------------------

    def _close_user(self) -> None:
        if self.preferences is not None:
            self.preferences.close()
            self.preferences = None
        self.slot.children = []
        self.facts.value = ""

    def _render_facts(self, _change: Any = None) -> None:
        result = self.preferences.last_result if self.preferences else None
        if result is None or not result.ok:
            self.facts.value = ""
            return
        self.facts.value = block(
            markup("<b>{}</b>: {}", self.state.username, describe_facts(result.data))
        )

    def _wire(self) -> None:
        t.link((self.state, "user_pool_id"), (self.pool_box, "value"))
        t.link((self.state, "username"), (self.username_box, "value"))
        t.dlink((self.state, "users"), (self.users_list, "options"), transform=list)
        t.dlink((self.state, "has_next"), (self.next_button, "disabled"), transform=lambda h: not h)
        self.users_list.observe(self._picked, names="value")
        self.list_button.on_click(lambda _b: self.list_users())
        self.next_button.on_click(lambda _b: self.list_users(next_page=True))
        self.open_button.on_click(lambda _b: self.open_user())
        for button in (self.list_button, self.open_button):
            t.dlink((self.status, "busy"), (button, "disabled"))

    def _picked(self, change: Any) -> None:
        if change.new:
            self.state.username = change.new

    def _layout(self) -> w.Widget:
        picker = w.VBox(
            [
                w.HBox([self.pool_box, self.list_button]),
                w.HBox([self.users_list, self.next_button]),
                w.HBox([self.username_box, self.open_button]),
            ]
        )
        return styled(
            w.VBox(
                [
                    header("Admin: any user's MFA preference (IAM credentials)"),
                    picker,
                    status_line(self.status),
                    self.facts,
                    self.slot,
                ]
            ),
            "admin-panel",
        )
