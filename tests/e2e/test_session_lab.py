"""Mid-flow saves in JupyterLab (issue 13 #1): save with widget state at every step, then scan.

``saveState`` is on (the ``lab_server`` fixture's setting), so each ``docmanager:save`` writes
every widget model into the notebook. The secrets are read off the page as the person sees
them (the grouped TOTP secret, the codes in the boxes) and searched for in each saved file with
the normalising leak scan.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import (
    QUICKSTART,
    Saves,
    apply,
    choose_sms_then_email,
    open_tab,
    preferences,
    run_in_jupyter,
)
from tests.leakscan import find_leaks

pytestmark = pytest.mark.e2e


def test_every_step_of_every_flow_saved_with_widget_state_holds_no_secret(
    offline_page: Any, lab_server: dict[str, Any], tmp_path: Path
) -> None:
    page = offline_page
    page.set_viewport_size({"width": 1400, "height": 1000})
    run_in_jupyter(page, f"{lab_server['base']}/lab/tree/{QUICKSTART}?reset")
    saves = Saves(page, lab_server["root"] / QUICKSTART, tmp_path)
    secrets: list[str] = []

    # Flow 1: TOTP enrolment.
    open_tab(page, "Authenticator (TOTP)")
    totp = page.locator(".mfa-dashboard .mfa-totp-panel")
    totp.get_by_role("button", name="Associate").click()
    expect(totp.locator(".mfa-totp-qr svg")).to_be_visible(timeout=20_000)
    saves.save("qr-shown")
    totp.get_by_role("button", name="Show secret").click()
    shown = totp.locator(".mfa-totp-secret .mfa-secret-text")
    expect(shown).to_have_text(re.compile(r"^[A-Z2-7]{4} "))
    secrets.append(shown.inner_text().replace(" ", ""))
    saves.save("secret-shown")
    box = totp.locator(".mfa-totp-code input")
    totp.get_by_role("button", name="Fill in current code").click()
    expect(box).to_have_value(re.compile(r"^\d{6}$"))
    code = box.input_value()
    secrets.append(code)
    saves.save("code-filled")
    box.fill(f"{code[:3]} {code[3:]}")
    saves.save("code-typed")
    box.press("Enter")
    expect(totp.locator(".mfa-status")).to_contain_text("registered", timeout=20_000)
    saves.save("verified")

    # Flow 2: sign-in challenge with an emailed code (typed, then filled from the outbox).
    open_tab(page, "Preferences")
    panel = preferences(page)
    choose_sms_then_email(panel)
    apply(panel, double=True)
    open_tab(page, "Sign-in probe")
    probe = page.locator(".mfa-dashboard .mfa-probe-panel")
    probe.get_by_role("button", name="Use demo password").click()
    probe.get_by_role("button", name="Sign in").click()
    expect(probe.locator(".mfa-probe-observed")).to_contain_text("EMAIL_OTP", timeout=20_000)
    saves.save("challenged")
    code_box = probe.locator(".mfa-probe-code input")
    code_box.fill("135 790")
    saves.save("probe-code-typed")
    probe.get_by_role("button", name="Fill code from outbox").click()
    expect(code_box).to_have_value(re.compile(r"^\d{6}$"))
    secrets.append(code_box.input_value())
    saves.save("probe-code-filled")
    probe.get_by_role("button", name="Answer").click()
    expect(probe.locator(".mfa-status")).to_contain_text("Signed in", timeout=20_000)
    saves.save("signed-in")

    assert len(secrets) == 3
    assert all(secrets)
    assert find_leaks(saves.copies, [*secrets, "135790"]) == []
