"""Fixtures for the hardening tests: one sandbox for the folder, faults cleared after each test.

The shared fixtures (``sandbox``, ``make_pool``, ``make_user``, ``signed_in``) come from
``tests/conftest.py``; ``sandbox_env`` points boto3 and the AWS CLI at the sandbox with
dummy credentials, so nothing here can reach real AWS.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mfa_widgets.sandbox import Sandbox


@pytest.fixture(autouse=True)
def no_faults_left(request: pytest.FixtureRequest) -> Iterator[None]:
    """Whatever a test armed on the shared sandbox is cleared when it ends."""
    yield
    if "sandbox" in request.fixturenames:
        request.getfixturevalue("sandbox").faults.clear()


@pytest.fixture
def sandbox_env(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    """Environment of a person using the sandbox: its endpoint, Region and dummy credentials."""
    for name, value in sandbox.environment().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/aws-config")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
