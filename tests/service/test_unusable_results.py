"""Results that cannot be used say why: the call's own error, configuration in one line.

The cases are what a person meets moving a notebook from the sandbox to real Cognito: no
credentials, a profile or retry mode misspelled in the environment, no Region, a proxy or a
network that does not answer, a token from another Region.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from mfa_widgets import MfaClient, MfaPreference
from mfa_widgets.core.connection_hints import CONNECTION_CODES
from mfa_widgets.core.errors import (
    CognitoError,
    ConfigurationError,
    InvalidArgumentError,
    hint_for,
)
from mfa_widgets.sandbox import Sandbox, SandboxPool, SandboxUser
from tests.service.conftest import AWS_SETTINGS


@pytest.fixture
def bare_machine(no_aws_config: Path) -> Path:
    """A machine with no AWS credentials or Region, and one profile (a learner's laptop)."""
    no_aws_config.write_text("[profile work]\nregion = eu-west-1\n")
    return no_aws_config


def _jwt(**claims: object) -> str:
    def part(value: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part({'kid': 'k', 'alg': 'RS256'})}.{part(claims)}.c2lnbmF0dXJl"


# -- a failed call's state raises the call's own error -------------------------------------------


@pytest.mark.usefixtures("bare_machine")
def test_real_cognito_without_credentials_says_so_when_the_state_is_read() -> None:
    result = MfaClient(region="eu-west-1").admin_get_preference("eu-west-1_Abcdefghi", "bob")
    with pytest.raises(CognitoError) as raised:
        result.state.describe()  # type: ignore[union-attr]
    assert raised.value.code == "NoCredentials"
    assert "AWS_PROFILE" in raised.value.hint
    assert result.known_state is None
    assert "NoCredentials" in repr(result)  # printing the result never raises
    assert result == result.replaced()


def test_a_refused_read_and_a_refused_write_raise_their_error_on_state(
    client: MfaClient,
    pool: SandboxPool,
    make_user: Callable[..., SandboxUser],
    signed_in: Callable[[SandboxPool, SandboxUser], str],
) -> None:
    missing = client.admin_get_preference(pool.pool_id, "nobody-here")
    with pytest.raises(CognitoError, match="UserNotFoundException"):
        missing.state  # noqa: B018 - reading it is the test
    token = signed_in(pool, make_user(pool))
    refused = client.set_preference(token, MfaPreference(totp="preferred"))
    with pytest.raises(CognitoError, match="No authenticator app is registered"):
        refused.state.describe()  # type: ignore[union-attr]
    malformed = client.get_preference("not-a-token")
    with pytest.raises(CognitoError, match="MalformedToken"):
        malformed.state  # noqa: B018


def test_a_working_call_reads_its_state(
    client: MfaClient, pool: SandboxPool, make_user: Callable[..., SandboxUser]
) -> None:
    user = make_user(pool)
    read = client.admin_get_preference(pool.pool_id, user.username)
    assert read.state is not None
    assert read.state == read.known_state
    assert read.state.describe()


# -- configuration: one line naming the fix, at MfaClient() --------------------------------------


@pytest.mark.parametrize(
    ("variable", "value", "words"),
    [
        ("AWS_PROFILE", "doesnotexist", "unset AWS_PROFILE"),
        ("AWS_DEFAULT_PROFILE", "doesnotexist", "unset AWS_DEFAULT_PROFILE"),
        ("AWS_RETRY_MODE", "bogus", "standard, adaptive, legacy"),
        ("AWS_MAX_ATTEMPTS", "many", "whole number"),
        ("AWS_MAX_ATTEMPTS", "0", "1 or more"),
        ("AWS_ENDPOINT_URL", "localhost:5000", "http(s) URL"),
        ("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", "ftp://x", "http(s) URL"),
        ("AWS_CA_BUNDLE", "/no/such/ca.pem", "not a file"),
    ],
)
def test_a_bad_setting_is_one_line_naming_it(
    bare_machine: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str, words: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigurationError) as raised:
        MfaClient(region="eu-west-1")
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith(variable)
    assert words in message


def test_a_bad_retry_mode_in_the_profile_is_named(
    bare_machine: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bare_machine.write_text("[profile work]\nregion = eu-west-1\nretry_mode = sometimes\n")
    monkeypatch.setenv("AWS_PROFILE", "work")
    with pytest.raises(ConfigurationError, match="profile 'work' in the AWS config file"):
        MfaClient()


def test_the_cli_says_a_bad_setting_in_one_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in AWS_SETTINGS}
    env.update(AWS_CONFIG_FILE=str(tmp_path / "none"), AWS_RETRY_MODE="bogus")
    done = subprocess.run(  # our own command
        [sys.executable, "-m", "mfa_widgets", "audit", "--user-pool-id", "eu-west-1_Abcdefghi"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "mfa-widgets audit: error: AWS_RETRY_MODE gives retry mode 'bogus': use one of "
        "standard, adaptive, legacy, or unset it"
    ]


@pytest.mark.usefixtures("bare_machine")
def test_no_region_is_said_once() -> None:
    result = MfaClient().admin_get_preference("eu-west-1_Abcdefghi", "bob")
    assert result.error is not None
    assert result.error.code == "NoRegion"
    assert str(result.error).lower().count("region is configured") <= 1
    assert "AWS_REGION" in result.error.hint


# -- hints never blame what was not called ------------------------------------------------------

URLS = {
    "aws": "https://cognito-idp.eu-west-1.amazonaws.com/",
    "sandbox": "http://127.0.0.1:5000/",
    "other": "https://cognito.internal.example.com/",
}


@pytest.mark.parametrize("code", sorted(CONNECTION_CODES))
@pytest.mark.parametrize("where", sorted(URLS))
def test_a_call_nothing_answered_never_cites_cognito_nor_a_sandbox_it_did_not_call(
    code: str, where: str
) -> None:
    hint = hint_for(code, f'Could not connect to the endpoint URL: "{URLS[where]}"')
    assert "message from Cognito" not in hint
    if code not in {"ProxyConnectionError", "SSLError"}:
        assert ("sandbox" in hint) == (where == "sandbox"), hint
        assert URLS[where].rstrip("/") in hint


@pytest.mark.usefixtures("bare_machine")
def test_a_setting_botocore_refuses_locally_is_not_blamed_on_cognito(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import boto3

    # A client the user built, with a retry mode botocore rejects only when it is used.
    session = boto3.Session(aws_access_key_id="a", aws_secret_access_key="b")
    client = MfaClient(session=session, region="eu-west-1")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "-3")
    result = client.admin_get_preference("eu-west-1_Abcdefghi", "bob")
    assert result.error is not None
    assert "Cognito;" not in result.error.hint
    assert "not sent" in result.error.hint


def _access_token(issuer: str) -> str:
    """An unexpired access token for bob, issued by ``issuer`` (unsigned: never sent here)."""
    return _jwt(
        token_use="access",
        scope="aws.cognito.signin.user.admin",
        exp=int(time.time()) + 3600,
        iss=issuer,
        client_id="abc",
        username="bob",
    )


# -- a token from another Region is named before it is sent -------------------------------------


@pytest.mark.usefixtures("bare_machine")
def test_a_token_from_another_region_is_named_before_it_is_sent(closed_port: int) -> None:
    token = _access_token("https://cognito-idp.us-east-2.amazonaws.com/us-east-2_Abcdefghi")
    # The endpoint is a closed port: a call that was sent would fail to connect instead.
    client = MfaClient(region="eu-west-1", endpoint_url=f"http://127.0.0.1:{closed_port}")
    result = client.get_preference(token)
    assert result.error is not None
    assert result.error.code == "TokenFromAnotherRegion"
    assert "us-east-2" in str(result.error)
    assert "region='us-east-2'" in result.error.hint
    assert token not in str(result.error)


def test_a_sandbox_token_is_accepted_by_a_client_of_its_region(
    sandbox: Sandbox,
    client: MfaClient,
    pool: SandboxPool,
    make_user: Callable[..., SandboxUser],
    signed_in: Callable[[SandboxPool, SandboxUser], str],
) -> None:
    assert client.get_preference(signed_in(pool, make_user(pool))).ok
    assert sandbox.region == client.region


# -- a token from another pool than the client's is named before it is sent ---------------------


@pytest.mark.usefixtures("bare_machine")
@pytest.mark.parametrize(
    "call",
    [
        lambda client, token: client.get_preference(token),
        lambda client, token: client.set_preference(token, MfaPreference(email="preferred")),
        lambda client, token: client.get_auth_factors(token),
        lambda client, token: client.list_passkeys(token),
    ],
    ids=["GetUser", "SetUserMFAPreference", "GetUserAuthFactors", "ListWebAuthnCredentials"],
)
def test_a_token_from_another_pool_is_named_before_it_is_sent(
    call: Callable[[MfaClient, str], object], closed_port: int
) -> None:
    token = _access_token("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Abcdefghi")
    # Same Region: only the pool differs. A call that was sent would fail to connect instead.
    client = MfaClient(region="eu-west-1", endpoint_url=f"http://127.0.0.1:{closed_port}")
    result = call(client.with_pool("eu-west-1_Zyxwvutsr"), token)
    assert result.error is not None  # type: ignore[attr-defined]
    assert result.error.code == "TokenFromAnotherPool"  # type: ignore[attr-defined]
    assert "eu-west-1_Abcdefghi" in str(result.error)  # type: ignore[attr-defined]
    assert "eu-west-1_Zyxwvutsr" in str(result.error)  # type: ignore[attr-defined]
    assert token not in str(result.error)  # type: ignore[attr-defined]
    # The same token on a client for its own pool is sent (and meets the closed port).
    sent = call(client.with_pool("eu-west-1_Abcdefghi"), token)
    assert sent.error is not None  # type: ignore[attr-defined]
    assert sent.error.code not in {"TokenFromAnotherPool", "TokenFromAnotherRegion"}  # type: ignore[attr-defined]


def test_a_sandbox_token_is_accepted_by_a_client_of_its_pool(
    client: MfaClient,
    pool: SandboxPool,
    make_user: Callable[..., SandboxUser],
    signed_in: Callable[[SandboxPool, SandboxUser], str],
) -> None:
    assert client.with_pool(pool.pool_id).get_preference(signed_in(pool, make_user(pool))).ok


@pytest.mark.parametrize("pool_id", ["", "  ", 42, "x" * 80])
def test_a_client_for_a_pool_refuses_a_pool_id_that_is_not_one(pool_id: object) -> None:
    with pytest.raises(InvalidArgumentError, match=r"user_pool_id.*eu-west-1_AbCdEf123"):
        MfaClient(region="eu-west-1").with_pool(pool_id)  # type: ignore[arg-type]
