"""The audit chart at a readable size wherever it is shown (issue 26): the dashboard's Audit tab
and notebook 03, in Voila, at 760 and 1280 px. A chart's shorter side is at least 300 px (it was
a 115 × 467 px thumbnail beside the summary tables).
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import FIRST_RENDER_MS, NOT_LOOPBACK, open_in_voila, open_tab, screenshot

pytestmark = pytest.mark.e2e

READABLE = 300
#: ``[width, height]`` of every audit chart on the page: the panel's SVG and, in notebook 03, the
#: first inline figure (``plot_summary``; the impact figure further down is another chart).
CHART_SIZES = """() => [...document.querySelectorAll('.mfa-audit-chart svg'),
                        document.querySelector('.jp-RenderedImage img')]
    .filter((el) => el && el.getClientRects().length)
    .map((el) => { const b = el.getBoundingClientRect();
                   return [Math.round(b.width), Math.round(b.height)]; })"""


def _small(page: Any) -> list[list[int]]:
    sizes = page.evaluate(CHART_SIZES)
    assert sizes, "no audit chart on the page"
    return [size for size in sizes if min(size) < READABLE]


def test_the_dashboards_audit_chart_is_readable(browser: Any, voila_server: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    try:
        open_in_voila(page, voila_server)
        open_tab(page, "Audit")
        audit = page.locator(".mfa-dashboard .mfa-audit-panel")
        audit.get_by_role("button", name="Run audit").click()
        expect(audit.locator(".mfa-audit-chart svg")).to_be_visible(timeout=30_000)
        flagged = audit.locator(".mfa-audit-flagged")
        if flagged.inner_text().startswith("Flagged users: 0"):
            expect(flagged.locator("table")).to_have_count(0)  # no header over nothing
        small = {1280: _small(page)}
        screenshot(audit, "audit-chart")
        page.set_viewport_size({"width": 760, "height": 1000})
        page.wait_for_timeout(500)
        small[760] = _small(page)
    finally:
        page.close()
    assert small == {1280: [], 760: []}


def test_notebook_03s_charts_are_readable_in_voila(browser: Any, voila_server: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    try:
        page.route(NOT_LOOPBACK, lambda route: route.abort())
        page.goto(f"{voila_server}/voila/render/03-admin-audit.ipynb", timeout=FIRST_RENDER_MS)
        chart = page.locator(".mfa-audit-chart svg")
        expect(chart).to_be_visible(timeout=FIRST_RENDER_MS)
        expect(page.locator(".jp-RenderedImage img").first).to_be_visible()
        small = {1280: _small(page)}
        page.set_viewport_size({"width": 760, "height": 1000})
        page.wait_for_timeout(500)
        small[760] = _small(page)
    finally:
        page.close()
    assert small == {1280: [], 760: []}
