"""Sign-in challenges, codes and sessions through the sandbox, over HTTP."""

from __future__ import annotations

import json

import pytest

from mfa_widgets.core.totp import totp_code

SMS_PREFERRED = {"SMSMfaSettings": {"Enabled": True, "PreferredMfa": True}}


def start(cognito, pool, user, admin=False):
    parameters = {"USERNAME": user.username, "PASSWORD": user.password}
    if admin:
        return cognito.admin_initiate_auth(
            UserPoolId=pool.pool_id,
            ClientId=pool.client_id,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters=parameters,
        )
    return cognito.initiate_auth(
        ClientId=pool.client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters=parameters
    )


def answer(cognito, pool, response, username, **answers):
    return cognito.respond_to_auth_challenge(
        ClientId=pool.client_id,
        ChallengeName=response["ChallengeName"],
        Session=response["Session"],
        ChallengeResponses={"USERNAME": username, **answers},
    )


def set_mfa(cognito, pool, user, **blocks):
    cognito.admin_set_user_mfa_preference(UserPoolId=pool.pool_id, Username=user.username, **blocks)


def other_code(code):
    """A six-digit code that is not ``code``."""
    return "000000" if code != "000000" else "111111"


@pytest.fixture
def refused(cognito, error_of):
    """``refused(pool, response, username, **answers) -> (code, message)`` of a refused answer."""

    def refuse(pool, response, username, **answers):
        return error_of(
            answer, cognito=cognito, pool=pool, response=response, username=username, **answers
        )

    return refuse


@pytest.mark.parametrize("admin", [False, True])
def test_preferred_sms_sends_a_code_that_must_match(
    sandbox, cognito, pool, make_user, refused, admin
):
    user = make_user(pool)
    set_mfa(cognito, pool, user, **SMS_PREFERRED)
    response = start(cognito, pool, user, admin=admin)
    assert response["ChallengeName"] == "SMS_MFA"
    assert response["ChallengeParameters"] == {
        "CODE_DELIVERY_DELIVERY_MEDIUM": "SMS",
        "CODE_DELIVERY_DESTINATION": "+*******0123",
    }
    delivery = sandbox.latest_delivery(user.username, "SMS")
    assert delivery.destination == "+*******0123"
    assert len(delivery.code) == 6
    assert delivery.code not in repr(delivery)
    wrong = other_code(delivery.code)
    assert refused(pool, response, user.username, SMS_MFA_CODE=wrong) == (
        "CodeMismatchException",
        "Invalid code or auth state for the user.",  # recorded: challenge.sms-mfa-wrong-code
    )
    tokens = answer(cognito, pool, response, user.username, SMS_MFA_CODE=delivery.code)
    assert "AccessToken" in tokens["AuthenticationResult"]
    code, _ = refused(pool, response, user.username, SMS_MFA_CODE=delivery.code)
    assert code == "NotAuthorizedException"  # the session was consumed


def test_email_otp_challenge(sandbox, cognito, pool, make_user):
    user = make_user(pool, phone=None, email="erin@example.com")
    set_mfa(cognito, pool, user, EmailMfaSettings={"Enabled": True, "PreferredMfa": True})
    response = start(cognito, pool, user)
    assert response["ChallengeName"] == "EMAIL_OTP"
    assert response["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"] == "e***@e***"
    code = sandbox.latest_code(user.username, "EMAIL")
    assert "AuthenticationResult" in answer(
        cognito, pool, response, user.username, EMAIL_OTP_CODE=code
    )


def test_two_enabled_without_preference_selects_then_challenges(sandbox, cognito, pool, make_user):
    user = make_user(pool)
    set_mfa(
        cognito, pool, user, SMSMfaSettings={"Enabled": True}, EmailMfaSettings={"Enabled": True}
    )
    response = start(cognito, pool, user)
    assert response["ChallengeName"] == "SELECT_MFA_TYPE"
    assert set(json.loads(response["ChallengeParameters"]["MFAS_CAN_CHOOSE"])) == {
        "SMS_MFA",
        "EMAIL_OTP",
    }
    chosen = answer(cognito, pool, response, user.username, ANSWER="EMAIL_OTP")
    assert chosen["ChallengeName"] == "EMAIL_OTP"
    assert chosen["Session"] != response["Session"]
    done = answer(
        cognito, pool, chosen, user.username, EMAIL_OTP_CODE=sandbox.latest_code(user.username)
    )
    assert "AuthenticationResult" in done


def test_totp_challenge_checks_the_users_own_secret(sandbox, cognito, pool, make_user, refused):
    user = make_user(pool, totp=True)
    set_mfa(cognito, pool, user, SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True})
    response = start(cognito, pool, user)
    assert response["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    other_secret_code = totp_code("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    assert (
        refused(pool, response, user.username, SOFTWARE_TOKEN_MFA_CODE=other_secret_code)[0]
        == "CodeMismatchException"
    )
    done = answer(
        cognito,
        pool,
        response,
        user.username,
        SOFTWARE_TOKEN_MFA_CODE=sandbox.totp_code(pool, user.username),
    )
    assert "AuthenticationResult" in done


def test_required_pool_without_factors_sets_up_totp(
    sandbox, cognito, make_pool, make_user, refused
):
    pool = make_pool(mfa="ON", factors=("TOTP",))
    user = make_user(pool, phone=None, email=None)
    response = start(cognito, pool, user)
    assert response["ChallengeName"] == "MFA_SETUP"
    assert json.loads(response["ChallengeParameters"]["MFAS_CAN_SETUP"]) == ["SOFTWARE_TOKEN_MFA"]
    assert (
        refused(pool, response, user.username)[0] == "InvalidParameterException"
    )  # not verified yet: moto would issue tokens here
    associated = cognito.associate_software_token(Session=response["Session"])
    assert len(associated["SecretCode"]) == 32
    verified = cognito.verify_software_token(
        Session=associated["Session"], UserCode=totp_code(associated["SecretCode"])
    )
    assert verified["Status"] == "SUCCESS"
    done = cognito.respond_to_auth_challenge(
        ClientId=pool.client_id,
        ChallengeName="MFA_SETUP",
        Session=verified["Session"],
        ChallengeResponses={"USERNAME": user.username},
    )
    assert "AuthenticationResult" in done
    assert start(cognito, pool, user)["ChallengeName"] == "SOFTWARE_TOKEN_MFA"


def test_session_is_bound_to_its_user(cognito, pool, make_user, refused):
    alice, bob = make_user(pool), make_user(pool)
    for user in (alice, bob):
        set_mfa(cognito, pool, user, **SMS_PREFERRED)
    response = start(cognito, pool, alice)
    code, message = refused(pool, response, bob.username, SMS_MFA_CODE="123456")
    assert (code, message) == ("NotAuthorizedException", "Invalid session for the user.")


def test_expired_session(sandbox, cognito, pool, make_user, refused):
    user = make_user(pool)
    set_mfa(cognito, pool, user, **SMS_PREFERRED)
    response = start(cognito, pool, user)
    sandbox.age_sessions(181)
    assert refused(
        pool, response, user.username, SMS_MFA_CODE=sandbox.latest_code(user.username)
    ) == ("NotAuthorizedException", "Invalid session for the user, session is expired.")


def test_five_wrong_codes_close_the_session(sandbox, cognito, pool, make_user, refused):
    user = make_user(pool)
    set_mfa(cognito, pool, user, **SMS_PREFERRED)
    response = start(cognito, pool, user)
    right = sandbox.latest_code(user.username)
    wrong = other_code(right)
    codes = [refused(pool, response, user.username, SMS_MFA_CODE=wrong)[0] for _ in range(5)]
    assert codes == ["CodeMismatchException"] * 4 + ["NotAuthorizedException"]
    assert refused(pool, response, user.username, SMS_MFA_CODE=right)[0] == "NotAuthorizedException"


def test_wrong_password_is_not_echoed(cognito, pool, make_user, error_of):
    user = make_user(pool)
    code, message = error_of(
        cognito.initiate_auth,
        ClientId=pool.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": user.username, "PASSWORD": "Wrong-Password-1!"},
    )
    assert (code, message) == ("NotAuthorizedException", "Incorrect username or password.")


def test_mfa_off_pool_signs_in_with_tokens(cognito, make_pool, make_user):
    pool = make_pool(mfa="OFF", factors=("SMS", "TOTP"))
    user = make_user(pool)
    set_mfa(cognito, pool, user, **SMS_PREFERRED)
    assert "AuthenticationResult" in start(cognito, pool, user)


def test_srp_flow_reaches_the_mfa_stage(sandbox, cognito, pool, make_user):
    user = make_user(pool)
    set_mfa(cognito, pool, user, **SMS_PREFERRED)
    from mfa_widgets.services.srp import SrpProof

    srp = SrpProof(pool.pool_id, pool.client_id, user.username, user.password)
    verifier = cognito.initiate_auth(
        ClientId=pool.client_id,
        AuthFlow="USER_SRP_AUTH",
        AuthParameters={"USERNAME": user.username, "SRP_A": srp.srp_a},
    )
    assert verifier["ChallengeName"] == "PASSWORD_VERIFIER"
    claim = srp.answer("PASSWORD_VERIFIER", verifier["ChallengeParameters"])
    claim.pop("USERNAME")
    response = answer(cognito, pool, verifier, user.username, **claim)
    assert response["ChallengeName"] == "SMS_MFA"
    # A proof of another password is refused as a wrong password would be.
    wrong = SrpProof(pool.pool_id, pool.client_id, user.username, user.password + "x")
    again = cognito.initiate_auth(
        ClientId=pool.client_id,
        AuthFlow="USER_SRP_AUTH",
        AuthParameters={"USERNAME": user.username, "SRP_A": wrong.srp_a},
    )
    claim = wrong.answer("PASSWORD_VERIFIER", again["ChallengeParameters"])
    claim.pop("USERNAME")
    with pytest.raises(cognito.exceptions.NotAuthorizedException, match="Incorrect username"):
        answer(cognito, pool, again, user.username, **claim)
