"""What the 2026 operations remember: passkeys, passkey MFA, WebAuthn config, events, sessions.

Kept beside :class:`~mfa_widgets.sandbox.store.state.SandboxState` (one :class:`SurfaceState` per
sandbox state, found with :func:`surface_of`) so the sandbox's own state stays as it is. The
same lock guards both. Users are keyed by pool id and ``sub``, like the MFA state.
"""

from __future__ import annotations

import time
import uuid
import weakref
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from mfa_widgets.sandbox.store.state import SandboxState

__all__ = [
    "AuthEvent",
    "Device",
    "Passkey",
    "PendingRegistration",
    "SurfaceState",
    "UserSurface",
    "page_of",
    "surface_of",
]

#: How long a StartWebAuthnRegistration challenge stays valid (inferred: the model says only that
#: it "has expired"; WebAuthn's recommended ceremony timeout is 5 minutes).
REGISTRATION_SECONDS = 300.0
#: Events kept per user (AdminListUserAuthEvents pages through them, newest first).
MAX_EVENTS = 200


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
class UserSurface:
    """The passkey, device and event state of one user."""

    passkeys: list[Passkey] = field(default_factory=list)
    pending: PendingRegistration | None = None
    events: list[AuthEvent] = field(default_factory=list)
    devices: dict[str, Device] = field(default_factory=dict)


@dataclass(frozen=True)
class FlowSession:
    """A USER_AUTH session this module opened (the sandbox's session store holds the id)."""

    first_factor: str | None = None
    challenge: bytes | None = field(default=None, repr=False)  # WEB_AUTHN assertion challenge
    device_key: str | None = None  # DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER
    srp: Any = field(default=None, repr=False)  # sandbox.srp.ServerSrp once SRP_A came


class SurfaceState:
    """Per-pool WebAuthn configuration, per-user passkeys/events, USER_AUTH sessions."""

    def __init__(self, lock: Any) -> None:
        self.lock = lock
        self._webauthn: dict[str, dict[str, Any]] = {}
        self._users: dict[tuple[str, str], UserSurface] = {}
        self._flows: dict[str, FlowSession] = {}

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

    def user(self, pool_id: str, sub: str) -> UserSurface:
        """The passkey state of one user (created empty on first use)."""
        with self.lock:
            return self._users.setdefault((pool_id, sub), UserSurface())

    def record(self, pool_id: str, sub: str, event: AuthEvent) -> None:
        """Keep one auth event (the oldest are dropped past :data:`MAX_EVENTS`)."""
        with self.lock:
            events = self.user(pool_id, sub).events
            events.append(event)
            del events[:-MAX_EVENTS]

    def mark_flow(self, session_id: str, flow: FlowSession) -> None:
        """Remember that ``session_id`` belongs to a USER_AUTH step of this module."""
        with self.lock:
            self._flows[session_id] = flow

    def flow(self, session_id: object) -> FlowSession | None:
        """The USER_AUTH step of ``session_id``, or ``None`` for another module's session."""
        return self._flows.get(session_id) if isinstance(session_id, str) else None

    def end_flow(self, session_id: str) -> None:
        """Forget a USER_AUTH session."""
        with self.lock:
            self._flows.pop(session_id, None)


_surfaces: weakref.WeakKeyDictionary[SandboxState, SurfaceState] = weakref.WeakKeyDictionary()


def surface_of(state: SandboxState) -> SurfaceState:
    """The :class:`SurfaceState` kept beside ``state`` (created on first use)."""
    with state.lock:
        surface = _surfaces.get(state)
        if surface is None:
            surface = _surfaces[state] = SurfaceState(state.lock)
        return surface


def page_of(
    items: list[Any], token: object, size: object, default: int
) -> tuple[list[Any], str | None]:
    """One page of ``items`` from an opaque ``token`` (an index); the next token or ``None``."""
    start = int(token) if isinstance(token, str) and token.isdigit() else 0
    count = int(size) if isinstance(size, int) and size > 0 else default
    following = start + count
    return items[start:following], (str(following) if following < len(items) else None)


def now_utc() -> datetime:
    """The current time, timezone-aware (botocore timestamps)."""
    return datetime.now(timezone.utc)


def expired(deadline: float) -> bool:
    """True when ``deadline`` (``time.time()`` seconds) has passed."""
    return deadline <= time.time()
