"""MfaLog: building the typed DataFrame, and appending, against plain pandas.

Measured on 100,000 events:

* frame build / from_records + astype: :attr:`MfaLog.frame` after the appends, against
  what a careful pandas user writes for the same table: ``DataFrame.from_records`` over a list of
  dicts, then ``astype`` to the same dtypes. Target: within 1.5x.
* frame build / raw from_records: the same build against bare ``from_records`` (object
  and inferred dtypes, which is less than the log delivers). Target: within 1.5x.
* appends + frame / dicts + pandas: 100,000 appends then ``.frame``, against appending the same
  rows as dicts to a list then ``from_records`` + ``astype``. Target: within 5x. The events are
  made beforehand in both cases; making a :class:`LogEvent` (validation and JWT scrubbing of its
  text) is not timed here: it costs tens of microseconds, against a ~4 ms loopback API call.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pandas as pd

from benchmarks._timing import best_of, row
from mfa_widgets.services import log_schema as schema
from mfa_widgets.services.log import LogEvent, MfaLog

EVENTS = 100_000

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
    columns: dict[str, list[Any]] = {}
    for name in frame.columns:
        series = frame[name]
        values = (
            list(series.dt.to_pydatetime())
            if name == "timestamp"
            else series.astype(object).tolist()
        )
        columns[name] = [None if pd.isna(v) else v for v in values]
    names = list(columns)
    return [dict(zip(names, row, strict=True)) for row in zip(*columns.values(), strict=True)]


def _result(name: str, value: float, baseline: float, label: str, target: float) -> dict[str, Any]:
    return row(
        name,
        value / baseline,
        "ratio",
        f"<= {target}",
        f"{label}: {baseline * 1e3:.1f} ms",
        ours_ms=round(value * 1e3, 1),
    )


def run() -> list[dict[str, Any]]:
    """Time the log against pandas on 100,000 events; each result is a ratio (lower is better)."""
    events = make_events()
    log = MfaLog()

    def append_all_and_build() -> pd.DataFrame:
        log.clear()
        for event in events:
            log.append(event)
        return log.frame

    def build() -> pd.DataFrame:
        log._frame = None  # force a rebuild from the buffered columns
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

    build_time = best_of(build)
    careful = best_of(from_records_astype)
    raw = best_of(lambda: pd.DataFrame.from_records(records))
    end_to_end = best_of(append_all_and_build, repeats=2)
    dict_baseline = best_of(dicts_then_pandas, repeats=2)
    return [
        _result(
            "MfaLog.frame build (100k events) / from_records + astype",
            build_time,
            careful,
            "from_records + astype",
            1.5,
        ),
        _result(
            "MfaLog.frame build (100k events) / raw from_records",
            build_time,
            raw,
            "raw from_records",
            1.5,
        ),
        _result(
            "100k appends + frame / 100k dict appends + from_records + astype",
            end_to_end,
            dict_baseline,
            "dicts + from_records + astype",
            5.0,
        ),
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
