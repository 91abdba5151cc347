"""What the emulator remembers of each user beyond MFA: passkeys, devices, auth events.

Part of :class:`~mfa_widgets.sandbox.store.state.SandboxState` (its ``records``), under the same
lock: each user's passkeys and open passkey registration, tracked devices and sign-in events, and
each pool's ``WebAuthnConfiguration``. Users are keyed by pool id and ``sub``, like the MFA state.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from mfa_widgets.sandbox.errors import WireError

__all__ = [
    "MAX_UNCONFIRMED_DEVICES",
    "AuthEvent",
    "Device",
    "Passkey",
    "PendingRegistration",
    "Records",
    "UserRecords",
    "page_of",
]

#: How long a StartWebAuthnRegistration challenge stays valid (inferred: the model says only that
#: it "has expired"; WebAuthn's recommended ceremony timeout is 5 minutes).
REGISTRATION_SECONDS = 300.0
#: Events kept per user (AdminListUserAuthEvents pages through them, newest first).
MAX_EVENTS = 200
#: Devices issued at sign-in (``NewDeviceMetadata``) and not confirmed, kept per user: the newest
#: ten. Cognito documents no such number; the bound is our inference. A client confirms its
#: device right after the sign-in that issued it (``ConfirmDevice`` takes that sign-in's access
#: token; the device-tracking guide, "Working with user devices in your user pool"), so a device
#: left unconfirmed behind ten newer sign-ins is one no client will confirm: without a bound,
#: every sign-in without a ``DEVICE_KEY`` would leave one more behind.
MAX_UNCONFIRMED_DEVICES = 10


@dataclass(frozen=True)
class Passkey:
    """One registered WebAuthn credential."""

    credential_id: str  # base64url, as in ListWebAuthnCredentials
    public_key: bytes = field(repr=False)
    sign_count: int
    relying_party_id: str
    created_at: datetime
    name: str = ""
    attachment: str | None = None
    transports: tuple[str, ...] = ()


@dataclass(frozen=True)
class PendingRegistration:
    """The open StartWebAuthnRegistration ceremony of one user."""

    challenge: bytes = field(repr=False)
    client_id: str
    relying_party_id: str
    expires_at: float


@dataclass(frozen=True)
class AuthEvent:
    """One sign-in attempt as AdminListUserAuthEvents reports it."""

    response: str  # Pass | Fail
    challenges: tuple[tuple[str, str], ...]  # (Password|Mfa, Success|Failure)
    created_at: datetime
    event_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    first_factor: str = "PASSWORD"

    def to_wire(self) -> dict[str, Any]:
        """The ``AuthEventType`` document."""
        return {
            "EventId": self.event_id,
            "EventType": "SignIn",
            "CreationDate": self.created_at.timestamp(),
            "EventResponse": self.response,
            "EventRisk": {"RiskDecision": "NoRisk", "CompromisedCredentialsDetected": False},
            "ChallengeResponses": [
                {"ChallengeName": name, "ChallengeResponse": outcome}
                for name, outcome in self.challenges
            ],
            "EventContextData": {"IpAddress": "127.0.0.1", "DeviceName": "mfa_widgets sandbox"},
        }


@dataclass
class Device:
    """A tracked device: issued at sign-in (NewDeviceMetadata), then confirmed, maybe remembered."""

    key: str
    group_key: str
    created_at: datetime
    name: str = ""
    confirmed: bool = False
    remembered: bool = False
    last_authenticated: datetime | None = None
    #: The SRP verifier and salt (hex) of ``ConfirmDevice``'s ``DeviceSecretVerifierConfig``.
    verifier: int = field(default=0, repr=False)
    salt_hex: str = field(default="", repr=False)

    def to_wire(self) -> dict[str, Any]:
        """The ``DeviceType`` document."""
        attributes = [
            {"Name": "device_status", "Value": "valid"},
            {"Name": "device_name", "Value": self.name},
            {
                "Name": "dev:device_remembered_status",
                "Value": "remembered" if self.remembered else "not_remembered",
            },
        ]
        document: dict[str, Any] = {
            "DeviceKey": self.key,
            "DeviceAttributes": attributes,
            "DeviceCreateDate": self.created_at.timestamp(),
            "DeviceLastModifiedDate": self.created_at.timestamp(),
        }
        if self.last_authenticated is not None:
            document["DeviceLastAuthenticatedDate"] = self.last_authenticated.timestamp()
        return document


@dataclass
class UserRecords:
    """The passkey, device and event state of one user."""

    passkeys: list[Passkey] = field(default_factory=list)
    pending: PendingRegistration | None = None
    events: list[AuthEvent] = field(default_factory=list)
    devices: dict[str, Device] = field(default_factory=dict)


class Records:
    """Per-pool WebAuthn configuration; per-user passkeys, devices and events."""

    def __init__(self, lock: Any) -> None:
        self.lock = lock
        self._webauthn: dict[str, dict[str, Any]] = {}
        self._users: dict[tuple[str, str], UserRecords] = {}

    def webauthn_config(self, pool_id: str) -> dict[str, Any] | None:
        """The pool's ``WebAuthnConfiguration``, or ``None`` when none was set."""
        return self._webauthn.get(pool_id)

    def set_webauthn_config(self, pool_id: str, config: dict[str, Any] | None) -> None:
        """Store (or with ``None`` remove) the pool's ``WebAuthnConfiguration``."""
        with self.lock:
            if config is None:
                self._webauthn.pop(pool_id, None)
            else:
                self._webauthn[pool_id] = dict(config)

    def passkey_mfa_pool(self, pool_id: str) -> bool:
        """The pool's ``FactorConfiguration`` is ``MULTI_FACTOR_WITH_USER_VERIFICATION``."""
        config = self._webauthn.get(pool_id) or {}
        return config.get("FactorConfiguration") == "MULTI_FACTOR_WITH_USER_VERIFICATION"

    def passkey_registered(self, pool_id: str, credential_id: str) -> bool:
        """True when a user of ``pool_id`` already has the passkey ``credential_id``."""
        with self.lock:
            return any(
                passkey.credential_id == credential_id
                for (pool, _), user_records in self._users.items()
                if pool == pool_id
                for passkey in user_records.passkeys
            )

    def user(self, pool_id: str, sub: str) -> UserRecords:
        """The passkey state of one user (created empty on first use)."""
        with self.lock:
            return self._users.setdefault((pool_id, sub), UserRecords())

    def forget(self, pool_id: str, sub: str) -> None:
        """Drop everything held about a deleted user."""
        with self.lock:
            self._users.pop((pool_id, sub), None)

    def record(self, pool_id: str, sub: str, event: AuthEvent) -> None:
        """Keep one auth event (the oldest are dropped past :data:`MAX_EVENTS`)."""
        with self.lock:
            events = self.user(pool_id, sub).events
            events.append(event)
            del events[:-MAX_EVENTS]

    def issue_device(self, pool_id: str, sub: str, device: Device) -> None:
        """Keep a device issued at sign-in; the oldest unconfirmed past the bound are dropped.

        See :data:`MAX_UNCONFIRMED_DEVICES`; confirmed devices are never dropped here.
        """
        with self.lock:
            devices = self.user(pool_id, sub).devices
            devices[device.key] = device
            unconfirmed = [key for key, kept in devices.items() if not kept.confirmed]
            for key in unconfirmed[:-MAX_UNCONFIRMED_DEVICES]:
                del devices[key]


def page_of(
    items: list[Any], token: object, size: object, default: int
) -> tuple[list[Any], str | None]:
    """One page of ``items`` from an opaque ``token`` (an index); the next token or ``None``.

    A token the sandbox did not hand out (``"²"``, which ``isdigit()`` accepts and ``int()``
    does not, letters, a huge number) is refused with ``InvalidParameterException``, as Cognito
    refuses a paging marker it did not issue ("Paging marker ... is invalid for request",
    recorded in aws/aws-sdk-js#3705; the exception name in
    aws-solutions/research-service-workbench-on-aws#1103).
    """
    start = 0
    if token is not None:
        if not (isinstance(token, str) and token.isascii() and token.isdecimal()):
            raise WireError("InvalidParameterException", "The pagination token is invalid.")
        start = int(token)
        if start > len(items):
            raise WireError("InvalidParameterException", "The pagination token is invalid.")
    count = int(size) if isinstance(size, int) and size > 0 else default
    following = start + count
    return items[start:following], (str(following) if following < len(items) else None)


def now_utc() -> datetime:
    """The current time, timezone-aware (botocore timestamps)."""
    return datetime.now(timezone.utc)


def expired(deadline: float) -> bool:
    """True when ``deadline`` (``time.time()`` seconds) has passed."""
    return deadline <= time.time()
