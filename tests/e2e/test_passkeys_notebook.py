"""Notebook 05 in JupyterLab, through Debian chromium: the passkey panel, the authenticator reset
panel and the live log view, held to the dashboard's standard (issue 26).

Every button double-clicked (a double-clicked Register registers without breaking), a save with
widget state after each step scanned for the sandbox's secrets, WCAG AA in Light and Dark, and
nothing cut at 760, 1024 and 1400 px; the log view's headers sit over their columns. The passkey
panel's screenshots (Light and Dark) go to build/screenshots.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from mfa_widgets.widgets.log_view import COMPACT_COLUMNS
from tests.e2e.steps import (
    RUN_ON_KERNEL,
    WIDTHS,
    OpenNotebook,
    below_aa,
    layout_problems,
    open_notebook,
    screenshot,
    set_theme,
    stays,
)

pytestmark = pytest.mark.e2e

NOTEBOOK = "05-passwordless-and-passkeys.ipynb"
PANELS = ".mfa-passkeys, .mfa-reset, .mfa-log-view"
#: Per column of the log table: how far its header's left edge is from its first cell's (px).
HEADER_OFFSETS = """() => {
    const table = document.querySelector('.mfa-log-view table.mfa-log');
    const heads = [...table.querySelectorAll('thead th')];
    const cells = [...table.querySelectorAll('tbody tr:first-child td')];
    const text = (el) => [...el.childNodes].map((n) => n.textContent).join('');
    const left = (el) => {
        const range = document.createRange();
        range.selectNodeContents(el);
        const rects = range.getClientRects();
        return rects.length ? rects[0].left : el.getBoundingClientRect().left;
    };
    return heads.map((th, i) => cells[i] && text(cells[i]).trim()
        ? [th.textContent, Math.round(left(cells[i]) - left(th))] : [th.textContent, 0]);
}"""


@pytest.fixture(scope="module")
def notebook(
    browser: Any, lab_server: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[OpenNotebook]:
    folder = tmp_path_factory.mktemp("passkey-saves")
    with open_notebook(browser, lab_server, NOTEBOOK, ".mfa-log-view", folder) as opened:
        yield opened


def test_every_button_double_clicked_and_every_step_saved_holds_no_secret(
    notebook: OpenNotebook,
) -> None:
    page, saves = notebook.page, notebook.saves
    passkeys = page.locator(".mfa-passkeys")
    expect(passkeys.locator(".mfa-passkeys-factors")).to_contain_text("passkey (WEB_AUTHN)")
    expect(passkeys.locator(".mfa-passkeys-list")).to_contain_text("passkey 1 (localhost)")
    saves.save("run-all")

    status = passkeys.locator(".mfa-status")
    passkeys.get_by_role("button", name="Register a passkey").dblclick()
    stays(status, "Passkey registered.")
    expect(passkeys.locator(".mfa-passkeys-list")).to_contain_text("passkey 2 (localhost)")
    expect(passkeys).not_to_contain_text("holds no passkey")
    held = json.loads(
        page.evaluate(RUN_ON_KERNEL, "import json; print(json.dumps(authenticator.credential_ids))")
    )
    listed = passkeys.locator(".mfa-passkeys-list").inner_text().count("(localhost)")
    assert listed == len(held)  # the panel lists what the authenticator holds, no more, no less
    saves.save("registered")
    passkeys.get_by_role("checkbox").check()
    passkeys.get_by_role("button", name="Apply passkey MFA").dblclick()
    stays(status, "Passkey MFA is on.")
    passkeys.get_by_role("button", name="Refresh").dblclick()
    stays(status, "Up to date.")
    saves.save("passkey-mfa-on")

    reset = page.locator(".mfa-reset")
    expect(reset.locator(".mfa-reset-factors")).to_contain_text("email code (EMAIL_OTP)")
    expect(reset.locator(".mfa-reset-factors")).to_contain_text("Authenticator app registered: yes")
    reset.get_by_role("button", name="Reset authenticator…").dblclick()
    expect(reset.locator(".mfa-reset-question")).to_contain_text("Reset fay's authenticator")
    saves.save("reset-asked")
    reset.get_by_role("button", name="Yes, reset it").dblclick()
    stays(reset.locator(".mfa-status"), "The authenticator app was reset.")
    expect(reset.locator(".mfa-reset-factors")).to_contain_text("Authenticator app registered: no")
    reset.get_by_role("button", name="Refresh").dblclick()
    stays(reset.locator(".mfa-status"), "Up to date.")
    saves.save("reset-done")

    view = page.locator(".mfa-log-view")
    expect(view.locator("table.mfa-log tbody tr").first).to_be_visible()
    view.get_by_role("button", name="Export CSV").dblclick()
    stays(view.locator(".mfa-status"), "Wrote")
    saves.save("exported")

    assert saves.leaks() == []


def test_the_panels_meet_aa_in_light_and_dark(notebook: OpenNotebook) -> None:
    page = notebook.page
    page.set_viewport_size({"width": 1400, "height": 1000})
    failures: dict[str, list[Any]] = {}
    for theme in ("JupyterLab Dark", "JupyterLab Light"):
        set_theme(page, theme)
        failures[theme] = below_aa(page, PANELS)
        shade = theme.split()[-1].lower()
        screenshot(page.locator(".mfa-passkeys"), f"passkeys-{shade}")
        screenshot(page.locator(".mfa-reset"), f"authenticator-reset-{shade}")
    assert failures == {"JupyterLab Dark": [], "JupyterLab Light": []}


def test_nothing_is_cut_at_any_width_and_the_log_headers_sit_over_their_columns(
    notebook: OpenNotebook,
) -> None:
    page = notebook.page
    view = page.locator(".mfa-log-view")
    headers = view.locator("table.mfa-log thead th")
    expect(headers.first).to_be_visible()
    assert headers.all_inner_texts() == list(COMPACT_COLUMNS)
    assert "outcome" not in headers.all_inner_texts()  # outcome_category says it, and more
    problems: dict[int, Any] = {}
    for width in WIDTHS:
        problems[width] = {
            **layout_problems(page, PANELS, width),
            "headers off their columns": [
                pair for pair in page.evaluate(HEADER_OFFSETS) if abs(pair[1]) > 2
            ],
        }
    clean: dict[str, list[Any]] = {
        "cut": [],
        "past the output": [],
        "headers off their columns": [],
    }
    assert problems == dict.fromkeys(WIDTHS, clean)
