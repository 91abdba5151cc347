"""The suite's two transports (``tests/conftest.py``): in-process by default, HTTP when marked.

A test that is not about HTTP gets clients the sandbox answers in this process; the HTTP
fixtures are refused to a test without the ``wire`` mark, so every wire test says it is one.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

import pytest
from botocore.httpsession import URLLib3Session

from mfa_widgets import MfaClient


def test_the_shared_fixtures_answer_without_a_socket(
    cognito: Any,
    client: MfaClient,
    make_client: Callable[..., MfaClient],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refused(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("an in-process call went to the network")

    # botocore's one way out (a pooled keep-alive connection would open no new socket)
    monkeypatch.setattr(URLLib3Session, "send", refused)
    monkeypatch.setattr(socket.socket, "connect", refused)
    assert "UserPools" in cognito.list_user_pools(MaxResults=1)
    for made in (client, make_client()):
        listed = made.call("ListUserPools", MaxResults=1)
        assert listed.ok, listed.error


@pytest.mark.parametrize("fixture", ["wire_cognito", "wire_client"])
def test_a_wire_fixture_refuses_a_test_not_marked_wire(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    with pytest.raises(pytest.fail.Exception, match=r"mark the test `@pytest\.mark\.wire`"):
        request.getfixturevalue(fixture)


@pytest.mark.wire
def test_a_wire_test_gets_clients_of_the_served_endpoint(
    wire_cognito: Any, wire_client: MfaClient, sandbox: Any
) -> None:
    for made in (wire_cognito, wire_client._client()):
        assert made.meta.endpoint_url == sandbox.endpoint_url
    assert "UserPools" in wire_cognito.list_user_pools(MaxResults=1)
