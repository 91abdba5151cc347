"""Truthful outcomes: what Cognito decided is scored, what a person typed never is (issue 13 #2)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from mfa_widgets.core.preferences import MfaPreference
from mfa_widgets.sandbox import Sandbox, SandboxPool
from mfa_widgets.services.client import MfaClient
from mfa_widgets.services.log import LogEvent, MfaLog, decision_summary
from mfa_widgets.services.log.schema import CHALLENGES
from mfa_widgets.widgets.log_view import LogView
from mfa_widgets.widgets.probe import SIGNED_IN, SignInProbe
from mfa_widgets.widgets.state import ProbeStage

_names = itertools.count()
_challenges = st.sampled_from([c for c in CHALLENGES if c != "ERROR"])
# (error code, message) pairs a person causes by typing; the sandbox and Cognito use these texts.
_TYPOS = (
    ("CodeMismatchException", "Invalid code received for user"),
    ("ExpiredCodeException", "Invalid code provided, please request a code again."),
    ("NotAuthorizedException", "Incorrect username or password."),
    ("UserNotFoundException", "User does not exist."),
    ("EnableSoftwareTokenMFAException", "Code mismatch and fail enable Software Token MFA"),
)


def _decision(predicted: str, observed: str) -> LogEvent:
    outcome = "tokens" if observed == "NONE" else "challenge"
    return LogEvent(
        "InitiateAuth", outcome=outcome, predicted_challenge=predicted, observed_challenge=observed
    )


def _typo(predicted: str, error: tuple[str, str]) -> LogEvent:
    return LogEvent(
        "RespondToAuthChallenge",
        outcome="error",
        error_code=error[0],
        error_message=error[1],
        predicted_challenge=predicted,
        observed_challenge="ERROR",
    )


@settings(deadline=None, max_examples=50)  # the CPU is shared: no per-example deadline
@given(
    decisions=st.lists(st.tuples(_challenges, _challenges), max_size=8),
    typos=st.lists(st.tuples(_challenges, st.sampled_from(_TYPOS)), max_size=8),
    order=st.randoms(use_true_random=False),
)
def test_a_typo_can_never_raise_the_mismatch_count(
    decisions: list[tuple[str, str]], typos: list[tuple[str, tuple[str, str]]], order: object
) -> None:
    events = [_decision(p, o) for p, o in decisions] + [_typo(p, e) for p, e in typos]
    order.shuffle(events)  # type: ignore[attr-defined]
    log = MfaLog()
    for event in events:
        log.append(event)
    frame = log.frame
    misses = sum(p != o for p, o in decisions)
    summary = decision_summary(frame)
    assert summary.startswith(f"{misses} mismatch")
    assert f" of {len(decisions)} decision" in summary
    typo_rows = frame[frame["observed_challenge"] == "ERROR"]
    assert typo_rows["agrees"].isna().all()
    assert (typo_rows["outcome_category"] == "user_error").all()
    if typos:
        assert f"({len(typos)} typing error" in summary


def test_cognito_refusals_are_decisions_and_service_failures_are_not() -> None:
    refusal = LogEvent(
        "InitiateAuth",
        outcome="error",
        error_code="MFAMethodNotFoundException",
        error_message="no usable MFA method",
        predicted_challenge="ERROR",
        observed_challenge="ERROR",
    )
    throttled = LogEvent(
        "InitiateAuth",
        outcome="error",
        error_code="TooManyRequestsException",
        error_message="Rate exceeded",
        predicted_challenge="SMS_MFA",
        observed_challenge="ERROR",
    )
    assert refusal.outcome_category == "refused"
    assert refusal.agrees is True
    assert throttled.outcome_category == "service_error"
    assert throttled.agrees is None
    assert LogEvent("GetUser").outcome_category == "ok"


def test_event_json_round_trip_ignores_the_derived_category() -> None:
    event = _typo("NONE", _TYPOS[0])
    data = event.to_json() | {"outcome_category": "tokens", "agrees": True}
    again = LogEvent.from_json(data)
    assert again.outcome_category == "user_error"
    assert again.agrees is None


def _probe(sandbox: Sandbox, pool: SandboxPool) -> tuple[SignInProbe, MfaLog]:
    log = MfaLog()
    client = MfaClient.for_sandbox(sandbox, log=log)
    return SignInProbe(client, pool.pool_id, pool.client_id, sandbox=sandbox), log


def test_wrong_code_says_try_again_and_refreshes_the_rule_text(
    sandbox: Sandbox, pool: SandboxPool
) -> None:
    user = sandbox.create_user(pool, f"outcome{next(_names)}", email="o@example.com")
    MfaClient.for_sandbox(sandbox).admin_set_preference(
        pool.pool_id, user.username, MfaPreference(email="preferred")
    ).raise_for_error()
    probe, log = _probe(sandbox, pool)
    view = LogView(log)
    probe.sign_in(user.username, user.password)
    assert "mfa-probe-agree" in probe.verdict._dom_classes
    old_rule = probe.explanation.value
    real = sandbox.latest_code(user.username, "EMAIL", pool=pool)
    probe.code.value = "000000" if real != "000000" else "111111"
    probe.answer_button.click()
    assert "wrong code — try again" in probe.verdict.value
    assert "differs from the prediction" not in probe.verdict.value
    assert "mfa-probe-typo" in probe.verdict._dom_classes
    assert "mfa-probe-disagree" not in probe.verdict._dom_classes
    assert probe.explanation.value != old_rule
    assert "EMAIL_OTP challenge is still open" in probe.explanation.value
    assert probe.state.stage == ProbeStage.CHALLENGED
    frame = log.frame
    typo = frame[frame["observed_challenge"] == "ERROR"].iloc[0]
    assert typo["outcome_category"] == "user_error"
    assert typo["agrees"] is pd.NA
    assert "0 mismatches of 1 decision (1 typing error not counted)" in view.summary.value
    probe.fill_button.click()
    probe.answer_button.click()
    assert probe.status.message == SIGNED_IN
    assert "0 mismatches of 2 decisions" in view.summary.value
    assert "mfa-probe-agree" in probe.verdict._dom_classes


def test_wrong_password_is_a_typo_not_a_prediction_miss(
    sandbox: Sandbox, pool: SandboxPool
) -> None:
    user = sandbox.create_user(pool, f"outcome{next(_names)}")
    probe, log = _probe(sandbox, pool)
    probe.sign_in(user.username, "Not-the-password-1!")
    assert "wrong username or password — try again" in probe.verdict.value
    assert "mfa-probe-typo" in probe.verdict._dom_classes
    assert "Cognito made no MFA decision" in probe.explanation.value
    assert decision_summary(log.frame).startswith("0 mismatches of 0 decisions")


def test_a_table_file_from_before_the_category_column_still_reads(tmp_path: Path) -> None:
    log = MfaLog()
    log.append(_decision("SMS_MFA", "SMS_MFA"))
    log.append(_typo("NONE", _TYPOS[0]))
    path = tmp_path / "old.csv"
    log.to_csv(path)
    old = pd.read_csv(path).drop(columns=["outcome_category"])
    old.to_csv(path, index=False)
    frame = MfaLog.read_frame(path)
    assert list(frame["outcome_category"]) == ["challenge", "user_error"]
