"""The log view over a long log: appends redraw only the newest rows, and the counts stay right."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mfa_widgets.services.log import LogEvent, MfaLog, decision_summary
from mfa_widgets.widgets.log_view import LogView
from tests.strategies import log_events

_CHALLENGES = ("SMS_MFA", "EMAIL_OTP", None)


def _sign_in(i: int, predicted: str | None, observed: str | None) -> LogEvent:
    return LogEvent(
        "InitiateAuth",
        backend="sandbox",
        username=f"user-{i}",
        predicted_challenge=predicted,
        observed_challenge=observed,
    )


def test_appending_to_a_long_log_does_not_rebuild_its_frame() -> None:
    log = MfaLog()
    for i in range(3000):
        log.append(_sign_in(i, "SMS_MFA", "SMS_MFA" if i % 3 else "EMAIL_OTP"))
    view = LogView(log, limit=5)
    builds = log.frame_builds
    for i in range(3000, 3020):
        log.append(_sign_in(i, "SMS_MFA", "SMS_MFA"))
    assert log.frame_builds == builds
    assert view.table.value.count("<tr") == 1 + 5  # the header and the newest five
    assert "user-3019<" in view.table.value
    assert "user-3014<" not in view.table.value
    assert view.summary.value.startswith("3020 events")
    assert "Predictions: 1000 mismatches of 3020 decisions." in view.summary.value


pairs = st.tuples(st.sampled_from(_CHALLENGES), st.sampled_from(_CHALLENGES))


@settings(max_examples=40, deadline=None)
@given(before=st.lists(pairs, max_size=30), after=st.lists(pairs, max_size=30), clear=st.booleans())
def test_the_counts_match_the_frame(
    before: list[tuple[str | None, str | None]],
    after: list[tuple[str | None, str | None]],
    clear: bool,
) -> None:
    log = MfaLog()
    for i, (predicted, observed) in enumerate(before):
        log.append(_sign_in(i, predicted, observed))
    view = LogView(log, limit=3)
    if clear:
        log.clear()
    for i, (predicted, observed) in enumerate(after):
        log.append(_sign_in(i, predicted, observed))
    if clear and not after:
        view.refresh()  # a clear alone tells no subscriber; refresh() recounts
    expected = (
        f"{len(log)} events, newest first (showing {min(3, len(log))}). "
        f"Predictions: {decision_summary(log.frame)}."
    )
    assert view.summary.value == expected


@settings(max_examples=40, deadline=None)
@given(
    before=st.lists(log_events, max_size=6),
    after=st.lists(log_events, min_size=1, max_size=12),
    limit=st.integers(1, 8),
    full=st.booleans(),
)
def test_rows_drawn_one_by_one_equal_a_full_redraw(
    before: list[LogEvent], after: list[LogEvent], limit: int, full: bool
) -> None:
    log = MfaLog()
    for event in before:
        log.append(event)
    view = LogView(log, limit=limit, columns="full" if full else "compact")
    for event in after:
        log.append(event)
    drawn, summary = view.table.value, view.summary.value
    view.refresh()
    assert drawn == view.table.value
    assert summary == view.summary.value
