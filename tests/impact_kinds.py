"""Every kind of pool change issue 28 lists, alone and several at once (for the impact tests)."""

from __future__ import annotations

PASSWORD_FLOWS = "USER_PASSWORD_AUTH,ADMIN_USER_PASSWORD_AUTH,USER_SRP_AUTH"
#: PoolChange keywords: pool MFA, each factor offered/withdrawn, the plan, flows, first factors.
KINDS: list[dict[str, str]] = [
    {"mfa": "OFF"},
    {"mfa": "OPTIONAL"},
    {"mfa": "ON"},
    {"offer": "SMS"},
    {"withdraw": "SMS"},
    {"offer": "TOTP"},
    {"withdraw": "TOTP"},
    {"offer": "EMAIL"},
    {"withdraw": "EMAIL"},
    {"offer": "PASSKEY"},
    {"tier": "LITE", "withdraw": "EMAIL"},
    {"tier": "PLUS"},
    {"deny_flows": "USER_PASSWORD_AUTH,ADMIN_USER_PASSWORD_AUTH"},  # SRP is left
    {"deny_flows": PASSWORD_FLOWS, "allow_flows": "USER_AUTH"},
    {
        "deny_flows": PASSWORD_FLOWS,
        "allow_flows": "USER_AUTH",
        "allow_first": "EMAIL_OTP,WEB_AUTHN",
        "withdraw_first": "PASSWORD",
    },
    {"deny_flows": PASSWORD_FLOWS},
    {"mfa": "ON", "withdraw": "SMS", "offer": "EMAIL,PASSKEY"},
]
