"""Fixtures shared by every test layer.

Fixtures
--------
closed_port
    A loopback port nothing listens on (connections are refused at once).
sandbox
    One embedded Cognito sandbox for the whole session on 127.0.0.1 (started on first use, so the
    pure unit tests never pay for moto).
cognito
    The sandbox's boto3 ``cognito-idp`` client (no retries), answered in-process: no socket.
wire_cognito
    The same client over HTTP on 127.0.0.1, for wire tests only (marked ``wire``).
make_pool
    ``make_pool(mfa="OPTIONAL", factors=("SMS", "TOTP", "EMAIL"), tier="ESSENTIALS",
    recovery="admin_only") -> SandboxPool``: a fresh pool and app client.
pool
    A fresh OPTIONAL pool offering SMS, TOTP and email (ESSENTIALS).
make_user
    ``make_user(pool, username=None, phone=..., email=..., totp=False) -> SandboxUser``; the
    username defaults to a unique name.
signed_in
    ``signed_in(pool, user) -> access token`` of a completed sign-in.
error_of
    ``error_of(client.operation, **kwargs) -> (code, message)`` of a call that must fail.
log
    A fresh, empty ``MfaLog``.
client
    An ``MfaClient`` on the sandbox that logs to ``log``, answered in-process.
make_client
    ``make_client(log=None) -> MfaClient``: another in-process client (for tests needing several).
wire_client
    ``client`` over HTTP on 127.0.0.1, for wire tests only.

Transports
----------
A test talks to the sandbox in-process (botocore's ``before-send``, no socket: see
``mfa_widgets/sandbox/in_process.py``) unless HTTP is its subject. A wire test (the serving
shell, the Host check, CORS, the HTTP framing, start and stop, ports, proxies, faults that drop or
stall a connection, other processes calling the sandbox) carries the ``wire`` mark and asks for
``wire_cognito`` / ``wire_client`` (or calls ``sandbox.client()`` / ``sandbox.endpoint_url``
itself). The wire fixtures refuse an unmarked test, so the choice is visible on every wire test.
"""

from __future__ import annotations

import itertools
import socket
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from mfa_widgets import MfaClient, MfaLog
    from mfa_widgets.sandbox import Sandbox, SandboxPool, SandboxUser


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on (connections are refused at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    """The session's sandbox on 127.0.0.1 (moto is imported here, on first use)."""
    from mfa_widgets.sandbox import Sandbox

    with Sandbox() as running:
        yield running


_names = itertools.count(1)


def _need_wire_mark(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("wire") is None:
        pytest.fail(
            f"{request.fixturename} is for wire tests: mark the test `@pytest.mark.wire` "
            "(HTTP is its subject) or use the in-process fixture without the `wire_` prefix"
        )


@pytest.fixture
def cognito(sandbox: Sandbox) -> Any:
    """The sandbox's boto3 client, answered in-process (not a wire test)."""
    return sandbox.in_process_client()


@pytest.fixture
def wire_cognito(sandbox: Sandbox, request: pytest.FixtureRequest) -> Any:
    """The sandbox's boto3 client over HTTP on 127.0.0.1 (wire tests only)."""
    _need_wire_mark(request)
    return sandbox.client()


@pytest.fixture
def make_pool(sandbox: Sandbox) -> Callable[..., SandboxPool]:
    def make(**options: Any) -> SandboxPool:
        return sandbox.create_pool(name=f"test-pool-{next(_names)}", **options)

    return make


@pytest.fixture
def pool(make_pool: Callable[..., SandboxPool]) -> SandboxPool:
    return make_pool()


@pytest.fixture
def make_user(sandbox: Sandbox) -> Callable[..., SandboxUser]:
    def make(
        pool: SandboxPool,
        username: str | None = None,
        phone: str | None = "+15555550123",
        email: str | None = "user@example.com",
        totp: bool = False,
    ) -> SandboxUser:
        name = username or f"user{next(_names)}"
        return sandbox.create_user(pool, name, phone=phone, email=email, totp=totp)

    return make


@pytest.fixture
def signed_in(sandbox: Sandbox) -> Callable[[SandboxPool, SandboxUser], str]:
    def sign_in(pool: SandboxPool, user: SandboxUser) -> str:
        token: str = sandbox.sign_in(pool, user.username, user.password)["AccessToken"]
        return token

    return sign_in


def _error_of(call: Callable[..., Any], **kwargs: Any) -> tuple[str, str]:
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    error = caught.value.response["Error"]
    return error["Code"], error["Message"]


@pytest.fixture
def error_of() -> Callable[..., tuple[str, str]]:
    """``error_of(client.op, **kwargs) -> (Error.Code, Error.Message)`` of a call that must fail."""
    return _error_of


@pytest.fixture
def log() -> MfaLog:
    """A fresh, empty log."""
    from mfa_widgets import MfaLog

    return MfaLog()


@pytest.fixture
def make_client(sandbox: Sandbox) -> Callable[..., MfaClient]:
    """``make_client(log=None)``: an ``MfaClient`` on the session's sandbox, in-process."""
    from mfa_widgets import MfaClient

    def make(log: MfaLog | None = None) -> MfaClient:
        return MfaClient.for_sandbox(sandbox, log=log, in_process=True)

    return make


@pytest.fixture
def client(make_client: Callable[..., MfaClient], log: MfaLog) -> MfaClient:
    """A client on the session's sandbox that logs to ``log``, in-process."""
    return make_client(log)


@pytest.fixture
def wire_client(sandbox: Sandbox, log: MfaLog, request: pytest.FixtureRequest) -> MfaClient:
    """``client`` over HTTP on 127.0.0.1 (wire tests only)."""
    from mfa_widgets import MfaClient

    _need_wire_mark(request)
    return MfaClient.for_sandbox(sandbox, log=log)
