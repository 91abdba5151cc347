"""A real session in Voila (issue 13): secrets shown and typed through the anywidgets, typos
told apart from prediction misses, double-clicks, and the stale-state fixes.

One page load for the module; every test drives the quickstart's dashboard in Chromium.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import (
    apply,
    choose_sms_then_email,
    open_in_voila,
    open_tab,
    preferences,
    screenshot,
)

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def session(browser: Any, voila_server: str) -> Iterator[Any]:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    open_in_voila(page, voila_server)
    yield page
    page.close()


def test_totp_secret_and_code_travel_through_the_secret_widgets(session: Any) -> None:
    page = session
    open_tab(page, "Authenticator (TOTP)")
    panel = page.locator(".mfa-dashboard .mfa-totp-panel")
    panel.get_by_role("button", name="Associate").click()
    expect(panel.locator(".mfa-totp-qr svg")).to_be_visible(timeout=20_000)
    panel.get_by_role("button", name="Show secret").click()
    secret = panel.locator(".mfa-totp-secret .mfa-secret-text")
    expect(secret).to_have_text(re.compile(r"^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$"))
    box = panel.locator(".mfa-totp-code input")
    panel.get_by_role("button", name="Fill in current code").click()
    expect(box).to_have_value(re.compile(r"^\d{6}$"))
    code = box.input_value()
    box.fill("")
    box.press_sequentially(f"{code[:3]} {code[3:]}")  # as authenticator apps show it
    screenshot(panel, "totp-enrolment")
    box.press("Enter")  # Enter verifies
    expect(panel.locator(".mfa-status")).to_contain_text("Authenticator app registered")
    expect(box).to_have_value("")
    expect(panel.locator(".mfa-totp-qr svg")).to_have_count(0)
    expect(secret).to_have_text("")


def test_double_clicked_apply_and_sign_in_act_once_and_a_typo_is_not_a_miss(
    session: Any,
) -> None:
    page = session
    open_tab(page, "Preferences")
    panel = preferences(page)
    expect(panel.locator(".mfa-status")).to_contain_text("Read from the server")
    choose_sms_then_email(panel)
    apply(panel, double=True)
    open_tab(page, "Sign-in probe")
    probe = page.locator(".mfa-dashboard .mfa-probe-panel")
    probe.get_by_role("button", name="Use demo password").click()
    expect(probe.locator(".mfa-status")).to_contain_text("Demo password ready")
    probe.get_by_role("button", name="Sign in").dblclick()
    expect(probe.locator(".mfa-probe-observed")).to_contain_text("EMAIL_OTP", timeout=20_000)
    expect(probe.locator(".mfa-status")).to_contain_text("EMAIL_OTP: type the code")
    page.wait_for_timeout(1000)  # let a second sign-in, if one was started, land
    expect(probe.locator(".mfa-status")).to_contain_text("EMAIL_OTP: type the code")
    box = probe.locator(".mfa-probe-code input")
    box.fill("000000")
    probe.get_by_role("button", name="Answer").click()
    verdict = probe.locator(".mfa-probe-verdict")
    expect(verdict).to_contain_text("wrong code — try again", timeout=20_000)
    expect(verdict).not_to_contain_text("differs")
    expect(probe.locator(".mfa-probe-explanation")).to_contain_text("still open")
    probe.get_by_role("button", name="Fill code from outbox").click()
    expect(box).to_have_value(re.compile(r"^\d{6}$"))
    probe.get_by_role("button", name="Answer").dblclick()
    expect(probe.locator(".mfa-status")).to_contain_text("Signed in", timeout=20_000)
    page.wait_for_timeout(1000)
    expect(probe.locator(".mfa-status")).to_contain_text("Signed in")
    open_tab(page, "Log")
    expect(page.locator(".mfa-dashboard .mfa-log-summary")).to_contain_text(
        re.compile(r"0 mismatches of \d+ decisions \(1 typing error not counted\)")
    )
