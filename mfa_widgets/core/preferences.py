"""The MFA preference of one Cognito user: SMS/TOTP/email states plus passkey MFA on or off.

Each of the three factors is disabled, enabled or preferred; passkey MFA is on or off.

This module is the single source of truth for what a valid preference is. It is pure Python: no
boto3, no widgets, no I/O.

Cognito rules encoded here (see ``shared/reference/cognito-mfa-semantics.md`` §3):

* at most one factor is preferred ("Only one factor can be set as preferred");
* a preferred factor is enabled (``PreferredMfa: true`` with ``Enabled: false`` is rejected);
* passkey MFA (``WebAuthnMfaSettings``, botocore 1.42.90+) is on or off and can never be
  preferred: the block has no ``PreferredMfa`` "because passkey MFA applies only when passkey is
  the first authentication factor" (service model, ``WebAuthnMfaSettingsType``). It is therefore
  not a :class:`Factor` but a separate ``webauthn: bool | None`` field, so a preferred passkey
  cannot even be represented. No read operation reports it (``UserMFASettingList`` lists only
  ``SMS_MFA``, ``EMAIL_OTP``, ``SOFTWARE_TOKEN_MFA``), so a preference read from ``GetUser``
  leaves it unknown (``None``);
* a settings block that is left out of the request leaves that factor unchanged, which is why
  :meth:`MfaPreference.changes_from` exists: sending blocks the user did not touch caused real
  400 errors (amplify-js #846, #944).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any, TypeAlias

from mfa_widgets.core.errors import MfaPreferenceError

__all__ = [
    "WEBAUTHN_CLI_OPTION",
    "WEBAUTHN_REQUEST_KEY",
    "Factor",
    "FactorState",
    "MfaPreference",
    "StateLike",
    "parse_switch",
    "passkey_settings_from_request",
]

#: The ``SetUserMFAPreference`` parameter for passkey MFA (``{"Enabled": bool}`` only).
WEBAUTHN_REQUEST_KEY = "WebAuthnMfaSettings"
#: The AWS CLI option for passkey MFA.
WEBAUTHN_CLI_OPTION = "--web-authn-mfa-settings"
_PASSKEY_NAMES = frozenset({"WEBAUTHN", "WEB_AUTHN", "PASSKEY", "WEBAUTHNMFASETTINGS"})
_NOT_PREFERABLE = (
    "passkey MFA cannot be preferred (WebAuthnMfaSettings has only Enabled: passkey MFA applies "
    "only when a passkey is the first factor); set it on or off with MfaPreference(webauthn=...)"
)


class Factor(Enum):
    """One of the three MFA factors a Cognito user can have.

    The enum value is the API name Cognito uses in ``UserMFASettingList``,
    ``PreferredMfaSetting`` and ``ChallengeName``.
    """

    SMS = "SMS_MFA"
    TOTP = "SOFTWARE_TOKEN_MFA"
    EMAIL = "EMAIL_OTP"

    @property
    def api_name(self) -> str:
        """The name Cognito uses for this factor, e.g. ``"SOFTWARE_TOKEN_MFA"``."""
        return self.value

    @property
    def key(self) -> str:
        """The lower-case short name used for keyword arguments: ``sms``, ``totp``, ``email``."""
        return self.name.lower()

    @property
    def request_key(self) -> str:
        """The ``SetUserMFAPreference`` parameter, e.g. ``"SMSMfaSettings"`` (capital SMS)."""
        return _REQUEST_KEYS[self]

    @property
    def cli_option(self) -> str:
        """The AWS CLI option, e.g. ``"--software-token-mfa-settings"``."""
        return _CLI_OPTIONS[self]

    @property
    def label(self) -> str:
        """The human label shown in widgets, e.g. ``"Authenticator app (TOTP)"``."""
        return _LABELS[self]

    @property
    def challenge_code_key(self) -> str:
        """The ``ChallengeResponses`` key carrying this factor's code, e.g. ``"SMS_MFA_CODE"``."""
        return f"{self.value}_CODE"

    @classmethod
    def parse(cls, text: str | Factor) -> Factor:
        """Read a factor from any of its names.

        Parameters
        ----------
        text
            ``sms``, ``totp``, ``email`` (any case), an API name such as ``SOFTWARE_TOKEN_MFA``,
            a request key such as ``SMSMfaSettings``, or a :class:`Factor`.

        Raises
        ------
        MfaPreferenceError
            When the text names no factor; the message lists the accepted names.
        """
        if isinstance(text, Factor):
            return text
        wanted = str(text).strip().upper().replace("-", "_")
        for factor in cls:
            names = {factor.name, factor.value, factor.request_key.upper(), *_ALIASES[factor]}
            if wanted in names:
                return factor
        extra = f"; {_NOT_PREFERABLE}" if wanted in _PASSKEY_NAMES else ""
        raise MfaPreferenceError(
            f"unknown MFA factor {text!r:.60}: use one of sms, totp, email "
            f"(or SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP){extra}"
        )


_REQUEST_KEYS = {
    Factor.SMS: "SMSMfaSettings",
    Factor.TOTP: "SoftwareTokenMfaSettings",
    Factor.EMAIL: "EmailMfaSettings",
}
_CLI_OPTIONS = {
    Factor.SMS: "--sms-mfa-settings",
    Factor.TOTP: "--software-token-mfa-settings",
    Factor.EMAIL: "--email-mfa-settings",
}
_LABELS = {
    Factor.SMS: "Text message (SMS)",
    Factor.TOTP: "Authenticator app (TOTP)",
    Factor.EMAIL: "Email message",
}
_ALIASES = {
    Factor.SMS: {"TEXT", "PHONE"},
    Factor.TOTP: {"SOFTWARE_TOKEN", "AUTHENTICATOR", "APP"},
    Factor.EMAIL: {"EMAIL_MFA", "MAIL"},
}


class FactorState(Enum):
    """The state of one factor: disabled, enabled, or enabled and preferred."""

    DISABLED = "disabled"
    ENABLED = "enabled"
    PREFERRED = "preferred"

    @property
    def enabled(self) -> bool:
        """True for ENABLED and PREFERRED."""
        return self is not FactorState.DISABLED

    @property
    def preferred(self) -> bool:
        """True for PREFERRED only."""
        return self is FactorState.PREFERRED

    def to_settings(self) -> dict[str, bool]:
        """The settings block Cognito expects, e.g. ``{"Enabled": True, "PreferredMfa": False}``."""
        return {"Enabled": self.enabled, "PreferredMfa": self.preferred}

    @classmethod
    def parse(cls, value: StateLike) -> FactorState | None:
        """Read a state from a :class:`FactorState`, its lower-case name, a bool, or ``None``.

        ``None`` means "leave this factor unchanged" and is returned as is. ``True``/``False``
        mean enabled/disabled.

        Raises
        ------
        MfaPreferenceError
            For any other value; the message lists the accepted names.
        """
        if value is None or isinstance(value, FactorState):
            return value
        if isinstance(value, bool):
            return cls.ENABLED if value else cls.DISABLED
        if not isinstance(value, str):
            raise MfaPreferenceError(
                f"a factor state cannot be a {type(value).__name__} ({value!r:.40}): use "
                "disabled, enabled, preferred, True/False, or None to leave the factor unchanged"
            )
        text = value.strip().lower()
        if not text:
            # "" is what an untouched text box gives: reading it as "unchanged" hid typos.
            raise MfaPreferenceError(
                "a factor state is empty text: use disabled, enabled, preferred, or None (or "
                "'unchanged') to leave the factor unchanged"
            )
        aliases = {"on": cls.ENABLED, "off": cls.DISABLED, "unchanged": None}
        if text in aliases:
            return aliases[text]
        for state in cls:
            if text == state.value:
                return state
        raise MfaPreferenceError(
            f"unknown factor state {value!r:.60}: use disabled, enabled, preferred, or None to "
            "leave the factor unchanged"
        )

    @classmethod
    def from_settings(
        cls, factor: Factor, settings: Mapping[str, Any] | None
    ) -> FactorState | None:
        """Read a request settings block such as ``{"Enabled": true, "PreferredMfa": false}``.

        A missing or empty block means unchanged (``None``). ``PreferredMfa`` true implies the
        factor is meant to be preferred, which requires ``Enabled`` true.

        Raises
        ------
        MfaPreferenceError
            When ``PreferredMfa`` is true and ``Enabled`` is false, a key is unknown, or a value
            is not a boolean.
        """
        if not settings:
            return None
        unknown = set(settings) - {"Enabled", "PreferredMfa"}
        if unknown:
            raise MfaPreferenceError(
                f"{factor.request_key} has unknown keys {sorted(unknown)}: "
                "the only keys are Enabled and PreferredMfa"
            )
        # bool("false") is True: a text value must not silently read as enabled.
        for key, value in settings.items():
            if not isinstance(value, bool):
                raise MfaPreferenceError(
                    f"{factor.request_key}.{key} must be true or false, not {value!r}"
                )
        enabled = bool(settings.get("Enabled", False))
        preferred = bool(settings.get("PreferredMfa", False))
        if preferred and not enabled:
            raise MfaPreferenceError(
                f"{factor.name} is preferred but not enabled: set Enabled=true for "
                f"{factor.request_key}, or PreferredMfa=false"
            )
        if preferred:
            return cls.PREFERRED
        return cls.ENABLED if enabled else cls.DISABLED


StateLike: TypeAlias = "FactorState | str | bool | None"


def parse_switch(value: StateLike) -> bool | None:
    """Read passkey MFA's on/off: a bool, ``on``/``off``/``enabled``/``disabled``, or ``None``.

    ``None`` (or ``"unchanged"``) leaves passkey MFA unchanged.

    Raises
    ------
    MfaPreferenceError
        For ``preferred`` (passkey MFA can never be preferred) and any unknown word.
    """
    if value is None or isinstance(value, bool):
        return value
    if value is FactorState.PREFERRED or str(value).strip().lower() == "preferred":
        raise MfaPreferenceError(_NOT_PREFERABLE)
    state = FactorState.parse(value)
    return None if state is None else state.enabled


def passkey_settings_from_request(settings: Mapping[str, Any] | None) -> bool | None:
    """Read a ``WebAuthnMfaSettings`` block: ``{"Enabled": bool}``; empty or absent = unchanged.

    Raises
    ------
    MfaPreferenceError
        For ``PreferredMfa`` (the block cannot carry it), any other key, or a non-boolean.
    """
    if not settings:
        return None
    if "PreferredMfa" in settings:
        raise MfaPreferenceError(f"{WEBAUTHN_REQUEST_KEY} has no PreferredMfa: {_NOT_PREFERABLE}")
    unknown = set(settings) - {"Enabled"}
    if unknown:
        raise MfaPreferenceError(
            f"{WEBAUTHN_REQUEST_KEY} has unknown keys {sorted(unknown)}: the only key is Enabled"
        )
    enabled = settings.get("Enabled")
    if not isinstance(enabled, bool):
        raise MfaPreferenceError(
            f"{WEBAUTHN_REQUEST_KEY}.Enabled must be true or false, not {enabled!r}"
        )
    return enabled


@dataclass(frozen=True)
class MfaPreference:
    """An immutable MFA preference: SMS, TOTP and email, and passkey MFA on/off.

    Parameters
    ----------
    sms, totp, email
        A :class:`FactorState`, its lower-case name, or ``None`` for "leave unchanged" (the
        block is then left out of the request).
    webauthn
        Passkey MFA (``WebAuthnMfaSettings``): ``True``/``False`` (or ``on``/``off``,
        ``enabled``/``disabled``), or ``None`` to leave it unchanged. Never preferred: it is
        stored as a bool, and ``"preferred"`` is refused. Iterating a preference yields the three
        preferable factors only.
    notes
        Remarks from reading a server response (e.g. legacy ``MFAOptions``); not part of
        equality.

    Raises
    ------
    MfaPreferenceError
        When more than one factor is preferred, or passkey MFA is given as preferred.

    Examples
    --------
    >>> p = MfaPreference(sms="preferred", totp="enabled")
    >>> p.with_preferred(Factor.TOTP).preferred
    <Factor.TOTP: 'SOFTWARE_TOKEN_MFA'>
    >>> MfaPreference(sms="enabled").to_request()
    {'SMSMfaSettings': {'Enabled': True, 'PreferredMfa': False}}
    >>> MfaPreference(totp="preferred", webauthn=True).to_request()["WebAuthnMfaSettings"]
    {'Enabled': True}
    """

    sms: FactorState | None = None
    totp: FactorState | None = None
    email: FactorState | None = None
    webauthn: bool | None = None
    notes: tuple[str, ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        for factor in Factor:
            object.__setattr__(self, factor.key, FactorState.parse(getattr(self, factor.key)))
        object.__setattr__(self, "webauthn", parse_switch(self.webauthn))
        if not isinstance(self.notes, tuple) or not all(isinstance(n, str) for n in self.notes):
            raise MfaPreferenceError("notes must be a tuple of strings, e.g. ('read from AWS',)")
        preferred = [f for f in Factor if self.state(f) is FactorState.PREFERRED]
        if len(preferred) > 1:
            names = " and ".join(f.name for f in preferred)
            raise MfaPreferenceError(
                f"{names} are both preferred; at most one factor can be preferred. "
                "Choose one (MfaPreference.with_preferred) and set the others to enabled."
            )

    # -- reading -------------------------------------------------------------------------------

    def state(self, factor: Factor | str) -> FactorState | None:
        """The state of ``factor``, or ``None`` when it is left unchanged."""
        value: FactorState | None = getattr(self, Factor.parse(factor).key)
        return value

    def __iter__(self) -> Iterator[tuple[Factor, FactorState | None]]:
        """Iterate ``(factor, state)`` pairs in the order SMS, TOTP, email."""
        return ((f, self.state(f)) for f in Factor)

    @property
    def preferred(self) -> Factor | None:
        """The preferred factor, or ``None``."""
        return next((f for f, s in self if s is FactorState.PREFERRED), None)

    @property
    def enabled(self) -> frozenset[Factor]:
        """The factors that are enabled (including the preferred one)."""
        return frozenset(f for f, s in self if s is not None and s.enabled)

    @property
    def is_complete(self) -> bool:
        """True when every preferable factor has a state (none is left unchanged).

        Passkey MFA does not count: no read operation reports it, so a complete preference read
        from ``GetUser`` still has ``webauthn=None``.
        """
        return all(s is not None for _, s in self)

    @property
    def is_empty(self) -> bool:
        """True when every factor and passkey MFA are left unchanged (the request is empty)."""
        return all(s is None for _, s in self) and self.webauthn is None

    def as_dict(self) -> dict[str, str | None]:
        """``{"sms": "enabled", "totp": None, ...}``: plain strings for logs and JSON.

        ``"webauthn": "on"``/``"off"`` is added only when passkey MFA is set.
        """
        plain: dict[str, str | None] = {f.key: (s.value if s else None) for f, s in self}
        if self.webauthn is not None:
            plain["webauthn"] = "on" if self.webauthn else "off"
        return plain

    # -- changing --------------------------------------------------------------------------------

    def with_state(self, factor: Factor | str, state: StateLike) -> MfaPreference:
        """Return a copy with ``factor`` set to ``state``.

        Making a factor preferred demotes the previously preferred factor to enabled; disabling
        (or merely enabling) the preferred factor clears the preference.
        """
        factor = Factor.parse(factor)
        new_state = FactorState.parse(state)
        states = {f.key: s for f, s in self}
        if new_state is FactorState.PREFERRED:
            for other, s in self:
                if other is not factor and s is FactorState.PREFERRED:
                    states[other.key] = FactorState.ENABLED
        states[factor.key] = new_state
        return MfaPreference(**states, webauthn=self.webauthn, notes=self.notes)

    def with_passkey_mfa(self, enabled: StateLike) -> MfaPreference:
        """Return a copy with passkey MFA on (``True``), off (``False``) or unchanged (``None``)."""
        states = {f.key: s for f, s in self}
        return MfaPreference(**states, webauthn=parse_switch(enabled), notes=self.notes)

    def with_preferred(self, factor: Factor | str | None) -> MfaPreference:
        """Return a copy where ``factor`` is preferred (and enabled), or none is when ``None``."""
        if factor is not None:
            return self.with_state(factor, FactorState.PREFERRED)
        current = self.preferred
        return self if current is None else self.with_state(current, FactorState.ENABLED)

    def changes_from(self, current: MfaPreference) -> MfaPreference:
        """Return only the factors whose state differs from ``current`` (others unchanged).

        Factors this value leaves unchanged stay unchanged. The result is what a write should
        send, so that no block the user did not touch reaches Cognito.
        """
        webauthn = None if self.webauthn == current.webauthn else self.webauthn
        return MfaPreference._from_states(
            {f: None if wanted == current.state(f) else wanted for f, wanted in self}, webauthn
        )

    def merged_onto(self, current: MfaPreference) -> MfaPreference:
        """The state a user would have after this value is applied on top of ``current``.

        Follows Cognito's handling of a partial request: left-out factors keep their state, and
        making one factor preferred demotes the previously preferred one.
        """
        result = current
        for factor, wanted in self:
            if wanted is not None:
                result = result.with_state(factor, wanted)
        if self.webauthn is not None:
            result = result.with_passkey_mfa(self.webauthn)
        return result

    @classmethod
    def _from_states(
        cls, states: Mapping[Factor, FactorState | None], webauthn: bool | None = None
    ) -> MfaPreference:
        """Build from a ``{factor: state}`` mapping (spelled out so the types are checked)."""
        return cls(
            sms=states[Factor.SMS],
            totp=states[Factor.TOTP],
            email=states[Factor.EMAIL],
            webauthn=webauthn,
        )

    # -- the wire -------------------------------------------------------------------------------

    def to_request(self) -> dict[str, dict[str, bool]]:
        """Keyword arguments for ``(admin_)set_user_mfa_preference``, only for set blocks.

        Passkey MFA, when set, is ``WebAuthnMfaSettings: {"Enabled": bool}`` (no PreferredMfa).
        """
        request = {f.request_key: s.to_settings() for f, s in self if s is not None}
        if self.webauthn is not None:
            request[WEBAUTHN_REQUEST_KEY] = {"Enabled": self.webauthn}
        return request

    @classmethod
    def from_request(cls, request: Mapping[str, Any]) -> MfaPreference:
        """Read the four settings blocks of a ``SetUserMFAPreference`` request.

        ``SMSMfaSettings``, ``SoftwareTokenMfaSettings``, ``EmailMfaSettings`` and
        ``WebAuthnMfaSettings``; other keys (``AccessToken``, ``UserPoolId``, ``Username``)
        are ignored.

        Raises
        ------
        MfaPreferenceError
            When a block is invalid, two blocks are preferred, or the passkey block carries
            ``PreferredMfa``.
        """
        return cls._from_states(
            {f: FactorState.from_settings(f, request.get(f.request_key)) for f in Factor},
            passkey_settings_from_request(request.get(WEBAUTHN_REQUEST_KEY)),
        )

    @classmethod
    def from_user(cls, response: Mapping[str, Any]) -> MfaPreference:
        """Read a ``GetUser``/``AdminGetUser`` response into a complete preference.

        ``PreferredMfaSetting`` absent, ``""`` or ``None`` all mean no preference. A preferred
        factor missing from ``UserMFASettingList`` (an inconsistent state some emulators store)
        is read as disabled and noted. Legacy ``MFAOptions`` (SMS via ``SetUserSettings``) is
        noted, not turned into a factor state, because ``UserMFASettingList`` stays empty for it.
        """
        listed = {Factor.parse(name) for name in response.get("UserMFASettingList") or []}
        preferred_name = response.get("PreferredMfaSetting") or None
        preferred = Factor.parse(preferred_name) if preferred_name else None
        notes: list[str] = []
        if preferred is not None and preferred not in listed:
            notes.append(
                f"PreferredMfaSetting is {preferred.api_name} but that factor is not in "
                "UserMFASettingList; it is read as not preferred"
            )
            preferred = None
        if response.get("MFAOptions"):
            notes.append(
                "MFAOptions is set (legacy SetUserSettings SMS MFA): Cognito can still send "
                "SMS_MFA codes even though UserMFASettingList does not list SMS"
            )
        states: dict[Factor, FactorState | None] = {
            f: (
                FactorState.PREFERRED
                if f is preferred
                else FactorState.ENABLED
                if f in listed
                else FactorState.DISABLED
            )
            for f in Factor
        }
        return replace(cls._from_states(states), notes=tuple(notes))

    def to_response(self) -> dict[str, Any]:
        """The MFA part of a ``GetUser`` response for this state (unchanged factors = disabled).

        ``PreferredMfaSetting`` is left out when no factor is preferred, and
        ``UserMFASettingList`` when no factor is enabled, as Cognito does (conformance cases
        ``pref.admin-get-user-without-mfa``, ``factors.without-mfa``).
        """
        response: dict[str, Any] = {}
        enabled = [f.api_name for f in Factor if f in self.enabled]
        if enabled:
            response["UserMFASettingList"] = enabled
        if self.preferred is not None:
            response["PreferredMfaSetting"] = self.preferred.api_name
        return response

    def describe(self) -> str:
        """One plain-English line, e.g. ``"SMS enabled, TOTP preferred, EMAIL unchanged"``.

        ``", passkey MFA on"`` (or ``off``) is added only when passkey MFA is set.
        """
        text = ", ".join(f"{f.name} {s.value if s else 'unchanged'}" for f, s in self)
        if self.webauthn is not None:
            text += f", passkey MFA {'on' if self.webauthn else 'off'}"
        return text
