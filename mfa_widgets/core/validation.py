"""Argument checks shared by every public entry point (core: pure Python, no I/O).

Each check returns the (normalised) value or raises
:class:`~mfa_widgets.core.errors.InvalidArgumentError` /
:class:`~mfa_widgets.core.errors.ArgumentTypeError` with words that name the argument, what was
given and what to pass instead. Values of secret arguments (passwords, tokens, codes) are never
shown: only their type is.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Mapping
from typing import Any, TypeVar

from mfa_widgets.core.errors import (
    ArgumentTypeError,
    ConfigurationError,
    ConfirmationRequiredError,
    InvalidArgumentError,
)

__all__ = [
    "need_confirm",
    "need_count",
    "need_flag",
    "need_instance",
    "need_job_options",
    "need_rate",
    "need_region",
    "need_seconds",
    "need_text",
    "shown",
]

_T = TypeVar("_T")

#: Longest text shown back in a message (a 1 MB paste is cut, not echoed).
_SHOWN_LIMIT = 40


def shown(value: Any, *, secret: bool = False) -> str:
    """A short, safe description of ``value`` for an error message.

    Parameters
    ----------
    value
        What the caller passed.
    secret
        Show only the type (for passwords, tokens, codes).
    """
    kind = type(value).__name__
    if secret or value is None:
        return "None" if value is None else f"a {kind}"
    text = repr(value)
    if len(text) > _SHOWN_LIMIT:
        text = f"{text[:_SHOWN_LIMIT]}… ({len(text)} characters)"
    return f"{text} ({kind})"


def need_instance(value: Any, kind: type[_T] | tuple[type, ...], name: str, fix: str) -> Any:
    """``value`` when it is an instance of ``kind``; else :class:`ArgumentTypeError`.

    Parameters
    ----------
    value, kind
        What was passed and the type(s) accepted.
    name
        The argument's name as the caller wrote it.
    fix
        What to pass instead, e.g. ``"pass MfaPreference(sms='enabled')"``.
    """
    if not isinstance(value, kind):
        raise ArgumentTypeError(f"{name} cannot be {shown(value)}: {fix}")
    return value


def need_text(
    value: Any,
    name: str,
    fix: str,
    *,
    empty: bool = False,
    max_length: int | None = None,
    secret: bool = False,
) -> str:
    """``value`` when it is a string (non-blank unless ``empty``, at most ``max_length`` long).

    Raises
    ------
    ArgumentTypeError
        When ``value`` is not a ``str``.
    InvalidArgumentError
        When it is blank, too long, or contains a NUL character.
    """
    if not isinstance(value, str):
        raise ArgumentTypeError(f"{name} must be text, not {shown(value, secret=secret)}: {fix}")
    if not empty and not value.strip():
        raise InvalidArgumentError(f"{name} is empty: {fix}")
    if max_length is not None and len(value) > max_length:
        raise InvalidArgumentError(
            f"{name} is {len(value)} characters long, at most {max_length} are allowed: {fix}"
        )
    if "\x00" in value:
        raise InvalidArgumentError(f"{name} contains a NUL character: {fix}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, from bytes that were not UTF-8
        raise InvalidArgumentError(f"{name} is not valid Unicode text: {fix}") from None
    return value


def _real(value: Any, name: str, fix: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ArgumentTypeError(f"{name} must be a number, not {shown(value)}: {fix}")
    number = float(value) if not isinstance(value, int) or abs(value) < 2**63 else math.inf
    if math.isnan(number):
        raise InvalidArgumentError(f"{name} is NaN (not a number): {fix}")
    return number


def need_rate(value: Any, name: str = "rate") -> float:
    """A requests-per-second limit: a finite number >= 0, where ``0`` means unlimited.

    Negative, NaN and infinite values are refused rather than read as "unlimited".
    """
    fix = "pass requests per second as a finite number, or 0 for no limit"
    number = _real(value, name, fix)
    if number < 0 or math.isinf(number):
        raise InvalidArgumentError(f"{name} is {value!r}: {fix}")
    return number


def need_seconds(value: Any, name: str) -> float:
    """A duration: a finite number of seconds greater than zero."""
    fix = "pass a finite number of seconds greater than 0, e.g. 5"
    number = _real(value, name, fix)
    if number <= 0 or math.isinf(number):
        raise InvalidArgumentError(f"{name} is {value!r}: {fix}")
    return number


def need_count(value: Any, name: str, *, minimum: int = 1, maximum: int | None = None) -> int:
    """A whole number within ``[minimum, maximum]`` (``bool`` is not a number here)."""
    upper = "" if maximum is None else f" and at most {maximum}"
    fix = f"pass a whole number of at least {minimum}{upper}"
    if isinstance(value, bool) or not isinstance(value, int):
        raise ArgumentTypeError(f"{name} must be a whole number, not {shown(value)}: {fix}")
    if value < minimum or (maximum is not None and value > maximum):
        raise InvalidArgumentError(f"{name} is {value}: {fix}")
    return value


def need_flag(value: Any, name: str) -> bool:
    """``True`` or ``False`` exactly: ``"no"``, ``0`` or ``None`` are not read as a flag."""
    # numpy.bool_ (a pandas cell) is a flag too; core cannot import numpy, so match its name.
    if not isinstance(value, bool) and type(value).__name__ != "bool_":
        raise ArgumentTypeError(f"{name} must be True or False, not {shown(value)}")
    return bool(value)


def need_confirm(confirm: Any, action: str) -> bool:
    """Whether to really ``action``: ``True`` sends, ``False`` is a dry run, anything else fails.

    A truthy string such as ``"no"`` must never send changes, and a falsy ``0`` or ``None`` is as
    likely a mistake, so only the two booleans are accepted.

    Raises
    ------
    ConfirmationRequiredError
        For any value other than ``True`` or ``False``.
    """
    if confirm is True or confirm is False:
        return confirm
    raise ConfirmationRequiredError(
        f"confirm={shown(confirm)} is not a decision: pass confirm=True to {action}, or "
        "confirm=False for a dry run; nothing was sent"
    )


#: An AWS Region name: ``us-east-1``, ``ap-southeast-2``, ``us-gov-west-1``, ``eu-central-2``.
REGION_PATTERN = re.compile(r"[a-z]{2}(?:-[a-z]+)+-\d{1,2}")


def need_region(value: Any, name: str = "region") -> str:
    """An AWS Region name such as ``"eu-west-1"`` (checked by shape, not against a list).

    Raises
    ------
    ConfigurationError
        When the text is not shaped like a Region name; the message gives an example.
    """
    fix = "pass a Region name such as 'us-east-1' or 'eu-west-1'"
    text = need_text(value, name, fix, max_length=32)
    if not REGION_PATTERN.fullmatch(text):
        raise ConfigurationError(f"{name} {shown(text)} is not an AWS Region name: {fix}")
    return text


def need_job_options(
    *,
    workers: Any,
    rates: Mapping[str, Any],
    progress: Any = None,
    stop: Any = None,
) -> None:
    """The options every long job (audit, sweep, bulk change) takes, checked in one place.

    Parameters
    ----------
    workers
        Calls in flight: a whole number from 1 to 256, or ``None`` to size it from the quota.
    rates
        ``{argument name: value}``: each a requests/s limit (:func:`need_rate`) or a shared
        limiter (anything with an ``acquire`` method).
    progress
        ``None`` (a bar when watched), ``False`` (none) or a function.
    stop
        ``None`` or a :class:`threading.Event`.
    """
    if workers is not None:
        need_count(workers, "workers", minimum=1, maximum=256)
    for name, rate in rates.items():
        if not callable(getattr(rate, "acquire", None)):
            need_rate(rate, name)
    if progress is not None and progress is not False and not callable(progress):
        raise ArgumentTypeError(
            f"progress cannot be {shown(progress)}: pass a function, None (a progress bar when "
            "someone watches) or False (none)"
        )
    if stop is not None:
        need_instance(stop, threading.Event, "stop", "pass a threading.Event, or None")
