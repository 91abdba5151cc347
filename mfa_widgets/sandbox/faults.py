"""The fault-injection seam: the middleware asks :class:`Faults` before answering each call.

Off by default (no rules). A later task can grow the rule language; the seam is ``check``.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mfa_widgets.sandbox.wire import CognitoError

__all__ = ["FaultRule", "Faults"]


@dataclass
class FaultRule:
    """Answer ``operation`` with an error, ``times`` times (``None``: until cleared)."""

    operation: str
    code: str
    message: str
    status: int = 400
    times: int | None = 1


class Faults:
    """Injected failures consulted by the middleware; empty (inactive) by default."""

    def __init__(self) -> None:
        self._rules: list[FaultRule] = []
        self._lock = threading.Lock()

    def inject(
        self,
        operation: str,
        code: str = "TooManyRequestsException",
        message: str = "Rate exceeded",
        status: int = 400,
        times: int | None = 1,
    ) -> FaultRule:
        """Make the next ``times`` calls of ``operation`` fail with ``code``/``message``."""
        rule = FaultRule(operation, code, message, status, times)
        with self._lock:
            self._rules.append(rule)
        return rule

    def clear(self) -> None:
        """Remove every rule."""
        with self._lock:
            self._rules.clear()

    @property
    def active(self) -> bool:
        """True while any rule is armed."""
        return bool(self._rules)

    def check(self, operation: str, request: Mapping[str, Any]) -> CognitoError | None:
        """The error to answer ``operation`` with, or ``None`` to proceed normally."""
        if not self._rules:
            return None
        with self._lock:
            for rule in self._rules:
                if rule.operation == operation:
                    if rule.times is not None:
                        rule.times -= 1
                        if rule.times <= 0:
                            self._rules.remove(rule)
                    return CognitoError(rule.code, rule.message, rule.status)
        return None
