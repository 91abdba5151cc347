"""The quickstart in Voila, through Debian chromium: the dashboard a presenter shows.

One page load, then the story of the demo: the panel renders; preferring SMS and then email
leaves only email preferred; Apply shows the state read back; the probe's sign-in gets the
predicted EMAIL_OTP and the log shows the new rows; an expired token pasted into the connection
panel is explained in plain words and does not stay in the box. Screenshots go to docs/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from mfa_widgets.widgets.log_view import COMPACT_COLUMNS
from tests.e2e.steps import (
    apply,
    choose_sms_then_email,
    expired_access_token,
    log_rows,
    open_in_voila,
    open_tab,
    preferences,
    screenshot,
    sign_in_with_probe,
)

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def quickstart(browser: Any, voila_server: str) -> Iterator[Any]:
    """One rendered quickstart for the module's tests (a render runs the whole notebook)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    open_in_voila(page, voila_server)  # waits until every cell ran
    yield page
    page.close()


def test_dashboard_preferences_apply_sign_in_and_log(quickstart: Any) -> None:
    page = quickstart
    panel = preferences(page)
    expect(panel.locator(".mfa-status")).to_contain_text("Read from the server")
    choose_sms_then_email(panel)
    expect(panel.locator(".mfa-sms-changed")).to_contain_text("changed")
    apply(panel)
    expect(panel.locator(".mfa-sms-changed")).to_have_text("")
    screenshot(page.locator(".mfa-dashboard"), "dashboard")

    open_tab(page, "Log")
    rows = log_rows(page)
    newest = rows.first  # the write, with the state read back: enabled SMS+EMAIL, EMAIL preferred
    expect(newest).to_contain_text("SetUserMFAPreference")
    enabled, preferred = (COMPACT_COLUMNS.index(c) for c in ("enabled", "preferred"))
    expect(newest.locator("td").nth(enabled)).to_have_text("SMS,EMAIL")
    expect(newest.locator("td").nth(preferred)).to_have_text("EMAIL")
    before = rows.count()

    probe = sign_in_with_probe(page)
    screenshot(probe, "probe")

    open_tab(page, "Log")
    expect(newest).to_contain_text("InitiateAuth")  # the probe's prediction reads come first
    assert rows.count() > before
    expect(newest).to_contain_text("EMAIL_OTP")
    expect(newest).to_have_class("mfa-agree")
    screenshot(page.locator(".mfa-dashboard .mfa-log-view"), "log")


def test_an_expired_token_is_explained_and_not_kept(quickstart: Any) -> None:
    page = quickstart
    connection = page.locator(".mfa-connection")
    box = connection.locator(".mfa-token input")
    box.fill(expired_access_token())
    box.press("Enter")
    status = connection.locator(".mfa-token-status")
    expect(status).to_contain_text("expired", timeout=10_000)
    expect(status).to_contain_text("access token of alice")
    expect(status).to_have_class(re.compile(r"\bmfa-token-problem\b"))
    expect(box).to_have_value("")
    expect(box).to_have_attribute("placeholder", "token received (held in kernel memory only)")
    screenshot(connection, "connection-expired-token")
