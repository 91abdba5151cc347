"""The explorer panel: a small real sweep (pool mode ON) against the sandbox, and Stop."""

from __future__ import annotations

from typing import Any

import pytest

from mfa_widgets.core.preferences import Factor
from mfa_widgets.core.signin import PoolMfaMode
from mfa_widgets.sandbox import Sandbox
from mfa_widgets.services.client import MfaClient
from mfa_widgets.services.log import MfaLog
from mfa_widgets.widgets.explorer import ExplorerPanel
from mfa_widgets.widgets.log_view import LogView


@pytest.fixture
def panel(sandbox: Sandbox) -> Any:
    log = MfaLog()
    panel = ExplorerPanel(MfaClient.for_sandbox(sandbox, log=log), log=log)
    yield panel
    panel.close()


def test_a_sweep_of_pool_mode_on_shows_progress_matrix_and_plot(panel: ExplorerPanel) -> None:
    log = panel.explorer.log
    view = LogView(log)
    assert panel.state.modes == [PoolMfaMode.ON]
    assert panel.mode_boxes[PoolMfaMode.ON].value
    assert not panel.mode_boxes[PoolMfaMode.OPTIONAL].value
    panel.factor_boxes[Factor.EMAIL].value = False  # pools offer SMS and TOTP only
    assert panel.state.pool_factors == [Factor.SMS, Factor.TOTP]
    panel.run_button.click()
    panel.wait(timeout=120)
    assert not panel.state.running
    # every preference an SMS+TOTP pool accepts: 3 x 3 states, at most one preferred
    assert panel.progress.value == panel.progress.max == 8
    assert panel.matrix is not None
    assert list(panel.matrix.columns) == ["ON"]
    assert len(panel.matrix) == 8
    assert 'class="mfa-matrix"' in panel.matrix_view.value
    assert "<svg" in panel.plot.value
    assert panel.status.message.startswith("Done")
    mismatched = sum(not o.agrees for o in panel.outcomes)
    assert panel.state.mismatches == mismatched
    assert mismatched == 0, panel.mismatches.value
    assert "Every observed challenge matched" in panel.mismatches.value
    # The sweep's sign-ins reached the shared log (and so the live log view).
    assert sum(o.scenario is not None for o in log.events) >= 8
    assert "InitiateAuth" in view.table.value or "AdminInitiateAuth" in view.table.value
    view.close()


def test_stop_skips_the_scenarios_not_started(panel: ExplorerPanel) -> None:
    def stop_after_first(change: Any) -> None:
        if change.new >= 1:
            panel.stop()

    panel.state.observe(stop_after_first, names="done")
    panel.run()
    panel.wait(timeout=120)
    assert panel.status.message.startswith("Stopped")
    assert 1 <= len(panel.outcomes) < panel.state.total
    assert panel.stop_button.disabled
    assert not panel.run_button.disabled


def test_nothing_to_sweep_is_reported_in_plain_words(panel: ExplorerPanel) -> None:
    panel.mode_boxes[PoolMfaMode.ON].value = False
    panel.run_button.click()
    assert panel.status.kind == "error"
    assert "pool mode" in panel.status.message
    assert not panel.state.running


def test_mismatches_are_listed_with_their_scenarios(panel: ExplorerPanel, sandbox: Sandbox) -> None:
    """A sign-in that fails (injected throttling) differs from the prediction and is listed."""
    panel.factor_boxes[Factor.EMAIL].value = False
    sandbox.faults.throttle("InitiateAuth")
    try:
        panel.run_button.click()
        panel.wait(timeout=120)
    finally:
        sandbox.faults.clear()
    assert panel.state.mismatches == len(panel.outcomes) == 8
    body = panel.mismatches.value.split("<tbody>")[1]
    assert body.count("<tr") == 8
    for outcome in panel.outcomes:
        assert not outcome.agrees
        assert outcome.error is not None
        assert "TooManyRequests" in outcome.error
        assert outcome.scenario.combination in body


def test_the_dimension_boxes_add_their_cells_and_they_agree(panel: ExplorerPanel) -> None:
    boxes = panel.dimension_boxes
    assert [box.description for box in boxes.values()] == [
        "Sign-in flows",
        "Passkey MFA",
        "Remembered devices",
    ]
    assert not any(box.value for box in boxes.values())  # opt-in
    panel.factor_boxes[Factor.EMAIL].value = False
    for box in boxes.values():
        box.value = True
    assert panel.state.flows
    assert panel.state.passkey_mfa
    assert panel.state.remembered_device
    panel.run()
    panel.wait(timeout=300)
    dimensions = [o for o in panel.outcomes if o.scenario.has_dimensions]
    assert dimensions
    assert len(panel.outcomes) == panel.progress.max == 8 + len(dimensions)
    assert all(o.agrees for o in panel.outcomes), panel.mismatches.value
    assert panel.matrix is not None
    assert any(" | USER_AUTH>" in str(label) for label in panel.matrix.index)
