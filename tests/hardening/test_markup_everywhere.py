"""Someone else's text never becomes markup in a widget (issue: "text rendered as HTML").

An ``HTML`` widget sets ``innerHTML``: a learner's name, a username, an attribute value, a
message or an exception text rendered into one raw runs in the page. The toolkit has one way in
(:mod:`mfa_widgets.widgets.markup`). These tests walk every widget class and fill what each
renders with markup:

* every module under ``mfa_widgets.widgets`` builds its ``HTML`` widgets as ``HtmlView`` (an
  ``ipywidgets.HTML`` anywhere else is a way around the escaping);
* every exported panel class, built, holds only ``HtmlView`` HTML widgets;
* panels fed hostile usernames, learner names, hints, log cells and status messages hold no
  element or event handler from that text in their synced state.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import ipywidgets as w
import pytest

import mfa_widgets.widgets as widgets_package
from mfa_widgets import MfaClient, MfaLog
from mfa_widgets.sandbox import Sandbox, SandboxPool
from mfa_widgets.sandbox.classroom.app import Classroom
from mfa_widgets.widgets import (
    AdminPanel,
    AdminTarget,
    AuthenticatorResetPanel,
    Board,
    LogView,
    PreferencePanel,
)
from mfa_widgets.widgets._common import Panel, iter_widgets, status_line
from mfa_widgets.widgets.markup import Html, HtmlView, escape, join, markup
from mfa_widgets.widgets.state import PanelStatus, StatusKind

#: A valid Cognito username (no blanks: ``[\p{L}\p{M}\p{S}\p{N}\p{P}]+``) that is also markup.
HOSTILE_NAME = "<img/src=x/onerror=alert(1)>"
#: Free text (hints, messages, learner names allow blanks).
HOSTILE_TEXT = '<img src=x onerror="alert(2)"><script>alert(3)</script>'


class _Elements(HTMLParser):
    """Collects every start tag and every ``on*`` attribute of a piece of HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.handlers: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.handlers += [name for name, _ in attrs if name.startswith("on")]


def hostile_markup(root: Any) -> list[str]:
    """``img``/``script`` elements or event handlers in any HTML widget under ``root``."""
    found = []
    for widget in iter_widgets(root):
        if isinstance(widget, (w.HTML, w.HTMLMath)):
            parser = _Elements()
            parser.feed(str(widget.value))
            bad = [t for t in parser.tags if t in {"img", "script"}] + parser.handlers
            found += [f"{type(widget).__name__}: {b}" for b in bad]
        if getattr(widget, "description_allow_html", False):
            found.append(f"{type(widget).__name__} renders its description as HTML")
    return found


# -- the helpers ------------------------------------------------------------------------------


def test_markup_escapes_its_arguments_and_keeps_its_template() -> None:
    made = markup("<b>{}</b> {name}", HOSTILE_TEXT, name="<i>")
    assert made == f"<b>{escape(HOSTILE_TEXT)}</b> &lt;i&gt;"
    assert isinstance(made, Html)
    assert markup("<p>{}</p>", made).count("<b>") == 1  # Html passes through, not escaped twice
    assert join("<br>", ["<a>", Html("<b>")]) == "&lt;a&gt;&lt;br&gt;<b>"
    assert markup("{:>4}", 7) == "   7"


def test_an_html_view_escapes_plain_text_assigned_to_it() -> None:
    view = HtmlView(HOSTILE_TEXT)
    assert hostile_markup(view) == []
    assert view.value == escape(HOSTILE_TEXT)
    view.value = Html("<b>ok</b>")
    assert view.value == "<b>ok</b>"
    view.value = "<b>plain</b>"
    assert view.value == "&lt;b&gt;plain&lt;/b&gt;"


def test_a_status_line_shows_hostile_text_as_text() -> None:
    status = PanelStatus()
    line = status_line(status)
    for kind in StatusKind:
        status.say(HOSTILE_TEXT, kind)
        assert hostile_markup(line) == []
        assert "alert(3)" in line.value


# -- every widget module and class --------------------------------------------------------------


def _widget_modules() -> list[Path]:
    folder = Path(widgets_package.__file__).parent
    return sorted(p for p in folder.glob("*.py") if p.name != "markup.py")


@pytest.mark.parametrize("path", _widget_modules(), ids=lambda p: p.name)
def test_no_widget_module_makes_a_raw_html_widget(path: Path) -> None:
    """``w.HTML(...)``/``ipywidgets.HTMLMath(...)`` outside markup.py would skip the escaping."""
    raw = [
        node.lineno
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Attribute) and node.attr in {"HTML", "HTMLMath"}
    ]
    assert raw == [], f"{path.name}: use markup.HtmlView, not ipywidgets.HTML (lines {raw})"


def _panel_classes() -> list[type]:
    classes = set()
    for info in pkgutil.iter_modules(widgets_package.__path__):
        module = importlib.import_module(f"mfa_widgets.widgets.{info.name}")
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, Panel) and value is not Panel:
                classes.add(value)
    return sorted(classes, key=lambda c: c.__name__)


def test_the_walk_finds_every_exported_panel() -> None:
    exported = {
        name
        for name in widgets_package.__all__
        if isinstance(getattr(widgets_package, name), type)
        and issubclass(getattr(widgets_package, name), Panel)
    }
    assert exported <= {c.__name__ for c in _panel_classes()}
    assert len(exported) >= 10


# -- panels fed hostile text ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_pool(sandbox: Sandbox) -> SandboxPool:
    pool = sandbox.create_pool(name="hostile-markup", mfa="OPTIONAL")
    sandbox.create_user(pool, HOSTILE_NAME, phone="+15555550100", email="h@example.com")
    return pool


@pytest.fixture
def client(sandbox: Sandbox) -> MfaClient:
    return MfaClient.for_sandbox(sandbox, log=MfaLog(), in_process=True)


def _clean(panel: Any) -> None:
    """No element or handler from hostile text in what the page renders as HTML.

    (Text widgets, options and tooltips hold the text too, but the page shows those as text.)
    """
    found = hostile_markup(panel.widget)
    assert found == [], found


def test_the_admin_panel_shows_a_hostile_username_as_text(
    client: MfaClient, hostile_pool: SandboxPool
) -> None:
    panel = AdminPanel(client, user_pool_id=hostile_pool.pool_id)
    panel.list_users()
    panel.open_user(HOSTILE_NAME)
    assert "onerror" in panel.facts.value  # it is there, as text
    _clean(panel)
    panel.open_user(HOSTILE_TEXT)  # no such user: Cognito's error names nothing, still text
    _clean(panel)
    panel.close()


def test_the_reset_and_preference_panels_show_a_hostile_username_as_text(
    client: MfaClient, hostile_pool: SandboxPool
) -> None:
    target = AdminTarget(client, hostile_pool.pool_id, HOSTILE_NAME)
    reset = AuthenticatorResetPanel(target)
    reset.refresh()
    reset.ask()
    assert "onerror" in reset.question.value
    _clean(reset)
    reset.close()
    preference = PreferencePanel(target)
    _clean(preference)
    preference.close()


def test_the_log_view_shows_hostile_cells_as_text(
    sandbox: Sandbox, hostile_pool: SandboxPool
) -> None:
    log = MfaLog()
    client = MfaClient.for_sandbox(sandbox, log=log, in_process=True)
    client.admin_get_preference(hostile_pool.pool_id, HOSTILE_NAME)
    client.admin_get_preference(hostile_pool.pool_id, HOSTILE_TEXT)  # an error row
    view = LogView(log, columns="full")
    assert "onerror" in view.table.value
    _clean(view)
    view.close()


def test_the_board_shows_a_hostile_learner_and_hint_as_text(tmp_path: Path) -> None:
    with Classroom(["ana", HOSTILE_TEXT], state_dir=tmp_path) as room:
        board = Board(room.trainer_link, refresh=0)
        try:
            assert "alert(3)" in board.table.value
            _clean(board)
            board.ask_reset(HOSTILE_TEXT)  # the "Reset world…" question held the name raw
            assert "alert(3)" in board.question.value
            _clean(board)
            board.cancel()
            board.ask_hint(HOSTILE_TEXT, 1)
            _clean(board)
            board.confirm()
            _clean(board)
        finally:
            board.close()
