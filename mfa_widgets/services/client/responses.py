"""Response parsing: Cognito's answers as the core's results (pools, users, factors, events).

A sign-in step's answer is read where the step is sent
(:mod:`~mfa_widgets.services.client.signin`).
"""

from __future__ import annotations

import hashlib
import hmac
import time
from base64 import b64encode
from collections.abc import Mapping
from typing import Any

from mfa_widgets.core.preferences import Factor
from mfa_widgets.core.redaction import (
    is_secret_key,
    redact_request,
)
from mfa_widgets.core.signin import PoolMfaConfig, PoolMfaMode, Recovery, Tier


def _snake(operation: str) -> str:
    """``SetUserMFAPreference`` -> ``set_user_mfa_preference`` (boto3's method name)."""
    return _BOTO3_NAMES.get(operation) or "".join(
        f"_{c.lower()}" if c.isupper() and i else c.lower() for i, c in enumerate(operation)
    )


_BOTO3_NAMES = {
    "SetUserMFAPreference": "set_user_mfa_preference",
    "AdminSetUserMFAPreference": "admin_set_user_mfa_preference",
    "GetUserPoolMfaConfig": "get_user_pool_mfa_config",
}


def _ms_since(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def _public_response(response: Mapping[str, Any]) -> dict[str, Any]:
    """The response without metadata, sessions, tokens or secrets (nested ones redacted)."""
    return {
        k: v
        for k, v in redact_request(response).items()
        if k != "ResponseMetadata" and not is_secret_key(str(k))
    }


def _attributes(user: Mapping[str, Any]) -> dict[str, str]:
    pairs = user.get("UserAttributes") or user.get("Attributes") or []
    return {str(a["Name"]): str(a.get("Value", "")) for a in pairs}


def _user_data(response: Mapping[str, Any]) -> dict[str, Any]:
    """Non-secret facts from GetUser/AdminGetUser: username, status, attributes present."""
    attributes = _attributes(response)
    return {
        **_user_summary(response, enabled_key="enabled_user"),
        "phone_verified": attributes.get("phone_number_verified") == "true",
        "email_verified": attributes.get("email_verified") == "true",
    }


def _user_summary(user: Mapping[str, Any], enabled_key: str = "enabled") -> dict[str, Any]:
    attributes = _attributes(user)
    return {
        "username": user.get("Username"),
        "status": user.get("UserStatus"),
        enabled_key: user.get("Enabled"),
        "has_phone": bool(attributes.get("phone_number")),
        "has_email": bool(attributes.get("email")),
    }


def _pool_config(mfa: Mapping[str, Any], pool: Mapping[str, Any]) -> PoolMfaConfig:
    """Build the core's pool description from GetUserPoolMfaConfig + DescribeUserPool."""
    factors = set()
    if mfa.get("SmsMfaConfiguration"):
        factors.add(Factor.SMS)
    if (mfa.get("SoftwareTokenMfaConfiguration") or {}).get("Enabled"):
        factors.add(Factor.TOTP)
    if mfa.get("EmailMfaConfiguration"):
        factors.add(Factor.EMAIL)
    mechanisms = (pool.get("AccountRecoverySetting") or {}).get("RecoveryMechanisms") or []
    primary = min(mechanisms, key=lambda m: m.get("Priority", 99), default=None)
    recovery = Recovery(primary["Name"]) if primary else Recovery.ADMIN_ONLY
    device = pool.get("DeviceConfiguration") or {}
    tier = pool.get("UserPoolTier") or "ESSENTIALS"
    return PoolMfaConfig(
        mode=PoolMfaMode(mfa.get("MfaConfiguration") or "OFF"),
        factors=frozenset(factors),
        tier=Tier(tier),
        recovery=recovery,
        device_remembering=bool(device.get("ChallengeRequiredOnNewDevice")),
    )


def _secret_hash(username: str, client_id: str, client_secret: str) -> str:
    """The ``SECRET_HASH`` Cognito wants from app clients that have a secret."""
    digest = hmac.new(
        client_secret.encode(), (username + client_id).encode(), hashlib.sha256
    ).digest()
    return b64encode(digest).decode()


def _factors_data(response: Mapping[str, Any]) -> dict[str, Any]:
    """``ConfiguredUserAuthFactors`` and whether an authenticator app is registered."""
    factors = tuple(str(f) for f in response.get("ConfiguredUserAuthFactors") or ())
    return {
        "username": response.get("Username"),
        "factors": factors,
        "totp_registered": "SOFTWARE_TOKEN" in factors,
        "has_passkey": "WEB_AUTHN" in factors,
    }


def _event_summary(event: Mapping[str, Any]) -> dict[str, Any]:
    """One ``AuthEventType`` as plain values: when, the result, password and MFA outcomes."""
    steps = {
        str(c.get("ChallengeName")): c.get("ChallengeResponse")
        for c in event.get("ChallengeResponses") or []
    }
    return {
        "time": event.get("CreationDate"),
        "type": event.get("EventType"),
        "response": event.get("EventResponse"),
        "password": steps.get("Password"),
        "mfa": steps.get("Mfa"),
    }
