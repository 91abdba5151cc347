"""Presenter items in Voila at 760 px (issue 13 #8): nothing clipped, the Audit tab, an export
that reaches the browser as a download, a copy button for the CLI command.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import CLIPPED, open_in_voila, open_tab, preferences, screenshot

pytestmark = pytest.mark.e2e

NARROW = 760


@pytest.fixture(scope="module")
def narrow(browser: Any, voila_server: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": NARROW, "height": 900}, accept_downloads=True)
    page = context.new_page()
    open_in_voila(page, voila_server)
    yield page
    context.close()


def test_every_tab_holds_at_760_px(narrow: Any) -> None:
    page = narrow
    clipped: dict[str, list[str]] = {}
    for tab in ("Preferences", "Sign-in probe", "Authenticator (TOTP)", "Admin", "Audit", "Log"):
        open_tab(page, tab)
        page.wait_for_timeout(300)
        clipped[tab] = page.evaluate(CLIPPED, ".mfa-dashboard")
        screenshot(page.locator(".mfa-dashboard"), f"narrow-{tab.split()[0].lower()}")
    assert clipped == {tab: [] for tab in clipped}


def test_audit_tab_export_download_and_copy(narrow: Any, tmp_path: Path) -> None:
    page = narrow
    open_tab(page, "Audit")
    audit = page.locator(".mfa-dashboard .mfa-audit-panel")
    audit.get_by_role("button", name="Run audit").click()
    expect(audit.locator(".mfa-audit-chart svg")).to_be_visible(timeout=30_000)
    open_tab(page, "Log")
    view = page.locator(".mfa-dashboard .mfa-log-view")
    folder = view.locator(".mfa-log-folder input")
    folder.fill(str(tmp_path / "server"))  # where the kernel writes (never the work tree)
    folder.press("Enter")
    view.get_by_role("button", name="Export CSV").click()
    link = page.locator(".mfa-dashboard .mfa-download-link")
    expect(link).to_be_visible()
    with page.expect_download() as info:
        link.click()
    assert list((tmp_path / "server").glob("mfa-log-*.csv"))
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    assert saved.read_text().startswith("timestamp,operation")
    open_tab(page, "Preferences")
    copy = preferences(page).locator(".mfa-copy-button")
    copy.click()
    expect(copy).to_have_text("Copied")
