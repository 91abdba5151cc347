"""The append-only event log of MFA API calls and sign-in attempts, as a pandas DataFrame.

One :class:`LogEvent` per API call or sign-in attempt. :class:`MfaLog` buffers events column by
column (appends are O(1)) and builds :attr:`MfaLog.frame` on demand with typed columns: a UTC
timestamp, categoricals with fixed categories, nullable booleans, ``Float64`` latency and
``string`` free text. The frame is cached until the next append.

Secrets never enter the log. Every free-text field goes through
:func:`mfa_widgets.core.tokens.scrub_secrets` (JWT-shaped strings are removed when the event is
made,
registered secrets when it is logged), and a field whose whole value is a registered secret is
dropped and the drop noted. With ``autosave`` each event is appended to a JSON Lines file and
flushed before :meth:`MfaLog.append` returns, so a crash loses nothing.

Resulting factors are stored twice on purpose: ``enabled`` is a categorical label such as
``"SMS,TOTP"`` (one of eight fixed combinations, ``"none"`` for no factor), which reads well as a
pivot-table axis or a groupby key; ``enabled_sms``/``enabled_totp``/``enabled_email`` are nullable
booleans for filtering (``df[df.enabled_totp]``) and for counting (``.sum()``).

Examples
--------
>>> log = MfaLog()
>>> log.append(LogEvent("GetUser", enabled=("SMS",), preferred="SMS"))
>>> log.frame.loc[0, "enabled"]
'SMS'
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import functools
import json
import os
import re
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime, timedelta, timezone
from enum import Enum
from pathlib import Path
from types import TracebackType
from typing import IO, Any, cast

import pandas as pd

from mfa_widgets.core.errors import MfaWidgetsError
from mfa_widgets.core.extras import require_extra
from mfa_widgets.core.outcomes import NO_DECISION, outcome_category
from mfa_widgets.core.preferences import Factor, FactorState, MfaPreference
from mfa_widgets.core.redaction import looks_like_secret, redact_token, scrub_secrets
from mfa_widgets.core.validation import need_flag
from mfa_widgets.services import log_schema as schema
from mfa_widgets.services.csv_export import read_csv_text, write_csv

__all__ = [
    "NO_CHALLENGE",
    "SIGN_IN_ERROR",
    "LogEvent",
    "LogEventError",
    "LogFileError",
    "LogRecoveryWarning",
    "LogWriteError",
    "MfaLog",
    "SubscriberWarning",
    "drop_truncated_tail",
]

NO_CHALLENGE = schema.NO_CHALLENGE
SIGN_IN_ERROR = schema.SIGN_IN_ERROR

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MICROSECOND = timedelta(microseconds=1)
_OPERATION = re.compile(r"[A-Z][A-Za-z0-9]*")
_BACKEND = re.compile(r"[a-z][a-z0-9-]*(:\S+)?")  # kind[:detail], e.g. aws:eu-west-1
_FACTOR_KEYS = {factor: factor.key for factor in Factor}
_CSV_BOOLEANS = {"True": True, "False": False}
_TEXT_FIELDS = ("username", "error_code", "error_message", "scenario", "note")


class LogEventError(MfaWidgetsError, ValueError):
    """A log event field has a value the log cannot store; the message names field and fix."""


class LogFileError(MfaWidgetsError, ValueError):
    """A saved log cannot be read (beyond a truncated last line, which is tolerated)."""


class LogWriteError(LogFileError, OSError):
    """An event is logged in memory but the autosave file could not take it (disk full, ...)."""


class LogRecoveryWarning(UserWarning):
    """A saved log was read or reopened after a crash: a truncated last line was left out."""


class SubscriberWarning(RuntimeWarning):
    """A log subscriber raised; the event was logged anyway."""


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _plain(value: Any) -> Any:
    """Enum members (e.g. ``challenges.Outcome.TOKENS``) become their value."""
    return value.value if isinstance(value, Enum) else value


@dataclasses.dataclass(frozen=True, repr=False)
class LogEvent:
    """One API call or sign-in attempt, validated and normalised when made.

    Parameters
    ----------
    operation
        The cognito-idp operation, e.g. ``"SetUserMFAPreference"``, ``"AdminInitiateAuth"``.
    backend
        ``"sandbox"``, ``"aws:<region>"``, or another ``kind:detail`` label such as
        ``"endpoint:http://127.0.0.1:5000"``.
    username
        The user's name (never a token: JWT-shaped text is scrubbed).
    requested
        The requested state per factor: a :class:`MfaPreference` or a mapping from factor
        (``"sms"``, ``Factor.TOTP``, ...) to ``"disabled"``/``"enabled"``/``"preferred"``/``None``
        (unchanged). Stored as a read-only, hashable mapping
        ``{"sms": ..., "totp": ..., "email": ...}``.
    outcome
        ``"ok"``, ``"error"``, ``"challenge"`` or ``"tokens"`` (a ``challenges.Outcome`` works).
    error_code, error_message
        The service error, if any; the message is scrubbed of secrets.
    latency_ms
        Wall time of the call in milliseconds.
    enabled
        The factors enabled after the call (any factor names, or ``"SMS,TOTP"``), ``()`` for none,
        ``None`` when unknown. Stored as a tuple of ``"SMS"``/``"TOTP"``/``"EMAIL"``.
    preferred
        The preferred factor after the call; ``None`` for none or unknown. Stored as a name.
    predicted_challenge, observed_challenge
        A ``ChallengeName`` such as ``"SMS_MFA"``, :data:`NO_CHALLENGE` (``"NONE"``) when tokens
        were (or would be) returned, :data:`SIGN_IN_ERROR` (``"ERROR"``) when the sign-in failed
        (or is predicted to), or ``None`` when unknown.
    timestamp
        When the call started; timezone-aware, stored in UTC. Defaults to now.
    scenario, note
        Free-text labels for grouping and remarks.
    flow, first_factor
        For sign-ins: the ``AuthFlow`` (``"USER_PASSWORD_AUTH"``, ``"USER_AUTH"``, ...) and the
        first factor (``"PASSWORD"``, ``"WEB_AUTHN"``, ``"EMAIL_OTP"``, ...), when known.
    secrets
        Known secrets to scrub from the free-text fields now (not stored). Without them only
        JWT-shaped text is scrubbed until the event is logged by an :class:`MfaLog` that knows
        its secrets: events read back from a log (``log.events``, subscribers) are fully scrubbed.

    Raises
    ------
    LogEventError
        When a field has a value the log cannot store; the message names the field and the fix.
    """

    operation: str
    backend: str = "sandbox"
    username: str | None = None
    requested: Mapping[Any, Any] | MfaPreference = dataclasses.field(default_factory=dict)
    outcome: str = "ok"
    error_code: str | None = None
    error_message: str | None = None
    latency_ms: float | None = None
    enabled: Iterable[Factor | str] | str | None = None
    preferred: Factor | str | None = None
    predicted_challenge: str | None = None
    observed_challenge: str | None = None
    timestamp: datetime = dataclasses.field(default_factory=_utc_now)
    scenario: str | None = None
    note: str | None = None
    flow: str | None = None
    first_factor: str | None = None
    secrets: dataclasses.InitVar[Iterable[str]] = ()

    def __post_init__(self, secrets: Iterable[str]) -> None:
        normalised = {
            "operation": _operation(self.operation),
            "backend": _backend(self.backend),
            "requested": _requested(self.requested),
            "outcome": _choice("outcome", self.outcome, schema.OUTCOMES, str.lower),
            "latency_ms": _latency(self.latency_ms),
            "enabled": _enabled(self.enabled),
            "preferred": _preferred(self.preferred),
            "predicted_challenge": _challenge("predicted_challenge", self.predicted_challenge),
            "observed_challenge": _challenge("observed_challenge", self.observed_challenge),
            "timestamp": _timestamp(self.timestamp),
            "flow": None if self.flow is None else str(self.flow).upper(),
            "first_factor": _choice_or_none(
                "first_factor", self.first_factor, schema.FIRST_FACTORS
            ),
        }
        for name in _TEXT_FIELDS:
            normalised[name] = _text(getattr(self, name), secrets)
        username = normalised["username"]
        if isinstance(username, str) and looks_like_secret(username):
            # A password or token typed into the username box: keep a fingerprint, not the text.
            normalised["username"] = f"[secret-like text {redact_token(username)}]"
        for name, value in normalised.items():
            object.__setattr__(self, name, value)

    @property
    def outcome_category(self) -> str:
        """``tokens``/``challenge``/``refused`` (Cognito decided), ``ok``, ``user_error``, ...

        See :func:`mfa_widgets.core.outcomes.outcome_category`.
        """
        return outcome_category(self.outcome, self.error_code, self.error_message)

    @property
    def agrees(self) -> bool | None:
        """Whether the predicted challenge is the observed one.

        ``None`` unless both are known and Cognito made a decision at this step: a wrong code or
        password says nothing about the prediction.
        """
        if self.predicted_challenge is None or self.observed_challenge is None:
            return None
        if self.outcome_category in NO_DECISION:
            return None
        return self.predicted_challenge == self.observed_challenge

    def __repr__(self) -> str:
        """Only the fields that differ from their defaults (all of them already scrubbed)."""
        shown = [f"{self.operation!r}"]
        for f in dataclasses.fields(self)[1:]:
            value = getattr(self, f.name)
            if f.name == "requested":
                value = {k: v for k, v in value.items() if v is not None}
                if value:
                    shown.append(f"requested={value!r}")
            elif f.name == "timestamp":
                shown.append(f"timestamp={value.isoformat()!r}")
            elif value != f.default:
                shown.append(f"{f.name}={value!r}")
        return f"LogEvent({', '.join(shown)})"

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict; :meth:`from_json` reads it back."""
        data = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        data["timestamp"] = self.timestamp.isoformat()
        data["requested"] = dict(self.requested)
        data["enabled"] = None if self.enabled is None else list(self.enabled)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> LogEvent:
        """Make an event from :meth:`to_json` output or any mapping of field names.

        Derived ``agrees`` and ``outcome_category`` keys are ignored.

        Raises
        ------
        LogEventError
            When a key is not a field name (the message lists the field names) or a value is bad.
        """
        fields = {f.name for f in dataclasses.fields(cls)}
        unknown = set(data) - fields - {"agrees", "outcome_category"}
        if unknown:
            raise LogEventError(
                f"unknown log event field(s) {sorted(map(str, unknown))[:10]}: the fields are "
                f"{sorted(fields)}"
            )
        if "operation" not in data:
            raise LogEventError("a log event needs an operation, e.g. {'operation': 'GetUser'}")
        return cls(**{k: v for k, v in data.items() if k in fields})

    def frame_row(self) -> tuple[Any, ...]:
        """The event's raw values in the frame's column order (``log_schema.COLUMNS``).

        Timestamps are microseconds since the epoch, booleans ``1``/``0``/``-1`` (unknown),
        a missing float is NaN, categories and strings are ``str`` or ``None``: what
        :attr:`MfaLog.frame` is built from, for a view that draws one new row at a time.
        """
        return self._row()

    def _row(self) -> tuple[Any, ...]:
        """The raw values of this event in :data:`_log_frame.COLUMNS` order."""
        enabled = self.enabled
        assert enabled is None or isinstance(enabled, tuple)  # normalised in __post_init__
        flags = [-1 if enabled is None else int(name in enabled) for name in schema.FACTOR_NAMES]
        preferred = self.preferred
        if preferred is None and enabled is not None:
            preferred = schema.NO_FACTOR  # known: no factor is preferred
        sms, totp, email = cast("_FactorStates", self.requested)._values  # normalised
        return (
            (self.timestamp - _EPOCH) // _MICROSECOND,
            self.operation,
            self.backend,
            self.username,
            sms,
            totp,
            email,
            self.outcome,
            self.error_code,
            self.error_message,
            float("nan") if self.latency_ms is None else self.latency_ms,
            schema.enabled_label(enabled),
            *flags,
            preferred,
            self.predicted_challenge,
            self.observed_challenge,
            schema.boolean_flag(self.agrees),
            self.scenario,
            self.note,
            self.flow,
            self.first_factor,
            self.outcome_category,
        )


# -- field normalisers (each raises LogEventError naming the field and the fix) ------------------


def _operation(value: Any) -> str:
    if value is None:
        raise LogEventError(
            "operation is missing: name the cognito-idp operation, e.g. SetUserMFAPreference"
        )
    text = str(_plain(value))
    if not _OPERATION.fullmatch(text):
        raise LogEventError(
            f"operation {text!r} is not a cognito-idp operation name: use the API's CamelCase "
            "name, e.g. SetUserMFAPreference or AdminInitiateAuth"
        )
    return text


def _backend(value: Any) -> str:
    text = str(value)
    if not _BACKEND.fullmatch(text):
        raise LogEventError(
            f"backend {text!r} is not recognised: use 'sandbox', 'aws:<region>' (e.g. "
            "'aws:eu-west-1') or another lower-case kind with an optional ':detail'"
        )
    return text


def _choice(name: str, value: Any, allowed: tuple[str, ...], fold: Callable[[str], str]) -> str:
    text = fold(str(_plain(value)).strip())
    if text not in allowed:
        raise LogEventError(f"{name} {value!r} is not allowed: use one of {', '.join(allowed)}")
    return text


def _challenge(name: str, value: Any) -> str | None:
    if value is None:
        return None
    text = str(_plain(value)).strip()
    if text == "" or text.upper() == schema.NO_CHALLENGE:
        return schema.NO_CHALLENGE
    return _choice(name, text, schema.CHALLENGES, str.upper)


@functools.lru_cache(maxsize=256, typed=True)
def _factor(value: Factor | str) -> Factor:
    """:meth:`Factor.parse`, memoised: the same few names arrive with every event."""
    return Factor.parse(value)


@functools.lru_cache(maxsize=256, typed=True)
def _state(value: FactorState | str | bool | None) -> str | None:
    """:meth:`FactorState.parse` as the state's value, memoised."""
    parsed = FactorState.parse(value)
    return None if parsed is None else parsed.value


class _FactorStates(Mapping[str, "str | None"]):
    """A read-only ``{"sms": ..., "totp": ..., "email": ...}`` that pickles, copies and hashes.

    (A ``MappingProxyType`` would be read-only too, but cannot be pickled or deep-copied, which
    ``dataclasses.asdict`` and ``copy.deepcopy`` of an event need.)
    """

    __slots__ = ("_values",)
    _KEYS = tuple(f.key for f in Factor)

    def __init__(self, states: Mapping[str, str | None]) -> None:
        self._values = tuple(states.get(key) for key in self._KEYS)

    def __getitem__(self, key: str) -> str | None:
        try:
            return self._values[self._KEYS.index(key)]
        except ValueError:
            raise KeyError(key) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._KEYS)

    def __len__(self) -> int:
        return len(self._KEYS)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return dict(self) == dict(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._values)

    def __repr__(self) -> str:
        return repr(dict(self))

    def __reduce__(self) -> tuple[Any, ...]:
        return (_FactorStates, (dict(self),))


def _requested(value: Any) -> _FactorStates:
    states: dict[str, str | None] = {}
    items = value if isinstance(value, MfaPreference) else dict(value or {}).items()
    try:
        for factor, state in items:
            if factor == "webauthn":  # passkey MFA (MfaPreference.as_dict): a switch, no column
                continue
            states[_FACTOR_KEYS[_factor(factor)]] = _state(state)
    except (ValueError, TypeError) as error:
        raise LogEventError(f"requested: {error}") from None
    return _FactorStates(states)


def _choice_or_none(name: str, value: Any, choices: tuple[str, ...]) -> str | None:
    if value is None:
        return None
    text = str(value).strip().upper()
    if text not in choices:
        raise LogEventError(f"{name}: {value!r} is not one of {', '.join(choices)}")
    return text


def _enabled(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = [] if value.strip().lower() in ("", schema.NO_FACTOR) else value.split(",")
    try:
        names = {_factor(item).name for item in value}
    except (ValueError, TypeError) as error:
        raise LogEventError(f"enabled: {error}") from None
    return tuple(n for n in schema.FACTOR_NAMES if n in names)


def _preferred(value: Any) -> str | None:
    if value is None or (isinstance(value, str) and value.strip().lower() in ("", "none")):
        return None
    try:
        return _factor(value).name
    except (ValueError, TypeError) as error:
        raise LogEventError(f"preferred: {error}") from None


def _latency(value: Any) -> float | None:
    if value is None:
        return None
    try:
        latency = float(value)
    except (TypeError, ValueError):
        raise LogEventError(f"latency_ms {value!r} is not a number of milliseconds") from None
    if latency != latency:  # NaN: unknown
        return None
    if latency < 0:
        raise LogEventError(f"latency_ms {latency} is negative: pass the elapsed milliseconds")
    return latency


def _timestamp(value: Any) -> datetime:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise LogEventError(
                f"timestamp {value!r} is not an ISO 8601 date and time: pass e.g. "
                "'2026-01-31T12:00:00+00:00' or datetime.now(timezone.utc)"
            ) from None
    elif isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise LogEventError(
            f"timestamp {value!r} is not a timezone-aware datetime: pass e.g. "
            "datetime.now(timezone.utc)"
        )
    return value.astimezone(timezone.utc)


def _text(value: Any, secrets: Iterable[str]) -> str | None:
    if value is None:
        return None
    text = str(_plain(value))
    if not text.isascii():  # lone surrogates (undecodable bytes) cannot be written as UTF-8
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return scrub_secrets(text, secrets)


# -- the log -------------------------------------------------------------------------------------


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
            write_csv(frame, target)

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
        if path.suffix not in (".csv", ".parquet"):
            raise LogFileError(f"{path}: read_frame reads .csv or .parquet files; use load()")
        try:
            frame = pd.read_parquet(path) if path.suffix == ".parquet" else read_csv_text(path)
        except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as error:
            # pyarrow's ArrowInvalid and pandas' parser errors are ValueErrors
            raise LogFileError(
                f"{path} is not a readable {path.suffix[1:]} file ({type(error).__name__}): "
                "pass a file written by MfaLog.to_csv or to_parquet"
            ) from None
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


# -- scoring predictions ------------------------------------------------------------------------


def decision_summary(frame: pd.DataFrame) -> str:
    """``"n mismatches of m decisions"``: how often Cognito decided other than predicted.

    A decision is a logged step with both a prediction and an observation where Cognito decided
    (tokens, a challenge, a refusal), i.e. a row whose ``agrees`` is known. Typos (a wrong code
    or password) and service failures are counted apart, so they can never raise the mismatches.
    """
    if "agrees" not in frame or not len(frame):
        return mismatch_summary(0, 0)
    agrees = frame["agrees"]
    typos = 0
    if "outcome_category" in frame:
        typos = int(frame["outcome_category"].eq("user_error").sum())
    return mismatch_summary(int(agrees.eq(False).sum()), int(agrees.notna().sum()), typos)


def mismatch_summary(mismatches: int, decisions: int, typos: int = 0) -> str:
    """``"1 mismatch of 2 decisions (1 typing error not counted)"``."""
    text = f"{mismatches} mismatch{'es' if mismatches != 1 else ''} of {decisions} decision"
    text += "s" if decisions != 1 else ""
    if typos:
        text += f" ({typos} typing error{'s' if typos != 1 else ''} not counted)"
    return text
