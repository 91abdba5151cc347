"""The dashboard in Notebook 7 (issue 13): the secret widgets render and work, a double-clicked
Sign in keeps its challenge, and saves with widget state at each step hold no secret.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import QUICKSTART, open_tab, run_in_jupyter, screenshot
from tests.e2e.test_session_lab import Saves
from tests.leakscan import find_leaks

pytestmark = pytest.mark.e2e


def test_notebook7_secret_widgets_double_click_and_mid_flow_saves(
    offline_page: Any, lab_server: dict[str, Any], tmp_path: Path
) -> None:
    pytest.importorskip("notebook", reason="Notebook 7 is not installed")
    page = offline_page
    page.set_viewport_size({"width": 1280, "height": 1000})
    run_in_jupyter(page, f"{lab_server['base']}/notebooks/{QUICKSTART}")
    saves = Saves(page, lab_server["root"] / QUICKSTART, tmp_path)

    open_tab(page, "Authenticator (TOTP)")
    totp = page.locator(".mfa-dashboard .mfa-totp-panel")
    totp.get_by_role("button", name="Associate").click()
    expect(totp.locator(".mfa-totp-qr svg")).to_be_visible(timeout=20_000)
    totp.get_by_role("button", name="Show secret").click()
    shown = totp.locator(".mfa-totp-secret .mfa-secret-text")
    expect(shown).to_have_text(re.compile(r"^[A-Z2-7]{4} "))
    secret = shown.inner_text().replace(" ", "")
    saves.save("secret-shown")
    box = totp.locator(".mfa-totp-code input")
    totp.get_by_role("button", name="Fill in current code").click()
    expect(box).to_have_value(re.compile(r"^\d{6}$"))
    code = box.input_value()
    saves.save("code-filled")
    box.press("Enter")
    expect(totp.locator(".mfa-status")).to_contain_text("registered", timeout=20_000)
    screenshot(page, "notebook7")

    open_tab(page, "Sign-in probe")
    probe = page.locator(".mfa-dashboard .mfa-probe-panel")
    probe.get_by_role("button", name="Use demo password").click()
    probe.get_by_role("button", name="Sign in").dblclick()
    expect(probe.locator(".mfa-status")).to_contain_text("Signed in", timeout=20_000)
    saves.save("signed-in")
    assert find_leaks(saves.copies, [secret, code]) == []
