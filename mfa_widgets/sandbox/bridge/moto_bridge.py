"""The one place that touches moto: its Cognito backend, its WSGI app, its objects.

Everything the fidelity layer needs from moto goes through :class:`MotoBridge`, which hands out
small typed views (:mod:`.views`) and plain documents, never moto's objects.
:data:`MOTO_INTERNALS` lists every moto name this module uses (a test checks the list against
this module's source, so it stays complete), and :func:`check_moto_internals` fails loudly, with
the list of what moved, when a moto upgrade changes them.

moto keeps every access, ID and refresh token it issues, forever (about 5 KB per sign-in). The
bridge remembers when each token it had moto issue stops being of use and drops it then (as each
new token is issued, or on :meth:`MotoBridge.sweep_tokens`): an access or ID token
:data:`EXPIRED_KEPT_SECONDS` after it expired (until then Cognito's "Access Token has expired" is
still the answer; after, "Invalid Access Token": our compromise), a refresh token when its app
client's ``RefreshTokenValidity`` ends (default 30 days, documented).

Convention (the completeness test relies on it): a moto object is only ever held in a variable
named ``mbackend``, ``mpool``, ``muser`` or ``mclient``, and moto modules are used through
``cognito_models``, ``cognito_utils``, ``cognito_urls``, ``moto_request`` and ``moto_core``.
"""

from __future__ import annotations

import copy
import functools
import heapq
import json
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from types import MappingProxyType
from typing import Any

import moto.core as moto_core
from botocore.exceptions import ClientError
from moto.cognitoidp import models as cognito_models
from moto.cognitoidp import urls as cognito_urls
from moto.cognitoidp import utils as cognito_utils
from moto.core import request as moto_request
from moto.core import responses as moto_responses

from mfa_widgets.core.signin import Recovery, Tier
from mfa_widgets.sandbox.bridge.views import ClientView, PoolView, UserView
from mfa_widgets.sandbox.wire import WireError, not_authorized

__all__ = [
    "ADMIN_SCOPE",
    "DEFAULT_ACCOUNT_ID",
    "MOTO_INTERNALS",
    "WRONG_PASSWORD",
    "MotoBridge",
    "check_moto_internals",
    "moto_wsgi_app",
    "share_pool_signing_key",
]

#: A WSGI application (moto's, opaque to the rest of the sandbox).
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

ADMIN_SCOPE = "aws.cognito.signin.user.admin"
WRONG_PASSWORD = "Incorrect username or password."  # noqa: S105 - Cognito's message
DEFAULT_ACCOUNT_ID: str = moto_core.DEFAULT_ACCOUNT_ID  # type: ignore[attr-defined]
#: How long an expired access or ID token is still recognised (and called expired).
EXPIRED_KEPT_SECONDS = 3600.0
#: An app client's refresh token lifetime unless it sets one (Cognito's default: 30 days).
REFRESH_SECONDS = 30 * 86400.0
_UNIT_SECONDS = {"seconds": 1.0, "minutes": 60.0, "hours": 3600.0, "days": 86400.0}

_MODELS = "moto.cognitoidp.models"
_BACKEND = f"{_MODELS}.CognitoIdpBackend"
_POOL = f"{_MODELS}.CognitoIdpUserPool"
_USER = f"{_MODELS}.CognitoIdpUser"
_CLIENT = f"{_MODELS}.CognitoIdpUserPoolClient"

#: (dotted owner, attribute) pairs of moto 5.2.x this module uses: all of them.
MOTO_INTERNALS: tuple[tuple[str, str], ...] = (
    ("moto.core", "DEFAULT_ACCOUNT_ID"),
    (_MODELS, "cognitoidp_backends"),
    (_MODELS, "UserStatus"),
    (_MODELS, "jwk"),
    (_MODELS, "CognitoIdpBackend"),
    (_MODELS, "CognitoIdpUser"),
    ("moto.cognitoidp.utils", "check_secret_hash"),
    ("moto.cognitoidp.urls", "url_paths"),
    ("moto.core.request", "Request"),
    (_BACKEND, "user_pools"),
    (_BACKEND, "_log_user_in"),
    (_BACKEND, "_validate_password"),
    (_BACKEND, "set_user_pool_mfa_config"),
    (_BACKEND, "admin_create_user"),
    (_BACKEND, "admin_delete_user"),
    (_BACKEND, "create_user_pool"),
    (_BACKEND, "create_user_pool_client"),
    (_BACKEND, "reset"),
    (_POOL, "id"),
    (_POOL, "region"),
    (_POOL, "name"),
    (_POOL, "users"),
    (_POOL, "clients"),
    (_POOL, "extended_config"),
    (_POOL, "mfa_config"),
    (_POOL, "sms_mfa_config"),
    (_POOL, "token_mfa_config"),
    (_POOL, "access_tokens"),
    (_POOL, "id_tokens"),
    (_POOL, "refresh_tokens"),
    (_POOL, "create_jwt"),
    (_POOL, "create_tokens_from_refresh_token"),
    (_POOL, "_get_user"),
    (_USER, "id"),
    (_USER, "username"),
    (_USER, "password"),
    (_USER, "status"),
    (_USER, "enabled"),
    (_USER, "attribute_lookup"),
    (_USER, "update_attributes"),
    (_CLIENT, "id"),
    (_CLIENT, "secret"),
    (_CLIENT, "generate_secret"),
    (_CLIENT, "extended_config"),
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

    mbackend = cognito_models.CognitoIdpBackend("us-east-1", "000000000000")
    mpool = mbackend.create_user_pool("internals-check", {})
    samples: dict[str, Any] = {
        _BACKEND: mbackend,
        _POOL: mpool,
        _USER: cognito_models.CognitoIdpUser(
            mpool.id, "probe", "pw", cognito_models.UserStatus.CONFIRMED, []
        ),
        _CLIENT: mbackend.create_user_pool_client(mpool.id, False, {}),
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


def moto_wsgi_app() -> WsgiApp:
    """The cognito-idp WSGI application of moto, built now (not on the first call).

    Each request goes straight to the moto handler its path routes to in
    ``moto.cognitoidp.urls`` (``POST /``: ``CognitoIdpResponse.dispatch``; the JWKS and OpenID
    configuration documents), as moto's own server routes it, with the request moto's server
    builds (a ``moto.core.request.Request`` marked as from a WSGI server) and moto's answer sent
    as its Flask app sends it (``moto.core.utils.convert_to_flask_response``); any other path is
    answered 404, as Flask did. Moto's Flask app, and its dispatcher in front, are not used:
    importing Flask, Jinja and Click was a sixth of the sandbox's cold start, and the dispatcher
    looked the service up under a global lock, listing moto's modules on disk for every request.
    """
    import re

    from werkzeug.wrappers import Response

    _memoise_method_names()
    routes = [
        (re.compile(path.format("")), handler) for path, handler in cognito_urls.url_paths.items()
    ]

    class MotoServerRequest(moto_request.Request):
        from_wsgi_server = True  # moto's server sets it: the server adds its own Date header

    class FlaskLikeResponse(Response):
        default_mimetype = "text/html"  # Flask's, for an answer without a Content-Type

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        request = MotoServerRequest(environ)
        path = request.path if request.path.endswith("/") else request.path + "/"
        handler = next((h for r, h in routes if r.match(path) or r.match(request.path)), None)
        if handler is None:
            return FlaskLikeResponse(b"", status=404)(environ, start_response)
        try:
            result = handler(request, request.raw_url, dict(request.headers))
        except ClientError as error:
            result = 400, {}, error.response["Error"]["Message"]
        status, headers, content = result if len(result) == 3 else (200, {}, result)
        response = FlaskLikeResponse(response=content, status=status, headers=headers)
        answered: Iterable[bytes] = response(environ, start_response)
        return answered

    return app


def _memoise_method_names() -> None:
    """List each response class's methods once instead of on every request.

    moto's ``call_action`` runs ``inspect.getmembers`` over the whole response class for every
    call to find the action's method: a twentieth of a classroom's CPU. The class does not change
    while serving, so the list is kept per class (idempotent, process-wide; a copy each time, as
    moto's callers had).
    """
    current = moto_responses.method_names_from_class  # type: ignore[attr-defined]
    if getattr(current, "memoised", False):
        return
    listed = functools.cache(lambda clazz: tuple(current(clazz)))

    def method_names_from_class(clazz: object) -> list[str]:
        return list(listed(clazz))

    method_names_from_class.memoised = True  # type: ignore[attr-defined]
    moto_responses.method_names_from_class = method_names_from_class  # type: ignore[attr-defined]


def _pools_of(mbackend: Any) -> list[Any]:
    return list(mbackend.user_pools.values())


def _pool_view(mpool: Any) -> PoolView:
    return PoolView(id=str(mpool.id), region=str(mpool.region), name=str(mpool.name))


def _user_view(muser: Any) -> UserView:
    return UserView(
        id=str(muser.id),
        username=str(muser.username),
        enabled=bool(muser.enabled),
        status=str(getattr(muser.status, "value", muser.status)),
        attributes=MappingProxyType(
            {str(k): str(v) for k, v in dict(muser.attribute_lookup).items()}
        ),
    )


def _refresh_seconds(mclient: Any) -> float:
    """The app client's refresh token lifetime (``RefreshTokenValidity``, in its unit)."""
    config = mclient.extended_config or {}
    validity = config.get("RefreshTokenValidity")
    if not isinstance(validity, int) or validity <= 0:
        return REFRESH_SECONDS
    unit = (config.get("TokenValidityUnits") or {}).get("RefreshToken") or "days"
    return validity * _UNIT_SECONDS.get(str(unit), 86400.0)


def _client_view(pool_id: str, mclient: Any) -> ClientView:
    config = mclient.extended_config or {}
    return ClientView(
        id=str(mclient.id),
        pool_id=pool_id,
        explicit_auth_flows=tuple(config.get("ExplicitAuthFlows") or ()),
        prevent_user_existence_errors=config.get("PreventUserExistenceErrors") == "ENABLED",
        has_secret=bool(mclient.generate_secret),
    )


class MotoBridge:
    """Read and drive moto's Cognito backend for one AWS account id.

    Parameters
    ----------
    account_id
        The moto account whose backends this sandbox owns.
    """

    def __init__(self, account_id: str) -> None:
        self.account_id = account_id
        #: (when it is dropped, pool id, which dict of moto's pool, token): a heap.
        self._expiries: list[tuple[float, str, str, str]] = []
        self._expiries_lock = threading.Lock()

    # -- moto's objects, found again by id (private: they never leave this module) ----------

    def _backend(self, region: str) -> Any:
        return cognito_models.cognitoidp_backends[self.account_id][region]

    def _backends(self) -> list[Any]:
        if self.account_id not in cognito_models.cognitoidp_backends:
            return []
        return list(cognito_models.cognitoidp_backends[self.account_id].values())

    def _pool(self, pool_id: str) -> Any:
        region = pool_id.split("_", 1)[0] if "_" in pool_id else ""
        mpool = None
        if region:
            try:
                mbackend = self._backend(region)
                mpool = mbackend.user_pools.get(pool_id)
            except KeyError:  # not a region moto knows
                mpool = None
        if mpool is None:
            raise WireError("ResourceNotFoundException", f"User pool {pool_id} does not exist.")
        return mpool

    def _user(self, pool: PoolView, user: UserView) -> Any:
        mpool = self._pool(pool.id)
        muser = mpool.users.get(user.username)
        if muser is None or muser.id != user.id:
            raise WireError("UserNotFoundException", "User does not exist.")
        return muser

    def _client(self, client: ClientView) -> Any:
        mpool = self._pool(client.pool_id)
        mclient = mpool.clients.get(client.id)
        if mclient is None:
            raise WireError("ResourceNotFoundException", "User pool client does not exist.")
        return mclient

    # -- lifecycle -----------------------------------------------------------------------------

    def warm(self, region: str) -> None:
        """Create this account's backend for ``region`` now (so the first call is fast)."""
        self._backend(region)

    def drop_account(self) -> None:
        """Delete every pool, user and token of this account from moto."""
        regions = cognito_models.cognitoidp_backends.pop(self.account_id, None)
        for mbackend in list((regions or {}).values()):
            mbackend.reset()

    def issued_secrets(self) -> list[str]:
        """Every token moto issued in this account and every user's password (leak scans)."""
        found: list[str] = []
        for mbackend in self._backends():
            for mpool in list(mbackend.user_pools.values()):
                for tokens in (mpool.access_tokens, mpool.id_tokens, mpool.refresh_tokens):
                    found.extend(tokens)
                found.extend(muser.password for muser in mpool.users.values() if muser.password)
        return found

    def pools(self) -> list[PoolView]:
        """Every pool of this account, in every region used."""
        return [_pool_view(mpool) for mbackend in self._backends() for mpool in _pools_of(mbackend)]

    def user_count(self) -> int:
        """How many users this account's pools hold together."""
        return sum(
            len(mpool.users) for mbackend in self._backends() for mpool in _pools_of(mbackend)
        )

    # -- lookups -----------------------------------------------------------------------------

    def pool(self, pool_id: str) -> PoolView:
        """The user pool with this id; ``ResourceNotFoundException`` when there is none."""
        return _pool_view(self._pool(pool_id))

    def find_client(self, client_id: str) -> tuple[PoolView, ClientView]:
        """``(pool, client)`` for an app client id; ``ResourceNotFoundException`` when unknown."""
        for mbackend in self._backends():
            for mpool in list(mbackend.user_pools.values()):
                mclient = mpool.clients.get(client_id)
                if mclient is not None:
                    return _pool_view(mpool), _client_view(str(mpool.id), mclient)
        raise WireError("ResourceNotFoundException", "User pool client does not exist.")

    def client_of(self, pool: PoolView, client_id: str) -> ClientView:
        """The app client ``client_id`` of ``pool``; ``ResourceNotFoundException`` otherwise."""
        mpool = self._pool(pool.id)
        mclient = mpool.clients.get(client_id)
        if mclient is None:
            raise WireError(
                "ResourceNotFoundException", f"User pool client {client_id} does not exist."
            )
        return _client_view(pool.id, mclient)

    def client_ids(self, pool: PoolView) -> list[str]:
        """The ids of ``pool``'s app clients."""
        mpool = self._pool(pool.id)
        return [str(client_id) for client_id in mpool.clients]

    def find_user(self, pool: PoolView, username: str) -> UserView | None:
        """The user called ``username`` (or with that alias attribute), or ``None``."""
        if not username:
            return None
        mpool = self._pool(pool.id)
        muser = mpool._get_user(username)
        return None if muser is None else _user_view(muser)

    def user(self, pool: PoolView, username: str) -> UserView:
        """The user, or ``UserNotFoundException: User does not exist.``."""
        found = self.find_user(pool, username)
        if found is None:
            raise WireError("UserNotFoundException", "User does not exist.")
        return found

    @staticmethod
    def attribute(user: UserView, name: str) -> str | None:
        """The value of one user attribute, e.g. ``phone_number``."""
        return user.attributes.get(name) or None

    def set_attributes(self, pool: PoolView, user: UserView, **values: str) -> None:
        """Set user attributes, e.g. ``phone_number_verified="true"``."""
        muser = self._user(pool, user)
        muser.update_attributes([{"Name": k, "Value": v} for k, v in values.items()])

    def add_users(self, pool: PoolView, users: Iterable[tuple[str, dict[str, str]]]) -> int:
        """Create users straight in moto's backend (no request, no password); return how many.

        For benchmarks that need pools of thousands of users, where creating them through the
        API at Cognito's quotas would take minutes. ``users`` yields ``(username, attributes)``.
        """
        mbackend = self._backend(pool.region)
        added = 0
        for username, attributes in users:
            listed = [{"Name": name, "Value": value} for name, value in attributes.items()]
            mbackend.admin_create_user(pool.id, username, "SUPPRESS", None, listed)
            added += 1
        return added

    def delete_user(self, pool: PoolView, user: UserView) -> None:
        """Delete ``user`` from ``pool`` after revoking every token issued to them."""
        self.revoke_user_tokens(pool, user.username)
        mbackend = self._backend(pool.region)
        mbackend.admin_delete_user(pool.id, user.username)

    # -- sign-in -----------------------------------------------------------------------------

    def check_password(self, pool: PoolView, user: UserView, password: str) -> None:
        """Raise Cognito's answer for a wrong password, a disabled or unconfirmed user."""
        muser = self._user(pool, user)
        if not muser.enabled:
            raise not_authorized("User is disabled.")
        if muser.password != password:
            raise not_authorized(WRONG_PASSWORD)
        if user.status == cognito_models.UserStatus.UNCONFIRMED.value:
            raise WireError("UserNotConfirmedException", "User is not confirmed.")

    def password_of(self, pool: PoolView, user: UserView) -> str:
        """The stored password, for the SRP verifier (Cognito keeps a verifier; moto the text)."""
        muser = self._user(pool, user)
        return str(muser.password)

    @staticmethod
    def must_change_password(user: UserView) -> bool:
        """True for an admin-created user still on a temporary password."""
        return user.status == cognito_models.UserStatus.FORCE_CHANGE_PASSWORD.value

    def check_password_policy(self, pool: PoolView, password: str) -> None:
        """``InvalidPasswordException`` unless ``password`` meets the pool's policy."""
        mbackend = self._backend(pool.region)
        mbackend._validate_password(pool.id, password)

    def set_new_password(self, pool: PoolView, user: UserView, password: str) -> None:
        """Store a new permanent password (pool password policy applies) and confirm the user."""
        self.check_password_policy(pool, password)
        muser = self._user(pool, user)
        muser.password = password
        muser.status = cognito_models.UserStatus.CONFIRMED

    def check_secret_hash(self, client: ClientView, username: str, secret_hash: object) -> None:
        """Enforce ``SECRET_HASH`` for app clients that have a secret."""
        if not client.has_secret:
            return
        mclient = self._client(client)
        if not isinstance(secret_hash, str) or not cognito_utils.check_secret_hash(
            mclient.secret, client.id, username, secret_hash
        ):
            raise not_authorized(
                f"Client {client.id} is configured with secret but SECRET_HASH was not received"
                if not secret_hash
                else "Unable to verify secret hash for client " + client.id
            )

    def issue_tokens(self, pool: PoolView, client: ClientView, username: str) -> dict[str, Any]:
        """A successful sign-in: moto's ``AuthenticationResult`` for this user and client."""
        mbackend = self._backend(pool.region)
        mclient = self._client(client)
        result: dict[str, Any] = mbackend._log_user_in(self._pool(pool.id), mclient, username)
        issued = result["AuthenticationResult"]
        self._expire(pool, issued, _refresh_seconds(mclient))
        return result

    def _expire(
        self, pool: PoolView, issued: dict[str, Any], refresh_seconds: float | None = None
    ) -> None:
        """Remember when the tokens just issued are dropped, and drop those whose time came."""
        now = time.time()
        kept = float(issued.get("ExpiresIn", 3600)) + EXPIRED_KEPT_SECONDS
        entries = [(now + kept, pool.id, "access_tokens", issued["AccessToken"])]
        if "IdToken" in issued:
            entries.append((now + kept, pool.id, "id_tokens", issued["IdToken"]))
        if "RefreshToken" in issued and refresh_seconds is not None:
            entries.append(
                (now + refresh_seconds, pool.id, "refresh_tokens", issued["RefreshToken"])
            )
        with self._expiries_lock:
            for entry in entries:
                heapq.heappush(self._expiries, entry)
        self.sweep_tokens(now)

    def sweep_tokens(self, now: float | None = None) -> int:
        """Drop every token whose time came (see the module's docstring); how many went."""
        now = time.time() if now is None else now
        dropped = 0
        while True:
            with self._expiries_lock:
                if not self._expiries or self._expiries[0][0] > now:
                    return dropped
                _, pool_id, kind, token = heapq.heappop(self._expiries)
            try:
                mpool = self._pool(pool_id)
            except WireError:  # the pool is gone, and its tokens with it
                continue
            if getattr(mpool, kind).pop(token, None) is not None:
                dropped += 1

    def token_count(self) -> int:
        """How many access, ID and refresh tokens moto holds for this account (memory checks)."""
        return sum(
            len(tokens)
            for mbackend in self._backends()
            for mpool in _pools_of(mbackend)
            for tokens in (mpool.access_tokens, mpool.id_tokens, mpool.refresh_tokens)
        )

    # -- tokens ------------------------------------------------------------------------------

    def access_token_owner(self, pool: PoolView, token: str) -> tuple[str, str] | None:
        """``(client_id, username)`` of a live access token of ``pool``, else ``None``."""
        mpool = self._pool(pool.id)
        owner = mpool.access_tokens.get(token)
        return (str(owner[0]), str(owner[1])) if owner else None

    def refresh_token_owner(self, pool: PoolView, token: str) -> tuple[str, str] | None:
        """``(client_id, username)`` of a live refresh token of ``pool``, else ``None``."""
        mpool = self._pool(pool.id)
        owner = mpool.refresh_tokens.get(token)
        return (str(owner[0]), str(owner[1])) if owner else None

    def refresh_tokens(self, pool: PoolView, token: str) -> dict[str, Any]:
        """New access and ID tokens from a live refresh token (Cognito's REFRESH_TOKEN_AUTH)."""
        mpool = self._pool(pool.id)
        access, id_token, expires_in = mpool.create_tokens_from_refresh_token(token)
        issued = {
            "AccessToken": access,
            "IdToken": id_token,
            "ExpiresIn": expires_in,
            "TokenType": "Bearer",
        }
        self._expire(pool, issued)
        return {"ChallengeParameters": {}, "AuthenticationResult": issued}

    def revoke_user_tokens(self, pool: PoolView, username: str) -> None:
        """Forget every access, ID and refresh token issued to ``username`` in ``pool``."""
        mpool = self._pool(pool.id)
        for tokens in (mpool.access_tokens, mpool.id_tokens, mpool.refresh_tokens):
            for token, owner in list(tokens.items()):
                if owner is None or owner[1] == username:
                    tokens.pop(token, None)

    def mint_access_token(
        self,
        pool: PoolView,
        client_id: str,
        username: str,
        expires_in: int = 3600,
        scope: str | None = ADMIN_SCOPE,
    ) -> str:
        """Sign an access token like moto's, with any lifetime and scope, and register it."""
        mpool = self._pool(pool.id)
        extra: dict[str, Any] = {"origin_jti": str(uuid.uuid4())}
        if scope is not None:
            extra["scope"] = scope
        token, _ = mpool.create_jwt(
            client_id, username, "access", expires_in=expires_in, extra_data=extra
        )
        mpool.access_tokens[token] = (client_id, username)
        self._expire(pool, {"AccessToken": token, "ExpiresIn": expires_in})
        return str(token)

    # -- pool configuration ------------------------------------------------------------------

    def _extended(self, pool: PoolView) -> dict[str, Any]:
        mpool = self._pool(pool.id)
        config: dict[str, Any] = mpool.extended_config or {}
        return config

    def tier(self, pool: PoolView) -> Tier:
        """The pool's feature plan; ESSENTIALS (Cognito's default for new pools) when unset."""
        return Tier(self._extended(pool).get("UserPoolTier") or Tier.ESSENTIALS.value)

    def recovery_mechanisms(self, pool: PoolView) -> list[str]:
        """The account-recovery mechanism names by priority; ``["admin_only"]`` when unset."""
        setting = self._extended(pool).get("AccountRecoverySetting") or {}
        mechanisms = sorted(
            setting.get("RecoveryMechanisms") or [], key=lambda m: m.get("Priority", 99)
        )
        return [str(m["Name"]) for m in mechanisms] or [Recovery.ADMIN_ONLY.value]

    def recovery(self, pool: PoolView) -> Recovery:
        """The priority-1 account-recovery mechanism; ADMIN_ONLY when none is configured."""
        return Recovery(self.recovery_mechanisms(pool)[0])

    def recovery_is_email_only(self, pool: PoolView) -> bool:
        """True when ``verified_email`` is the only account-recovery mechanism."""
        return self.recovery_mechanisms(pool) == [Recovery.EMAIL.value]

    def setting(self, pool: PoolView, name: str) -> dict[str, Any] | None:
        """A copy of one of the pool's settings, e.g. ``"Policies"`` (``None`` when unset)."""
        value = self._extended(pool).get(name)
        return copy.deepcopy(value) if isinstance(value, dict) else None

    def device_remembering(self, pool: PoolView) -> bool:
        """True when the pool has a ``DeviceConfiguration``."""
        return bool(self._extended(pool).get("DeviceConfiguration"))

    def stored_mfa_blocks(self, pool: PoolView) -> dict[str, Any]:
        """The MFA blocks moto stores for ``pool`` (only those that are set)."""
        mpool = self._pool(pool.id)
        document: dict[str, Any] = {"MfaConfiguration": mpool.mfa_config or "OFF"}
        if mpool.sms_mfa_config:
            document["SmsMfaConfiguration"] = dict(mpool.sms_mfa_config)
        if mpool.token_mfa_config is not None:
            document["SoftwareTokenMfaConfiguration"] = dict(mpool.token_mfa_config)
        return document

    def set_mfa_config(
        self,
        pool: PoolView,
        sms: dict[str, Any] | None,
        token: dict[str, Any] | None,
        mode: str,
    ) -> None:
        """Store the SMS and software-token blocks and the MFA mode (moto's semantics)."""
        mbackend = self._backend(pool.region)
        mbackend.set_user_pool_mfa_config(pool.id, sms, token, mode)
