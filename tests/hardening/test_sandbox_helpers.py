"""The sandbox's Python helpers: the toolkit's clear errors, and nothing left half-done.

Instances from the issue (raw botocore errors, a half-created user after a bad password, a phone
number that is not one accepted, the sandbox's internal error from ``issue_token``/``totp_code``),
with more of each kind.
"""

from __future__ import annotations

import itertools

import pytest

import mfa_widgets as mw
from mfa_widgets.core.errors import InvalidArgumentError
from mfa_widgets.sandbox import Sandbox, SandboxPool

_names = itertools.count()


@pytest.fixture(scope="module")
def pool(sandbox: Sandbox) -> SandboxPool:
    return sandbox.create_pool(name="helpers")


def _usernames(sandbox: Sandbox, pool: SandboxPool) -> set[str]:
    return {
        u["Username"]
        for u in sandbox.in_process_client().list_users(UserPoolId=pool.pool_id)["Users"]
    }


def _pool_count(sandbox: Sandbox) -> int:
    return len(sandbox.in_process_client().list_user_pools(MaxResults=60)["UserPools"])


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ({"mfa": "ON", "factors": ()}, "must be enabled"),
        ({"mfa": "OPTIONAL", "factors": []}, "must be enabled"),
        ({"mfa": "ON", "factors": "SMS"}, "list of factor names"),
        ({"mfa": "ON", "factors": None}, "list of factor names"),
        ({"name": ""}, "name is empty"),
        ({"name": "bad/name"}, "CreateUserPool"),
    ],
)
def test_a_pool_the_helper_cannot_make_is_a_clear_error_and_no_pool(
    sandbox: Sandbox, options: dict[str, object], words: str
) -> None:
    before = _pool_count(sandbox)
    with pytest.raises(mw.MfaWidgetsError, match=words):
        sandbox.create_pool(**options)  # type: ignore[arg-type]
    assert _pool_count(sandbox) == before


@pytest.mark.parametrize(
    ("username", "options", "error", "words"),
    [
        ("", {}, InvalidArgumentError, "username is empty"),
        ("   ", {}, InvalidArgumentError, "username is empty"),
        (None, {}, mw.MfaWidgetsError, "username"),
        ("weak", {"password": "a"}, mw.CognitoError, "InvalidPasswordException"),
        ("weak2", {"password": "alllowercase1"}, mw.CognitoError, "InvalidPasswordException"),
        ("phoney", {"phone": "not-a-phone"}, InvalidArgumentError, "E.164"),
        ("phoney2", {"phone": "5555550100"}, InvalidArgumentError, "E.164"),
        ("phoney3", {"phone": "+1 555 555 0100"}, InvalidArgumentError, "E.164"),
        ("has space", {}, mw.CognitoError, "AdminCreateUser"),
    ],
)
def test_a_user_the_helper_cannot_make_is_a_clear_error_and_no_user(
    sandbox: Sandbox,
    pool: SandboxPool,
    username: str,
    options: dict[str, str],
    error: type[Exception],
    words: str,
) -> None:
    before = _usernames(sandbox, pool)
    with pytest.raises(error, match=words) as raised:
        sandbox.create_user(pool, username, **options)
    assert _usernames(sandbox, pool) == before  # nothing half-created
    assert "alllowercase1" not in str(raised.value)


def test_the_same_user_twice_is_a_cognito_error(sandbox: Sandbox, pool: SandboxPool) -> None:
    name = f"twice{next(_names)}"
    sandbox.create_user(pool, name)
    with pytest.raises(mw.CognitoError) as raised:
        sandbox.create_user(pool, name)
    assert raised.value.code == "UsernameExistsException"
    assert raised.value.operation == "AdminCreateUser"


@pytest.mark.parametrize(
    "call",
    [
        lambda s, p: s.issue_token(p, "nobody"),
        lambda s, p: s.totp_code(p, "nobody"),
        lambda s, p: s.sign_in(p, "nobody", "Whatever-1!"),
        lambda s, p: s.issue_token("us-east-1_nothere", "nobody"),
    ],
)
def test_an_unknown_user_or_pool_is_the_toolkits_cognito_error(
    sandbox: Sandbox, pool: SandboxPool, call: object
) -> None:
    with pytest.raises(mw.CognitoError) as raised:
        call(sandbox, pool)  # type: ignore[operator]
    assert raised.value.code in {"UserNotFoundException", "ResourceNotFoundException"}
    assert raised.value.hint


def test_a_wrong_password_is_a_cognito_error_without_the_password(
    sandbox: Sandbox, pool: SandboxPool
) -> None:
    name = f"wrong{next(_names)}"
    sandbox.create_user(pool, name)
    with pytest.raises(mw.CognitoError) as raised:
        sandbox.sign_in(pool, name, "Not-The-Passw0rd!")
    assert raised.value.code == "NotAuthorizedException"
    assert "Not-The-Passw0rd!" not in str(raised.value)
