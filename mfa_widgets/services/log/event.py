"""The event type: one :class:`LogEvent` per API call or sign-in attempt, validated when made.

Each field normaliser raises :class:`~mfa_widgets.services.errors.LogEventError` naming the field
and the fix.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime, timedelta, timezone
from enum import Enum
from typing import Any, cast

import pandas as pd

from mfa_widgets.core.outcomes import NO_DECISION, outcome_category
from mfa_widgets.core.preferences import Factor, FactorState, MfaPreference
from mfa_widgets.core.redaction import looks_like_secret, redact_token, scrub_secrets
from mfa_widgets.services.errors import LogEventError
from mfa_widgets.services.log import schema

__all__ = ["NO_CHALLENGE", "SIGN_IN_ERROR", "LogEvent"]


NO_CHALLENGE = schema.NO_CHALLENGE
SIGN_IN_ERROR = schema.SIGN_IN_ERROR

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MICROSECOND = timedelta(microseconds=1)
_OPERATION = re.compile(r"[A-Z][A-Za-z0-9]*")
_BACKEND = re.compile(r"[a-z][a-z0-9-]*(:\S+)?")  # kind[:detail], e.g. aws:eu-west-1
_FACTOR_KEYS = {factor: factor.key for factor in Factor}
_CSV_BOOLEANS = {"True": True, "False": False}
_TEXT_FIELDS = ("username", "error_code", "error_message", "scenario", "note")


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
        value = datetime.fromisoformat(value)
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
