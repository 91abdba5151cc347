"""Fixtures shared by every test layer.

Fixtures
--------
closed_port
    A loopback port nothing listens on (connections are refused at once).
sandbox
    One embedded Cognito sandbox for the whole session (started on first use, so the pure unit
    tests never pay for moto).
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from mfa_widgets.sandbox import Sandbox


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
