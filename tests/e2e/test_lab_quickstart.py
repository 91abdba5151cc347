"""The quickstart in JupyterLab, through Debian chromium, saved with widget state.

Open the notebook, run all cells, use the dashboard (single-preferred rule under clicks, Apply,
a completed sign-in with a code, a token pasted into the connection panel), then save with
``saveState`` on (the ``lab_server`` fixture's setting) and search the saved file for every
secret the kernel's sandboxes issued, gathered by running the notebook tests' probe code on the
kernel directly (its output never enters the notebook).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import (
    QUICKSTART,
    RUN_ON_KERNEL,
    apply,
    choose_sms_then_email,
    expired_access_token,
    log_rows,
    open_tab,
    preferences,
    run_in_jupyter,
    saved_with_widget_state,
    screenshot,
    sign_in_with_probe,
)
from tests.leakscan import find_leaks
from tests.notebooks.test_notebooks import PROBE

pytestmark = pytest.mark.e2e


def test_run_all_click_apply_save_and_nothing_secret_is_saved(
    offline_page: Any, lab_server: dict[str, Any]
) -> None:
    page = offline_page
    page.set_viewport_size({"width": 1400, "height": 1000})
    run_in_jupyter(page, f"{lab_server['base']}/lab/tree/{QUICKSTART}?reset")

    panel = preferences(page)
    expect(panel.locator(".mfa-status")).to_contain_text("Read from the server")
    choose_sms_then_email(panel)
    apply(panel)
    screenshot(page, "jupyterlab")
    open_tab(page, "Log")
    expect(log_rows(page).first).to_contain_text("SetUserMFAPreference")

    probe = sign_in_with_probe(page)  # the password crosses the page: it must not be saved
    probe.get_by_role("button", name="Fill code from outbox").click()
    expect(probe.locator(".mfa-status")).to_contain_text("Code filled in")
    probe.get_by_role("button", name="Answer").click()
    expect(probe.locator(".mfa-status")).to_contain_text("Signed in", timeout=20_000)
    expect(probe.locator(".mfa-probe-code input")).to_have_value("")

    pasted = expired_access_token()
    box = page.locator(".mfa-connection .mfa-token input")
    box.fill(pasted)
    box.press("Enter")
    expect(page.locator(".mfa-token-status")).to_contain_text("expired")

    issued = json.loads(page.evaluate(RUN_ON_KERNEL, PROBE))
    assert len(issued) > 5, f"only {len(issued)} secrets found: the probe cannot be trusted"
    page.evaluate("window.jupyterapp.commands.execute('docmanager:save')")
    saved_path = lab_server["root"] / QUICKSTART
    saved = saved_with_widget_state(saved_path)
    state = saved.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    assert any(m["model_name"] == "PasswordModel" for m in state.values())
    assert find_leaks([saved_path], [*issued, pasted]) == []
