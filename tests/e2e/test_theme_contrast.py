"""Text contrast in JupyterLab Light and Dark, measured in the browser (issue 13 #5).

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


def _set_theme(page: Any, theme: str) -> None:
    page.evaluate(
        "(t) => window.jupyterapp.commands.execute('apputils:change-theme', {theme: t})", theme
    )
    page.wait_for_function(
        "(light) => document.body.dataset.jpThemeLight === light",
        arg="false" if "Dark" in theme else "true",
    )


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
        _set_theme(page, theme)
        measured: list[dict[str, Any]] = []
        for tab in ("Preferences", "Sign-in probe", "Log"):
            open_tab(page, tab)
            if tab == "Sign-in probe":
                probe = page.locator(".mfa-dashboard .mfa-probe-panel")
                box = probe.locator(".mfa-probe-password input")
                box.fill("not-the-password")
                box.press("Enter")
                probe.get_by_role("button", name="Sign in").click()
                expect(probe.locator(".mfa-probe-verdict")).to_contain_text("wrong")
            measured += page.evaluate(_CONTRAST, ".mfa-dashboard")
        screenshot(page.locator(".mfa-dashboard"), f"contrast-{theme.split()[-1].lower()}")
        assert len(measured) > 30, "too little text measured: the page did not render"
        failures[theme] = [m for m in measured if m["ratio"] < AA and not m["disabled"]]
    assert failures == {"JupyterLab Dark": [], "JupyterLab Light": []}
