"""The event log's table schema and the columnar buffer that turns events into a DataFrame.

Private helper of :mod:`mfa_widgets.services.log`. Appending a row costs one list append per column
(and a
dict lookup for categorical columns, which are stored as integer codes), so appends stay O(1) and
the DataFrame is built in one pass per column with its final dtype: no per-row concat, no
``astype`` after the fact. That is why :attr:`MfaLog.frame` builds faster than
``DataFrame.from_records`` followed by ``astype``.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from mfa_widgets.core.outcomes import OUTCOME_CATEGORIES
from mfa_widgets.core.signin.labels import NO_CHALLENGE, SIGN_IN_ERROR

__all__ = [
    "CHALLENGES",
    "COLUMNS",
    "ENABLED_COMBINATIONS",
    "FACTOR_NAMES",
    "FIRST_FACTORS",
    "KNOWN_OPERATIONS",
    "NO_CHALLENGE",
    "NO_FACTOR",
    "OUTCOMES",
    "OUTCOME_CATEGORIES",
    "SIGN_IN_ERROR",
    "SIGN_IN_FLOWS",
    "STATES",
    "Column",
    "ColumnBuffer",
    "boolean_flag",
    "categories_seen",
    "enabled_label",
    "frame_dtypes",
]

ColumnKind = Literal["timestamp", "category", "open_category", "boolean", "float", "string"]

NO_FACTOR = "none"
"""The ``enabled``/``preferred`` value meaning "known to be no factor"."""

FACTOR_NAMES = ("SMS", "TOTP", "EMAIL")
STATES = ("disabled", "enabled", "preferred")
OUTCOMES = ("ok", "error", "challenge", "tokens")

# Cognito's ChallengeNameType enum (botocore cognito-idp model), plus NONE ("tokens returned")
# and ERROR ("the sign-in failed"), so that predicted and observed outcomes compare in one column.
CHALLENGES = (
    "SMS_MFA",
    "SOFTWARE_TOKEN_MFA",
    "EMAIL_OTP",
    "SELECT_MFA_TYPE",
    "MFA_SETUP",
    "DEVICE_SRP_AUTH",
    "DEVICE_PASSWORD_VERIFIER",
    "PASSWORD_VERIFIER",
    "CUSTOM_CHALLENGE",
    "SELECT_CHALLENGE",
    "ADMIN_NO_SRP_AUTH",
    "NEW_PASSWORD_REQUIRED",
    "SMS_OTP",
    "PASSWORD",
    "PASSWORD_SRP",
    "WEB_AUTHN",
    NO_CHALLENGE,
    SIGN_IN_ERROR,
)

# The operations this toolkit makes. They are the fixed leading categories so pivots over logs of
# different sessions line up; any other cognito-idp operation is added after them when first seen.
KNOWN_OPERATIONS = (
    "SetUserMFAPreference",
    "AdminSetUserMFAPreference",
    "GetUser",
    "AdminGetUser",
    "InitiateAuth",
    "AdminInitiateAuth",
    "RespondToAuthChallenge",
    "AdminRespondToAuthChallenge",
    "AssociateSoftwareToken",
    "VerifySoftwareToken",
    "SetUserPoolMfaConfig",
    "GetUserPoolMfaConfig",
    "DescribeUserPool",
    "AdminCreateUser",
    "AdminSetUserPassword",
    "AdminUpdateUserAttributes",
    "SignUp",
    "ConfirmSignUp",
    "ConfirmDevice",
    "ListUsers",
)


#: Sign-in flows (AuthFlow) the toolkit starts; others are added when first seen.
SIGN_IN_FLOWS = ("USER_PASSWORD_AUTH", "ADMIN_USER_PASSWORD_AUTH", "USER_AUTH")
#: First factors of a sign-in (choice-based sign-in's SELECT_CHALLENGE answers).
FIRST_FACTORS = ("PASSWORD", "PASSWORD_SRP", "WEB_AUTHN", "EMAIL_OTP", "SMS_OTP")


def _combinations() -> tuple[str, ...]:
    """Every set of enabled factors as a readable label, smallest sets first."""
    labels = [NO_FACTOR]
    for size in (1, 2, 3):
        for mask in range(8):
            chosen = [name for bit, name in enumerate(FACTOR_NAMES) if mask >> bit & 1]
            if len(chosen) == size:
                labels.append(",".join(chosen))
    return tuple(labels)


ENABLED_COMBINATIONS = _combinations()


@dataclass(frozen=True)
class Column:
    """One column of the log's DataFrame: its name, storage kind and (fixed) categories."""

    name: str
    kind: ColumnKind
    categories: tuple[str, ...] = ()

    @property
    def dtype(self) -> Any:
        """The pandas dtype of this column (open categories: the fixed leading ones only)."""
        if self.kind in ("category", "open_category"):
            return pd.CategoricalDtype(list(self.categories))
        return _DTYPES[self.kind]


_DTYPES: dict[str, Any] = {
    "timestamp": pd.DatetimeTZDtype(unit="us", tz="UTC"),
    "boolean": pd.BooleanDtype(),
    "float": pd.Float64Dtype(),
    "string": pd.StringDtype(),
}

COLUMNS: tuple[Column, ...] = (
    Column("timestamp", "timestamp"),
    Column("operation", "open_category", KNOWN_OPERATIONS),
    Column("backend", "open_category", ("sandbox",)),
    Column("username", "string"),
    Column("requested_sms", "category", STATES),
    Column("requested_totp", "category", STATES),
    Column("requested_email", "category", STATES),
    Column("outcome", "category", OUTCOMES),
    Column("error_code", "string"),
    Column("error_message", "string"),
    Column("latency_ms", "float"),
    Column("enabled", "category", ENABLED_COMBINATIONS),
    Column("enabled_sms", "boolean"),
    Column("enabled_totp", "boolean"),
    Column("enabled_email", "boolean"),
    Column("preferred", "category", (*FACTOR_NAMES, NO_FACTOR)),
    Column("predicted_challenge", "category", CHALLENGES),
    Column("observed_challenge", "category", CHALLENGES),
    Column("agrees", "boolean"),
    Column("scenario", "string"),
    Column("note", "string"),
    Column("flow", "open_category", SIGN_IN_FLOWS),
    Column("first_factor", "category", FIRST_FACTORS),
    # Derived from outcome + error (core.outcomes): a Cognito decision, a typo, or a failure.
    Column("outcome_category", "category", OUTCOME_CATEGORIES),
)


def frame_dtypes(extra_categories: Mapping[str, Sequence[str]] | None = None) -> dict[str, Any]:
    """``{column: dtype}`` for the log's DataFrame, e.g. to ``astype`` a frame read from CSV.

    Parameters
    ----------
    extra_categories
        For open categorical columns (``operation``, ``backend``): categories seen beyond the
        fixed ones, appended after them.
    """
    extra = extra_categories or {}
    dtypes = {c.name: c.dtype for c in COLUMNS}
    for name, values in extra.items():
        fixed = list(dtypes[name].categories)
        dtypes[name] = pd.CategoricalDtype(fixed + [v for v in values if v not in fixed])
    return dtypes


class _Codes:
    """Categorical values stored as int codes; an open column grows its categories on demand."""

    def __init__(self, column: Column) -> None:
        self.column = column
        self.categories = list(column.categories)
        self.code_of = {value: code for code, value in enumerate(self.categories)}
        self.codes = array("i")
        self._dtype: pd.CategoricalDtype | None = None  # rebuilt only when categories grow

    def append(self, value: str | None) -> None:
        if value is None:
            self.codes.append(-1)
            return
        code = self.code_of.get(value)
        if code is None:
            if self.column.kind != "open_category":
                raise ValueError(
                    f"{value!r} is not a {self.column.name} value: use one of "
                    f"{', '.join(self.column.categories)}"
                )
            code = self.code_of[value] = len(self.categories)
            self.categories.append(value)
        self.codes.append(code)

    def build(self, start: int = 0) -> pd.Categorical:
        dtype = self._dtype
        if dtype is None or len(dtype.categories) != len(self.categories):
            dtype = self._dtype = pd.CategoricalDtype(self.categories)
        codes = self.codes[start:] if start else self.codes
        return pd.Categorical.from_codes(_numbers(codes, np.int32), dtype=dtype)


class ColumnBuffer:
    """Rows buffered column by column; :meth:`build` makes the typed DataFrame in one pass.

    Not thread-safe by itself: :class:`~mfa_widgets.services.log.MfaLog` holds its lock around both
    calls.
    """

    def __init__(self) -> None:
        self._codes = {c.name: _Codes(c) for c in COLUMNS if c.kind.endswith("category")}
        # Numbers go into typed arrays: appending is as cheap as to a list, and building a numpy
        # array from them is a memory copy instead of a conversion of every Python object.
        self._values: dict[str, Any] = {
            c.name: self._codes[c.name].codes if c.name in self._codes else _storage(c.kind)
            for c in COLUMNS
        }
        # One bound method per column, in COLUMNS order, so add() is a single zip loop.
        self._appenders = [
            self._codes[c.name].append if c.name in self._codes else self._values[c.name].append
            for c in COLUMNS
        ]
        self._rows = 0

    def __len__(self) -> int:
        return self._rows

    def add(self, row: Sequence[Any]) -> None:
        """Append one row of raw values in :data:`COLUMNS` order.

        Timestamps are integer microseconds since the epoch (UTC), booleans are ``1``/``0``/``-1``
        (unknown), floats use NaN for missing, strings and categories use ``None``. Values are
        validated by :class:`~mfa_widgets.services.log.LogEvent` before they get here.
        """
        for append, value in zip(self._appenders, row, strict=True):
            append(value)
        self._rows += 1

    def clear(self) -> None:
        """Forget every row (open categories seen so far are kept)."""
        for values in self._values.values():
            del values[:]
        self._rows = 0

    def build(self, start: int = 0) -> pd.DataFrame:
        """The DataFrame of the buffered rows from ``start`` on, each column built once.

        The index holds the rows' positions (``start`` to the number of rows), so a tail built
        this way equals the same tail of the whole frame.
        """
        start = min(max(0, start), self._rows)
        data = {column.name: self._build_column(column, start) for column in COLUMNS}
        frame: pd.DataFrame = pd.DataFrame(data, copy=False)
        if start:
            frame.index = pd.RangeIndex(start, self._rows)
        return frame

    def _build_column(self, column: Column, start: int = 0) -> Any:
        values = self._values[column.name][start:] if start else self._values[column.name]
        if column.name in self._codes:
            return self._codes[column.name].build(start)
        if column.kind == "timestamp":
            micros = _numbers(values, np.int64).view("M8[us]")
            return pd.Series(micros, copy=False).dt.tz_localize("UTC")
        if column.kind == "boolean":
            flags = _numbers(values, np.int8)
            return pd.arrays.BooleanArray(flags == 1, flags < 0)
        if column.kind == "float":
            floats = _numbers(values, np.float64)
            return pd.arrays.FloatingArray(floats, np.isnan(floats))
        return _strings(values)


_TYPECODES = {"timestamp": "q", "boolean": "b", "float": "d"}


def _storage(kind: ColumnKind) -> Any:
    """An empty typed array for a numeric column kind, a list for strings."""
    return array(_TYPECODES[kind]) if kind in _TYPECODES else []


def _numbers(values: array[Any], dtype: type[np.generic]) -> np.ndarray[Any, Any]:
    """A numpy copy of a typed array (a copy, so the array can keep growing afterwards)."""
    return np.frombuffer(values, dtype=dtype).copy() if len(values) else np.empty(0, dtype)


def _strings(values: list[str | None]) -> Any:
    """A ``string`` array; straight from a pyarrow array when that is the storage (5x faster)."""
    dtype = pd.StringDtype()
    if dtype.storage == "pyarrow":
        import pyarrow as pa

        return pd.arrays.ArrowStringArray(pa.array(values, type=pa.large_string()))
    return pd.array(values, dtype=dtype)


def categories_seen(frame: pd.DataFrame) -> dict[str, list[str]]:
    """The categories of the open categorical columns of ``frame`` (for re-reading a file)."""
    return {
        c.name: [str(v) for v in frame[c.name].dropna().unique()]
        for c in COLUMNS
        if c.kind == "open_category" and c.name in frame
    }


def boolean_flag(value: bool | None) -> int:
    """Encode a nullable boolean for :meth:`ColumnBuffer.add`."""
    return -1 if value is None else int(value)


def enabled_label(enabled: Iterable[str] | None) -> str | None:
    """``("SMS", "TOTP")`` -> ``"SMS,TOTP"``; ``()`` -> ``"none"``; ``None`` (unknown) -> None."""
    if enabled is None:
        return None
    chosen = set(enabled)
    return ",".join(n for n in FACTOR_NAMES if n in chosen) or NO_FACTOR
