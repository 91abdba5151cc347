"""Check a boto3 answer against botocore's output shape for the operation."""

from __future__ import annotations

from typing import Any

import botocore.session
from botocore.validate import ParamValidator

_MODEL = botocore.session.get_session().get_service_model("cognito-idp")

#: The operations of the sign-in journey: auth factors, passkeys, devices, choice-based sign-in,
#: events and preferences (the wire test calls every one).
JOURNEY_OPERATIONS = frozenset(
    {
        "GetUserAuthFactors",
        "AdminGetUserAuthFactors",
        "AdminDeleteSoftwareToken",
        "StartWebAuthnRegistration",
        "CompleteWebAuthnRegistration",
        "ListWebAuthnCredentials",
        "DeleteWebAuthnCredential",
        "InitiateAuth",
        "RespondToAuthChallenge",
        "ConfirmDevice",
        "UpdateDeviceStatus",
        "ListDevices",
        "AdminListUserAuthEvents",
        "SetUserMFAPreference",
        "AdminSetUserMFAPreference",
    }
)


def assert_valid_output(operation: str, response: dict[str, Any]) -> None:
    """``response`` (ResponseMetadata aside) has only the output shape's members, well typed.

    botocore's parser drops keys the model does not know, so the wire document is what the
    parser returned; the validator then checks required members, types and enums' types.
    """
    shape = _MODEL.operation_model(operation).output_shape
    document = {k: v for k, v in response.items() if k != "ResponseMetadata"}
    if shape is None:
        assert document == {}
        return
    report = ParamValidator().validate(document, shape)
    assert not report.has_errors(), report.generate_report()
    for name, member in shape.members.items():
        enum = getattr(member, "enum", None)
        if enum and name in document:
            assert document[name] in enum, (name, document[name])


#: A pool WebAuthnConfiguration for pages served on http://localhost (passkey MFA on).
LOCALHOST_PASSKEYS = {
    "RelyingPartyId": "localhost",
    "UserVerification": "required",
    "FactorConfiguration": "MULTI_FACTOR_WITH_USER_VERIFICATION",
}


def enable_choice_sign_in(
    cognito: Any,
    pool: Any,
    first: list[str],
    webauthn: dict[str, Any] | None = LOCALHOST_PASSKEYS,
) -> None:
    """Give a sandbox pool a SignInPolicy, ALLOW_USER_AUTH on its app client, and WebAuthn.

    ``pool`` is a :class:`~mfa_widgets.sandbox.SandboxPool`; UpdateUserPool resets what it is
    not given, so the tier and MFA mode are passed again.
    """
    cognito.update_user_pool(
        UserPoolId=pool.pool_id,
        Policies={"SignInPolicy": {"AllowedFirstAuthFactors": first}},
        UserPoolTier=pool.config.tier.value,
        MfaConfiguration=pool.config.mode.value,
    )
    client = cognito.describe_user_pool_client(UserPoolId=pool.pool_id, ClientId=pool.client_id)
    flows = client["UserPoolClient"]["ExplicitAuthFlows"]
    cognito.update_user_pool_client(
        UserPoolId=pool.pool_id,
        ClientId=pool.client_id,
        ExplicitAuthFlows=[*flows, "ALLOW_USER_AUTH"],
    )
    if webauthn is not None:
        config = cognito.get_user_pool_mfa_config(UserPoolId=pool.pool_id)
        config.pop("ResponseMetadata")
        cognito.set_user_pool_mfa_config(
            UserPoolId=pool.pool_id, WebAuthnConfiguration=webauthn, **config
        )


def respond(cognito: Any, pool: Any, previous: Any, **answers: str) -> Any:
    """``RespondToAuthChallenge`` to ``previous``'s challenge, output shape checked."""
    answer = cognito.respond_to_auth_challenge(
        ClientId=pool.client_id,
        ChallengeName=previous["ChallengeName"],
        Session=previous["Session"],
        ChallengeResponses=answers,
    )
    assert_valid_output("RespondToAuthChallenge", answer)
    return answer
