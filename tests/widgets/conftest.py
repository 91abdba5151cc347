"""Fixtures for the widget tests: a real sandbox over HTTP on 127.0.0.1, one fresh user per test.

Widgets run in bare pytest (ipywidgets 8 with the ``comm`` package needs no front end). Clicks are
simulated by setting widget values or calling ``Button.click()``, as the browser would.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

from mfa_widgets.sandbox import Sandbox, SandboxPool
from mfa_widgets.services.client import MfaClient
from mfa_widgets.services.log import MfaLog
from mfa_widgets.widgets._common import iter_widgets
from mfa_widgets.widgets.connection import AdminTarget, TokenTarget

if TYPE_CHECKING:
    from mfa_widgets.widgets.dashboard import Dashboard

_names = itertools.count()


@pytest.fixture(scope="session")
def pool(sandbox: Sandbox) -> SandboxPool:
    """OPTIONAL MFA offering SMS, TOTP and email (ESSENTIALS tier)."""
    return sandbox.create_pool(name="widgets", mfa="OPTIONAL")


@dataclass
class User:
    """A fresh sandbox user with a client, its log, and a valid access token."""

    sandbox: Sandbox
    pool: SandboxPool
    username: str
    client: MfaClient
    log: MfaLog
    token: str

    def token_target(self) -> TokenTarget:
        return TokenTarget(self.client, self.token)

    def admin_target(self) -> AdminTarget:
        return AdminTarget(self.client, self.pool.pool_id, self.username)

    def server_state(self) -> Any:
        """The preference as the server has it now (read outside the panel under test)."""
        return self.client.admin_get_preference(self.pool.pool_id, self.username).state


def make_user(sandbox: Sandbox, pool: SandboxPool, *, totp: bool = False) -> User:
    username = f"user{next(_names)}"
    sandbox.create_user(
        pool, username, phone="+15555550100", email=f"{username}@example.com", totp=totp
    )
    log = MfaLog()
    return User(
        sandbox=sandbox,
        pool=pool,
        username=username,
        client=MfaClient.for_sandbox(sandbox, log=log, in_process=True),  # not a wire test
        log=log,
        token=sandbox.issue_token(pool, username),
    )


def choice_enabled_pool(sandbox: Sandbox, name: str) -> SandboxPool:
    """MFA optional; the password, an email code and a passkey as first factors (``USER_AUTH``)."""
    from tests.service.shapes import enable_choice_sign_in

    pool = sandbox.create_pool(name=name, mfa="OPTIONAL")
    enable_choice_sign_in(sandbox.client(), pool, ["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"])
    return pool


@pytest.fixture
def user(sandbox: Sandbox, pool: SandboxPool) -> User:
    """A user with a phone and an email, no MFA and no authenticator."""
    return make_user(sandbox, pool)


@pytest.fixture(scope="session")
def reader(sandbox: Sandbox, pool: SandboxPool) -> User:
    """One user shared by tests that only read from the server (e.g. click-order properties)."""
    return make_user(sandbox, pool)


@pytest.fixture
def totp_user(sandbox: Sandbox, pool: SandboxPool) -> User:
    """A user with a phone, an email and a registered authenticator app."""
    return make_user(sandbox, pool, totp=True)


@pytest.fixture
def synced_state() -> Callable[[Any], str]:
    """Everything a front end (and so a saved notebook) can hold for a widget tree, as text."""

    def dump(root: Any) -> str:
        return json.dumps([w.get_state() for w in iter_widgets(root)], default=repr)

    return dump


@pytest.fixture
def dashboard(sandbox: Sandbox) -> Iterator[Dashboard]:
    """The demo dashboard on the session's sandbox (closed after the test)."""
    from mfa_widgets.widgets.dashboard import demo

    board = demo(sandbox, log=MfaLog())
    yield board
    board.close()
