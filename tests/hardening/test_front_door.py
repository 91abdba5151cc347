"""The sandbox's front door: signatures, the Host header, content types, odd input, body size.

* IAM-authorized operations without a SigV4 signature are refused as Cognito refuses them
  (``MissingAuthenticationTokenException``; sources in ``mfa_widgets.sandbox.cognito.signature``),
  for every such operation of the model; the ``noAuth`` ones still answer unsigned; every client
  the toolkit makes still signs.
* A request whose ``Host`` is not a loopback name is refused (DNS rebinding).
* Every content type gets a Cognito answer, never a 500.
* Pagination tokens the sandbox did not hand out and a ``WEB_AUTHN`` ``CREDENTIAL`` that is not
  JSON are 400s, never 500s.
* A body announced over ``MAX_BODY_BYTES`` is refused with 413 before it is read; one at the
  limit is read.
"""

from __future__ import annotations

import contextlib
import json
import socket
import time
from typing import Any
from urllib.parse import urlsplit

import pytest

from mfa_widgets import MfaClient
from mfa_widgets.sandbox import Sandbox, SandboxPool
from mfa_widgets.sandbox.cognito.app import HANDLERS
from mfa_widgets.sandbox.cognito.operations import Treatment, table
from mfa_widgets.sandbox.cognito.service_model import service_model
from mfa_widgets.sandbox.cognito.signature import needs_signature
from mfa_widgets.sandbox.wire import MAX_BODY_BYTES, TARGET_PREFIX
from mfa_widgets.services.passkey_authenticator import SoftwareAuthenticator
from tests.service.shapes import enable_choice_sign_in
from tests.service.test_sandbox_wire import error_code, post

pytestmark = pytest.mark.wire  # signatures, Host header, content types and body size on the wire

SERVED = [row.operation for row in table(HANDLERS) if row.treatment is not Treatment.REFUSED]
IAM_OPERATIONS = [o for o in SERVED if needs_signature(o)]
NO_AUTH_OPERATIONS = [o for o in SERVED if not needs_signature(o)]


@pytest.fixture(scope="module")
def pool(sandbox: Sandbox) -> SandboxPool:
    made = sandbox.create_pool(name="front-door", mfa="OPTIONAL")
    sandbox.create_user(made, "door", email="door@example.com")
    return made


# -- signatures ---------------------------------------------------------------------------------


def test_the_model_splits_operations_as_cognito_does() -> None:
    assert {"AdminGetUser", "ListUsers", "AdminDeleteSoftwareToken"} <= set(IAM_OPERATIONS)
    assert {"InitiateAuth", "RespondToAuthChallenge", "GetUser", "ListDevices"} <= set(
        NO_AUTH_OPERATIONS
    )
    assert len(IAM_OPERATIONS) >= 30


@pytest.mark.parametrize("operation", IAM_OPERATIONS)
def test_an_unsigned_admin_call_is_missing_authentication_token(
    sandbox: Sandbox, pool: SandboxPool, operation: str
) -> None:
    body = {"UserPoolId": pool.pool_id, "Username": "door", "ClientId": pool.client_id}
    status, _, document = post(sandbox.endpoint_url, operation, body, signed=False)
    assert (status, error_code(document)) == (400, "MissingAuthenticationTokenException")
    assert document["message"] == "Request is missing Authentication Token"


@pytest.mark.parametrize(
    "authorization",
    [
        "",
        "Bearer abc",
        "AWS4-HMAC-SHA256",  # no credential scope
        "AWS AKIDEXAMPLE:signature",  # SigV2
    ],
)
def test_something_that_is_not_a_sigv4_signature_is_refused(
    sandbox: Sandbox, pool: SandboxPool, authorization: str
) -> None:
    status, _, document = post(
        sandbox.endpoint_url,
        "AdminGetUser",
        {"UserPoolId": pool.pool_id, "Username": "door"},
        headers={"Authorization": authorization},
        signed=False,
    )
    assert error_code(document) == "MissingAuthenticationTokenException", status


def test_no_auth_operations_still_answer_unsigned(sandbox: Sandbox, pool: SandboxPool) -> None:
    token = sandbox.issue_token(pool, "door")
    status, _, document = post(
        sandbox.endpoint_url, "GetUser", {"AccessToken": token}, signed=False
    )
    assert (status, document["Username"]) == (200, "door")
    status, _, document = post(
        sandbox.endpoint_url,
        "InitiateAuth",
        {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": pool.client_id, "AuthParameters": {}},
        signed=False,
    )
    assert error_code(document) != "MissingAuthenticationTokenException"


def test_every_client_the_toolkit_makes_still_signs(sandbox: Sandbox, pool: SandboxPool) -> None:
    assert sandbox.client().admin_get_user(UserPoolId=pool.pool_id, Username="door")["Username"]
    client = MfaClient.for_sandbox(sandbox)
    assert client.admin_get_preference(pool.pool_id, "door").ok
    assert client.call("ListUsers", UserPoolId=pool.pool_id).ok


# -- the Host header ----------------------------------------------------------------------------


def _raw(sandbox: Sandbox, head: str, body: bytes = b"", read: bool = True) -> tuple[int, bytes]:
    """Send a hand-written HTTP request; (status, answer) or (0, b"") when nothing came."""
    parts = urlsplit(sandbox.endpoint_url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as connection:
        connection.sendall(head.encode("latin-1") + b"\r\n\r\n" + body)
        answer = b""
        while read and b"\r\n\r\n" not in answer:
            chunk = connection.recv(65536)
            if not chunk:
                break
            answer += chunk
        time.sleep(0.05)
        with contextlib.suppress(TimeoutError, OSError):
            answer += connection.recv(65536)
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else 0
    return status, answer


def _request(host: str, operation: str, body: bytes, content_type: str) -> str:
    return (
        f"POST / HTTP/1.1\r\nHost: {host}\r\nContent-Type: {content_type}\r\n"
        f"X-Amz-Target: {TARGET_PREFIX}{operation}\r\nContent-Length: {len(body)}\r\n"
        "Connection: close"
    )


@pytest.mark.parametrize(
    "host",
    ["evil.example", "evil.example:80", "127.0.0.1.nip.io", "10.0.0.1", "localhost.evil", ""],
)
def test_a_request_for_another_host_name_is_refused(
    sandbox: Sandbox, pool: SandboxPool, host: str
) -> None:
    token = sandbox.issue_token(pool, "door").encode()
    body = b'{"AccessToken": "' + token + b'"}'
    status, answer = _raw(
        sandbox, _request(host, "GetUser", body, "application/x-amz-json-1.1"), body
    )
    assert status == 403, answer[:200]
    assert b"ForbiddenException" in answer
    assert b"door" not in answer


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost", "LOCALHOST", "127.0.0.2", "[::1]"])
def test_loopback_host_names_are_served(sandbox: Sandbox, pool: SandboxPool, name: str) -> None:
    token = sandbox.issue_token(pool, "door").encode()
    body = b'{"AccessToken": "' + token + b'"}'
    port = urlsplit(sandbox.endpoint_url).port
    head = _request(f"{name}:{port}", "GetUser", body, "application/x-amz-json-1.1")
    status, answer = _raw(sandbox, head, body)
    assert status == 200, answer[:200]


# -- content types ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/x-www-form-urlencoded", b"UserPoolId=x&Username=door"),
        ("application/x-www-form-urlencoded", b"Action=AdminGetUser&Version=2016-04-18"),
        (
            "multipart/form-data; boundary=x",
            b"--x\r\nContent-Disposition: form-data\r\n\r\n1\r\n--x--",
        ),
        ("text/plain", b"{}"),
        ("application/json", b'{"UserPoolId": 1}'),
        ("application/xml", b"<a/>"),
        ("", b"\xff\xfe"),
        ("application/x-amz-json-1.0", b"[]"),
    ],
)
@pytest.mark.parametrize("operation", ["AdminGetUser", "GetUser", "InitiateAuth"])
def test_every_content_type_gets_an_answer_never_a_500(
    sandbox: Sandbox, content_type: str, body: bytes, operation: str
) -> None:
    status, _, document = post(
        sandbox.endpoint_url, operation, body, headers={"Content-Type": content_type}
    )
    assert 400 <= status < 500, document
    assert error_code(document) in {"SerializationException", "InvalidParameterException"}


# -- odd documents -------------------------------------------------------------------------------


@pytest.mark.parametrize("token", ["²", "٣", "abc", "-1", "1.5", "9" * 30, "", " 1"])
@pytest.mark.parametrize(
    ("operation", "member", "token_member"),
    [
        ("AdminListUserAuthEvents", "NextToken", False),
        ("ListWebAuthnCredentials", "NextToken", True),
        ("ListDevices", "PaginationToken", True),
        ("AdminListDevices", "PaginationToken", False),
    ],
)
def test_a_pagination_token_the_sandbox_did_not_issue_is_a_400(
    sandbox: Sandbox,
    pool: SandboxPool,
    token: str,
    operation: str,
    member: str,
    token_member: bool,
) -> None:
    identity: dict[str, Any] = (
        {"AccessToken": sandbox.issue_token(pool, "door")}
        if token_member
        else {"UserPoolId": pool.pool_id, "Username": "door"}
    )
    status, _, document = post(sandbox.endpoint_url, operation, {**identity, member: token})
    assert (status, error_code(document)) == (400, "InvalidParameterException"), document


def test_a_web_authn_credential_that_is_not_json_is_a_400(sandbox: Sandbox) -> None:
    pool = sandbox.create_pool(name="front-door-passkeys", mfa="OPTIONAL")
    enable_choice_sign_in(
        sandbox.client(),
        pool,
        ["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"],
        {"RelyingPartyId": "localhost", "UserVerification": "preferred"},
    )
    sandbox.create_user(pool, "pk", email="pk@example.com")
    token = sandbox.issue_token(pool, "pk")
    registered = MfaClient.for_sandbox(sandbox).register_passkey(
        token, SoftwareAuthenticator("http://localhost:8888")
    )
    assert registered.ok, registered
    cognito = sandbox.client()
    for credential in ["not json", "{", "[1]", '{"id": [1]}', "{" * 5000, "²"]:
        asked = cognito.initiate_auth(
            ClientId=pool.client_id,
            AuthFlow="USER_AUTH",
            AuthParameters={"USERNAME": "pk", "PREFERRED_CHALLENGE": "WEB_AUTHN"},
        )
        assert asked["ChallengeName"] == "WEB_AUTHN"
        status, _, document = post(
            sandbox.endpoint_url,
            "RespondToAuthChallenge",
            {
                "ClientId": pool.client_id,
                "ChallengeName": "WEB_AUTHN",
                "Session": asked["Session"],
                "ChallengeResponses": {"USERNAME": "pk", "CREDENTIAL": credential},
            },
        )
        assert status == 400, (credential[:20], document)
        assert error_code(document) in {"InvalidParameterException", "NotAuthorizedException"}


# -- body size ----------------------------------------------------------------------------------


def test_a_body_announced_over_the_limit_is_refused_before_it_is_read(sandbox: Sandbox) -> None:
    head = _request("127.0.0.1", "GetUser", b"", "application/x-amz-json-1.1").replace(
        "Content-Length: 0", f"Content-Length: {MAX_BODY_BYTES + 1}"
    )
    status, answer = _raw(sandbox, head)  # no body sent at all: an answer proves none was read
    assert status == 413, answer[:200]
    assert b"RequestEntityTooLargeException" in answer


def test_a_body_at_the_limit_is_read(sandbox: Sandbox, pool: SandboxPool) -> None:
    token = sandbox.issue_token(pool, "door")
    document = json.dumps({"AccessToken": token}).encode()
    body = document + b" " * (MAX_BODY_BYTES - len(document))
    assert len(body) == MAX_BODY_BYTES
    head = _request("127.0.0.1", "GetUser", body, "application/x-amz-json-1.1")
    status, answer = _raw(sandbox, head, body)
    assert status == 200, answer[:200]


def test_the_model_is_the_one_the_gate_reads() -> None:
    model = service_model()
    assert all(model.operation_model(o).auth_type == "none" for o in NO_AUTH_OPERATIONS)


# -- app clients per pool --------------------------------------------------------------------------


def test_app_clients_per_pool_stop_at_cognitos_quota(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The quota is 1,000 (Cognito's); the mechanism is exercised at a small stand-in limit."""
    from mfa_widgets.sandbox.cognito.ops import pool as pool_ops

    assert pool_ops.MAX_APP_CLIENTS == 1000
    made = sandbox.create_pool(name="front-door-clients")  # one client already
    monkeypatch.setattr(pool_ops, "MAX_APP_CLIENTS", 3)
    cognito = sandbox.client()
    for number in (2, 3):  # up to the limit
        cognito.create_user_pool_client(UserPoolId=made.pool_id, ClientName=f"c{number}")
    status, _, document = post(
        sandbox.endpoint_url,
        "CreateUserPoolClient",
        {"UserPoolId": made.pool_id, "ClientName": "one-too-many"},
    )
    assert (status, error_code(document)) == (400, "LimitExceededException")
    listed = cognito.list_user_pool_clients(UserPoolId=made.pool_id, MaxResults=60)
    assert len(listed["UserPoolClients"]) == 3
