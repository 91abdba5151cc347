"""GetUserPoolMfaConfig and sign-in agree: a factor the config leaves off is never offered."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mfa_widgets.core.preferences import Factor
from mfa_widgets.core.signin import PoolMfaConfig
from mfa_widgets.sandbox import SandboxPool
from mfa_widgets.sandbox.cognito.pool_mfa import factors_of

ALL = (Factor.SMS, Factor.TOTP, Factor.EMAIL)


def offered(response: dict) -> set[str]:
    """Every factor a sign-in response names: the challenge and its choose/setup lists."""
    names = {response.get("ChallengeName", "")}
    parameters = response.get("ChallengeParameters", {})
    for key in ("MFAS_CAN_CHOOSE", "MFAS_CAN_SETUP"):
        if key in parameters:
            names |= set(json.loads(parameters[key]))
    return names & {f.api_name for f in ALL}


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    mode=st.sampled_from(["ON", "OPTIONAL"]),
    factors=st.sets(st.sampled_from(ALL), min_size=1),
    sms_configuration=st.booleans(),
    preferred=st.sampled_from([None, *ALL]),
)
# The instance issue 12 lists: SMS configured on the pool, SMS MFA off in its MFA config.
@example(mode="ON", factors={Factor.TOTP}, sms_configuration=True, preferred=None)
@example(mode="OPTIONAL", factors={Factor.EMAIL}, sms_configuration=True, preferred=None)
def test_sign_in_offers_only_what_the_pool_config_says(
    sandbox, cognito, make_user, mode, factors, sms_configuration, preferred
):
    role = f"arn:aws:iam::{sandbox.account_id}:role/sms"
    extra = (
        {"SmsConfiguration": {"SnsCallerArn": role, "ExternalId": "x"}} if sms_configuration else {}
    )
    pool_id = cognito.create_user_pool(PoolName="agree", UserPoolTier="ESSENTIALS", **extra)[
        "UserPool"
    ]["Id"]
    request: dict = {"UserPoolId": pool_id, "MfaConfiguration": mode}
    if Factor.SMS in factors:
        request["SmsMfaConfiguration"] = {"SmsConfiguration": {"SnsCallerArn": role}}
    request["SoftwareTokenMfaConfiguration"] = {"Enabled": Factor.TOTP in factors}
    if Factor.EMAIL in factors:
        request["EmailMfaConfiguration"] = {"Message": "code {####}"}
    cognito.set_user_pool_mfa_config(**request)
    client_id = cognito.create_user_pool_client(
        UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    config = cognito.get_user_pool_mfa_config(UserPoolId=pool_id)
    said = {f.api_name for f in factors_of(config)}
    assert said == {f.api_name for f in factors}

    pool = SandboxPool(pool_id, client_id, PoolMfaConfig(mode=mode, factors=frozenset(factors)))
    user = make_user(pool, totp=Factor.TOTP in factors)
    if preferred is not None and preferred in factors:
        cognito.admin_set_user_mfa_preference(
            UserPoolId=pool_id,
            Username=user.username,
            **{preferred.request_key: {"Enabled": True, "PreferredMfa": True}},
        )
    response = cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": user.username, "PASSWORD": user.password},
    )
    assert offered(response) <= said, (response.get("ChallengeName"), said)
