"""The dashboard in Notebook 7 (issue 13): the secret widgets render and work, double-clicked
Apply and Sign in act once, saves with widget state at every step of both flows hold no secret,
and the Dark theme keeps text contrast at WCAG AA.

One notebook run for the module (a kernel start and ``mw.demo()`` take most of a test's time).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import (
    NOT_LOOPBACK,
    QUICKSTART,
    apply,
    choose_sms_then_email,
    open_tab,
    preferences,
    run_in_jupyter,
    screenshot,
)
from tests.e2e.test_session_lab import Saves
from tests.e2e.test_theme_contrast import low_contrast, set_theme
from tests.leakscan import find_leaks

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def notebook7(browser: Any, lab_server: dict[str, Any]) -> Iterator[Any]:
    pytest.importorskip("notebook", reason="Notebook 7 is not installed")
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.route(NOT_LOOPBACK, lambda route: route.abort())
    page.set_default_timeout(30_000)
    run_in_jupyter(page, f"{lab_server['base']}/notebooks/{QUICKSTART}")
    yield page
    page.close()


def test_notebook7_secret_widgets_double_clicks_and_mid_flow_saves(
    notebook7: Any, lab_server: dict[str, Any], tmp_path: Path
) -> None:
    page = notebook7
    saves = Saves(page, lab_server["root"] / QUICKSTART, tmp_path)
    secrets: list[str] = []

    # Flow 1: TOTP enrolment.
    open_tab(page, "Authenticator (TOTP)")
    totp = page.locator(".mfa-dashboard .mfa-totp-panel")
    totp.get_by_role("button", name="Associate").click()
    expect(totp.locator(".mfa-totp-qr svg")).to_be_visible(timeout=20_000)
    totp.get_by_role("button", name="Show secret").click()
    shown = totp.locator(".mfa-totp-secret .mfa-secret-text")
    expect(shown).to_have_text(re.compile(r"^[A-Z2-7]{4} "))
    secrets.append(shown.inner_text().replace(" ", ""))
    saves.save("secret-shown")
    box = totp.locator(".mfa-totp-code input")
    totp.get_by_role("button", name="Fill in current code").click()
    expect(box).to_have_value(re.compile(r"^\d{6}$"))
    secrets.append(box.input_value())
    saves.save("code-filled")
    box.press("Enter")
    expect(totp.locator(".mfa-status")).to_contain_text("registered", timeout=20_000)
    screenshot(page, "notebook7")

    # Flow 2: a double-clicked Apply, a double-clicked Sign in, an emailed code.
    open_tab(page, "Preferences")
    choose_sms_then_email(preferences(page))
    apply(preferences(page), double=True)
    open_tab(page, "Sign-in probe")
    probe = page.locator(".mfa-dashboard .mfa-probe-panel")
    probe.get_by_role("button", name="Use demo password").click()
    probe.get_by_role("button", name="Sign in").dblclick()
    expect(probe.locator(".mfa-probe-observed")).to_contain_text("EMAIL_OTP", timeout=20_000)
    page.wait_for_timeout(1000)  # let a second sign-in, if one was started, land
    expect(probe.locator(".mfa-status")).to_contain_text("EMAIL_OTP: type the code")
    saves.save("challenged")
    code_box = probe.locator(".mfa-probe-code input")
    probe.get_by_role("button", name="Fill code from outbox").click()
    expect(code_box).to_have_value(re.compile(r"^\d{6}$"))
    secrets.append(code_box.input_value())
    saves.save("probe-code-filled")
    probe.get_by_role("button", name="Answer").dblclick()
    expect(probe.locator(".mfa-status")).to_contain_text("Signed in", timeout=20_000)
    saves.save("signed-in")

    assert len(secrets) == 3
    assert all(secrets)
    assert find_leaks(saves.copies, secrets) == []


def test_notebook7_dark_theme_contrast_meets_aa(notebook7: Any) -> None:
    page = notebook7
    set_theme(page, "JupyterLab Dark")
    try:
        failures = low_contrast(page)
        screenshot(page.locator(".mfa-dashboard"), "contrast-notebook7-dark")
    finally:
        set_theme(page, "JupyterLab Light")  # the theme is a user setting the server keeps
    assert failures == []
