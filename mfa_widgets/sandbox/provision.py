"""Create pools, users and sign-ins in a running sandbox, over the wire like any SDK would.

Everything goes through a boto3 client against the sandbox's endpoint, so provisioning exercises
the same code path as the toolkit. Passwords are generated here and returned to the caller only
(kept out of every ``repr``).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from mfa_widgets.core.errors import InvalidArgumentError
from mfa_widgets.core.preferences import Factor
from mfa_widgets.core.requests import PASSWORD_AUTH_FLOWS, contact_attributes, mfa_config_request
from mfa_widgets.core.signin import PoolMfaConfig, Recovery
from mfa_widgets.core.validation import need_flag, need_instance
from mfa_widgets.sandbox.helper_errors import (
    need_helper_text,
    need_phone,
    toolkit_errors,
)

__all__ = [
    "DemoSetup",
    "SandboxPool",
    "SandboxUser",
    "create_pool",
    "create_user",
    "generate_password",
    "provision_demo",
    "sign_in",
]


class Sandbox(Protocol):
    """What provisioning needs of a running sandbox (:class:`~mfa_widgets.sandbox.Sandbox`).

    A protocol rather than an import, so this module and the server do not import each other.
    """

    @property
    def account_id(self) -> str: ...

    def client(self) -> Any: ...

    def issue_token(self, pool: SandboxPool, username: str) -> str: ...

    def totp_code(self, pool: SandboxPool, username: str) -> str: ...

    def latest_code(self, username: str, channel: str, pool: SandboxPool | None = None) -> str: ...


@dataclass(frozen=True)
class SandboxPool:
    """A user pool created in the sandbox, with its password-flow app client."""

    pool_id: str
    client_id: str
    config: PoolMfaConfig
    name: str = "demo"


@dataclass(frozen=True)
class SandboxUser:
    """A confirmed sandbox user; ``password`` is hidden from ``repr``."""

    username: str
    password: str = field(repr=False)
    pool_id: str
    phone: str | None = None
    email: str | None = None
    totp: bool = False


@dataclass(frozen=True)
class DemoSetup:
    """The demo pool and its users (``alice``, ``bob``, ``carol``)."""

    pool: SandboxPool
    users: dict[str, SandboxUser]


def generate_password() -> str:
    """A random password meeting Cognito's default policy (upper, lower, digit, symbol)."""
    return f"Sbx-{secrets.token_urlsafe(12)}a9!"


def _parse_factors(factors: Iterable[str | Factor]) -> frozenset[Factor]:
    return frozenset(Factor.parse(f) for f in factors)


def create_pool(
    sandbox: Sandbox,
    name: str = "demo",
    mfa: str = "OPTIONAL",
    factors: Iterable[str | Factor] = ("SMS", "TOTP", "EMAIL"),
    tier: str = "ESSENTIALS",
    recovery: str | Recovery = Recovery.ADMIN_ONLY,
) -> SandboxPool:
    """Create a user pool, its MFA configuration and an app client allowing password flows.

    A refusal is a :class:`~mfa_widgets.core.errors.CognitoError` (or an
    ``InvalidArgumentError`` for a value the helper sees is wrong) and leaves no pool behind.
    """
    need_helper_text(name, "name")
    if isinstance(factors, (str, Factor)) or not isinstance(factors, Iterable):
        raise InvalidArgumentError(
            f"factors must be a list of factor names, e.g. ['SMS', 'TOTP'], not {factors!r:.40}"
        )
    wanted = _parse_factors(factors)
    config = PoolMfaConfig(mode=mfa, factors=wanted, tier=tier, recovery=recovery)  # type: ignore[arg-type]
    client = sandbox.client()
    with toolkit_errors("CreateUserPool"):
        pool_id = client.create_user_pool(
            PoolName=name,
            UserPoolTier=config.tier.value,
            AccountRecoverySetting={
                "RecoveryMechanisms": [{"Priority": 1, "Name": config.recovery.value}]
            },
        )["UserPool"]["Id"]
    try:
        sms_role = f"arn:aws:iam::{sandbox.account_id}:role/sandbox-sms"
        with toolkit_errors("SetUserPoolMfaConfig"):
            client.set_user_pool_mfa_config(**mfa_config_request(pool_id, config, sms_role))
        with toolkit_errors("CreateUserPoolClient"):
            client_id = client.create_user_pool_client(
                UserPoolId=pool_id, ClientName=f"{name}-app", ExplicitAuthFlows=PASSWORD_AUTH_FLOWS
            )["UserPoolClient"]["ClientId"]
    except Exception:
        client.delete_user_pool(UserPoolId=pool_id)  # nothing half-created is left
        raise
    return SandboxPool(pool_id=pool_id, client_id=client_id, config=config, name=name)


def create_user(
    sandbox: Sandbox,
    pool: SandboxPool,
    username: str,
    password: str | None = None,
    phone: str | None = None,
    email: str | None = None,
    totp: bool = False,
) -> SandboxUser:
    """Create a confirmed user (verified phone/email); ``totp=True`` registers an authenticator.

    A refusal (an empty or taken username, a password the pool's policy refuses) is a
    :class:`~mfa_widgets.core.errors.CognitoError` or ``InvalidArgumentError`` and leaves no
    half-created user behind.
    """
    need_instance(pool, SandboxPool, "pool", "pass the SandboxPool create_pool returned")
    need_helper_text(username, "username")
    need_helper_text(password, "password", optional=True, secret=True)
    need_helper_text(email, "email", optional=True)
    need_phone(phone)
    need_flag(totp, "totp")
    password = password or generate_password()
    client = sandbox.client()
    with toolkit_errors("AdminCreateUser"):
        client.admin_create_user(
            UserPoolId=pool.pool_id,
            Username=username,
            UserAttributes=contact_attributes(phone, email),
            MessageAction="SUPPRESS",
        )
    try:
        with toolkit_errors("AdminSetUserPassword", password):
            client.admin_set_user_password(
                UserPoolId=pool.pool_id, Username=username, Password=password, Permanent=True
            )
        if totp:
            with toolkit_errors("VerifySoftwareToken"):
                token = sandbox.issue_token(pool, username)
                client.associate_software_token(AccessToken=token)
                code = sandbox.totp_code(pool, username)
                client.verify_software_token(AccessToken=token, UserCode=code)
    except Exception:
        client.admin_delete_user(UserPoolId=pool.pool_id, Username=username)
        raise
    return SandboxUser(username, password, pool.pool_id, phone, email, totp)


def sign_in(
    sandbox: Sandbox,
    pool: SandboxPool,
    username: str,
    password: str,
    choose: str | Factor | None = None,
) -> dict[str, Any]:
    """Sign in with USER_PASSWORD_AUTH, answering every MFA challenge; returns the tokens.

    Codes come from the outbox (SMS, email) or the user's authenticator (TOTP). For
    ``SELECT_MFA_TYPE`` the factor ``choose`` is answered (default: the first offered). For
    ``MFA_SETUP`` an authenticator is set up (and so registered for the user).
    """
    need_instance(pool, SandboxPool, "pool", "pass the SandboxPool create_pool returned")
    need_helper_text(username, "username")
    need_helper_text(password, "password", secret=True)
    client = sandbox.client()
    with toolkit_errors("InitiateAuth", password):
        response = client.initiate_auth(
            ClientId=pool.client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": password},
        )
    for _ in range(5):
        if "AuthenticationResult" in response:
            result: dict[str, Any] = response["AuthenticationResult"]
            return result
        with toolkit_errors("RespondToAuthChallenge", password):
            response = _answer(sandbox, client, pool, username, response, choose)
    raise RuntimeError(f"sign-in of {username!r} did not finish after 5 challenges")


def _answer(
    sandbox: Sandbox,
    client: Any,
    pool: SandboxPool,
    username: str,
    response: dict[str, Any],
    choose: str | Factor | None,
) -> dict[str, Any]:
    challenge = response["ChallengeName"]
    session = response["Session"]
    answers = {"USERNAME": username}
    if challenge in ("SMS_MFA", "EMAIL_OTP"):
        channel = "SMS" if challenge == "SMS_MFA" else "EMAIL"
        answers[f"{challenge}_CODE"] = sandbox.latest_code(username, channel, pool=pool)
    elif challenge == "SOFTWARE_TOKEN_MFA":
        answers["SOFTWARE_TOKEN_MFA_CODE"] = sandbox.totp_code(pool, username)
    elif challenge == "SELECT_MFA_TYPE":
        import json

        options = json.loads(response["ChallengeParameters"]["MFAS_CAN_CHOOSE"])
        answers["ANSWER"] = Factor.parse(choose).api_name if choose else options[0]
    elif challenge == "MFA_SETUP":
        session = client.associate_software_token(Session=session)["Session"]
        session = client.verify_software_token(
            Session=session, UserCode=sandbox.totp_code(pool, username)
        )["Session"]
    else:
        raise RuntimeError(f"sign_in cannot answer the {challenge} challenge")
    answered: dict[str, Any] = client.respond_to_auth_challenge(
        ClientId=pool.client_id,
        ChallengeName=challenge,
        Session=session,
        ChallengeResponses=answers,
    )
    return answered


def provision_demo(sandbox: Sandbox) -> DemoSetup:
    """The demo pool (OPTIONAL MFA, SMS + TOTP + email, ESSENTIALS) and three users.

    ``alice`` has a phone number and an email address, ``bob`` an email address only, ``carol``
    an email address and a registered authenticator. Nobody has an MFA preference yet.
    """
    pool = create_pool(sandbox, name="mfa-widgets-demo")
    users = {
        "alice": create_user(
            sandbox, pool, "alice", phone="+15555550100", email="alice@example.com"
        ),
        "bob": create_user(sandbox, pool, "bob", email="bob@example.com"),
        "carol": create_user(sandbox, pool, "carol", email="carol@example.com", totp=True),
    }
    return DemoSetup(pool=pool, users=users)
