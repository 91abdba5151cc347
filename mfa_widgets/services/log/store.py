"""The JSON Lines store: the autosave writer, reading a saved log back, and a crash's torn tail."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import warnings
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import pandas as pd

from mfa_widgets.core.errors import MfaWidgetsError
from mfa_widgets.core.outcomes import outcome_category
from mfa_widgets.core.preferences import Factor
from mfa_widgets.services.errors import LogFileError, LogRecoveryWarning
from mfa_widgets.services.log import schema
from mfa_widgets.services.log.event import LogEvent

__all__ = ["drop_truncated_tail"]


class _JsonlWriter:
    """Appends one JSON line per event, flushed (and optionally fsynced) before returning."""

    def __init__(self, path: Path, fsync: bool) -> None:
        self.path = path
        self.fsync = fsync
        with _saving(path):
            _refuse_foreign_file(path)
        try:
            drop_truncated_tail(path)
            # Unbuffered bytes: a failed write (disk full) leaves nothing behind to fail again.
            self._file: IO[bytes] = path.open("ab", buffering=0)
        except (OSError, ValueError) as error:  # ValueError: a NUL in the path
            reason = getattr(error, "strerror", None) or error
            raise LogFileError(
                f"cannot open {path} to autosave the log ({reason}): pass a "
                "path in an existing, writable folder"
            ) from None

    def write(self, event: LogEvent) -> None:
        line = (json.dumps(event.to_json(), ensure_ascii=False) + "\n").encode("utf-8")
        view = memoryview(line)
        while view:  # a raw write may take only part of the line
            written = self._file.write(view)
            if not written:
                raise OSError(errno.EIO, "the file took no bytes", str(self.path))
            view = view[written:]
        if self.fsync:
            os.fsync(self._file.fileno())

    def close(self) -> None:
        self._file.close()


def _as_path(value: object, name: str) -> Path:
    """``value`` as a :class:`Path` when it can name a file; :class:`LogFileError` otherwise."""
    text = str(value) if isinstance(value, (str, Path)) else ""
    if not text.strip() or "\x00" in text or (not text.isprintable() and _unencodable(text)):
        raise LogFileError(
            f"{name} cannot be {value!r:.40}: pass a file path (str or pathlib.Path) such as "
            "'mfa-log.jsonl'"
        )
    return Path(text)


def _unencodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate cannot name a file
        return True
    return False


@contextlib.contextmanager
def _saving(path: Path) -> Iterator[None]:
    """Turn a failed export (missing folder, no permission, full disk) into a LogFileError."""
    try:
        yield
    except OSError as error:
        raise LogFileError(
            f"cannot use {path} ({error.strerror or error}): pass a path in an existing, "
            "writable folder with free space"
        ) from None


def _refuse_foreign_file(path: Path) -> None:
    """Raise :class:`LogFileError` unless ``path`` is missing, empty, or a log this class wrote.

    Appending to (and cutting the "truncated" tail of) a notebook, a CSV or any other file would
    destroy it; only a file whose first line is a log event is taken as a log.
    """
    if path.is_dir():
        raise LogFileError(f"{path} is a folder: pass a file path such as {path / 'mfa-log.jsonl'}")
    if not path.is_file() or path.stat().st_size == 0:
        return  # missing, empty, or a device such as /dev/null
    with path.open("rb") as file:
        first = file.readline(1 << 20)
    try:
        LogEvent.from_json(json.loads(first))
    except (ValueError, TypeError, MfaWidgetsError):
        raise LogFileError(
            f"{path} exists and is not an MfaLog JSON Lines file, so the log will not write to "
            "it (that would damage it): pass a new file name, or a log saved by autosave/to_jsonl"
        ) from None


def _refuse_foreign_table(path: Path, columns: list[str]) -> None:
    """Raise :class:`LogFileError` unless ``path`` is missing, empty, or a table of ``columns``."""
    if path.is_dir():
        raise LogFileError(f"{path} is a folder: pass a file path such as {path / 'mfa-log.csv'}")
    if not path.is_file() or path.stat().st_size == 0:
        return
    try:
        if path.suffix == ".parquet":
            import pyarrow.parquet as pq

            found = list(pq.read_schema(path).names)
        else:
            with path.open(encoding="utf-8") as file:
                found = file.readline().rstrip("\r\n").split(",")
    except Exception:  # unreadable as the expected table: certainly not our export
        found = []
    if found != columns:
        raise LogFileError(
            f"{path} exists and is not an export of an MfaLog, so it is left untouched: pass a "
            "new file name (or delete the file yourself)"
        )


def drop_truncated_tail(path: Path) -> None:
    """Cut a partial last line (from a crash) so the next event starts on a line of its own."""
    size = path.stat().st_size if path.exists() else 0
    if size == 0:
        return
    with path.open("rb+") as file:
        keep = _end_of_last_line(file, size)
        if keep == size:
            return
        file.truncate(keep)
    warnings.warn(
        f"{path}: dropped a truncated last line ({size - keep} bytes) left by a crash "
        "before appending to it",
        LogRecoveryWarning,
        stacklevel=4,
    )


def _end_of_last_line(file: IO[bytes], size: int, block: int = 65536) -> int:
    """The offset just after the file's last newline (0 if none), reading backwards by blocks."""
    end = size
    while end > 0:
        start = max(0, end - block)
        file.seek(start)
        chunk = file.read(end - start)
        newline = chunk.rfind(b"\n")
        if newline >= 0:
            return start + newline + 1
        end = start
    return 0


def _read_jsonl(path: Path) -> tuple[list[LogEvent], list[str]]:
    """Events of a JSON Lines log, and a note on a truncated last line if there was one."""
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except UnicodeDecodeError as error:
        raise LogFileError(
            f"{path} is not UTF-8 text (bad byte at offset {error.start}), so it is not a saved "
            "MfaLog: pass the JSON Lines file the log wrote (autosave or to_jsonl)"
        ) from None
    # A complete file ends with "\n": its last piece is empty. Anything else there is a fragment.
    complete, tail = lines[:-1], lines[-1]
    events: list[LogEvent] = []
    for number, line in enumerate(complete, start=1):
        if not line.strip():
            continue
        try:
            events.append(LogEvent.from_json(json.loads(line)))
        except (ValueError, TypeError) as error:
            raise LogFileError(
                f"{path}, line {number}: not a log event ({error}); only a truncated last line "
                "is skipped, so this file was damaged another way: fix or remove the line"
            ) from None
    problems = []
    if tail.strip():
        problems.append(
            f"{path}, line {len(lines)}: truncated last line ({len(tail)} characters) left out; "
            "it was being written when the process stopped"
        )
    return events, problems


def _event_from_row(row: Mapping[Any, Any]) -> LogEvent:
    """Rebuild an event from one row of :attr:`MfaLog.frame` (as read back from a table file)."""

    def value(name: str) -> Any:
        item = row[name]
        return None if item is pd.NA or item is None or item != item else item

    flags = {name: value(f"enabled_{name.lower()}") for name in schema.FACTOR_NAMES}
    known = any(flag is not None for flag in flags.values())
    return LogEvent(
        operation=row["operation"],
        backend=row["backend"],
        username=value("username"),
        requested={f.key: value(f"requested_{f.key}") for f in Factor},
        outcome=row["outcome"],
        error_code=value("error_code"),
        error_message=value("error_message"),
        latency_ms=value("latency_ms"),
        enabled=tuple(n for n, flag in flags.items() if flag) if known else None,
        preferred=value("preferred"),
        predicted_challenge=value("predicted_challenge"),
        observed_challenge=value("observed_challenge"),
        timestamp=row["timestamp"],
        scenario=value("scenario"),
        note=value("note"),
        flow=value("flow") if "flow" in row else None,
        first_factor=value("first_factor") if "first_factor" in row else None,
    )


def _categories(frame: pd.DataFrame) -> list[str]:
    """The ``outcome_category`` of each row of a table file written before that column existed."""
    messages = frame["error_message"] if "error_message" in frame else [None] * len(frame)

    def text(value: Any) -> str | None:
        return None if value is None or value is pd.NA or value != value else str(value)

    return [
        outcome_category(str(outcome), text(code), text(message))
        for outcome, code, message in zip(
            frame["outcome"], frame["error_code"], messages, strict=True
        )
    ]
