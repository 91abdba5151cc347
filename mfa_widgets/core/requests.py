"""The requests that set up a pool and its users: one copy for every place that provisions.

The sandbox's helpers, the sweep's :class:`~mfa_widgets.services.explore.WireProvisioner` and the
benchmarks all create pools with an MFA configuration, app clients allowing the password flows,
and users with verified contact attributes. Pure functions: they build request parameters and
send nothing.
"""

from __future__ import annotations

from typing import Any

from mfa_widgets.core.preferences import Factor
from mfa_widgets.core.signin import PoolMfaConfig

__all__ = [
    "PASSWORD_AUTH_FLOWS",
    "contact_attributes",
    "mfa_config_request",
]

#: App-client flows that let the toolkit sign users in with a password.
PASSWORD_AUTH_FLOWS = [
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
]

_CODE_MESSAGE = "Your code is {####}"


def mfa_config_request(
    pool_id: str,
    config: PoolMfaConfig,
    sms_role_arn: str = "arn:aws:iam::123456789012:role/mfa-widgets-sms",
) -> dict[str, Any]:
    """``SetUserPoolMfaConfig`` parameters for ``config``'s MFA mode and offered factors.

    SMS needs an SNS caller role (any ARN on the sandbox); TOTP is always stated, enabled or
    not; email MFA is configured only when offered.
    """
    request: dict[str, Any] = {
        "UserPoolId": pool_id,
        "MfaConfiguration": config.mode.value,
        "SoftwareTokenMfaConfiguration": {"Enabled": Factor.TOTP in config.factors},
    }
    if Factor.SMS in config.factors:
        request["SmsMfaConfiguration"] = {
            "SmsAuthenticationMessage": _CODE_MESSAGE,
            "SmsConfiguration": {"SnsCallerArn": sms_role_arn},
        }
    if Factor.EMAIL in config.factors:
        request["EmailMfaConfiguration"] = {
            "Subject": "Your sign-in code",
            "Message": _CODE_MESSAGE,
        }
    return request


def contact_attributes(phone: str | None, email: str | None) -> list[dict[str, str]]:
    """``UserAttributes`` for a phone number and an email address, both marked verified."""
    attributes: list[dict[str, str]] = []
    if phone:
        attributes += [
            {"Name": "phone_number", "Value": phone},
            {"Name": "phone_number_verified", "Value": "true"},
        ]
    if email:
        attributes += [
            {"Name": "email", "Value": email},
            {"Name": "email_verified", "Value": "true"},
        ]
    return attributes
