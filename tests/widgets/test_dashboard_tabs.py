"""The dashboard builds a tab's panel when the tab is first shown or its panel is read.

At start only the first tab exists; the other tabs hold a placeholder, so the browser has a
fraction of the widget models to create before the page is usable (benchmarks/bench_voila.py).
"""

from __future__ import annotations

import ipywidgets as w
import pytest

from mfa_widgets.sandbox import Sandbox
from mfa_widgets.widgets._common import Panel, iter_widgets
from mfa_widgets.widgets.dashboard import TAB_TITLES, Dashboard, demo

ATTRIBUTES = ("preferences", "probe", "totp", "explorer", "admin", "audit", "impact", "log_view")


def placeholders(dashboard: Dashboard) -> list[str]:
    """Titles of the tabs still holding their placeholder."""
    return [
        title
        for title, child in zip(TAB_TITLES, dashboard.tabs.children, strict=True)
        if "mfa-tab-loading" in child._dom_classes
    ]


def models_below(widget: w.Widget) -> int:
    return sum(1 for _ in iter_widgets(widget))


def test_only_the_first_tab_is_built_at_start(dashboard: Dashboard) -> None:
    assert dashboard.tabs.selected_index == 0
    assert placeholders(dashboard) == list(TAB_TITLES[1:])
    assert dashboard.tabs.children[0] is dashboard.preferences.widget
    assert list(dashboard.tabs.titles) == list(TAB_TITLES)


@pytest.mark.parametrize("index", range(1, len(TAB_TITLES)))
def test_showing_a_tab_builds_its_panel_once(dashboard: Dashboard, index: int) -> None:
    before = dashboard.tabs.children[index]
    dashboard.tabs.selected_index = index
    panel = getattr(dashboard, ATTRIBUTES[index])
    assert isinstance(panel, Panel)
    assert dashboard.tabs.children[index] is panel.widget
    assert before.comm is None  # the placeholder was closed
    assert models_below(panel.widget) > 10
    dashboard.tabs.selected_index = 0
    dashboard.tabs.selected_index = index
    assert getattr(dashboard, ATTRIBUTES[index]) is panel  # not built twice
    assert placeholders(dashboard) == [t for t in TAB_TITLES[1:] if t != TAB_TITLES[index]]


def test_reading_a_panel_builds_it_where_its_tab_is(dashboard: Dashboard) -> None:
    audit = dashboard.audit
    assert dashboard.tabs.children[TAB_TITLES.index("Audit")] is audit.widget
    assert dashboard.tabs.selected_index == 0  # reading does not switch tabs


def test_a_new_user_gets_new_token_panels_and_the_others_follow(dashboard: Dashboard) -> None:
    old_totp = dashboard.totp
    probe = dashboard.probe
    dashboard.switch_user("bob")
    assert old_totp.widget.comm is None  # closed: it acted for alice
    assert "Authenticator (TOTP)" in placeholders(dashboard)  # not on screen: built when shown
    assert dashboard.totp is not old_totp
    assert dashboard.probe is probe  # the probe is not per user: it only follows the name
    assert probe.state.username == "bob"
    assert "bob" in dashboard.preferences.target.label
    dashboard.tabs.selected_index = TAB_TITLES.index("Admin")
    assert dashboard.admin.state.username == "bob"


def test_a_new_user_on_the_authenticator_tab_gets_the_panel_at_once(
    dashboard: Dashboard,
) -> None:
    dashboard.tabs.selected_index = TAB_TITLES.index("Authenticator (TOTP)")
    old_totp = dashboard.totp
    dashboard.switch_user("carol")
    assert "Authenticator (TOTP)" not in placeholders(dashboard)
    index = TAB_TITLES.index("Authenticator (TOTP)")
    assert dashboard.tabs.children[index] is not old_totp.widget
    assert dashboard.tabs.children[index] is dashboard.totp.widget


def test_close_closes_built_and_unbuilt_tabs(sandbox: Sandbox) -> None:
    board = demo(sandbox)
    board.tabs.selected_index = TAB_TITLES.index("Log")
    widgets = list(iter_widgets(board.widget))
    board.close()
    assert all(widget.comm is None for widget in widgets)
