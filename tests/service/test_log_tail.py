"""MfaLog.tail(n): the newest rows as the typed frame, built from those rows only."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mfa_widgets.services.log import LogEvent, MfaLog
from tests.strategies import log_events


@settings(max_examples=60, deadline=None)
@given(logged=st.lists(log_events, max_size=40), n=st.integers(0, 50), cached=st.booleans())
def test_tail_is_the_frames_tail(logged: list[LogEvent], n: int, cached: bool) -> None:
    log = MfaLog()
    for event in logged:
        log.append(event)
    if cached:
        log.frame  # noqa: B018 - a current cached frame takes the other path
    builds = log.frame_builds
    tail = log.tail(n)
    assert log.frame_builds == builds  # the whole frame was not rebuilt for the tail
    pd.testing.assert_frame_equal(tail, log.frame.tail(n))


def test_a_tail_after_more_appends_sees_them() -> None:
    log = MfaLog()
    for name in ("a", "b", "c"):
        log.append(LogEvent("GetUser", backend="sandbox", username=name))
    log.frame  # noqa: B018 - cache the frame, then make it stale
    log.append(LogEvent("GetUser", backend="new-backend", username="d"))
    assert list(log.tail(2)["username"]) == ["c", "d"]
    assert list(log.tail(2).index) == [2, 3]


def test_a_negative_tail_is_refused() -> None:
    with pytest.raises(ValueError, match="n >= 0"):
        MfaLog().tail(-1)
