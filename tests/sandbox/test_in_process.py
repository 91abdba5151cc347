"""``Sandbox.in_process_client``: the same answers as over HTTP, and no socket opened."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from botocore.exceptions import ClientError

from mfa_widgets import MfaClient, MfaPreference
from mfa_widgets.sandbox import Sandbox

pytestmark = pytest.mark.wire  # in-process answers compared with the wire's


def _refuse_sockets(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("an in-process call opened a socket")

    monkeypatch.setattr(socket, "create_connection", refused)
    monkeypatch.setattr(socket.socket, "connect", refused)


def test_in_process_answers_are_the_wire_answers_without_a_socket(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    pool = sandbox.create_pool(name="in-process")
    user = sandbox.create_user(pool, "ines", phone="+15555550111", email="i@example.com")
    over_http = sandbox.client().admin_get_user(UserPoolId=pool.pool_id, Username="ines")
    _refuse_sockets(monkeypatch)
    raw = sandbox.in_process_client()
    assert raw is sandbox.in_process_client()  # cached
    here = raw.admin_get_user(UserPoolId=pool.pool_id, Username="ines")
    for answer in (over_http, here):
        answer.pop("ResponseMetadata")
    assert here == over_http  # parsed by botocore alike (dates as datetimes)
    with pytest.raises(ClientError) as refused:
        raw.admin_get_user(UserPoolId=pool.pool_id, Username="nobody")
    assert refused.value.response["Error"]["Code"] == "UserNotFoundException"
    client = MfaClient.for_sandbox(sandbox, in_process=True)
    written = client.admin_set_preference(pool.pool_id, "ines", MfaPreference(sms="preferred"))
    assert written.ok, written.error
    step = client.sign_in(pool.client_id, "ines", user.password)
    assert step.challenge == "SMS_MFA"
    assert step.answer(sandbox.latest_code("ines", "SMS", pool)).signed_in
