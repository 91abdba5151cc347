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
    QUICKSTART,
    open_in_voila,
    open_tab,
    preferences,
    run_in_jupyter,
    screenshot,
)

pytestmark = pytest.mark.e2e

AA = 4.5
_CONTRAST = """(selector) => {
  const parse = (text) => {
    const m = /rgba?\\(([^)]+)\\)/.exec(text || '');
    if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const blend = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a), g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a), a: 1});
  const channel = (v) => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  const lum = (c) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  const background = (el) => {
    const chain = [];
    for (let e = el; e; e = e.parentElement) chain.push(e);
    let bg = {r: 255, g: 255, b: 255, a: 1};
    for (const e of chain.reverse()) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) bg = blend(c, bg);
    }
    return bg;
  };
  const out = [];
  for (const root of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent.trim();
      const el = node.parentElement;
      if (!text || !el || el.closest('svg') || !el.getClientRects().length) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || style.opacity === '0') continue;
      const bg = background(el);
      const fg = blend(parse(style.color), bg);
      const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
      const where = typeof el.className === 'string' && el.className ? el.className : el.tagName;
      out.push({text: text.slice(0, 50), ratio: (hi + 0.05) / (lo + 0.05),
                where: where.slice(0, 60), disabled: !!el.closest(':disabled, .mod-disabled')});
    }
  }
  return out;
}"""


def set_theme(page: Any, theme: str) -> None:
    """Switch JupyterLab or Notebook 7 to ``theme`` and wait until the page shows it."""
    page.evaluate(
        "(t) => window.jupyterapp.commands.execute('apputils:change-theme', {theme: t})", theme
    )
    page.wait_for_function(
        "(light) => document.body.dataset.jpThemeLight === light",
        arg="false" if "Dark" in theme else "true",
    )


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
        measured += page.evaluate(_CONTRAST, ".mfa-dashboard")
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
