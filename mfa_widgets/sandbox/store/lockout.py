"""Cognito's lockout after failed sign-in attempts: per user, across sessions, passwords and codes.

Documented (Amazon Cognito Developer Guide, "Lockout behavior for failed sign-in attempts", and
the MFA page: "After five unsuccessful attempts to present an MFA code, Amazon Cognito begins the
exponential-timeout lockout process"):

* after five failed attempts the user is locked out for one second; for a cumulative number of
  failures ``n`` the lockout lasts ``2**(n - 5)`` seconds, up to about 15 minutes;
* attempts during a lockout get ``NotAuthorizedException: Password attempts exceeded`` and do
  not count towards later lockouts;
* the count resets when the user signs in after a lockout expired, or makes no attempt for 15
  consecutive minutes.

Inferred (not stated by AWS): wrong passwords and wrong MFA codes share one count per user; the
15-minute idle reset also applies before the first lockout; a code answer refused during a
lockout gets the same message as a password.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from mfa_widgets.sandbox.store.clock import Every
from mfa_widgets.sandbox.wire import not_authorized

__all__ = ["ATTEMPTS_EXCEEDED", "FREE_FAILURES", "MAX_LOCK_SECONDS", "Lockout"]

FREE_FAILURES = 5
MAX_LOCK_SECONDS = 15 * 60.0
IDLE_RESET_SECONDS = 15 * 60.0
ATTEMPTS_EXCEEDED = "Password attempts exceeded"

Key = tuple[str, str]  # (user pool id, the user's sub)


@dataclass
class _Record:
    failures: int = 0
    locked_until: float = 0.0
    last_attempt: float = 0.0


class Lockout:
    """Failed-attempt counts per user, with Cognito's exponential lockout.

    Parameters
    ----------
    clock
        Returns the current time in seconds (the sandbox's clock, which tests can move).
    """

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._records: dict[Key, _Record] = {}
        self._lock = threading.Lock()
        self._sweeps = Every(60.0)

    def check(self, key: Key) -> None:
        """Refuse an attempt while ``key`` is locked out.

        The refusal counts as an attempt for the 15-minute idle reset only.

        Raises
        ------
        WireError
            ``NotAuthorizedException: Password attempts exceeded``.
        """
        now = self._clock()
        with self._lock:
            record = self._records.get(key)
            if record is None:
                return
            if now - record.last_attempt >= IDLE_RESET_SECONDS and now >= record.locked_until:
                del self._records[key]
                return
            if now < record.locked_until:
                record.last_attempt = now
                raise not_authorized(ATTEMPTS_EXCEEDED)

    def failure(self, key: Key) -> None:
        """Count one wrong password or code; lock the user out from the fifth on."""
        now = self._clock()
        with self._lock:
            record = self._records.setdefault(key, _Record())
            record.failures += 1
            record.last_attempt = now
            if record.failures >= FREE_FAILURES:
                seconds = min(2.0 ** (record.failures - FREE_FAILURES), MAX_LOCK_SECONDS)
                record.locked_until = now + seconds
            self._sweep(now)

    def success(self, key: Key) -> None:
        """The user signed in: the count starts again."""
        with self._lock:
            self._records.pop(key, None)

    def locked_for(self, key: Key) -> float:
        """Seconds of lockout left for ``key`` (0 when not locked)."""
        with self._lock:
            record = self._records.get(key)
            return 0.0 if record is None else max(record.locked_until - self._clock(), 0.0)

    def __len__(self) -> int:
        return len(self._records)

    def _sweep(self, now: float) -> None:
        """Drop users idle for 15 minutes (their count has reset): memory stays bounded."""
        if not self._sweeps.due(now):
            return
        for key, record in list(self._records.items()):
            if now - record.last_attempt >= IDLE_RESET_SECONDS and now >= record.locked_until:
                del self._records[key]
