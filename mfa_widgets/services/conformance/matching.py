"""Compare an answer with the one the corpus recorded: a subset match with a few markers.

Expected values are matched exactly (strings, numbers, lists), except the markers:

- ``<present>``: the key is there, whatever its value;
- ``<absent>``: the key is not there at all (an empty list is *not* absent);
- ``<masked-phone>`` / ``<masked-email>``: Cognito's masking of a phone number (``+*******0100``)
  or an address (``a***@e***``);
- ``re:<pattern>``: a string matching the regular expression in full.

Mappings are compared key by key (keys the corpus does not name are ignored) and lists of the
same length item by item, so a case states only what the source showed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["differences"]

_MASKED_PHONE = re.compile(r"\+\*+\d{4}")
_MASKED_EMAIL = re.compile(r"[^@*]\*+@[^@*]\*+")
_MISSING = object()


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 70 else text[:67] + "..."


def _one(path: str, expected: Any, actual: Any) -> list[str]:
    if expected == "<absent>":
        return [] if actual is _MISSING else [f"{path}: expected absent, got {_short(actual)}"]
    if actual is _MISSING:
        return [f"{path}: missing (expected {_short(expected)})"]
    if expected == "<present>":
        return []
    if isinstance(expected, Mapping):
        if not isinstance(actual, Mapping):
            return [f"{path}: expected a mapping, got {_short(actual)}"]
        found: list[str] = []
        for key, value in expected.items():
            found += _one(f"{path}.{key}" if path else str(key), value, actual.get(key, _MISSING))
        return found
    if isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        found = []
        for index, (want, got) in enumerate(zip(expected, actual, strict=True)):
            found += _one(f"{path}[{index}]", want, got)
        return found
    if isinstance(expected, str) and isinstance(actual, str):
        if expected == "<masked-phone>":
            ok = bool(_MASKED_PHONE.fullmatch(actual))
        elif expected == "<masked-email>":
            ok = bool(_MASKED_EMAIL.fullmatch(actual))
        elif expected.startswith("re:"):
            ok = re.fullmatch(expected[3:], actual, re.DOTALL) is not None
        else:
            ok = expected == actual
        return [] if ok else [f"{path}: expected {_short(expected)}, got {_short(actual)}"]
    if expected != actual:
        return [f"{path}: expected {_short(expected)}, got {_short(actual)}"]
    return []


def differences(expected: Mapping[str, Any], actual: Mapping[str, Any]) -> list[str]:
    """The ways ``actual`` departs from ``expected`` (empty when it matches).

    Parameters
    ----------
    expected
        The corpus's answer (with markers, see the module notes).
    actual
        The answer received: for an error ``{"error": {"Code": ..., "Message": ...}}``, else
        ``{"response": <the operation's output>}``.
    """
    return _one("", expected, actual)
