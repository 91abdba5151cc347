"""The trainer's day in JupyterLab, through Debian chromium: notebook 06 and its board (issue 26).

Run All leaves a live board (the notebook no longer closes it in its last cell). The trainer then
removes a stray learner, double-clicks every board button, and saves with widget state after
each step; every save is scanned for the classroom's secrets. The board's text meets WCAG AA in
Light and Dark, nothing is cut at 760, 1024 and 1400 px (a learner's 2,400-character message
included), and the board's screenshots go to build/screenshots.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import (
    AA,
    CLIPPED,
    CONTRAST,
    RUN_ON_KERNEL,
    Saves,
    run_in_jupyter,
    screenshot,
    set_theme,
)
from tests.leakscan import find_leaks
from tests.notebooks.test_notebooks import PROBE

pytestmark = pytest.mark.e2e

NOTEBOOK = "06-running-a-class.ipynb"
WIDTHS = (760, 1024, 1400)
#: True once every code cell of the open notebook ran (no "[*]" or "[ ]" prompt left).
ALL_CELLS_RAN = """() => {
    const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')];
    return prompts.length > 0 && prompts.every((p) => /\\[\\d+\\]/.test(p.textContent));
}"""
#: Names on the board that wrap inside a word (each name part is one unbreakable span).
BROKEN_NAMES = """() => [...document.querySelectorAll('.mfa-board-table td span')]
    .filter((span) => span.getClientRects().length > 1).map((span) => span.textContent)"""
#: The board's elements that reach past the right edge of its output area (none when it fits;
#: inside a scrolling box, such as the grid in a narrow window, they scroll and are not counted).
PAST_OUTPUT = """() => {
    const board = document.querySelector('.mfa-board');
    const edge = board.closest('.jp-OutputArea-output').getBoundingClientRect().right + 1;
    const scrolled = (el) => {
        for (let up = el.parentElement; up && up !== board; up = up.parentElement) {
            if (/(auto|scroll)/.test(getComputedStyle(up).overflowX)) return true;
        }
        return false;
    };
    const out = [];
    for (const el of [board, ...board.querySelectorAll('*')]) {
        const box = el.getBoundingClientRect();
        if (box.width && box.right > edge && !scrolled(el) && !out.includes(el.parentElement))
            out.push(el);
    }
    return out.map((el) => `${el.className || el.tagName}`.slice(0, 60) + ' ' +
        Math.round(el.getBoundingClientRect().right - edge) + 'px');
}"""


def _kernel(page: Any, code: str) -> Any:
    """Run ``code`` on the notebook's kernel; the JSON it prints."""
    return json.loads(page.evaluate(RUN_ON_KERNEL, code))


@dataclass
class Trainer:
    """The page with notebook 06 after Run All, its console messages, and its saves."""

    page: Any
    console: list[str]
    saves: Saves


@pytest.fixture(scope="module")
def trainer(
    browser: Any, lab_server: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Trainer]:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(30_000)
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    run_in_jupyter(page, f"{lab_server['base']}/lab/tree/{NOTEBOOK}?reset", ready=".mfa-board")
    page.wait_for_function(ALL_CELLS_RAN, timeout=180_000)
    saves = Saves(page, lab_server["root"] / NOTEBOOK, tmp_path_factory.mktemp("trainer-saves"))
    yield Trainer(page, console, saves)
    page.close()


def test_run_all_leaves_a_live_board_and_the_trainer_works_it(trainer: Trainer) -> None:
    page, saves = trainer.page, trainer.saves
    board = page.locator(".mfa-board")
    table = board.locator(".mfa-board-table")
    status = board.locator(".mfa-status")
    expect(table).to_contain_text("ana")
    expect(table).to_contain_text("passed after")
    assert "test join" not in table.inner_text()  # the notebook removed its stray join
    # Live: the summary's time moves on by itself (refresh=2.0), the board was not closed.
    expect(status).to_contain_text(re.compile(r"learners, \d+ of \d+ exercises passed"))
    first = status.inner_text()
    expect(status).not_to_have_text(first, timeout=15_000)
    assert not [m for m in trainer.console if "not found" in m.lower()], trainer.console
    saves.save("run-all")

    # Remove a learner with the board (double clicks), then the classroom API agrees.
    board.locator(".mfa-board-learner select").select_option("Dee")
    board.get_by_role("button", name="Remove learner…").dblclick()
    expect(board.locator(".mfa-board-question")).to_contain_text("Remove Dee")
    saves.save("remove-asked")
    board.get_by_role("button", name="Yes, do it").dblclick()
    expect(status).to_contain_text("Dee was removed from the class.")
    expect(status).not_to_contain_text("Nothing to confirm")
    expect(table).not_to_contain_text("Dee")
    roster = _kernel(page, "import json; print(json.dumps(sorted(room.roster.learners)))")
    assert "Dee" not in roster
    assert "ana" in roster
    saves.save("removed")

    # Every other button, double-clicked: each acts once and its result stays on show.
    board.get_by_role("button", name="Reset world…").dblclick()
    expect(board.locator(".mfa-board-question")).to_contain_text("Reset ana's world?")
    board.get_by_role("button", name="Cancel").dblclick()
    expect(status).to_contain_text("Cancelled: nothing changed.")
    board.locator(".mfa-board-mfa select").select_option("ON")
    board.get_by_role("button", name="Apply to every learner…").dblclick()
    expect(board.locator(".mfa-board-question")).to_contain_text("pool MFA ON")
    board.get_by_role("button", name="Yes, do it").dblclick()
    expect(status).to_contain_text("Applied pool MFA ON")
    expect(status).not_to_contain_text("Nothing to confirm")
    saves.save("scenario-applied")
    board.locator(".mfa-board-hint input").fill("Check the outbox first.")
    board.get_by_role("button", name="Reveal to everyone…").dblclick()
    board.get_by_role("button", name="Yes, do it").dblclick()
    expect(status).to_contain_text("Hint revealed on every exercise")
    hints = _kernel(page, "import json; print(json.dumps(room.roster.hints))")
    assert [h["text"] for h in hints].count("Check the outbox first.") == 1  # once, not twice
    saves.save("hint-revealed")

    issued = json.loads(page.evaluate(RUN_ON_KERNEL, PROBE))
    assert len(issued) > 10, f"only {len(issued)} secrets found: the probe cannot be trusted"
    links = _kernel(page, "import json; print(json.dumps([room.trainer_link, room.class_link]))")
    assert find_leaks(saves.copies, [*issued, *links]) == []


def test_the_board_text_meets_aa_in_light_and_dark(trainer: Trainer) -> None:
    page = trainer.page
    page.set_viewport_size({"width": 1400, "height": 1000})
    failures: dict[str, list[Any]] = {}
    for theme in ("JupyterLab Dark", "JupyterLab Light"):
        set_theme(page, theme)
        measured = page.evaluate(CONTRAST, ".mfa-board, .mfa-check")
        assert len(measured) > 30, "too little text measured: the board did not render"
        failures[theme] = [m for m in measured if m["ratio"] < AA and not m["disabled"]]
        screenshot(page.locator(".mfa-board"), f"board-{theme.split()[-1].lower()}")
    assert failures == {"JupyterLab Dark": [], "JupyterLab Light": []}


def test_nothing_on_the_board_is_cut_at_any_width(trainer: Trainer) -> None:
    page = trainer.page
    long = "x" * 1200 + " " + "y" * 1200  # 2,401 characters: the classroom keeps 500
    page.evaluate(RUN_ON_KERNEL, f'labs["cy"].classroom.report(1, False, "{long}")')
    table = page.locator(".mfa-board .mfa-board-table")
    expect(table).to_contain_text("xxxxxxxxxx", timeout=15_000)  # the live board drew it
    problems: dict[int, Any] = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 1000})
        page.wait_for_timeout(500)
        problems[width] = {
            "cut": page.evaluate(CLIPPED, ".mfa-board"),
            "names broken": page.evaluate(BROKEN_NAMES),
            "past the output": page.evaluate(PAST_OUTPUT),
        }
        screenshot(page.locator(".mfa-board"), f"board-at-{width}")
    clean: dict[str, list[str]] = {"cut": [], "names broken": [], "past the output": []}
    assert problems == dict.fromkeys(WIDTHS, clean)
