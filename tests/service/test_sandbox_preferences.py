"""SetUserMFAPreference / AdminSetUserMFAPreference through the sandbox, over HTTP."""

from __future__ import annotations

import pytest

ADMIN_TOTP = "User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA"


def mfa_of(cognito, pool, user):
    answer = cognito.admin_get_user(UserPoolId=pool.pool_id, Username=user.username)
    return answer.get("UserMFASettingList"), answer.get("PreferredMfaSetting")


def test_email_mfa_is_stored_and_returned(cognito, pool, make_user, signed_in):
    user = make_user(pool)
    token = signed_in(pool, user)
    cognito.set_user_mfa_preference(
        AccessToken=token, EmailMfaSettings={"Enabled": True, "PreferredMfa": True}
    )
    got = cognito.get_user(AccessToken=token)
    assert got["UserMFASettingList"] == ["EMAIL_OTP"]
    assert got["PreferredMfaSetting"] == "EMAIL_OTP"
    assert mfa_of(cognito, pool, user) == (["EMAIL_OTP"], "EMAIL_OTP")


def test_no_preference_leaves_preferred_setting_out(cognito, pool, make_user, signed_in):
    user = make_user(pool)
    token = signed_in(pool, user)
    cognito.set_user_mfa_preference(AccessToken=token, SMSMfaSettings={"Enabled": True})
    got = cognito.get_user(AccessToken=token)
    assert got["UserMFASettingList"] == ["SMS_MFA"]
    assert "PreferredMfaSetting" not in got


def test_two_preferred_factors_are_rejected(cognito, pool, make_user, signed_in, error_of):
    user = make_user(pool)
    token = signed_in(pool, user)
    code, message = error_of(
        cognito.set_user_mfa_preference,
        AccessToken=token,
        SMSMfaSettings={"Enabled": True, "PreferredMfa": True},
        EmailMfaSettings={"Enabled": True, "PreferredMfa": True},
    )
    assert code == "InvalidParameterException"
    assert "one factor" in message
    assert mfa_of(cognito, pool, user) == (None, None)  # both left out when empty


def test_preferred_but_disabled_is_rejected(cognito, pool, make_user, error_of):
    user = make_user(pool)
    code, message = error_of(
        cognito.admin_set_user_mfa_preference,
        UserPoolId=pool.pool_id,
        Username=user.username,
        SMSMfaSettings={"Enabled": False, "PreferredMfa": True},
    )
    assert code == "InvalidParameterException"
    assert "not enabled" in message


def test_totp_before_setup_names_the_missing_step(sandbox, cognito, pool, make_user, error_of):
    user = make_user(pool)
    token = sandbox.issue_token(pool, user.username)
    totp_on = {"Enabled": True, "PreferredMfa": True}
    assert error_of(
        cognito.set_user_mfa_preference, AccessToken=token, SoftwareTokenMfaSettings=totp_on
    ) == ("InvalidParameterException", "User has not set up software token mfa")
    cognito.associate_software_token(AccessToken=token)
    assert error_of(
        cognito.set_user_mfa_preference, AccessToken=token, SoftwareTokenMfaSettings=totp_on
    ) == ("InvalidParameterException", "User has not verified software token mfa")
    assert error_of(
        cognito.admin_set_user_mfa_preference,
        UserPoolId=pool.pool_id,
        Username=user.username,
        SoftwareTokenMfaSettings=totp_on,
    ) == ("InvalidParameterException", ADMIN_TOTP)


def test_totp_after_verification_is_accepted(cognito, pool, make_user):
    user = make_user(pool, totp=True)
    cognito.admin_set_user_mfa_preference(
        UserPoolId=pool.pool_id,
        Username=user.username,
        SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True},
    )
    assert mfa_of(cognito, pool, user) == (["SOFTWARE_TOKEN_MFA"], "SOFTWARE_TOKEN_MFA")


def test_sms_without_phone_number_is_rejected(cognito, pool, make_user, error_of):
    user = make_user(pool, phone=None)
    code, message = error_of(
        cognito.admin_set_user_mfa_preference,
        UserPoolId=pool.pool_id,
        Username=user.username,
        SMSMfaSettings={"Enabled": True},
    )
    assert (code, message) == (
        "InvalidParameterException",
        "User does not have delivery config set to turn on SMS_MFA",
    )


@pytest.mark.parametrize(
    ("pool_options", "expected"),
    [
        ({"tier": "LITE", "factors": ("SMS", "TOTP")}, "LITE"),
        ({"factors": ("SMS", "TOTP")}, "not enabled for this user pool"),
    ],
)
def test_email_mfa_needs_a_pool_offering_it(
    cognito, make_pool, make_user, error_of, pool_options, expected
):
    pool = make_pool(**pool_options)
    user = make_user(pool)
    code, message = error_of(
        cognito.admin_set_user_mfa_preference,
        UserPoolId=pool.pool_id,
        Username=user.username,
        EmailMfaSettings={"Enabled": True},
    )
    assert code == "InvalidParameterException"
    assert expected in message


def test_omitted_block_is_unchanged_and_preferred_demotes(cognito, pool, make_user):
    user = make_user(pool)

    def admin_set(**blocks):
        cognito.admin_set_user_mfa_preference(
            UserPoolId=pool.pool_id, Username=user.username, **blocks
        )

    admin_set(SMSMfaSettings={"Enabled": True, "PreferredMfa": True})
    admin_set(EmailMfaSettings={"Enabled": True})
    assert mfa_of(cognito, pool, user) == (["SMS_MFA", "EMAIL_OTP"], "SMS_MFA")
    admin_set(EmailMfaSettings={"Enabled": True, "PreferredMfa": True})
    assert mfa_of(cognito, pool, user) == (["SMS_MFA", "EMAIL_OTP"], "EMAIL_OTP")
    admin_set(EmailMfaSettings={"Enabled": False})
    assert mfa_of(cognito, pool, user) == (["SMS_MFA"], None)


def test_admin_unknown_user_and_pool(cognito, pool, error_of):
    assert error_of(
        cognito.admin_set_user_mfa_preference,
        UserPoolId=pool.pool_id,
        Username="nobody",
        SMSMfaSettings={"Enabled": False},
    ) == ("UserNotFoundException", "User does not exist.")
    code, _ = error_of(
        cognito.admin_set_user_mfa_preference,
        UserPoolId="us-east-1_doesnotexist",
        Username="nobody",
        SMSMfaSettings={"Enabled": False},
    )
    assert code == "ResourceNotFoundException"
