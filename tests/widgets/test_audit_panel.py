"""The audit panel, driven in-process against a real sandbox on 127.0.0.1."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from mfa_widgets.core.preferences import Factor, MfaPreference
from mfa_widgets.sandbox import Sandbox, SandboxPool
from mfa_widgets.services.client import MfaClient
from mfa_widgets.services.log import MfaLog
from mfa_widgets.widgets._common import iter_widgets
from mfa_widgets.widgets.audit_panel import AuditPanel

_pools = itertools.count()


@pytest.fixture
def audited_pool(sandbox: Sandbox) -> SandboxPool:
    """OPTIONAL pool: three users who must choose a factor, one with SMS preferred, one bare."""
    pool = sandbox.create_pool(name=f"audit-panel-{next(_pools)}", mfa="OPTIONAL")
    client = MfaClient.for_sandbox(sandbox)
    for i in range(3):
        name = f"chooser-{i}"
        sandbox.create_user(pool, name, phone="+15555550100", email=f"{name}@example.com")
        both = MfaPreference(sms="enabled", email="enabled")
        client.admin_set_preference(pool.pool_id, name, both).raise_for_error()
    sandbox.create_user(pool, "decided", phone="+15555550100")
    client.admin_set_preference(pool.pool_id, "decided", MfaPreference(sms="preferred"))
    sandbox.create_user(pool, "bare", email="bare@example.com")
    return pool


@pytest.fixture
def panel(sandbox: Sandbox, audited_pool: SandboxPool, log: MfaLog) -> AuditPanel:
    made = AuditPanel(
        MfaClient.for_sandbox(sandbox), audited_pool.pool_id, log=log, read_rate=0, write_rate=0
    )
    made.run_audit()
    return made


def choose(panel: AuditPanel, label: str) -> None:
    """Pick a Select option by its label, as the browser would."""
    labels = [option[0] for option in panel.select_by.options]
    panel.select_by.index = labels.index(label)


def test_running_the_audit_shows_progress_summary_chart_and_flagged_users(
    panel: AuditPanel,
) -> None:
    assert panel.audit is not None
    assert panel.audit.complete
    assert (panel.progress.value, panel.progress.max) == (5, 5)
    assert "5 users" in panel.summary.value
    assert "SELECT_MFA_TYPE" in panel.summary.value
    assert "<svg" in panel.chart.value  # vector, at its natural aspect ratio
    for i in range(3):
        assert f"chooser-{i}" in panel.flagged.value
    assert "decided" not in panel.flagged.value
    assert "Flagged users: 3" in panel.flagged.value
    assert set(panel.users.value) == {"chooser-0", "chooser-1", "chooser-2", "decided", "bare"}
    assert "Audited 5 users" in panel.status.message


def test_the_filter_selects_users_by_flag_or_challenge(panel: AuditPanel) -> None:
    choose(panel, "Flag: several_enabled_none_preferred")
    assert panel.users.value == ("chooser-0", "chooser-1", "chooser-2")
    choose(panel, "Challenge: NONE")
    assert panel.users.value == ("bare",)


def test_apply_needs_a_preview_and_the_confirmation_then_applies_and_reports(
    panel: AuditPanel, sandbox: Sandbox, audited_pool: SandboxPool, log: MfaLog
) -> None:
    choose(panel, "Flag: several_enabled_none_preferred")
    panel.targets[Factor.SMS].value = "preferred"
    assert panel.apply_button.disabled  # nothing previewed
    panel.preview_button.click()
    assert panel.plan is not None
    assert len(panel.plan.to_send) == 3
    assert panel.preview_html.value.count("aws cognito-idp admin-set-user-mfa-preference") == 3
    assert "--sms-mfa-settings Enabled=true,PreferredMfa=true" in panel.preview_html.value
    assert panel.apply_button.disabled  # not confirmed yet
    assert len(log) == 0

    panel.confirm.value = True
    assert not panel.apply_button.disabled
    panel.apply_button.click()
    message = panel.status.message
    panel.apply_button.click()  # a double-click: the calls are sent once, the report stays
    assert panel.status.message == message

    assert panel.report is not None
    assert not panel.report.dry_run
    assert panel.report.counts() == {"applied": 3}
    assert panel.results.value.count("applied") == 3
    assert [e.operation for e in log.events] == ["AdminSetUserMFAPreference"] * 3
    cognito = sandbox.client()
    for i in range(3):
        user = cognito.admin_get_user(UserPoolId=audited_pool.pool_id, Username=f"chooser-{i}")
        assert user["PreferredMfaSetting"] == "SMS_MFA"
    assert panel.apply_button.disabled  # the plan is spent


def test_changing_the_target_after_preview_forgets_the_plan_and_the_confirmation(
    panel: AuditPanel, log: MfaLog
) -> None:
    panel.targets[Factor.EMAIL].value = "preferred"
    panel.preview()
    panel.confirm.value = True
    panel.targets[Factor.EMAIL].value = "enabled"
    assert panel.plan is None
    assert panel.confirm.value is False
    assert panel.apply_button.disabled
    panel.apply()  # nothing to apply: no call
    assert len(log) == 0


def test_problems_are_shown_in_plain_words(panel: AuditPanel, sandbox: Sandbox) -> None:
    panel.targets[Factor.SMS].value = "preferred"
    panel.targets[Factor.EMAIL].value = "preferred"
    panel.preview()
    assert panel.status.kind == "error"
    assert "at most one factor can be preferred" in panel.status.message
    assert panel.plan is None

    other = AuditPanel(MfaClient.for_sandbox(sandbox), "not a pool id")
    other.run_audit()
    assert other.status.kind == "error"
    assert "doesn't look like a pool id" in other.status.message
    assert not other.status.busy
    assert not other.run_button.disabled


def test_a_background_audit_stopped_by_the_button_resumes_from_its_checkpoint(
    sandbox: Sandbox, audited_pool: SandboxPool, tmp_path: Path
) -> None:
    panel = AuditPanel(
        MfaClient.for_sandbox(sandbox),
        audited_pool.pool_id,
        checkpoint=tmp_path / "audit.jsonl",
        read_rate=0,
        workers=1,
    )

    def press_stop_at_two(change: dict[str, int]) -> None:  # the user sees 2 users done
        if change["new"] == 2:
            panel.stop_button.click()

    panel.progress.observe(press_stop_at_two, names="value")
    panel.run_audit(background=True)
    panel.wait(timeout=30)
    first = panel.audit
    assert first is not None
    assert not first.complete
    assert 2 <= len(first.users) < 5
    assert "Run again to resume" in panel.status.message

    panel.progress.unobserve(press_stop_at_two, names="value")
    panel.run_audit(background=True)
    panel.wait(timeout=30)
    assert panel.audit is not None
    assert panel.audit.complete
    assert panel.audit.read_now + first.read_now == 5
    assert "Audited 5 users" in panel.status.message


def test_close_closes_every_widget(panel: AuditPanel) -> None:
    widgets = list(iter_widgets(panel.widget))
    panel.close()
    assert all(widget.comm is None for widget in widgets)


def test_an_empty_table_is_its_caption_alone() -> None:
    """ "Flagged users: 0" is not followed by a header row over nothing (issue 26)."""
    import pandas as pd

    from mfa_widgets.widgets._common import table_html

    empty = pd.DataFrame(columns=["username", "status", "enabled_factors", "challenge", "flags"])
    shown = table_html(empty, "Flagged users: 0")
    assert "Flagged users: 0" in shown
    assert "<table" not in shown
    assert "<th" not in shown
