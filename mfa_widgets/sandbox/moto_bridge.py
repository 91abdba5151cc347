"""The one place that reads moto's in-process Cognito backend.

Everything the fidelity layer needs from moto goes through :class:`MotoBridge`: pools, app clients,
users and their attributes and passwords, and issuing tokens. :data:`MOTO_INTERNALS` lists each
moto name relied on, and :func:`check_moto_internals` fails loudly (with the list of what moved)
when a moto upgrade changes them; a service test calls it.
"""

from __future__ import annotations

import json
import threading
import uuid
from typing import Any

from moto.cognitoidp import models as cognito_models
from moto.cognitoidp.utils import check_secret_hash
from moto.core import DEFAULT_ACCOUNT_ID  # type: ignore[attr-defined]

from mfa_widgets.core.challenges import Recovery, Tier
from mfa_widgets.sandbox.wire import CognitoError, not_authorized

__all__ = [
    "DEFAULT_ACCOUNT_ID",
    "MOTO_INTERNALS",
    "MotoBridge",
    "check_moto_internals",
    "share_pool_signing_key",
]

ADMIN_SCOPE = "aws.cognito.signin.user.admin"
WRONG_PASSWORD = "Incorrect username or password."  # noqa: S105 - Cognito's message

#: (dotted owner, attribute) pairs of moto 5.2.x the sandbox relies on.
MOTO_INTERNALS: tuple[tuple[str, str], ...] = (
    ("moto.cognitoidp.models", "cognitoidp_backends"),
    ("moto.cognitoidp.models", "UserStatus"),
    ("moto.cognitoidp.models.CognitoIdpBackend", "user_pools"),
    ("moto.cognitoidp.models.CognitoIdpBackend", "_log_user_in"),
    ("moto.cognitoidp.models.CognitoIdpBackend", "admin_delete_user"),
    ("moto.cognitoidp.models.CognitoIdpBackend", "_validate_password"),
    ("moto.cognitoidp.models.CognitoIdpBackend", "set_user_pool_mfa_config"),
    ("moto.cognitoidp.models.CognitoIdpUserPool", "create_jwt"),
    ("moto.cognitoidp.models.CognitoIdpUserPool", "_get_user"),
    ("moto.cognitoidp.models.CognitoIdpUserPool", "access_tokens"),
    ("moto.cognitoidp.models.CognitoIdpUserPool", "id_tokens"),
    ("moto.cognitoidp.models.CognitoIdpUserPool", "refresh_tokens"),
    ("moto.cognitoidp.models.CognitoIdpUserPool", "create_tokens_from_refresh_token"),
    ("moto.cognitoidp.models.CognitoIdpUserPool", "clients"),
    ("moto.cognitoidp.models.CognitoIdpUserPool", "extended_config"),
    ("moto.cognitoidp.models.CognitoIdpUserPool", "mfa_config"),
    ("moto.cognitoidp.models.CognitoIdpUserPool", "sms_mfa_config"),
    ("moto.cognitoidp.models.CognitoIdpUserPool", "token_mfa_config"),
    ("moto.cognitoidp.models.CognitoIdpUser", "password"),
    ("moto.cognitoidp.models.CognitoIdpUser", "status"),
    ("moto.cognitoidp.models.CognitoIdpUser", "enabled"),
    ("moto.cognitoidp.models.CognitoIdpUser", "attribute_lookup"),
    ("moto.cognitoidp.models.CognitoIdpUser", "update_attributes"),
    ("moto.cognitoidp.models.CognitoIdpUserPoolClient", "generate_secret"),
    ("moto.cognitoidp.utils", "check_secret_hash"),
    ("moto.moto_server.werkzeug_app", "DomainDispatcherApplication"),
    ("moto.moto_server.werkzeug_app", "create_backend_app"),
    ("moto.core", "DEFAULT_ACCOUNT_ID"),
    ("moto.cognitoidp.models", "jwk"),
)


class _MemoRSAKey:
    """``joserfc.jwk.RSAKey`` whose ``import_key`` returns one shared key per key document."""

    def __init__(self, wrapped: Any) -> None:
        self._wrapped = wrapped
        self._keys: dict[str, Any] = {}
        self._lock = threading.Lock()

    def import_key(self, value: Any, *args: Any, **kwargs: Any) -> Any:
        """Import once, then hand out the same (read-only) key object."""
        marker = json.dumps([value, args, kwargs], sort_keys=True, default=str)
        with self._lock:
            if marker not in self._keys:
                self._keys[marker] = self._wrapped.import_key(value, *args, **kwargs)
            return self._keys[marker]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._wrapped, name)


class _MemoJwk:
    """Stands in for the ``joserfc.jwk`` module inside ``moto.cognitoidp.models``."""

    def __init__(self, wrapped: Any) -> None:
        self._wrapped = wrapped
        self.RSAKey = _MemoRSAKey(wrapped.RSAKey)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._wrapped, name)


def share_pool_signing_key() -> None:
    """Make moto import its (fixed, bundled) pool signing key once instead of once per pool.

    moto re-imports the same private key for every ``CreateUserPool``, and the import recovers the
    RSA primes: about 350 ms per pool on a 2-vCPU machine, which dominated test time. Every pool
    gets the identical key either way; this swaps moto's module reference to ``joserfc.jwk`` for
    a memoising stand-in (idempotent, process-wide, behaviour otherwise unchanged).
    """
    current = getattr(cognito_models, "jwk")  # noqa: B009 - moto does not export it
    if not isinstance(current, _MemoJwk):
        setattr(cognito_models, "jwk", _MemoJwk(current))  # noqa: B010


def check_moto_internals() -> list[str]:
    """Return the moto names from :data:`MOTO_INTERNALS` that are missing (empty when all exist).

    Instance attributes are checked on a throwaway pool, user and client so that attributes set
    in ``__init__`` count.
    """
    import importlib

    backend = cognito_models.CognitoIdpBackend("us-east-1", "000000000000")
    pool = backend.create_user_pool("internals-check", {})
    samples: dict[str, Any] = {
        "moto.cognitoidp.models.CognitoIdpBackend": backend,
        "moto.cognitoidp.models.CognitoIdpUserPool": pool,
        "moto.cognitoidp.models.CognitoIdpUser": cognito_models.CognitoIdpUser(
            pool.id, "probe", "pw", cognito_models.UserStatus.CONFIRMED, []
        ),
        "moto.cognitoidp.models.CognitoIdpUserPoolClient": backend.create_user_pool_client(
            pool.id, False, {}
        ),
    }
    missing = []
    for owner, name in MOTO_INTERNALS:
        target = samples.get(owner)
        if target is None:
            try:
                target = importlib.import_module(owner)
            except ImportError:
                missing.append(f"{owner} (module)")
                continue
        if not hasattr(target, name):
            missing.append(f"{owner}.{name}")
    return missing


class MotoBridge:
    """Read and drive moto's Cognito backend for one AWS account id.

    Parameters
    ----------
    account_id
        The moto account whose backends this sandbox owns.
    """

    def __init__(self, account_id: str) -> None:
        self.account_id = account_id

    # -- lookups -----------------------------------------------------------------------------

    def backend(self, region: str) -> Any:
        """Moto's ``CognitoIdpBackend`` for ``region`` in this account (created on first use)."""
        return cognito_models.cognitoidp_backends[self.account_id][region]

    def loaded_backends(self) -> list[Any]:
        """The backends of this account that exist already (one per region used)."""
        return list(cognito_models.cognitoidp_backends[self.account_id].values())

    def pool(self, pool_id: str) -> Any:
        """The user pool with this id; ``ResourceNotFoundException`` when there is none."""
        region = pool_id.split("_", 1)[0] if "_" in pool_id else ""
        pool = None
        if region:
            try:
                pool = self.backend(region).user_pools.get(pool_id)
            except KeyError:  # not a region moto knows
                pool = None
        if pool is None:
            raise CognitoError("ResourceNotFoundException", f"User pool {pool_id} does not exist.")
        return pool

    def find_client(self, client_id: str) -> tuple[Any, Any]:
        """``(pool, client)`` for an app client id; ``ResourceNotFoundException`` when unknown."""
        for backend in self.loaded_backends():
            for pool in list(backend.user_pools.values()):
                client = pool.clients.get(client_id)
                if client is not None:
                    return pool, client
        raise CognitoError("ResourceNotFoundException", "User pool client does not exist.")

    def client_of(self, pool: Any, client_id: str) -> Any:
        """The app client ``client_id`` of ``pool``; ``ResourceNotFoundException`` otherwise."""
        client = pool.clients.get(client_id)
        if client is None:
            raise CognitoError(
                "ResourceNotFoundException", f"User pool client {client_id} does not exist."
            )
        return client

    @staticmethod
    def find_user(pool: Any, username: str) -> Any | None:
        """The user called ``username`` (or with that alias attribute), or ``None``."""
        return pool._get_user(username) if username else None

    def user(self, pool: Any, username: str) -> Any:
        """The user, or ``UserNotFoundException: User does not exist.``."""
        user = self.find_user(pool, username)
        if user is None:
            raise CognitoError("UserNotFoundException", "User does not exist.")
        return user

    @staticmethod
    def attribute(user: Any, name: str) -> str | None:
        """The value of one user attribute, e.g. ``phone_number``."""
        value = user.attribute_lookup.get(name)
        return str(value) if value else None

    @staticmethod
    def set_attributes(user: Any, **values: str) -> None:
        """Set user attributes, e.g. ``phone_number_verified="true"``."""
        user.update_attributes([{"Name": k, "Value": v} for k, v in values.items()])

    # -- sign-in -----------------------------------------------------------------------------

    @staticmethod
    def check_password(user: Any, password: str) -> None:
        """Raise Cognito's answer for a wrong password, a disabled or unconfirmed user."""
        if not user.enabled:
            raise not_authorized("User is disabled.")
        if user.password != password:
            raise not_authorized(WRONG_PASSWORD)
        if str(user.status) in {"UNCONFIRMED", cognito_models.UserStatus.UNCONFIRMED}:
            raise CognitoError("UserNotConfirmedException", "User is not confirmed.")

    @staticmethod
    def must_change_password(user: Any) -> bool:
        """True for an admin-created user still on a temporary password."""
        return bool(user.status == cognito_models.UserStatus.FORCE_CHANGE_PASSWORD)

    def check_password_policy(self, pool: Any, password: str) -> None:
        """``InvalidPasswordException`` unless ``password`` meets the pool's policy."""
        self.backend(pool.region)._validate_password(pool.id, password)

    def set_new_password(self, pool: Any, user: Any, password: str) -> None:
        """Store a new permanent password (pool password policy applies) and confirm the user."""
        self.check_password_policy(pool, password)
        user.password = password
        user.status = cognito_models.UserStatus.CONFIRMED

    @staticmethod
    def check_secret_hash(client: Any, username: str, secret_hash: str | None) -> None:
        """Enforce ``SECRET_HASH`` for app clients that have a secret."""
        if client.generate_secret and not check_secret_hash(
            client.secret, client.id, username, secret_hash
        ):
            raise not_authorized(
                f"Client {client.id} is configured with secret but SECRET_HASH was not received"
                if not secret_hash
                else "Unable to verify secret hash for client " + client.id
            )

    def issue_tokens(self, pool: Any, client: Any, username: str) -> dict[str, Any]:
        """A successful sign-in: moto's ``AuthenticationResult`` for this user and client."""
        result: dict[str, Any] = self.backend(pool.region)._log_user_in(pool, client, username)
        return result

    @staticmethod
    def refresh_token_owner(pool: Any, token: str) -> tuple[str, str] | None:
        """``(client_id, username)`` of a live refresh token of ``pool``, else ``None``."""
        owner = pool.refresh_tokens.get(token)
        return (str(owner[0]), str(owner[1])) if owner else None

    @staticmethod
    def refresh_tokens(pool: Any, token: str) -> dict[str, Any]:
        """New access and ID tokens from a live refresh token (Cognito's REFRESH_TOKEN_AUTH)."""
        access, id_token, expires_in = pool.create_tokens_from_refresh_token(token)
        return {
            "ChallengeParameters": {},
            "AuthenticationResult": {
                "AccessToken": access,
                "IdToken": id_token,
                "ExpiresIn": expires_in,
                "TokenType": "Bearer",
            },
        }

    @staticmethod
    def revoke_user_tokens(pool: Any, username: str) -> None:
        """Forget every access, ID and refresh token issued to ``username`` in ``pool``."""
        for tokens in (pool.access_tokens, pool.id_tokens, pool.refresh_tokens):
            for token, owner in list(tokens.items()):
                if owner is None or owner[1] == username:
                    tokens.pop(token, None)

    def delete_user(self, pool: Any, user: Any) -> None:
        """Delete ``user`` from ``pool`` after revoking every token issued to them."""
        self.revoke_user_tokens(pool, user.username)
        self.backend(pool.region).admin_delete_user(pool.id, user.username)

    @staticmethod
    def mint_access_token(
        pool: Any,
        client_id: str,
        username: str,
        expires_in: int = 3600,
        scope: str | None = ADMIN_SCOPE,
    ) -> str:
        """Sign an access token like moto's, with any lifetime and scope, and register it."""
        extra: dict[str, Any] = {"origin_jti": str(uuid.uuid4())}
        if scope is not None:
            extra["scope"] = scope
        token, _ = pool.create_jwt(
            client_id, username, "access", expires_in=expires_in, extra_data=extra
        )
        pool.access_tokens[token] = (client_id, username)
        return str(token)

    # -- pool configuration ------------------------------------------------------------------

    @staticmethod
    def tier(pool: Any) -> Tier:
        """The pool's feature plan; ESSENTIALS (Cognito's default for new pools) when unset."""
        return Tier(pool.extended_config.get("UserPoolTier") or Tier.ESSENTIALS.value)

    def recovery(self, pool: Any) -> Recovery:
        """The priority-1 account-recovery mechanism; ADMIN_ONLY when none is configured."""
        return Recovery(self.recovery_mechanisms(pool)[0])

    @staticmethod
    def recovery_mechanisms(pool: Any) -> list[str]:
        """The account-recovery mechanism names by priority; ``["admin_only"]`` when unset."""
        setting = pool.extended_config.get("AccountRecoverySetting") or {}
        mechanisms = sorted(
            setting.get("RecoveryMechanisms") or [], key=lambda m: m.get("Priority", 99)
        )
        return [str(m["Name"]) for m in mechanisms] or [Recovery.ADMIN_ONLY.value]

    @staticmethod
    def recovery_is_email_only(pool: Any) -> bool:
        """True when ``verified_email`` is the only account-recovery mechanism."""
        setting = pool.extended_config.get("AccountRecoverySetting") or {}
        names = [m.get("Name") for m in setting.get("RecoveryMechanisms") or []]
        return names == [Recovery.EMAIL.value]

    @staticmethod
    def stored_mfa_blocks(pool: Any) -> dict[str, Any]:
        """The MFA blocks moto stores for ``pool`` (only those that are set)."""
        document: dict[str, Any] = {"MfaConfiguration": pool.mfa_config or "OFF"}
        if pool.sms_mfa_config:
            document["SmsMfaConfiguration"] = dict(pool.sms_mfa_config)
        if pool.token_mfa_config is not None:
            document["SoftwareTokenMfaConfiguration"] = dict(pool.token_mfa_config)
        return document

    @staticmethod
    def device_remembering(pool: Any) -> bool:
        """True when the pool has a ``DeviceConfiguration``."""
        return bool(pool.extended_config.get("DeviceConfiguration"))
