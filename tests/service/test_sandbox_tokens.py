"""Access-token checks on every token-authorized operation, and no token echoed in errors."""

from __future__ import annotations

import pytest

SMS_ON = {"SMSMfaSettings": {"Enabled": True}}


def token_operations(cognito):
    return [
        (cognito.get_user, {}),
        (cognito.set_user_mfa_preference, SMS_ON),
        (cognito.associate_software_token, {}),
        (cognito.verify_software_token, {"UserCode": "123456"}),
        (cognito.update_user_attributes, {"UserAttributes": [{"Name": "name", "Value": "x"}]}),
    ]


@pytest.mark.parametrize(
    ("mint", "message"),
    [
        ({"expires_in": -60}, "Access Token has expired"),
        ({"scope": None}, "Access Token does not have required scopes"),
        ({"scope": "openid email"}, "Access Token does not have required scopes"),
    ],
)
def test_expired_or_scopeless_tokens_are_refused(
    sandbox, cognito, pool, make_user, error_of, mint, message
):
    user = make_user(pool)
    token = sandbox.issue_token(pool, user.username, **mint)
    for operation, extra in token_operations(cognito):
        code, text = error_of(operation, AccessToken=token, **extra)
        assert (code, text) == ("NotAuthorizedException", message), operation
        assert token not in text


def test_id_token_and_garbage_are_invalid(sandbox, cognito, pool, make_user, error_of):
    user = make_user(pool)
    id_token = sandbox.sign_in(pool, user.username, user.password)["IdToken"]
    for token in (id_token, "not-a-token", "eyJhbGciOiJub25lIn0.eyJ9.x" * 3):
        for operation, extra in token_operations(cognito):
            code, text = error_of(operation, AccessToken=token, **extra)
            assert (code, text) == ("NotAuthorizedException", "Invalid Access Token")


def test_revoked_token_is_invalid(cognito, pool, make_user, signed_in, error_of):
    user = make_user(pool)
    token = signed_in(pool, user)
    cognito.global_sign_out(AccessToken=token)
    assert error_of(cognito.get_user, AccessToken=token) == (
        "NotAuthorizedException",
        "Invalid Access Token",
    )


def test_good_token_still_works_after_a_minted_one(sandbox, cognito, pool, make_user):
    user = make_user(pool)
    token = sandbox.issue_token(pool, user.username)
    assert cognito.get_user(AccessToken=token)["Username"] == user.username


def test_moto_errors_do_not_echo_refresh_tokens(cognito, pool, error_of):
    secret = "0b1c9d2e-aaaa-bbbb-cccc-1234567890ab"
    code, text = error_of(
        cognito.initiate_auth,
        ClientId=pool.client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": secret},
    )
    assert secret not in text
    assert code in {"NotAuthorizedException", "ResourceNotFoundException"}


@pytest.mark.parametrize("how", ["admin", "self"])
def test_deleting_a_user_revokes_their_tokens_and_a_namesake_inherits_none(
    sandbox, cognito, pool, make_user, error_of, how
):
    user = make_user(pool)
    tokens = sandbox.sign_in(pool, user.username, user.password)
    if how == "admin":
        cognito.admin_delete_user(UserPoolId=pool.pool_id, Username=user.username)
    else:
        cognito.delete_user(AccessToken=tokens["AccessToken"])
    namesake = make_user(pool, username=user.username)
    for operation, extra in token_operations(cognito):
        assert error_of(operation, AccessToken=tokens["AccessToken"], **extra) == (
            "NotAuthorizedException",
            "Invalid Access Token",
        )
    assert error_of(
        cognito.initiate_auth,
        ClientId=pool.client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
    ) == ("NotAuthorizedException", "Invalid Refresh Token")
    fresh = sandbox.sign_in(pool, namesake.username, namesake.password)
    assert cognito.get_user(AccessToken=fresh["AccessToken"])["Username"] == user.username


def test_a_token_minted_for_an_earlier_user_of_the_name_is_refused(
    sandbox, cognito, pool, make_user, error_of
):
    user = make_user(pool)
    token = sandbox.issue_token(pool, user.username)
    # Delete through moto itself, bypassing the sandbox's revocation: the token stays registered
    # under the name, and only the check of its sub is left to refuse it.
    from moto.cognitoidp.models import cognitoidp_backends

    backend = cognitoidp_backends[sandbox.account_id][sandbox.region]
    backend.admin_delete_user(pool.pool_id, user.username)
    make_user(pool, username=user.username)
    assert error_of(cognito.get_user, AccessToken=token) == (
        "NotAuthorizedException",
        "Invalid Access Token",
    )


def test_refresh_tokens_are_emulated(sandbox, cognito, pool, make_user, error_of):
    user = make_user(pool)
    tokens = sandbox.sign_in(pool, user.username, user.password)
    parameters = {"REFRESH_TOKEN": tokens["RefreshToken"]}
    fresh = cognito.initiate_auth(
        ClientId=pool.client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters=parameters
    )["AuthenticationResult"]
    assert cognito.get_user(AccessToken=fresh["AccessToken"])["Username"] == user.username
    assert "RefreshToken" not in fresh
    other = sandbox.create_pool(name="other-client-pool")
    assert error_of(
        cognito.initiate_auth,
        ClientId=other.client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters=parameters,
    ) == ("NotAuthorizedException", "Invalid Refresh Token")
