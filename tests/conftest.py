"""Fixtures shared by every test layer.

Fixtures
--------
closed_port
    A loopback port nothing listens on (connections are refused at once).
"""

from __future__ import annotations

import socket

import pytest


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on (connections are refused at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port
