"""Provisioning: pools and users ready for a scenario, made over the wire through the client."""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Protocol

from mfa_widgets.core.preferences import Factor
from mfa_widgets.core.requests import PASSWORD_AUTH_FLOWS, mfa_config_request
from mfa_widgets.core.results import Tokens
from mfa_widgets.core.signin import (
    POOL_FIRST_FACTORS,
    PoolMfaConfig,
    PoolMfaMode,
)
from mfa_widgets.core.totp import totp_code
from mfa_widgets.services.client import MfaClient
from mfa_widgets.services.srp import DeviceSecret, new_device_secret

if TYPE_CHECKING:
    pass
from mfa_widgets.services.explore.scenarios import (
    PASSKEY_MFA_WEBAUTHN,
    PASSKEY_ORIGIN,
    REMEMBER_DEVICES,
    Scenario,
)

__all__ = ["PreparedUser", "Provisioner", "WireProvisioner"]


_PoolKey = tuple[PoolMfaMode, frozenset[Factor], bool, bool]


def create_confirmed_user(
    client: MfaClient, user_pool_id: str, username: str, password: str
) -> None:
    """Create ``username`` (no invitation sent) with ``password`` as its permanent password.

    The sweep's users and the rehearsal's copies are made this way: confirmed, ready to sign in.
    """
    client.call(
        "AdminCreateUser", UserPoolId=user_pool_id, Username=username, MessageAction="SUPPRESS"
    ).raise_for_error()
    client.call(
        "AdminSetUserPassword",
        UserPoolId=user_pool_id,
        Username=username,
        Password=password,
        Permanent=True,
    ).raise_for_error()


@dataclass(frozen=True)
class PreparedUser:
    """A user ready for one scenario; the password stays out of ``repr``."""

    pool_id: str
    client_id: str
    username: str
    password: str = field(repr=False)
    pool: PoolMfaConfig = field(default_factory=PoolMfaConfig)
    #: The confirmed device of a remembered-device scenario.
    device_key: str = field(default="", repr=False)
    #: Its keys and device password (the SRP proof of ``DEVICE_SRP_AUTH``).
    device: DeviceSecret | None = field(default=None, repr=False)
    #: The software authenticator holding the user's passkey (passkey scenarios).
    authenticator: Any = field(default=None, repr=False)


class Provisioner(Protocol):
    """Prepares pools and users for scenarios on some backend."""

    def prepare(self, scenario: Scenario, index: int) -> PreparedUser:
        """Create (or reuse) a pool for the scenario and a fresh user in it."""


class WireProvisioner:
    """Prepares scenarios over the wire with :class:`MfaClient`: works on any endpoint.

    One pool per (mode, factors), with an app client allowing the password flows, and one fresh
    user per scenario. A user whose scenario enables TOTP registers an authenticator the way a
    person would: signs in (in an ON pool, through the ``MFA_SETUP`` challenge), associates,
    and verifies a code computed from the secret; the phone number and email are added after.
    """

    def __init__(self, client: MfaClient, prefix: str = "sweep") -> None:
        self._client = client.with_log(None)
        self._prefix = prefix
        self._pools: dict[_PoolKey, PreparedUser] = {}
        self._lock = threading.Lock()
        self._pool_locks: dict[_PoolKey, threading.Lock] = {}

    def _pool(self, scenario: Scenario) -> PreparedUser:
        key = (
            scenario.mode,
            scenario.pool_factors,
            scenario.has_dimensions,
            scenario.remembered_device is not None,
        )
        with self._lock:  # one lock per pool: the pools of a sweep are created in parallel
            pool_lock = self._pool_locks.setdefault(key, threading.Lock())
        with pool_lock:
            if key not in self._pools:
                self._pools[key] = self._create_pool(scenario)
            return self._pools[key]

    def _create_pool(self, scenario: Scenario) -> PreparedUser:
        call = self._client.call
        name = f"{self._prefix}-{scenario.mode.value.lower()}"
        config = scenario.pool
        pool_options: dict[str, Any] = {}
        flows = list(PASSWORD_AUTH_FLOWS)
        if scenario.has_dimensions:  # every first factor, passkey MFA possible, devices remembered
            pool_options["Policies"] = {
                "SignInPolicy": {"AllowedFirstAuthFactors": POOL_FIRST_FACTORS}
            }
            flows.append("ALLOW_USER_AUTH")
        if config.device_remembering:
            pool_options["DeviceConfiguration"] = REMEMBER_DEVICES
        created = call(
            "CreateUserPool", PoolName=name, UserPoolTier=config.tier.value, **pool_options
        )
        pool_id = created.raise_for_error().data["response"]["UserPool"]["Id"]
        request = mfa_config_request(pool_id, config)
        if scenario.has_dimensions:
            request["WebAuthnConfiguration"] = PASSKEY_MFA_WEBAUTHN
        call("SetUserPoolMfaConfig", **request).raise_for_error()
        app = call(
            "CreateUserPoolClient",
            UserPoolId=pool_id,
            ClientName=f"{name}-app",
            ExplicitAuthFlows=flows,
        ).raise_for_error()
        client_id = app.data["response"]["UserPoolClient"]["ClientId"]
        return PreparedUser(pool_id, client_id, "", "", config)

    def prepare(self, scenario: Scenario, index: int) -> PreparedUser:
        """Create the scenario's user: attributes as the scenario says, TOTP registered."""
        pool = self._pool(scenario)
        username = f"{self._prefix}-{index:04d}-{secrets.token_hex(3)}"
        password = f"Sweep-{secrets.token_urlsafe(12)}9!"
        call = self._client.call
        create_confirmed_user(self._client, pool.pool_id, username, password)
        tokens = None
        if scenario.totp_registered:
            tokens = self._register_totp(pool, username, password)
        if scenario.needs_tokens and tokens is None:
            tokens = self._signed_in(pool, username, password)
        prepared = replace(pool, username=username, password=password)
        if tokens is not None and scenario.needs_tokens:
            prepared = self._passkey_and_device(scenario, prepared, tokens)
        attributes = scenario.contact_attributes(username)
        if attributes:
            call(
                "AdminUpdateUserAttributes",
                UserPoolId=pool.pool_id,
                Username=username,
                UserAttributes=attributes,
            ).raise_for_error()
        return prepared

    def _signed_in(self, pool: PreparedUser, username: str, password: str) -> Tokens:
        """Sign in before any MFA is set up (an OPTIONAL or OFF pool answers with tokens)."""
        attempt = self._client.sign_in(pool.client_id, username, password)
        if attempt.error:
            raise attempt.error
        if attempt.tokens is None:
            raise ValueError(
                f"the user must sign in to register a passkey or device, but Cognito asked for "
                f"{attempt.challenge}: in an ON pool, use a preference that enables TOTP"
            )
        return attempt.tokens

    def _passkey_and_device(
        self, scenario: Scenario, user: PreparedUser, tokens: Tokens
    ) -> PreparedUser:
        """Register a passkey (software authenticator) and confirm the sign-in's device."""
        client = self._client
        if scenario.passkey_mfa is not None:
            # Imported here: the authenticator needs cryptography (the sandbox extra), and the
            # default sweep must run on a core install.
            from mfa_widgets.services.passkey_authenticator import SoftwareAuthenticator

            authenticator = SoftwareAuthenticator(PASSKEY_ORIGIN)
            client.register_passkey(tokens.access_token, authenticator).raise_for_error()
            user = replace(user, authenticator=authenticator)
        if scenario.remembered_device is not None:
            if not tokens.device_key:
                raise ValueError("the pool remembers devices but the sign-in issued no device")
            device = new_device_secret(tokens.device_key, tokens.device_group_key)
            client.call(
                "ConfirmDevice",
                AccessToken=tokens.access_token,
                DeviceKey=tokens.device_key,
                DeviceSecretVerifierConfig=dict(device.verifier),
                DeviceName="sweep",
            ).raise_for_error()
            user = replace(user, device_key=tokens.device_key, device=device)
        return user

    def _register_totp(self, pool: PreparedUser, username: str, password: str) -> Tokens | None:
        """Register an authenticator; return the tokens of the sign-in it took."""
        client = self._client
        attempt = client.sign_in(pool.client_id, username, password)
        if attempt.error:
            raise attempt.error
        token = attempt.tokens.access_token if attempt.tokens else None
        session = None if token else attempt.session
        started = client.associate_totp(access_token=token, session=session).raise_for_error()
        enrollment = started.data["enrollment"]
        code = totp_code(enrollment.secret)
        verified = client.verify_totp(
            code, access_token=token, session=enrollment.session or None
        ).raise_for_error()
        if token is None:  # finish the MFA_SETUP sign-in so the registration sticks
            done = attempt.set_up(verified.data["session"])
            if done.error:
                raise done.error
            return done.tokens
        return attempt.tokens
