"""The Impact tab: choose a change, predict it from the Audit tab's audit, rehearse it."""

from __future__ import annotations

import re

from mfa_widgets.widgets.dashboard import TAB_TITLES, Dashboard
from mfa_widgets.widgets.impact_panel import ImpactPanel


def test_predict_before_any_audit_says_what_to_do(dashboard: Dashboard) -> None:
    panel = dashboard.impact
    panel.mode.value = "ON"
    panel.predict()
    assert "Run the audit first" in panel.status.message
    assert panel.rehearse_button.disabled


def test_a_change_that_changes_nothing_is_one_line(dashboard: Dashboard) -> None:
    panel = dashboard.impact
    dashboard.audit.run_audit()
    panel.predict()
    assert panel.impact is None
    assert "changes nothing" in panel.status.message
    assert "\n" not in panel.status.message


def test_predict_shows_tables_chart_and_attention_then_rehearses(dashboard: Dashboard) -> None:
    dashboard.audit.run_audit()
    panel = dashboard.impact
    assert dashboard.tabs.children[TAB_TITLES.index("Impact")] is panel.widget
    panel.mode.value = "ON"
    panel.factors["SMS"].value = "withdraw"
    panel.predict()
    found = panel.impact
    assert found is not None
    assert found.change.describe() == "MFA ON; withdraw SMS"
    assert len(found.frame) == len(dashboard.audit.audit.users)  # type: ignore[union-attr]
    assert "Users per verdict" in panel.summary.value
    assert "Today (rows) x after" in panel.summary.value
    assert "<svg" in panel.chart.value
    assert "Users who need attention first" in panel.attention.value
    assert not panel.rehearse_button.disabled
    panel.run_rehearsal()
    done = panel.rehearsal
    assert done is not None
    assert done.agreement == 1.0
    assert "agree with the prediction" in panel.agreement.value
    assert panel.progress.value == panel.progress.max


def test_chart_is_readable(dashboard: Dashboard) -> None:
    """The chart's shorter side is at least 300 CSS pixels (its viewBox is in points)."""
    dashboard.audit.run_audit()
    panel = dashboard.impact
    panel.tier.value = "LITE"
    panel.factors["EMAIL"].value = "withdraw"
    panel.predict()
    view_box = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', panel.chart.value)
    assert view_box is not None
    width, height = (float(n) * 96 / 72 for n in view_box.groups())
    assert min(width, height) >= 300


def test_panel_takes_an_audit_directly(dashboard: Dashboard) -> None:
    dashboard.audit.run_audit()
    panel = ImpactPanel(dashboard.audit.audit)
    panel.flows["USER_AUTH"].value = "allow"
    panel.predict()
    assert panel.impact is not None
    assert panel.rehearse_button.disabled  # no sandbox client: no rehearsal
    panel.close()
