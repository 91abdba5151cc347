"""The :class:`MfaLog`: events kept column by column, the typed frame built on demand."""

from __future__ import annotations

import dataclasses
import json
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

import pandas as pd

from mfa_widgets.core.extras import require_extra
from mfa_widgets.core.validation import need_flag
from mfa_widgets.services.errors import (
    LogEventError,
    LogFileError,
    LogRecoveryWarning,
    LogWriteError,
    SubscriberWarning,
)
from mfa_widgets.services.log import schema
from mfa_widgets.services.log.event import _CSV_BOOLEANS, _TEXT_FIELDS, LogEvent, _text
from mfa_widgets.services.log.store import (
    _as_path,
    _categories,
    _event_from_row,
    _JsonlWriter,
    _read_jsonl,
    _refuse_foreign_file,
    _refuse_foreign_table,
    _saving,
)

__all__ = ["MfaLog"]


class MfaLog:
    """An append-only, thread-safe log of MFA events with a typed DataFrame view.

    Parameters
    ----------
    autosave
        A JSON Lines file to append each event to (created if missing, appended to if present).
        Each line is flushed before :meth:`append` returns.
    secrets
        Known secrets (passwords, one-time codes, TOTP secrets) to scrub from every text field.
        More can be added with :meth:`add_secret`.
    fsync
        Also ``os.fsync`` each autosaved line (survives a power cut, costs a disk sync per event).

    Notes
    -----
    :attr:`frame` is built from columnar buffers in one pass and cached until the next append;
    :attr:`frame_builds` counts the builds. Subscribers are called after each append, outside the
    lock, in the appending thread; one that raises is reported with a :class:`SubscriberWarning`
    and does not stop logging.
    """

    def __init__(
        self,
        autosave: str | Path | None = None,
        *,
        secrets: Iterable[str] = (),
        fsync: bool = False,
    ) -> None:
        self._lock = threading.RLock()
        self._events: list[LogEvent] = []
        self._columns = schema.ColumnBuffer()
        self._secrets: frozenset[str] = frozenset()
        self._subscribers: list[Callable[[LogEvent], None]] = []
        self._version = 0
        self._frame: pd.DataFrame | None = None
        self._frame_version = -1
        self.frame_builds = 0
        self._clears = 0
        self.load_problems: tuple[str, ...] = ()
        need_flag(fsync, "fsync")
        if isinstance(secrets, (str, bytes, bytearray)) or not isinstance(secrets, Iterable):
            raise LogEventError("secrets must be a list of strings, e.g. ['Passw0rd!']")
        for secret in secrets:
            self.add_secret(secret)
        path = None if autosave is None else _as_path(autosave, "autosave")
        self._writer = None if path is None else _JsonlWriter(path, fsync)

    # -- writing ---------------------------------------------------------------------------------

    def add_secret(self, secret: str) -> None:
        """Register a secret: scrubbed from every later event, and a field equal to it dropped.

        Raises
        ------
        LogEventError
            When ``secret`` is not a non-empty string.
        """
        if not isinstance(secret, str) or not secret:
            raise LogEventError("a secret must be a non-empty string")
        with self._lock:
            self._secrets = self._secrets | {secret}

    def append(self, event: LogEvent | Mapping[str, Any]) -> None:
        """Log one event (a :class:`LogEvent` or a mapping of its fields) in O(1).

        Raises
        ------
        LogEventError
            When the mapping has an unknown key or a field value is invalid; nothing is logged.
        """
        if not isinstance(event, LogEvent):
            if not isinstance(event, Mapping):
                raise LogEventError(
                    f"an event cannot be a {type(event).__name__}: pass a LogEvent or a mapping "
                    "such as {'operation': 'GetUser', 'outcome': 'ok'}"
                )
            event = LogEvent.from_json(event)
        event = self._without_secrets(event)
        row = event._row()
        failure: OSError | None = None
        with self._lock:
            self._store(event, row)
            if self._writer is not None:
                try:
                    self._writer.write(event)
                except OSError as error:  # kept in memory; reported once the views are told
                    failure = error
            subscribers = tuple(self._subscribers)
        for callback in subscribers:
            try:
                callback(event)
            except Exception as error:  # a broken view must not break logging
                warnings.warn(
                    f"log subscriber {callback!r} raised {type(error).__name__}: {error}",
                    SubscriberWarning,
                    stacklevel=2,
                )
        if failure is not None:
            assert self._writer is not None
            raise LogWriteError(
                f"the event is in the log in memory, but saving it to {self._writer.path} failed "
                f"({failure.strerror or failure}): free space or fix the file, then save the "
                "whole log with to_jsonl(path)"
            )

    def _store(self, event: LogEvent, row: tuple[Any, ...]) -> None:
        self._columns.add(row)
        self._events.append(event)
        self._version += 1

    def _without_secrets(self, event: LogEvent) -> LogEvent:
        """The event with registered secrets scrubbed and fields equal to one dropped."""
        secrets = self._secrets
        if not secrets:
            return event
        changes: dict[str, Any] = {}
        dropped: list[str] = []
        for name in _TEXT_FIELDS:
            value = getattr(event, name)
            if value is None:
                continue
            if value.strip() in secrets:
                changes[name] = None
                dropped.append(name)
            else:
                cleaned = _text(value, secrets)
                if cleaned != value:
                    changes[name] = cleaned
        if dropped:
            remark = f"{', '.join(dropped)} dropped: equal to a registered secret"
            note = changes.get("note", event.note) if "note" not in dropped else None
            changes["note"] = remark if not note else f"{note}; {remark}"
        return dataclasses.replace(event, **changes) if changes else event

    def subscribe(self, callback: Callable[[LogEvent], None]) -> Callable[[], None]:
        """Call ``callback(event)`` after each append; returns a function that unsubscribes."""
        if not callable(callback):
            raise LogEventError(f"callback must be a function, not a {type(callback).__name__}")
        with self._lock:
            self._subscribers.append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._subscribers:
                    self._subscribers.remove(callback)

        return unsubscribe

    def clear(self) -> None:
        """Forget the events in memory (an autosave file keeps its lines: it is the history)."""
        with self._lock:
            self._events.clear()
            self._columns.clear()
            self._version += 1
            self._clears += 1

    def close(self) -> None:
        """Close the autosave file (later appends are kept in memory only)."""
        with self._lock:
            if self._writer is not None:
                self._writer.close()
                self._writer = None

    def __enter__(self) -> MfaLog:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- reading ---------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._events)

    def __iter__(self) -> Iterator[LogEvent]:
        return iter(self.events)

    def __repr__(self) -> str:
        saved = "" if self._writer is None else f", autosave={str(self._writer.path)!r}"
        return f"MfaLog({len(self)} events{saved})"

    @property
    def events(self) -> tuple[LogEvent, ...]:
        """Every event in append order (secrets already scrubbed)."""
        with self._lock:
            return tuple(self._events)

    @property
    def frame(self) -> pd.DataFrame:
        """The events as a typed DataFrame in append order, rebuilt only after new events.

        Each call returns a shallow copy of the cached frame (pandas copy-on-write keeps the cache
        safe from changes made to it).
        """
        with self._lock:
            if self._frame is None or self._frame_version != self._version:
                self._frame = self._columns.build()
                self._frame_version = self._version
                self.frame_builds += 1
            view: pd.DataFrame = self._frame.copy(deep=False)
            return view

    @property
    def clears(self) -> int:
        """How many times :meth:`clear` ran (row positions restart at 0 after each)."""
        return self._clears

    def tail(self, n: int = 25) -> pd.DataFrame:
        """The newest ``n`` events as a typed DataFrame, in append order: ``frame.tail(n)``.

        Built from those rows only (or taken from the cached frame when it is current), so it
        costs the same with 100 or 1,000,000 events logged; a live view calls it on every
        append. Columns, dtypes and index (the rows' positions) are those of :attr:`frame`.

        Raises
        ------
        ValueError
            When ``n`` is negative.
        """
        if n < 0:
            raise ValueError(f"tail(n) needs n >= 0 rows, not {n}")
        with self._lock:
            start = max(0, len(self._columns) - n)
            if self._frame is not None and self._frame_version == self._version:
                cached: pd.DataFrame = self._frame.iloc[start:].copy(deep=False)
                return cached
            return self._columns.build(start)

    # -- files -----------------------------------------------------------------------------------

    def to_jsonl(self, path: str | Path) -> None:
        """Write every event as JSON Lines (the autosave format; :meth:`load` reads it).

        Raises
        ------
        LogFileError
            When ``path`` is an existing file that is not a log (it is left untouched).
        """
        target = _as_path(path, "path")
        lines = [json.dumps(e.to_json(), ensure_ascii=False) + "\n" for e in self.events]
        with _saving(target):
            _refuse_foreign_file(target)
            target.write_text("".join(lines), encoding="utf-8")

    def to_csv(self, path: str | Path) -> None:
        """Write :attr:`frame` as CSV (:meth:`load` and :meth:`read_frame` read it back).

        An existing file is replaced only when it is an earlier CSV export of a log.
        """
        frame, target = self.frame, _as_path(path, "path")
        with _saving(target):
            _refuse_foreign_table(target, list(frame.columns))
            frame.to_csv(target, index=False)

    def to_parquet(self, path: str | Path) -> None:
        """Write :attr:`frame` as Parquet with its dtypes (needs the ``parquet`` extra).

        An existing file is replaced only when it is an earlier Parquet export of a log.
        """
        require_extra("parquet", "Parquet export")
        frame, target = self.frame, _as_path(path, "path")
        with _saving(target):
            _refuse_foreign_table(target, list(frame.columns))
            frame.to_parquet(target, index=False)

    @staticmethod
    def read_frame(path: str | Path) -> pd.DataFrame:
        """Read a CSV or Parquet file written by :meth:`to_csv`/:meth:`to_parquet`, typed.

        Raises
        ------
        LogFileError
            When the suffix is neither ``.csv`` nor ``.parquet``, or columns are missing.
        """
        path = Path(path)
        if path.suffix == ".parquet":
            frame = pd.read_parquet(path)
        elif path.suffix == ".csv":
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
        else:
            raise LogFileError(f"{path}: read_frame reads .csv or .parquet files; use load()")
        if "outcome_category" not in frame and {"outcome", "error_code"} <= set(frame):
            frame["outcome_category"] = _categories(frame)  # a file from before the column
        missing = [c.name for c in schema.COLUMNS if c.name not in frame]
        if missing:
            raise LogFileError(f"{path} is not an MfaLog table: columns {missing} are missing")
        if path.suffix == ".csv":  # text cells: parse what astype cannot
            frame["timestamp"] = pd.to_datetime(frame["timestamp"], utc=True, format="ISO8601")
            for column in schema.COLUMNS:
                if column.kind == "boolean":
                    frame[column.name] = frame[column.name].map(_CSV_BOOLEANS)
        dtypes = schema.frame_dtypes(schema.categories_seen(frame))
        typed: pd.DataFrame = frame[list(dtypes)].astype(dtypes)
        return typed

    @classmethod
    def load(
        cls,
        path: str | Path,
        *,
        resume: bool = False,
        secrets: Iterable[str] = (),
        fsync: bool = False,
    ) -> MfaLog:
        """Read a log saved as JSON Lines (autosave, :meth:`to_jsonl`), CSV or Parquet.

        A truncated last JSON line, left by a crash, is left out with a
        :class:`LogRecoveryWarning`, and described in :attr:`load_problems`.

        Parameters
        ----------
        path
            The file; ``.csv`` and ``.parquet`` are read as tables, anything else as JSON Lines.
        resume
            Keep appending new events to ``path`` (JSON Lines only).
        secrets, fsync
            As for :class:`MfaLog`.

        Raises
        ------
        LogFileError
            When the file is missing, a line other than the last is not a valid event, or
            ``resume`` is asked for a table file.
        """
        path = _as_path(path, "path")
        need_flag(resume, "resume")
        need_flag(fsync, "fsync")
        with _saving(path):
            exists, is_dir = path.exists(), path.is_dir()
        if not exists:
            raise LogFileError(f"{path} does not exist: check the path of the saved log")
        if is_dir:
            raise LogFileError(f"{path} is a folder: pass the saved log file inside it")
        log = cls(secrets=secrets)
        if path.suffix in (".csv", ".parquet"):
            if resume:
                raise LogFileError(f"{path}: resume needs a JSON Lines log, not a table file")
            events = [_event_from_row(row) for row in cls.read_frame(path).to_dict("records")]
        else:
            if resume:
                _refuse_foreign_file(path)  # before reading: say what the file is not, once
            events, problems = _read_jsonl(path)
            if problems:
                log.load_problems = tuple(problems)
                warnings.warn("; ".join(problems), LogRecoveryWarning, stacklevel=2)
        with log._lock:
            for event in events:
                event = log._without_secrets(event)
                log._store(event, event._row())
        if resume:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", LogRecoveryWarning)  # reported just above
                log._writer = _JsonlWriter(path, fsync)
        return log
