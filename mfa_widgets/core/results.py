"""What a Cognito call gave back: plain values the client returns and widgets display.

Every result carries the operation, whether it worked, the latency and the error (a
:class:`~mfa_widgets.core.errors.CognitoError`). Secrets a result must hold so a caller can continue
(tokens, a challenge session, a TOTP secret) sit in fields excluded from ``repr`` and equality,
so printing a result in a notebook never shows them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import quote, urlencode

from mfa_widgets.core.errors import CognitoError
from mfa_widgets.core.preferences import MfaPreference
from mfa_widgets.core.redaction import redact_token

__all__ = ["CallResult", "SignInAttempt", "Tokens", "TotpEnrollment"]

_SECRET_DATA = frozenset({"session"})


class _ReadState:
    """``CallResult.state``: the preference read back, and a failed call's error when there is none.

    A notebook reads ``result.state.describe()``; after a failed call there is no state, and
    ``None.describe()`` would hide the call's own error (no credentials, a wrong Region) behind
    ``AttributeError: 'NoneType' object has no attribute 'describe'``. Reading ``state`` of a
    failed call that read nothing raises that call's :class:`CognitoError` instead, with its hint;
    test ``result.ok`` (or ``result.error``) first to handle the failure yourself.
    """

    SLOT = "_read_state"

    def __get__(self, result: object, owner: type | None = None) -> MfaPreference | None:
        if result is None:  # the class attribute: the dataclass's default value
            return None
        stored: MfaPreference | None = result.__dict__.get(self.SLOT)
        error = result.__dict__.get("error")
        if stored is None and isinstance(error, CognitoError):
            raise error
        return stored

    def __set__(self, result: object, value: MfaPreference | None) -> None:
        result.__dict__[self.SLOT] = value


@dataclass(frozen=True, eq=False)
class CallResult:
    """The outcome of one API call (or of a write plus its read-back).

    Attributes
    ----------
    operation
        The API operation, e.g. ``"SetUserMFAPreference"``.
    request
        The request parameters with secrets replaced by placeholders.
    latency_ms
        Wall time of the call(s) in milliseconds.
    error
        The error, or ``None`` when the call worked.
    state
        The user's MFA preference as read back from the server, when the call reads one.
        Reading it after a failed call that read nothing raises the call's
        :class:`~mfa_widgets.core.errors.CognitoError` (check ``ok`` first to avoid that).
    data
        Operation-specific values (pool configuration, user list, ...), never secrets.
    warnings
        What went wrong *after* the call worked: the read-back after a write failed, or the log
        could not save the row. The call's effect is real; ``ok`` stays true.
    """

    operation: str
    request: Mapping[str, Any]
    latency_ms: float
    error: CognitoError | None = None
    state: _ReadState = _ReadState()
    data: Mapping[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    def __repr__(self) -> str:
        # data["session"] (VerifySoftwareToken during MFA_SETUP) continues a sign-in: a secret.
        data = {k: "<hidden>" if k in _SECRET_DATA and v else v for k, v in self.data.items()}
        return (
            f"CallResult(operation={self.operation!r}, request={self.request!r}, "
            f"latency_ms={self.latency_ms!r}, error={self.error!r}, state={self.known_state!r}, "
            f"data={data!r}{self._warnings_repr()})"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CallResult):
            return NotImplemented
        return self._compared() == other._compared()

    __hash__ = None  # type: ignore[assignment]  # as the generated __eq__ leaves it

    def _compared(self) -> tuple[Any, ...]:
        return (
            self.operation,
            self.request,
            self.latency_ms,
            self.error,
            self.known_state,
            self.data,
            self.warnings,
        )

    def replaced(self, **changes: Any) -> CallResult:
        """A copy with ``changes`` (``dataclasses.replace`` that keeps a failed call's state)."""
        return replace(self, **{"state": self.known_state, **changes})

    @property
    def known_state(self) -> MfaPreference | None:
        """The state read back, or ``None`` when there is none: never raises (unlike ``state``)."""
        stored: MfaPreference | None = self.__dict__.get(_ReadState.SLOT)
        return stored

    def _warnings_repr(self) -> str:
        return f", warnings={self.warnings!r}" if self.warnings else ""

    @property
    def ok(self) -> bool:
        """True when the call worked."""
        return self.error is None

    def raise_for_error(self) -> CallResult:
        """Return ``self``, or raise the :class:`CognitoError` the call failed with."""
        if self.error is not None:
            raise self.error
        return self


@dataclass(frozen=True)
class Tokens:
    """The tokens of a completed sign-in; ``repr`` shows only redacted forms."""

    access_token: str = field(repr=False)
    id_token: str = field(default="", repr=False)
    refresh_token: str = field(default="", repr=False)
    expires_in: int = 3600
    #: ``NewDeviceMetadata.DeviceKey`` when the pool tracks devices (confirm it to remember it).
    device_key: str = field(default="", repr=False)
    #: ``NewDeviceMetadata.DeviceGroupKey`` (the device's SRP verifier is made from both keys).
    device_group_key: str = field(default="", repr=False)

    def __repr__(self) -> str:
        return (
            f"Tokens(access_token={redact_token(self.access_token)}, expires_in={self.expires_in})"
        )

    @classmethod
    def from_result(cls, result: Mapping[str, Any]) -> Tokens:
        """Read ``AuthenticationResult``."""
        return cls(
            access_token=str(result.get("AccessToken", "")),
            id_token=str(result.get("IdToken", "")),
            refresh_token=str(result.get("RefreshToken", "")),
            expires_in=int(result.get("ExpiresIn", 3600)),
            device_key=str((result.get("NewDeviceMetadata") or {}).get("DeviceKey", "")),
            device_group_key=str((result.get("NewDeviceMetadata") or {}).get("DeviceGroupKey", "")),
        )


@dataclass(frozen=True)
class SignInAttempt:
    """One step of a sign-in: the challenge Cognito returned, or tokens, or an error.

    Attributes
    ----------
    username
        Who is signing in.
    operation
        ``InitiateAuth``, ``AdminInitiateAuth``, ``RespondToAuthChallenge``, ...
    challenge
        ``SMS_MFA``, ``SOFTWARE_TOKEN_MFA``, ``EMAIL_OTP``, ``SELECT_MFA_TYPE``, ``MFA_SETUP``,
        ... or ``None`` when tokens were issued or the step failed.
    options
        The factors offered by ``SELECT_MFA_TYPE`` (``MFAS_CAN_CHOOSE``) or ``MFA_SETUP``
        (``MFAS_CAN_SETUP``).
    delivery
        Where a code was sent: ``{"medium": "SMS", "destination": "+*******1234"}`` (masked).
    passkey_options
        For ``WEB_AUTHN``: ``CREDENTIAL_REQUEST_OPTIONS``, the JSON a passkey authenticator signs.
    srp_parameters
        For ``PASSWORD_VERIFIER``/``DEVICE_PASSWORD_VERIFIER``: ``SALT``, ``SRP_B``,
        ``SECRET_BLOCK`` and the names the SRP claim is computed from.

    For ``SELECT_CHALLENGE`` (choice-based sign-in) ``options`` holds ``AvailableChallenges``.
    """

    username: str
    operation: str
    latency_ms: float
    challenge: str | None = None
    options: tuple[str, ...] = ()
    delivery: Mapping[str, str] = field(default_factory=dict)
    error: CognitoError | None = None
    tokens: Tokens | None = field(default=None, compare=False)
    session: str = field(default="", repr=False, compare=False)
    client_id: str = field(default="", repr=False)
    user_pool_id: str | None = field(default=None, repr=False)
    warnings: tuple[str, ...] = ()
    passkey_options: str = field(default="", repr=False, compare=False)
    srp_parameters: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        """True unless the step failed."""
        return self.error is None

    @property
    def signed_in(self) -> bool:
        """True when tokens were issued."""
        return self.tokens is not None

    @property
    def observed(self) -> str | None:
        """The observed outcome as logged: the challenge name, ``None`` for tokens or error."""
        return self.challenge


@dataclass(frozen=True)
class TotpEnrollment:
    """A pending authenticator registration from ``AssociateSoftwareToken``.

    The secret is needed to show a QR code once; ``repr`` never shows it.
    """

    secret: str = field(repr=False)
    username: str = ""
    issuer: str = "mfa_widgets"
    session: str = field(default="", repr=False, compare=False)

    def __repr__(self) -> str:
        return (
            f"TotpEnrollment(username={self.username!r}, issuer={self.issuer!r}, secret=<hidden>)"
        )

    @property
    def uri(self) -> str:
        """The ``otpauth://totp/...`` URI authenticator apps read from a QR code."""
        label = quote(f"{self.issuer}:{self.username}" if self.username else self.issuer)
        query = urlencode({"secret": self.secret, "issuer": self.issuer})
        return f"otpauth://totp/{label}?{query}"
