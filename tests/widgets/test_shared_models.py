"""Widgets share layout and style models, so a page has fewer models to create before it is usable.

Every model a dashboard holds is sent to a Voila page and created there before the page is
usable (benchmarks/bench_voila.py); a shared model is one instead of one per widget. A change to
a shared model would move every widget holding it, so it is refused with the fix named.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import ipywidgets as w
import pytest
from ipywidgets.widgets.widget_bool import CheckboxStyle
from ipywidgets.widgets.widget_string import HTMLStyle

from mfa_widgets.widgets.dashboard import Dashboard
from mfa_widgets.widgets.markup import HtmlView
from mfa_widgets.widgets.shared_models import SharedModelError, shared


def models(widget: w.Widget) -> set[str]:
    """Ids of every model the page needs to draw ``widget``: itself, its layout, style, children."""
    found: set[str] = set()

    def walk(value: Any) -> Iterator[w.Widget]:
        if isinstance(value, w.Widget):
            yield value
        elif isinstance(value, list | tuple):
            for item in value:
                yield from walk(item)

    pending = [widget]
    while pending:
        model = pending.pop()
        if model.model_id in found:
            continue
        found.add(model.model_id)
        for name in model.keys:
            pending.extend(walk(getattr(model, name)))
    return found


def test_html_views_hold_one_layout_and_one_style() -> None:
    first, second = HtmlView("a"), HtmlView("b")
    assert first.layout is second.layout is shared(w.Layout)
    assert first.style is second.style is shared(HTMLStyle)
    own = w.Layout(width="10px")
    assert HtmlView("c", layout=own).layout is own


def test_a_shared_model_refuses_a_change_and_names_the_fix() -> None:
    view, other = HtmlView("a"), HtmlView("b")
    with pytest.raises(SharedModelError, match=r"w\.Layout\(width=\.\.\.\)"):
        view.layout.width = "10px"
    assert shared(w.Layout).width is None
    view.layout = w.Layout(width="10px")  # the fix: a layout of its own
    assert view.layout.width == "10px"
    assert other.layout.width is None
    with pytest.raises(SharedModelError, match="font_size"):
        other.style.font_size = "20px"


def test_a_closed_shared_model_is_made_again() -> None:
    closed = shared(w.Layout, width="3px")
    closed.close()
    again = shared(w.Layout, width="3px")
    assert again is not closed
    assert again.comm is not None
    assert again.width == "3px"


def test_settings_pick_the_model() -> None:
    assert shared(w.Layout, width="120px") is shared(w.Layout, width="120px")
    assert shared(w.Layout, width="120px") is not shared(w.Layout)
    assert shared(CheckboxStyle) is not shared(HTMLStyle)


def test_the_preference_boxes_share_their_column(dashboard: Dashboard) -> None:
    boxes = [c for c in _below(dashboard.preferences.widget) if isinstance(c, w.Checkbox)]
    assert len(boxes) >= 6
    assert {id(box.layout) for box in boxes} == {id(shared(w.Layout, width="120px"))}
    assert all(box.layout.width == "120px" for box in boxes)


def test_the_dashboard_at_start_needs_few_models(dashboard: Dashboard) -> None:
    # 120 before layouts and styles were shared, 62 after (the first tab built, the others
    # placeholders).
    assert len(models(dashboard.widget)) <= 70


def _below(widget: w.Widget) -> Iterator[w.Widget]:
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _below(child)


def test_switching_users_leaves_no_models_behind(dashboard: Dashboard) -> None:
    # Each switch closes the two per-user panels and builds new ones; their layouts and styles
    # are closed with them (Widget.close alone leaves them in the kernel, sent to every page).
    from ipywidgets.widgets.widget import _instances

    dashboard.tabs.selected_index = 2  # the Authenticator tab: both per-user panels built
    dashboard.switch_user("bob")
    dashboard.switch_user("alice")
    before = set(_instances)
    for user in ("bob", "alice", "bob", "alice"):
        dashboard.switch_user(user)
    left = [type(_instances[m]).__name__ for m in set(_instances) - before]
    assert len(_instances) <= len(before), f"models left behind: {sorted(left)}"
