"""Malformed and foreign requests get Cognito's 400 errors, never a 500; nothing secret is logged.

The requests are sent as raw HTTP (no botocore), the way a careless script or an attacker would.
"""

from __future__ import annotations

import json
import logging
import secrets
import urllib.error
import urllib.request

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mfa_widgets.sandbox.cognito.service_model import operation_names
from mfa_widgets.sandbox.wire import MAX_DEPTH, TARGET_PREFIX

pytestmark = pytest.mark.wire  # raw HTTP requests are the subject

FAST = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


#: Any key may sign a sandbox request; the signature is not checked, only required.
SIGNATURE = {
    "Authorization": "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/cognito-idp/"
    "aws4_request, SignedHeaders=host;x-amz-date, Signature=00"
}


def post(
    url: str,
    target: str | None,
    body: bytes | dict | list | str,
    headers: dict[str, str] | None = None,
    method: str = "POST",
    *,
    signed: bool = True,
) -> tuple[int, dict[str, str], dict]:
    """Send one request (signed with a made-up key unless not ``signed``).

    Returns (status, headers, JSON body or {}).
    """
    sent = {"Content-Type": "application/x-amz-json-1.1", **(SIGNATURE if signed else {})}
    sent.update(headers or {})
    if target is not None:
        sent["X-Amz-Target"] = TARGET_PREFIX + target
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers=sent, method=method)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - http only
            status, got, raw = answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        status, got, raw = error.code, dict(error.headers), error.read()
    try:
        document = json.loads(raw) if raw else {}
    except ValueError:
        document = {"__raw__": raw.decode("latin-1")}
    return status, got, document


def error_code(document: dict) -> str:
    return str(document.get("__type", "")).split("#")[-1]


@FAST
@given(
    name=st.text(
        st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=40
    ).filter(lambda n: n not in operation_names())
)
def test_unknown_operations_are_unknown_operation_exception(sandbox, name):
    status, _, document = post(sandbox.endpoint_url, name, {})
    assert (status, error_code(document)) == (400, "UnknownOperationException")


@FAST
@given(raw=st.binary(max_size=200).filter(lambda b: b.strip() and not b.strip().startswith(b"{")))
def test_bodies_that_are_not_json_objects_are_serialization_errors(sandbox, raw):
    status, _, document = post(sandbox.endpoint_url, "GetUser", raw)
    assert (status, error_code(document)) == (400, "SerializationException")


@FAST
@given(
    value=st.one_of(
        st.integers(),
        st.booleans(),
        st.lists(st.integers()),
        st.dictionaries(st.text(max_size=5), st.integers(), min_size=1),
    )
)
def test_members_of_the_wrong_json_type_are_serialization_errors(sandbox, value):
    status, _, document = post(sandbox.endpoint_url, "GetUser", {"AccessToken": value})
    assert (status, error_code(document)) == (400, "SerializationException")
    status, _, document = post(
        sandbox.endpoint_url, "AdminGetUser", {"UserPoolId": "us-east-1_x", "Username": value}
    )
    assert (status, error_code(document)) == (400, "SerializationException")


@FAST
@given(depth=st.integers(min_value=MAX_DEPTH + 1, max_value=50_000))
def test_very_deep_json_is_a_serialization_error(sandbox, depth):
    raw = b'{"AccessToken": ' + b"[" * depth + b"]" * depth + b"}"
    status, _, document = post(sandbox.endpoint_url, "GetUser", raw)
    assert (status, error_code(document)) == (400, "SerializationException")


@pytest.mark.parametrize(
    ("content_type", "body", "headers"),
    [
        ("application/xml", b"", {}),  # S3 ListBuckets
        ("application/x-www-form-urlencoded", b"Action=ListUsers&Version=2010-05-08", {}),  # IAM
        ("application/x-amz-json-1.1", b"{}", {"X-Amz-Target": "DynamoDB_20120810.ListTables"}),
    ],
)
def test_other_aws_services_are_refused(sandbox, content_type, body, headers):
    for path in ("/", "/some-bucket", "/?list-type=2"):
        status, _, document = post(
            sandbox.endpoint_url + path, None, body, {"Content-Type": content_type, **headers}
        )
        assert (status, error_code(document)) == (400, "UnknownOperationException")
        assert "only Amazon Cognito" in document["message"]


def test_no_cors_headers_unless_asked(sandbox):
    origin = {"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"}
    status, headers, _ = post(sandbox.endpoint_url, None, b"", origin, method="OPTIONS")
    assert status == 403
    assert not [k for k in headers if k.lower().startswith("access-control-")]
    for target in ("ListUserPools", "GetUser", "NoSuchThing"):
        _, headers, _ = post(sandbox.endpoint_url, target, {"MaxResults": 1}, origin)
        assert not [k for k in headers if k.lower().startswith("access-control-")]


def test_cors_origins_option_allows_only_those_origins():
    from mfa_widgets.sandbox import Sandbox

    with Sandbox(cors_origins=["http://localhost:8888"]) as allowed:
        ask = {"Access-Control-Request-Method": "POST"}
        status, headers, _ = post(
            allowed.endpoint_url, None, b"", {"Origin": "http://localhost:8888", **ask}, "OPTIONS"
        )
        assert status == 204
        assert headers["Access-Control-Allow-Origin"] == "http://localhost:8888"
        status, headers, _ = post(
            allowed.endpoint_url, None, b"", {"Origin": "http://other.example", **ask}, "OPTIONS"
        )
        assert status == 403
        assert "Access-Control-Allow-Origin" not in headers


def test_unknown_refresh_token_is_not_authorized_and_never_printed(sandbox, pool, capfd, caplog):
    caplog.set_level(logging.DEBUG)
    secret = f"refresh-{secrets.token_hex(16)}"
    cases = [
        (
            "InitiateAuth",
            {
                "AuthFlow": "REFRESH_TOKEN_AUTH",
                "ClientId": pool.client_id,
                "AuthParameters": {"REFRESH_TOKEN": secret},
            },
        ),
        (
            "InitiateAuth",
            {
                "AuthFlow": "REFRESH_TOKEN",
                "ClientId": pool.client_id,
                "AuthParameters": {"REFRESH_TOKEN": secret},
            },
        ),
        (
            "AdminInitiateAuth",
            {
                "AuthFlow": "REFRESH_TOKEN_AUTH",
                "UserPoolId": pool.pool_id,
                "ClientId": pool.client_id,
                "AuthParameters": {"REFRESH_TOKEN": secret},
            },
        ),
    ]
    for target, body in cases:
        status, _, document = post(sandbox.endpoint_url, target, body)
        assert (status, error_code(document)) == (400, "NotAuthorizedException"), document
        assert secret not in json.dumps(document)
    # Garbage in many shapes, each carrying the secret: still nothing on stderr or in a log.
    for raw in (
        secret.encode(),
        b'{"AccessToken": "' + secret.encode() + b'"',
        b"[" * 5000 + secret.encode(),
    ):
        post(sandbox.endpoint_url, "GetUser", raw)
    post(sandbox.endpoint_url, "GetUser", {"AccessToken": secret})
    post(sandbox.endpoint_url + "/" + secret, None, b"")
    out, err = capfd.readouterr()
    assert secret not in out + err
    assert secret not in caplog.text


@pytest.mark.parametrize("bad", ["http://localhost:8888", [""], [8888], [None]])
def test_cors_origins_must_be_a_list_of_origins(bad):
    from mfa_widgets.core.errors import InvalidArgumentError
    from mfa_widgets.sandbox import Sandbox

    with pytest.raises(InvalidArgumentError, match=r"cors_origins .* is not a list of origins"):
        Sandbox(cors_origins=bad)
