"""Every operation of the sign-in journey answers over HTTP with a document its output shape allows.

One user's journey on a real sandbox calls each auth-factor, passkey, device and sign-in operation
(and every
challenge of choice-based sign-in, passkeys and remembered devices). Each answer is checked
twice: boto3's parsed result with :func:`assert_valid_output`, and the raw HTTP body, strictly,
against the same output shape, because botocore's parser silently drops keys the model does not
know, so a parsed check alone would miss a member the sandbox invented or misspelt.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import botocore.session
import pytest

from mfa_widgets.sandbox import Sandbox, SandboxPool, SandboxUser
from mfa_widgets.services.passkey_authenticator import SoftwareAuthenticator
from mfa_widgets.services.srp import SrpProof, new_device_secret
from tests.service.shapes import (
    JOURNEY_OPERATIONS,
    assert_valid_output,
    enable_choice_sign_in,
    respond,
)

pytestmark = pytest.mark.wire  # the raw HTTP bodies are checked

_MODEL = botocore.session.get_session().get_service_model("cognito-idp")
ORIGIN = "http://localhost:8888"

#: The challenges the journey must see on the wire (choice-based sign-in, passkey, SRP, device).
JOURNEY_CHALLENGES = frozenset(
    {
        "SELECT_CHALLENGE",
        "WEB_AUTHN",
        "PASSWORD_VERIFIER",
        "DEVICE_SRP_AUTH",
        "DEVICE_PASSWORD_VERIFIER",
        "SMS_MFA",
    }
)


def shape_problems(shape: Any, value: Any, path: str = "$") -> list[str]:
    """Where a raw JSON ``value`` departs from ``shape``: unknown or missing members, types."""
    kind = shape.type_name
    if getattr(shape, "is_document_type", False):
        return []  # a Document (e.g. CredentialCreationOptions) is any JSON value
    if kind == "structure":
        if not isinstance(value, dict):
            return [f"{path}: {type(value).__name__}, not an object"]
        found = [f"{path}.{k}: not in {shape.name}" for k in value if k not in shape.members]
        found += [
            f"{path}.{k}: required, missing" for k in shape.required_members if k not in value
        ]
        for name, member in shape.members.items():
            if name in value:
                found += shape_problems(member, value[name], f"{path}.{name}")
        return found
    if kind == "list":
        if not isinstance(value, list):
            return [f"{path}: {type(value).__name__}, not a list"]
        return [
            p for i, v in enumerate(value) for p in shape_problems(shape.member, v, f"{path}[{i}]")
        ]
    if kind == "map":
        if not isinstance(value, dict):
            return [f"{path}: {type(value).__name__}, not a map"]
        return [
            p
            for k, v in value.items()
            for p in shape_problems(shape.key, k, f"{path}<key>")
            + shape_problems(shape.value, v, f"{path}[{k}]")
        ]
    expected: dict[str, tuple[type, ...]] = {
        "string": (str,),
        "blob": (str,),
        "boolean": (bool,),
        "integer": (int,),
        "long": (int,),
        "double": (int, float),
        "float": (int, float),
        "timestamp": (int, float, str),
    }
    types = expected[kind]
    if not isinstance(value, types) or (bool not in types and isinstance(value, bool)):
        return [f"{path}: {type(value).__name__}, not a {kind}"]
    enum = getattr(shape, "enum", None)
    if enum and value not in enum:
        return [f"{path}: {value!r} is not one of {shape.name}'s values"]
    return []


class WireRecorder:
    """Keeps every raw answer of a boto3 client: ``(operation, status, body)``."""

    def __init__(self, cognito: Any) -> None:
        self.calls: list[tuple[str, int, dict[str, Any]]] = []
        cognito.meta.events.register("after-call.cognito-idp", self._record)

    def _record(self, http_response: Any, model: Any, **_: Any) -> None:
        body = json.loads(http_response.content or b"{}")
        self.calls.append((model.name, http_response.status_code, body))


def _initiate(cognito: Any, pool: SandboxPool, flow: str, **parameters: str) -> Any:
    answer = cognito.initiate_auth(
        ClientId=pool.client_id, AuthFlow=flow, AuthParameters=parameters
    )
    assert_valid_output("InitiateAuth", answer)
    return answer


def test_every_journey_operation_answers_with_a_botocore_valid_document(
    sandbox: Sandbox,
    make_pool: Callable[..., SandboxPool],
    make_user: Callable[..., SandboxUser],
) -> None:
    cognito = sandbox.client()
    wire = WireRecorder(cognito)
    pool = make_pool(mfa="OPTIONAL", factors=("SMS", "TOTP"))
    enable_choice_sign_in(cognito, pool, ["PASSWORD", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"])
    first_factors = ["PASSWORD", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"]
    cognito.update_user_pool(  # UpdateUserPool resets what it is not given: all of it again
        UserPoolId=pool.pool_id,
        Policies={"SignInPolicy": {"AllowedFirstAuthFactors": first_factors}},
        UserPoolTier=pool.config.tier.value,
        MfaConfiguration=pool.config.mode.value,
        DeviceConfiguration={
            "ChallengeRequiredOnNewDevice": True,
            "DeviceOnlyRememberedOnUserPrompt": True,
        },
    )
    user = make_user(pool, totp=True)
    name = user.username
    token = sandbox.issue_token(pool, name)

    # What the user has, by token and by IAM.
    assert_valid_output("GetUserAuthFactors", cognito.get_user_auth_factors(AccessToken=token))
    assert_valid_output(
        "AdminGetUserAuthFactors",
        cognito.admin_get_user_auth_factors(UserPoolId=pool.pool_id, Username=name),
    )
    # A passkey from the software authenticator.
    authenticator = SoftwareAuthenticator(ORIGIN)
    started = cognito.start_web_authn_registration(AccessToken=token)
    assert_valid_output("StartWebAuthnRegistration", started)
    credential = authenticator.create(started["CredentialCreationOptions"])
    assert_valid_output(
        "CompleteWebAuthnRegistration",
        cognito.complete_web_authn_registration(AccessToken=token, Credential=credential),
    )
    listed = cognito.list_web_authn_credentials(AccessToken=token)
    assert_valid_output("ListWebAuthnCredentials", listed)
    # Passkey MFA on, by token and by IAM, beside SMS preferred.
    assert_valid_output(
        "SetUserMFAPreference",
        cognito.set_user_mfa_preference(
            AccessToken=token,
            SMSMfaSettings={"Enabled": True, "PreferredMfa": True},
            WebAuthnMfaSettings={"Enabled": True},
        ),
    )
    assert_valid_output(
        "AdminSetUserMFAPreference",
        cognito.admin_set_user_mfa_preference(
            UserPoolId=pool.pool_id,
            Username=name,
            SoftwareTokenMfaSettings={"Enabled": True},
            WebAuthnMfaSettings={"Enabled": True},
        ),
    )
    # USER_AUTH: SELECT_CHALLENGE, then the passkey.
    select = _initiate(cognito, pool, "USER_AUTH", USERNAME=name)
    assert select["ChallengeName"] == "SELECT_CHALLENGE"
    asked = respond(cognito, pool, select, USERNAME=name, ANSWER="WEB_AUTHN")
    assert asked["ChallengeName"] == "WEB_AUTHN"
    assertion = authenticator.get(asked["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"])
    passkey = respond(cognito, pool, asked, USERNAME=name, CREDENTIAL=json.dumps(assertion))
    assert "AuthenticationResult" in passkey
    # USER_AUTH with PREFERRED_CHALLENGE=PASSWORD_SRP: a real SRP exchange, then SMS MFA.
    srp = SrpProof(pool.pool_id, pool.client_id, name, user.password)
    verifier = _initiate(
        cognito,
        pool,
        "USER_AUTH",
        USERNAME=name,
        PREFERRED_CHALLENGE="PASSWORD_SRP",
        SRP_A=srp.srp_a,
    )
    assert verifier["ChallengeName"] == "PASSWORD_VERIFIER"
    claim = srp.answer("PASSWORD_VERIFIER", verifier["ChallengeParameters"])
    assert respond(cognito, pool, verifier, **claim)["ChallengeName"] == "SMS_MFA"
    # A device: confirmed with a real verifier, remembered on prompt, listed, then used.
    tokens = sandbox.sign_in(pool, name, user.password)
    issued = tokens["NewDeviceMetadata"]
    device = new_device_secret(issued["DeviceKey"], issued["DeviceGroupKey"])
    assert_valid_output(
        "ConfirmDevice",
        cognito.confirm_device(
            AccessToken=tokens["AccessToken"],
            DeviceKey=device.device_key,
            DeviceSecretVerifierConfig=dict(device.verifier),
            DeviceName="wire",
        ),
    )
    assert_valid_output(
        "UpdateDeviceStatus",
        cognito.update_device_status(
            AccessToken=tokens["AccessToken"],
            DeviceKey=device.device_key,
            DeviceRememberedStatus="remembered",
        ),
    )
    assert_valid_output("ListDevices", cognito.list_devices(AccessToken=tokens["AccessToken"]))
    proof = SrpProof(pool.pool_id, pool.client_id, name, device=device)
    step = _initiate(
        cognito,
        pool,
        "USER_PASSWORD_AUTH",
        USERNAME=name,
        PASSWORD=user.password,
        DEVICE_KEY=device.device_key,
    )
    for challenge in ("DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER"):
        assert step["ChallengeName"] == challenge
        answer = proof.answer(challenge, step["ChallengeParameters"])
        step = respond(cognito, pool, step, **{"USERNAME": name, **answer})
    assert "AccessToken" in step["AuthenticationResult"]
    # Clean-up operations and the record of it all.
    assert_valid_output(
        "DeleteWebAuthnCredential",
        cognito.delete_web_authn_credential(
            AccessToken=token, CredentialId=listed["Credentials"][0]["CredentialId"]
        ),
    )
    assert_valid_output(
        "AdminDeleteSoftwareToken",
        cognito.admin_delete_software_token(UserPoolId=pool.pool_id, Username=name),
    )
    assert_valid_output(
        "AdminListUserAuthEvents",
        cognito.admin_list_user_auth_events(UserPoolId=pool.pool_id, Username=name),
    )

    # The raw bodies, strictly; every operation and challenge of the API was on the wire.
    problems = [
        f"{operation}: {problem}"
        for operation, status, body in wire.calls
        for problem in shape_problems(_MODEL.operation_model(operation).output_shape, body)
        if status == 200
    ]
    assert problems == []
    assert all(status == 200 for _, status, _ in wire.calls), [c[:2] for c in wire.calls]
    called = {operation for operation, _, _ in wire.calls}
    assert called >= JOURNEY_OPERATIONS, JOURNEY_OPERATIONS - called
    seen = {body.get("ChallengeName") for _, _, body in wire.calls} - {None}
    assert seen >= JOURNEY_CHALLENGES, JOURNEY_CHALLENGES - seen


def test_the_strict_check_finds_what_the_parsed_check_cannot() -> None:
    # The raw check refuses what botocore's parser would silently drop or mistype.
    shape = _MODEL.operation_model("GetUserAuthFactors").output_shape
    good = {"Username": "a", "ConfiguredUserAuthFactors": ["PASSWORD"]}
    assert shape_problems(shape, good) == []
    assert shape_problems(shape, {**good, "Extra": 1}) == [
        "$.Extra: not in GetUserAuthFactorsResponse"
    ]
    assert shape_problems(shape, {"ConfiguredUserAuthFactors": ["PASSWORD"]}) == [
        "$.Username: required, missing"
    ]
    assert shape_problems(shape, {**good, "ConfiguredUserAuthFactors": ["PASSKEY"]})
    listing = _MODEL.operation_model("ListDevices").output_shape
    assert shape_problems(listing, {"Devices": [{"DeviceKey": 5}]})
