"""The :class:`Sandbox`: moto's Cognito plus the fidelity layer, served on 127.0.0.1.

moto is imported by :meth:`Sandbox.start`, not before. Each sandbox owns one moto account id:
the first sandbox in a process uses moto's default account (``123456789012``), any sandbox
started while another is running gets a fresh random account id, and :meth:`Sandbox.stop`
deletes the account's Cognito data. moto's backends are process-global, so this is what keeps two
sandboxes (or a sandbox and a later one) from seeing each other's pools. ``MOTO_ACCOUNT_ID`` in
the environment overrides moto's account choice for every request, so it is honoured as the
sandbox's account id too (and then sandboxes in one process share data).
"""

from __future__ import annotations

import os
import secrets
import threading
import time
import weakref
from collections.abc import Iterable
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any

from mfa_widgets.core.errors import InvalidArgumentError, MfaWidgetsError
from mfa_widgets.core.extras import require_extra
from mfa_widgets.core.validation import need_count, need_region, shown
from mfa_widgets.sandbox.authenticator import authenticator_code
from mfa_widgets.sandbox.faults import Faults
from mfa_widgets.sandbox.helper_errors import need_helper_text, need_pool_id, toolkit_errors
from mfa_widgets.sandbox.provision import (
    DemoSetup,
    SandboxPool,
    SandboxUser,
    create_pool,
    create_user,
    provision_demo,
    sign_in,
)
from mfa_widgets.sandbox.serving import quiet_server, serve_in_background, stop_serving
from mfa_widgets.sandbox.store.outbox import Delivery, Outbox
from mfa_widgets.sandbox.store.state import SandboxState

if TYPE_CHECKING:
    from mfa_widgets.core.preferences import Factor
    from mfa_widgets.sandbox.bridge.moto_bridge import MotoBridge

__all__ = ["Sandbox"]

_ADMIN_SCOPE = "aws.cognito.signin.user.admin"
_live_accounts: set[str] = set()
_instances: weakref.WeakSet[Sandbox] = weakref.WeakSet()
_accounts_lock = threading.Lock()

PoolRef = "SandboxPool | str"


class Sandbox:
    """A local Amazon Cognito user-pool service for MFA, on ``http://127.0.0.1:<port>``.

    Parameters
    ----------
    port
        TCP port; 0 picks a free one.
    region
        The region clients use (and where :meth:`create_pool` creates pools).
    account_id
        The moto account to use; by default see the module notes on isolation.
    cors_origins
        Browser origins allowed to call the sandbox (CORS), e.g. ``["http://localhost:8888"]``;
        none by default, so no web page can drive it.

    Examples
    --------
    >>> with Sandbox() as sandbox:                       # doctest: +SKIP
    ...     pool = sandbox.create_pool(mfa="OPTIONAL")
    ...     user = sandbox.create_user(pool, "alice", phone="+15555550100")
    ...     tokens = sandbox.sign_in(pool, "alice", user.password)
    """

    def __init__(
        self,
        port: int = 0,
        region: str = "us-east-1",
        account_id: str | None = None,
        cors_origins: Iterable[str] = (),
    ) -> None:
        need_count(port, "port", minimum=0, maximum=65535)
        self.region = need_region(region)
        self.cors_origins = _origins(cors_origins)
        if account_id is not None and not (
            isinstance(account_id, str) and len(account_id) == 12 and account_id.isdigit()
        ):
            raise InvalidArgumentError(
                f"account_id {shown(account_id)} is not an AWS account id: pass 12 digits, "
                "e.g. '123456789012', or None for the sandbox's own"
            )
        self.state = SandboxState()
        self.outbox = Outbox(clock=self.state.clock)
        self.faults = Faults()
        self._requested_port = port
        self._requested_account = account_id
        self._account_id: str | None = None
        self._bridge: MotoBridge | None = None
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self._clients: dict[int | tuple[str, int | None] | None, Any] = {}
        self._retired_secrets: list[str] = []
        _instances.add(self)

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> Sandbox:
        """Import moto, start serving, and warm moto up so the first call is fast."""
        if self._server is not None:
            return self
        require_extra("sandbox", "the local Cognito sandbox")
        from mfa_widgets.sandbox.bridge.moto_bridge import (
            DEFAULT_ACCOUNT_ID,
            MotoBridge,
            moto_wsgi_app,
            share_pool_signing_key,
        )
        from mfa_widgets.sandbox.cognito.app import FidelityApp
        from mfa_widgets.sandbox.cors import CorsPolicy

        share_pool_signing_key()
        self._account_id = self._claim_account(DEFAULT_ACCOUNT_ID)
        self._bridge = MotoBridge(self._account_id)
        moto_app = moto_wsgi_app()
        self._bridge.warm(self.region)  # this region's backend now, not on the first call
        app = FidelityApp(
            moto_app,
            self._bridge,
            self.state,
            self.outbox,
            self.faults,
            self.region,
            CorsPolicy(self.cors_origins),
            loopback_only=True,  # it listens on 127.0.0.1 only
        )

        try:
            self._server = quiet_server(app, "127.0.0.1", self._requested_port)
        except MfaWidgetsError:
            with _accounts_lock:
                _live_accounts.discard(self._account_id or "")
            raise
        self._thread = serve_in_background(self._server, "sandbox")
        return self

    def stop(self) -> None:
        """Stop serving and delete this sandbox's Cognito data from moto."""
        if self._server is None:
            return
        stop_serving(self._server, self._thread)
        self._retired_secrets = self.issued_secrets()
        self._server, self._thread = None, None
        self._clients.clear()
        if self._bridge is not None:
            self._bridge.drop_account()
        account = self._account_id or ""
        with _accounts_lock:
            _live_accounts.discard(account)

    def _claim_account(self, default: str) -> str:
        with _accounts_lock:
            account = self._requested_account or os.environ.get("MOTO_ACCOUNT_ID")
            if account is None:
                account = default
                while account in _live_accounts:
                    account = f"{secrets.randbelow(9 * 10**11) + 10**11}"
            _live_accounts.add(account)
            return account

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        where = self.endpoint_url if self.running else "stopped"
        return f"Sandbox({where}, region={self.region!r})"

    # -- where it is ---------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """True between :meth:`start` and :meth:`stop`."""
        return self._server is not None

    @property
    def port(self) -> int:
        """The TCP port served on."""
        return int(self._running_server().server_port)

    @property
    def endpoint_url(self) -> str:
        """``http://127.0.0.1:<port>``: pass as boto3 ``endpoint_url`` or the AWS CLI's."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def wsgi_app(self) -> Any:
        """The WSGI application served (for in-process load tests; clients use the URL)."""
        return self._running_server().app

    @property
    def account_id(self) -> str:
        """The moto account id holding this sandbox's data."""
        self._running_server()
        return self._account_id or ""

    @property
    def bridge(self) -> MotoBridge:
        """Access to moto's backend for this sandbox's account (for the sandbox's own helpers)."""
        self._running_server()
        assert self._bridge is not None
        return self._bridge

    def _running_server(self) -> Any:
        if self._server is None:
            raise RuntimeError("the sandbox is not running: call start() or use `with Sandbox()`")
        return self._server

    def environment(self) -> dict[str, str]:
        """Environment variables pointing the AWS CLI and SDKs at this sandbox.

        The endpoint variable is named after the service id, "Cognito Identity Provider" (the
        SDKs ignore ``AWS_ENDPOINT_URL_COGNITO_IDP``, and would call real Cognito instead).
        """
        return {
            "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER": self.endpoint_url,
            "AWS_REGION": self.region,
            "AWS_DEFAULT_REGION": self.region,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
        }

    def in_process_client(self, max_attempts: int | None = 1) -> Any:
        """A boto3 ``cognito-idp`` client whose calls this sandbox answers in-process (no socket).

        The same client as :meth:`client` (botocore serialises, signs and parses every call),
        but each request goes to the sandbox's WSGI app directly instead of over HTTP: for tests
        and notebooks whose subject is not the wire. Cached per ``max_attempts``.
        """
        key = ("in-process", max_attempts)
        if key not in self._clients:
            from mfa_widgets.sandbox.in_process import answer_in_process

            made = self._new_client(max_attempts)
            self._clients[key] = answer_in_process(made, self.wsgi_app)
        return self._clients[key]

    def client(self, max_attempts: int | None = 1) -> Any:
        """A boto3 ``cognito-idp`` client for this sandbox (dummy credentials).

        Parameters
        ----------
        max_attempts
            Total attempts per call (botocore ``total_max_attempts``, standard retry mode); 1
            (no retries) by default so an error shows at once. ``None`` keeps botocore's default
            retry policy. Clients are cached per ``max_attempts``.
        """
        if max_attempts not in self._clients:
            self._clients[max_attempts] = self._new_client(max_attempts)
        return self._clients[max_attempts]

    def _new_client(self, max_attempts: int | None) -> Any:
        from botocore.config import Config

        from mfa_widgets.aws_clients import cognito_client

        # 64 connections, as MfaClient keeps: paced audits and sweeps run more threads than
        # botocore's default pool of 10, which would drop and reopen connections.
        config = Config(max_pool_connections=64)
        if max_attempts:
            config = config.merge(
                Config(retries={"total_max_attempts": max_attempts, "mode": "standard"})
            )
        return cognito_client(
            region=self.region,
            endpoint_url=self.endpoint_url,
            config=config,
            credentials=("testing", "testing"),
        )

    # -- provisioning ----------------------------------------------------------------------

    def create_pool(
        self,
        name: str = "demo",
        mfa: str = "OPTIONAL",
        factors: tuple[str | Factor, ...] | list[str | Factor] = ("SMS", "TOTP", "EMAIL"),
        tier: str = "ESSENTIALS",
        recovery: str = "admin_only",
    ) -> SandboxPool:
        """Create a pool with MFA ``mfa`` offering ``factors``, and a password-flow app client."""
        return create_pool(self, name, mfa, factors, tier, recovery)

    def create_user(
        self,
        pool: SandboxPool,
        username: str,
        password: str | None = None,
        phone: str | None = None,
        email: str | None = None,
        totp: bool = False,
    ) -> SandboxUser:
        """Create a confirmed user; ``totp=True`` registers a verified authenticator."""
        return create_user(self, pool, username, password, phone, email, totp)

    def sign_in(
        self,
        pool: SandboxPool,
        username: str,
        password: str,
        choose: str | Factor | None = None,
    ) -> dict[str, Any]:
        """Sign in, answering any MFA challenge; returns ``AuthenticationResult`` (tokens)."""
        return sign_in(self, pool, username, password, choose)

    def provision_demo(self) -> DemoSetup:
        """Create the demo pool and the users ``alice``, ``bob`` and ``carol``."""
        return provision_demo(self)

    # -- inspection for tests and demos --------------------------------------------------------

    def issue_token(
        self,
        pool: SandboxPool | str,
        username: str,
        expires_in: int = 3600,
        scope: str | None = _ADMIN_SCOPE,
    ) -> str:
        """Mint an access token for ``username`` (e.g. ``expires_in=-60`` or ``scope=None``).

        The token is registered like one from a sign-in, so only its lifetime and scope differ.
        """
        need_helper_text(username, "username")
        with toolkit_errors("AdminGetUser"):
            view = self.bridge.pool(_pool_id(pool))
            user = self.bridge.user(view, username)
        if isinstance(pool, SandboxPool):
            client_id = pool.client_id
        else:
            client_id = next(iter(self.bridge.client_ids(view)), "sandbox")
        return self.bridge.mint_access_token(view, client_id, user.username, expires_in, scope)

    def latest_delivery(
        self, username: str, channel: str | None = None, pool: SandboxPool | str | None = None
    ) -> Delivery:
        """The newest outbox record for ``username`` (``LookupError`` when there is none)."""
        return self.outbox.latest(username, channel, _pool_id(pool) if pool else None)

    def latest_code(
        self, username: str, channel: str | None = None, pool: SandboxPool | str | None = None
    ) -> str:
        """The newest SMS/email code delivered to ``username`` (``LookupError`` if none)."""
        return self.latest_delivery(username, channel, pool).code

    def totp_code(
        self, pool: SandboxPool | str, username: str, at: datetime | float | None = None
    ) -> str:
        """A code of the user's registered (else pending) authenticator the sandbox accepts.

        The code of the time step at ``at`` (default now) or, when the user already used that
        step's code, of the next step (still inside Cognito's one-step tolerance).

        Raises
        ------
        LookupError
            When the user never called AssociateSoftwareToken.
        """
        need_helper_text(username, "username")
        moment = at.timestamp() if isinstance(at, datetime) else at
        with toolkit_errors("AssociateSoftwareToken"):
            return authenticator_code(
                self.bridge,
                self.state,
                _pool_id(pool),
                username,
                time.time() if moment is None else moment,
                " (or create the user with totp=True)",
            )

    def issued_secrets(self) -> list[str]:
        """Every secret this sandbox knows: tokens, passwords, TOTP secrets, codes, sessions.

        For leak scans: a test gathers these after a session and searches every saved output
        (notebooks with widget state, logs, exports) for them.
        """
        found = [*self._retired_secrets, *self.state.secrets()]
        found.extend(delivery.code for delivery in self.outbox)
        if self.running:
            found.extend(self.bridge.issued_secrets())
        return sorted(set(found))

    @staticmethod
    def instances() -> list[Sandbox]:
        """Every sandbox created in this process and still referenced (running or stopped)."""
        return list(_instances)

    def age_sessions(self, seconds: float) -> None:
        """Make every open challenge session ``seconds`` older (to test expiry)."""
        self.state.age_sessions(seconds)


def _origins(cors_origins: Iterable[str]) -> tuple[str, ...]:
    """``cors_origins`` as a tuple of origins, or :class:`InvalidArgumentError` saying why not."""
    origins = () if isinstance(cors_origins, str) else tuple(cors_origins or ())
    if isinstance(cors_origins, str) or not all(isinstance(o, str) and o for o in origins):
        raise InvalidArgumentError(
            f"cors_origins {shown(cors_origins)} is not a list of origins: pass e.g. "
            "['http://localhost:8888'] (or '*' inside a list to allow any page, on purpose only)"
        )
    return origins


def _pool_id(pool: SandboxPool | str) -> str:
    return need_pool_id(pool)
