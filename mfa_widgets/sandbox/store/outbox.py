"""The sandbox outbox: every SMS and email one-time code the sandbox "delivered".

Nothing leaves the machine; a demo or a test reads the code here to finish a sign-in. Records
keep the code out of their ``repr`` so printing the outbox never shows a secret. The outbox is
bounded: records older than the longest code lifetime (one hour, a password-reset code) are
dropped, and at most :data:`MAX_RECORDS` are kept (the oldest go first), so abandoned sign-ins
cannot grow it without limit.

It is also the one place where the sandbox's code sends are limited: at most
:data:`MAX_SENDS_PER_USER` codes to one user of a pool in any :data:`SEND_WINDOW` (SMS and email,
sign-in, MFA and password reset alike). One more gets ``LimitExceededException`` with Cognito's
words, "Attempt limit exceeded, please try after some time." (a recorded answer: the message the
Android SDK quotes for a ``LimitExceededException`` from Cognito, aws-amplify/aws-sdk-android
issue #627; the same text is the title of aws-amplify/amplify-js issue #8013). The number and the
window are ours, a guess: Cognito documents 5 ``ChangePassword`` calls per user per hour
("Quotas in Amazon Cognito") and says it limits password-reset code requests per hour without
the figure, but documents no figure for sign-in codes.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from mfa_widgets.sandbox.wire import WireError

__all__ = [
    "KEEP_FOR",
    "MAX_RECORDS",
    "MAX_SENDS_PER_USER",
    "SEND_WINDOW",
    "TOO_MANY_SENDS",
    "Delivery",
    "Outbox",
    "mask_destination",
    "mask_email",
    "mask_phone",
]

#: How long a delivery is kept: the longest lifetime of a code sent (password reset, 1 hour).
KEEP_FOR = timedelta(hours=1)
#: The most deliveries kept at once.
MAX_RECORDS = 10_000
#: The most codes sent to one user of a pool in one :data:`SEND_WINDOW` (ours, a guess).
MAX_SENDS_PER_USER = 20
#: The window the sends are counted in (no longer than :data:`KEEP_FOR`: the outbox is the count).
SEND_WINDOW = timedelta(minutes=15)
#: Cognito's words when a user asks for too many codes (recorded; see the module's docstring).
TOO_MANY_SENDS = "Attempt limit exceeded, please try after some time."


def mask_phone(phone: str) -> str:
    """Mask a phone number as Cognito does: ``+*******1234`` (only the last four digits show)."""
    digits = phone.lstrip("+")
    return "+" + "*" * max(len(digits) - 4, 0) + digits[-4:]


def mask_email(email: str) -> str:
    """Mask an email address: ``a***@e***`` (first letter of the local part and of the domain)."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain[:1]}***"


def mask_destination(channel: str, address: str) -> str:
    """Mask ``address`` for ``channel`` (``"SMS"`` or ``"EMAIL"``)."""
    return mask_phone(address) if channel == "SMS" else mask_email(address)


@dataclass(frozen=True)
class Delivery:
    """One delivered code.

    Attributes
    ----------
    username, pool_id
        Who received it, in which user pool.
    channel
        ``"SMS"`` or ``"EMAIL"``.
    destination
        The masked phone number or address, as in ``CODE_DELIVERY_DESTINATION``.
    code
        The 6-digit code (hidden from ``repr``).
    time
        When it was sent (UTC).
    user_id
        The user's ``sub`` ('' when not known), for the send limit.
    """

    username: str
    channel: str
    destination: str
    code: str = field(repr=False)
    pool_id: str
    time: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    user_id: str = field(default="", repr=False)

    @property
    def recipient(self) -> tuple[str, str]:
        """Who the send limit counts: the pool and the user's ``sub`` (else the username).

        A user deleted and made again with the same name is a new user, with sends of its own.
        """
        return self.pool_id, self.user_id or self.username


class Outbox:
    """A thread-safe, bounded list of :class:`Delivery` records, oldest first."""

    def __init__(
        self,
        max_records: int | None = None,
        keep_for: timedelta | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self._records: deque[Delivery] = deque(maxlen=max_records or MAX_RECORDS)
        self._keep_for = keep_for or KEEP_FOR
        self._lock = threading.Lock()
        # The send limit counts in the sandbox's time (``clock``, seconds), so waiting simulated
        # with ``Clock.advance`` waits out the window as it waits out a lockout.
        self._clock = clock
        self._sends: dict[tuple[str, str], deque[float]] = {}

    def deliver(self, record: Delivery) -> None:
        """Append one delivery (dropping those past :data:`KEEP_FOR`).

        Raises
        ------
        WireError
            ``LimitExceededException`` when the user already got :data:`MAX_SENDS_PER_USER`
            codes in the last :data:`SEND_WINDOW`; nothing is sent.
        """
        with self._lock:
            now = self._clock() if self._clock is not None else record.time.timestamp()
            window = SEND_WINDOW.total_seconds()
            for recipient in [r for r, times in self._sends.items() if times[-1] <= now - window]:
                del self._sends[recipient]  # bounded: only users with a send in the window
            sends = self._sends.setdefault(record.recipient, deque())
            while sends and sends[0] <= now - window:
                sends.popleft()
            if len(sends) >= MAX_SENDS_PER_USER:
                raise WireError("LimitExceededException", TOO_MANY_SENDS)
            sends.append(now)
            self._records.append(record)
            cutoff = record.time - self._keep_for
            while self._records and self._records[0].time < cutoff:
                self._records.popleft()

    def __iter__(self) -> Iterator[Delivery]:
        with self._lock:
            return iter(list(self._records))

    def __len__(self) -> int:
        return len(self._records)

    def __getitem__(self, index: int) -> Delivery:
        return self._records[index]

    def __repr__(self) -> str:
        return f"Outbox({len(self)} deliveries)"

    def latest(
        self, username: str, channel: str | None = None, pool_id: str | None = None
    ) -> Delivery:
        """The most recent delivery to ``username`` (optionally on one channel / in one pool).

        Raises
        ------
        LookupError
            When nothing matching was delivered; the message says what was searched.
        """
        wanted = channel.upper() if channel else None
        for record in reversed(list(self)):
            if (
                record.username == username
                and (wanted is None or record.channel == wanted)
                and (pool_id is None or record.pool_id == pool_id)
            ):
                return record
        where = f" by {wanted}" if wanted else ""
        raise LookupError(
            f"no code was delivered to {username!r}{where}: start a sign-in that returns an "
            "SMS_MFA or EMAIL_OTP challenge first"
        )

    def clear(self) -> None:
        """Forget every delivery."""
        with self._lock:
            self._records.clear()
