"""Text contrast in JupyterLab Light and Dark and in Voila Dark, measured in the browser (#13.5).

The dashboard is put into states that show every kind of text (a changed factor, a status of
each kind, a typo verdict, the log with coloured rows), then every visible text node's computed
colour is composited over its computed background and the WCAG contrast ratio is checked
against AA (4.5:1). Controls styled by ipywidgets itself (buttons, inputs, tabs) are measured too.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import (
    AA,
    CONTRAST,
    QUICKSTART,
    open_in_voila,
    open_tab,
    preferences,
    run_in_jupyter,
    screenshot,
    set_theme,
)

pytestmark = pytest.mark.e2e


def _show_typo(page: Any) -> None:
    """A wrong password in the probe: the typo verdict (a coloured status) shows."""
    probe = page.locator(".mfa-dashboard .mfa-probe-panel")
    box = probe.locator(".mfa-probe-password input")
    box.fill("not-the-password")
    box.press("Enter")
    probe.get_by_role("button", name="Sign in").click()
    expect(probe.locator(".mfa-probe-verdict")).to_contain_text("wrong")


def low_contrast(
    page: Any, tabs: tuple[str, ...] = ("Preferences", "Sign-in probe", "Log")
) -> list[Any]:
    """Open ``tabs`` (a typo shown in the probe) and return the texts below WCAG AA.

    Disabled controls are exempt (WCAG 1.4.3). Fails when too little text was measured (the
    page did not render).
    """
    measured: list[dict[str, Any]] = []
    for tab in tabs:
        open_tab(page, tab)
        if tab == "Sign-in probe":
            _show_typo(page)
        measured += page.evaluate(CONTRAST, ".mfa-dashboard")
    assert len(measured) > 30, "too little text measured: the page did not render"
    return [m for m in measured if m["ratio"] < AA and not m["disabled"]]


def test_text_contrast_meets_aa_in_light_and_dark(
    offline_page: Any, lab_server: dict[str, Any]
) -> None:
    page = offline_page
    page.set_viewport_size({"width": 1400, "height": 1000})
    run_in_jupyter(page, f"{lab_server['base']}/lab/tree/{QUICKSTART}?reset")
    panel = preferences(page)
    expect(panel.locator(".mfa-status")).to_contain_text("Read from the server")
    panel.get_by_role("checkbox", name="Enable SMS").check()  # a "changed" badge
    failures: dict[str, list[dict[str, Any]]] = {}
    for theme in ("JupyterLab Dark", "JupyterLab Light"):
        set_theme(page, theme)
        failures[theme] = low_contrast(page)
        screenshot(page.locator(".mfa-dashboard"), f"contrast-{theme.split()[-1].lower()}")
    assert failures == {"JupyterLab Dark": [], "JupyterLab Light": []}


def test_voila_dark_theme_contrast_meets_aa(browser: Any, voila_server: str) -> None:
    """The presenter's frontend in its dark theme (``?theme=dark``), every tab."""
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    try:
        open_in_voila(page, voila_server, f"{QUICKSTART}?theme=dark")
        assert page.evaluate("document.body.dataset.jpThemeLight") == "false"
        panel = preferences(page)
        expect(panel.locator(".mfa-status")).to_contain_text("Read from the server")
        panel.get_by_role("checkbox", name="Enable SMS").check()  # a "changed" badge
        tabs = ("Preferences", "Sign-in probe", "Authenticator (TOTP)", "Admin", "Audit", "Log")
        failures = low_contrast(page, tabs)
        screenshot(page.locator(".mfa-dashboard"), "contrast-voila-dark")
    finally:
        page.close()
    assert failures == []
