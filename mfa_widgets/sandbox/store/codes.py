"""One-time codes, checked and consumed atomically: each code signs in (or resets) once.

Two kinds: codes the sandbox sends (password-reset codes, delivered through the outbox, valid
for one hour as Cognito documents for ``ForgotPassword``) and TOTP codes, where the sandbox
remembers the last time step each user's authenticator was used at, so a code cannot be used
again in its window, even by two requests at once (Cognito refuses a reused TOTP code).
Expired entries are dropped as new ones arrive, so memory stays bounded.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from mfa_widgets.core.totp import STEP_SECONDS, totp_code
from mfa_widgets.sandbox.store.clock import Every

__all__ = ["RESET_CODE_SECONDS", "CodeCheck", "SentCodes", "TotpSteps"]

RESET_CODE_SECONDS = 3600.0
TOTP_WINDOW = 1  # steps accepted either side of now (clock drift), as AWS recommends

Key = tuple[str, ...]


def _fingerprint(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()[:16]


class CodeCheck:
    """Outcomes of :meth:`SentCodes.consume`."""

    OK = "ok"
    MISMATCH = "mismatch"
    EXPIRED = "expired"
    USED = "used"


@dataclass
class _Sent:
    code: str = field(repr=False)
    expires_at: float


class SentCodes:
    """Codes the sandbox sent, one live code per key (a new one replaces the old)."""

    def __init__(self, clock: Callable[[], float], lifetime: float = RESET_CODE_SECONDS) -> None:
        self._clock = clock
        self._lifetime = lifetime
        self._codes: dict[Key, _Sent] = {}
        self._lock = threading.Lock()
        self._sweeps = Every(60.0)

    def issue(self, key: Key) -> str:
        """A fresh 6-digit code for ``key``."""
        code = f"{secrets.randbelow(10**6):06d}"
        now = self._clock()
        with self._lock:
            self._codes[key] = _Sent(code, now + self._lifetime)
            if self._sweeps.due(now):
                for old, sent in list(self._codes.items()):
                    if sent.expires_at <= now:
                        del self._codes[old]
        return code

    def consume(self, key: Key, code: object) -> str:
        """Check ``code`` and, when it matches, consume it; returns a :class:`CodeCheck` value."""
        with self._lock:
            sent = self._codes.get(key)
            if sent is None or not isinstance(code, str):
                return CodeCheck.MISMATCH
            if sent.expires_at <= self._clock():
                del self._codes[key]
                return CodeCheck.EXPIRED
            if not hmac.compare_digest(sent.code, code):
                return CodeCheck.MISMATCH
            del self._codes[key]
            return CodeCheck.OK

    def secrets(self) -> list[str]:
        """Every live code (for leak scans)."""
        with self._lock:
            return [sent.code for sent in self._codes.values()]

    def __len__(self) -> int:
        return len(self._codes)


class TotpSteps:
    """The last TOTP time step each user has used: a code is accepted once, in a later step."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._used: dict[Key, tuple[str, int]] = {}
        self._lock = threading.Lock()
        self._sweeps = Every(60.0)

    def accept(self, key: Key, secret: str, code: object) -> bool:
        """True (and the step is used up) when ``code`` is a current, unused code of ``secret``.

        Steps are remembered per authenticator: a newly associated secret starts afresh.
        """
        return self.check(key, secret, code) == CodeCheck.OK

    def check(self, key: Key, secret: str, code: object) -> str:
        """:class:`CodeCheck` ``OK`` (the step is used up), ``USED`` or ``MISMATCH``.

        ``USED``: ``code`` is a current code of ``secret`` whose step this user already used
        (Cognito refuses it as already used, not as a wrong code).
        """
        if not (isinstance(code, str) and len(code) == 6 and code.isdigit()):
            return CodeCheck.MISMATCH
        now = self._clock()
        step = int(now // STEP_SECONDS)
        found = CodeCheck.MISMATCH
        with self._lock:
            last = self._last(key, secret)
            for candidate in range(step - TOTP_WINDOW, step + TOTP_WINDOW + 1):
                moment = candidate * STEP_SECONDS
                if not hmac.compare_digest(totp_code(secret, moment), code):
                    continue
                if candidate <= last:
                    found = CodeCheck.USED
                    continue
                self._used[key] = (_fingerprint(secret), candidate)
                self._drop_old(step)
                return CodeCheck.OK
        return found

    def unused_step(self, key: Key, secret: str, at: float) -> int:
        """The first step at or after ``at`` that ``key`` may still use (for the code helper)."""
        with self._lock:
            return max(int(at // STEP_SECONDS), self._last(key, secret) + 1)

    def _last(self, key: Key, secret: str) -> int:
        fingerprint, step = self._used.get(key, ("", -1))
        return step if fingerprint == _fingerprint(secret) else -1

    def _drop_old(self, step: int) -> None:
        if self._sweeps.due(self._clock()):
            for key, (_, used) in list(self._used.items()):
                if used < step - TOTP_WINDOW:
                    del self._used[key]

    def __len__(self) -> int:
        return len(self._used)
