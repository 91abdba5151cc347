"""MfaLog: building the typed DataFrame, appending, and a live view, against plain pandas.

Every ratio is the median of paired runs (the baseline and ours back to back, alternating which
goes first), with the spread. Measured on 100,000 events:

* frame build / from_records + astype: :attr:`MfaLog.frame` after the appends, against
  what a careful pandas user writes for the same table: ``DataFrame.from_records`` over a list of
  dicts, then ``astype`` to the same dtypes. Target: within 1.5x.
* frame build / raw from_records: the same build against bare ``from_records`` (object
  and inferred dtypes, which is less than the log delivers). Target: within 1.5x.
* appends + frame / dicts + pandas: 100,000 appends then ``.frame``, against appending the same
  rows as dicts to a list then ``from_records`` + ``astype``. Target: within 5x. The events are
  made beforehand in both cases; making a :class:`LogEvent` (validation and JWT scrubbing of its
  text) is not timed here: it costs tens of microseconds, against a ~4 ms loopback API call.
* a live view: appending one event to a :class:`~mfa_widgets.widgets.log_view.LogView` that
  already shows 100,000 events (the subscriber redraws the newest rows): the median of 100
  appends, in three batches. Target: at most 20 ms.

And on 1,000,000 events (the 100,000 appended ten times):

* frame build / pandas from column lists: :attr:`MfaLog.frame` against
  ``DataFrame(column lists).astype(same dtypes)``. Target: within 1.5x.
* memory: the frame's size (``memory_usage(deep=True)``) over pandas' frame of the same table
  (target: within 1.1x), with the log's own memory (its column buffers and event list, not
  counting the event objects, which this benchmark reuses) reported beside it.

``python -m benchmarks --quick`` uses 200,000 events for the second part.
"""

from __future__ import annotations

import statistics
import sys
from datetime import datetime, timedelta, timezone
from typing import Any

import pandas as pd

from benchmarks._timing import paired_runs, quick, row, seconds, spread_row
from mfa_widgets.services.log import LogEvent, MfaLog, schema

EVENTS = 100_000
MILLION = 200_000 if quick() else 1_000_000
VIEW_EVENTS = 100_000
VIEW_APPENDS = 30 if quick() else 100

_OPERATIONS = ("SetUserMFAPreference", "AdminInitiateAuth", "RespondToAuthChallenge", "GetUser")
_CHALLENGES = ("SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP", "SELECT_MFA_TYPE", "NONE", None)
_STATES = ("disabled", "enabled", "preferred", None)


def make_events(count: int = EVENTS) -> list[LogEvent]:
    """A varied, deterministic set of events (one in ten is an error with a message)."""
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    events = []
    for i in range(count):
        error = i % 10 == 0
        events.append(
            LogEvent(
                _OPERATIONS[i % 4],
                backend="sandbox" if i % 3 else "aws:eu-west-1",
                username=f"user{i % 50}",
                requested={"sms": _STATES[i % 4], "totp": _STATES[(i // 4) % 4]},
                outcome="error" if error else ("ok", "challenge", "tokens")[i % 3],
                error_code="InvalidParameterException" if error else None,
                error_message=f"Invalid request number {i}" if error else None,
                latency_ms=None if i % 7 == 0 else 3.0 + (i % 13) / 10,
                enabled=(("SMS",), ("SMS", "TOTP"), (), None)[i % 4],
                preferred=("SMS", None, None, None)[i % 4],
                predicted_challenge=_CHALLENGES[i % 6],
                observed_challenge=_CHALLENGES[(i + i // 6) % 6],
                timestamp=start + timedelta(milliseconds=i),
                scenario=f"scenario {i % 5}",
                note=None,
            )
        )
    return events


def records_of(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The plain-Python rows a pandas user would have collected for the same table."""
    columns = columns_of(frame)
    names = list(columns)
    return [dict(zip(names, row, strict=True)) for row in zip(*columns.values(), strict=True)]


def columns_of(frame: pd.DataFrame) -> dict[str, list[Any]]:
    """The same table as plain-Python column lists (how a careful pandas user collects it)."""
    columns: dict[str, list[Any]] = {}
    for name in frame.columns:
        series = frame[name]
        values = (
            list(series.dt.to_pydatetime())
            if name == "timestamp"
            else series.astype(object).tolist()
        )
        columns[name] = [None if pd.isna(v) else v for v in values]
    return columns


def _buffers_mib(log: MfaLog) -> float:
    """The log's column buffers and its event list (not the events: shared here), in MiB."""
    buffers = log._columns._values.values()
    return (sum(sys.getsizeof(values) for values in buffers) + sys.getsizeof(log._events)) / 2**20


def _frame_rows(events: list[LogEvent]) -> list[dict[str, Any]]:
    """Paired ratios on 100,000 events: build, and appends + build, against pandas."""
    log = MfaLog()

    def append_all_and_build() -> pd.DataFrame:
        log.clear()
        for event in events:
            log.append(event)
        return log.frame

    frame = append_all_and_build()
    records = records_of(frame)
    dtypes = schema.frame_dtypes(schema.categories_seen(frame))

    def from_records_astype() -> pd.DataFrame:
        return pd.DataFrame.from_records(records).astype(dtypes)

    def dicts_then_pandas() -> pd.DataFrame:
        rows: list[dict[str, Any]] = []
        for record in records:
            rows.append(dict(record))
        return pd.DataFrame.from_records(rows).astype(dtypes)

    same = from_records_astype()
    if not (same.dtypes.equals(frame.dtypes) and same.equals(frame)):
        raise AssertionError("the pandas baseline does not build the same table as the log")

    def build() -> float:
        log._frame = None  # force a rebuild from the buffered columns
        return seconds(lambda: log.frame)

    label = f"{len(events) // 1000}k events"
    return [
        _ratio_row(
            f"MfaLog.frame build ({label}) / from_records + astype",
            paired_runs(lambda: seconds(from_records_astype), build, runs=3),
            "from_records + astype",
            1.5,
        ),
        _ratio_row(
            f"MfaLog.frame build ({label}) / raw from_records",
            paired_runs(lambda: seconds(lambda: pd.DataFrame.from_records(records)), build, runs=3),
            "raw from_records",
            1.5,
        ),
        _ratio_row(
            f"appends + frame ({label}) / dict appends + from_records + astype",
            paired_runs(
                lambda: seconds(dicts_then_pandas),
                lambda: seconds(append_all_and_build),
                runs=3,
            ),
            "dicts + from_records + astype",
            5.0,
        ),
    ]


def _million_rows(events: list[LogEvent]) -> list[dict[str, Any]]:
    """The frame of MILLION events against pandas building it from column lists, and memory."""
    log = MfaLog()
    for _ in range(MILLION // len(events)):
        for event in events:
            log.append(event)
    log_mib = _buffers_mib(log)
    frame = log.frame
    columns = columns_of(frame)
    dtypes = schema.frame_dtypes(schema.categories_seen(frame))

    def pandas_direct() -> pd.DataFrame:
        return pd.DataFrame(columns).astype(dtypes)

    same = pandas_direct()
    if not (same.dtypes.equals(frame.dtypes) and same.equals(frame)):
        raise AssertionError("the pandas baseline does not build the same table as the log")
    frame_mib = float(frame.memory_usage(deep=True).sum()) / 2**20
    pandas_mib = float(same.memory_usage(deep=True).sum()) / 2**20
    del same

    def build() -> float:
        log._frame = None
        return seconds(lambda: log.frame)

    label = f"{MILLION:,} events"
    return [
        _ratio_row(
            f"MfaLog.frame build ({label}) / pandas DataFrame(column lists).astype(same dtypes)",
            paired_runs(lambda: seconds(pandas_direct), build, runs=3),
            "pandas from column lists + astype",
            1.5,
            frame_mib=round(frame_mib, 1),
        ),
        row(
            f"memory of MfaLog.frame ({label}) / the same frame built by pandas",
            frame_mib / pandas_mib,
            "ratio",
            "<= 1.1",
            f"pandas' frame {pandas_mib:.0f} MiB; ours {frame_mib:.0f} MiB; the log's column "
            f"buffers and event list {log_mib:.0f} MiB ({log_mib * 2**20 / MILLION:.0f} B/event)",
            log_mib=round(log_mib, 1),
        ),
    ]


def _view_rows(events: list[LogEvent]) -> list[dict[str, Any]]:
    """Appending to a LogView that already shows VIEW_EVENTS events."""
    from mfa_widgets.widgets.log_view import LogView

    log = MfaLog()
    for event in events[:VIEW_EVENTS]:
        log.append(event)
    view = LogView(log)
    medians = []
    for batch in range(3):
        times = []
        for i in range(VIEW_APPENDS):
            event = events[(batch * VIEW_APPENDS + i) % len(events)]
            times.append(seconds(lambda e=event: log.append(e)) * 1e3)
        medians.append(statistics.median(times))
    rebuild = seconds(lambda: log._columns.build()) * 1e3
    view.close()
    return [
        spread_row(
            f"append one event to a LogView already showing {VIEW_EVENTS:,} events",
            medians,
            "ms",
            "<= 20",
            f"rebuilding the whole frame, as the view did before: {rebuild:.0f} ms",
        )
    ]


def _ratio_row(
    name: str,
    pairs: list[tuple[float, float]],
    label: str,
    target: float,
    **extra: Any,
) -> dict[str, Any]:
    baseline_ms = statistics.median(theirs for theirs, _ in pairs) * 1e3
    ours_ms = statistics.median(mine for _, mine in pairs) * 1e3
    return spread_row(
        name,
        [mine / theirs for theirs, mine in pairs],
        "ratio",
        f"<= {target}",
        f"{label}: {baseline_ms:.1f} ms",
        ours_ms=round(ours_ms, 1),
        **extra,
    )


def run() -> list[dict[str, Any]]:
    """The log against pandas; each ratio is the median of paired runs (lower is better)."""
    events = make_events()
    return [*_frame_rows(events), *_view_rows(events), *_million_rows(events)]


if __name__ == "__main__":
    for row in run():
        print(row)
