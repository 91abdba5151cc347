"""The challenge explorer on a real sandbox: sweep, matrix, resume, rate limits."""

from __future__ import annotations

from pathlib import Path

import pytest

from mfa_widgets import MfaClient, MfaLog, MfaPreference
from mfa_widgets.core.signin import PoolMfaMode
from mfa_widgets.sandbox import Sandbox
from mfa_widgets.services.explore import (
    Explorer,
    Scenario,
    challenge_matrix,
    default_scenarios,
    outcomes_frame,
    valid_preferences,
)
from mfa_widgets.services.log import LogRecoveryWarning
from mfa_widgets.widgets.charts import matrix_html


def test_valid_preferences_are_all_twenty() -> None:
    found = valid_preferences()
    assert len(found) == 20 == len(set(found))
    assert all(p.is_complete for p in found)


def test_default_sweep_matches_prediction_everywhere(sandbox: Sandbox, tmp_path: Path) -> None:
    log = MfaLog(autosave=tmp_path / "sweep.jsonl")
    explorer = Explorer(MfaClient.for_sandbox(sandbox, in_process=True), log=log, workers=4)
    seen: list[tuple[int, int]] = []
    outcomes = explorer.run(progress=lambda done, total: seen.append((done, total)))
    assert len(outcomes) == 40
    assert seen[-1] == (40, 40)
    frame = outcomes_frame(outcomes)
    assert frame["agrees"].all(), frame[~frame["agrees"]]
    matrix = challenge_matrix(log)
    assert matrix.shape == (20, 2)
    # the documented surprises
    assert matrix.loc["SMS:on TOTP:- EMAIL:on", "OPTIONAL"] == "SELECT_MFA_TYPE"
    assert matrix.loc["SMS:- TOTP:- EMAIL:-", "OPTIONAL"] == "NONE"
    assert matrix.loc["SMS:PREF TOTP:on EMAIL:on", "ON"] == "SMS_MFA"
    rows = log.frame
    assert rows["scenario"].notna().all()
    sign_ins = rows[rows["operation"] == "InitiateAuth"]
    assert len(sign_ins) == 40
    assert sign_ins["agrees"].all()


def test_interrupted_sweep_resumes_without_duplicates(sandbox: Sandbox, tmp_path: Path) -> None:
    path = tmp_path / "sweep.jsonl"
    scenarios = default_scenarios(modes=[PoolMfaMode.ON])[:8]
    first = Explorer(
        MfaClient.for_sandbox(sandbox, in_process=True), log=MfaLog(autosave=path), workers=2
    )
    first.run(scenarios[:5])
    first.log.close()
    # a crash mid-line leaves a truncated last line; the resumed log drops it
    with path.open("a") as handle:
        handle.write('{"operation": "AdminSetUserMFAPre')
    with pytest.warns(LogRecoveryWarning):
        resumed_log = MfaLog.load(path, resume=True)
    resumed = Explorer(MfaClient.for_sandbox(sandbox, in_process=True), log=resumed_log, workers=2)
    assert len(resumed.done_keys()) == 5
    outcomes = resumed.run(scenarios)
    assert len(outcomes) == 3  # only the missing ones ran
    final = MfaLog.load(path)
    keys = [e.scenario for e in final.events if e.operation == "InitiateAuth"]
    assert sorted(keys) == sorted(s.key for s in scenarios)


def test_matrix_html_escapes_and_marks_mismatches() -> None:
    import pandas as pd

    matrix = pd.DataFrame(
        {"ON": ["SMS_MFA", "<b>EMAIL_OTP</b> (predicted SMS_MFA)"]}, index=["a", "b"]
    )
    rendered = matrix_html(matrix)
    assert "<b>EMAIL_OTP</b>" not in rendered
    assert "&lt;b&gt;" in rendered
    assert rendered.count("mfa-mismatch") == 1


def test_scenario_key_is_stable_and_readable() -> None:
    scenario = Scenario(
        PoolMfaMode.ON, MfaPreference(sms="preferred", totp="enabled", email="disabled")
    )
    assert scenario.key == "ON[EMAIL,SMS,TOTP] SMS:PREF TOTP:on EMAIL:- (phone+email)"
    assert scenario.totp_registered


def test_valid_preferences_respect_the_pool_and_the_user() -> None:
    from mfa_widgets import Factor

    no_email_pool = valid_preferences(frozenset({Factor.SMS, Factor.TOTP}))
    assert len(no_email_pool) == 8  # SMS x TOTP states, at most one preferred: 9 - 1
    assert all(Factor.EMAIL not in p.enabled for p in no_email_pool)
    no_phone = valid_preferences(has_phone=False)
    assert all(Factor.SMS not in p.enabled for p in no_phone)
    scenarios = default_scenarios(pool_factors=["SMS", "TOTP"], attributes=[(True, False)])
    assert len(scenarios) == 16


def test_a_failed_scenario_is_predicted_for_its_own_pool(sandbox: Sandbox) -> None:
    """A refused write fails the scenario; its prediction still uses the pool's email factor."""
    wants_email = MfaPreference(sms="disabled", totp="disabled", email="preferred")
    scenario = Scenario(PoolMfaMode.ON, wants_email)
    sandbox.faults.throttle("AdminSetUserMFAPreference")
    try:
        (outcome,) = Explorer(MfaClient.for_sandbox(sandbox, in_process=True), workers=1).run(
            [scenario]
        )
    finally:
        sandbox.faults.clear()
    assert outcome.error is not None
    assert "could not apply the preference" in outcome.error
    assert outcome.predicted == "EMAIL_OTP"
