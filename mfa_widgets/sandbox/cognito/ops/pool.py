"""User-pool MFA configuration: email MFA kept, the feature plan honoured, DescribeUserPool fresh.

moto drops ``EmailMfaConfiguration``, ignores ``UserPoolTier`` and lets ``DescribeUserPool``
report the ``MfaConfiguration`` given at creation after it changed (``moto-cognito-mfa.md`` §2.3).
``WebAuthnConfiguration`` is kept: ``MULTI_FACTOR_WITH_USER_VERIFICATION`` needs Essentials or
higher (documented, ``FeatureUnavailableInTierException``); a request without the block removes
it (inferred: ``SetUserPoolMfaConfig`` sets the whole MFA configuration).
"""

from __future__ import annotations

from typing import Any

from mfa_widgets.core.signin import Tier
from mfa_widgets.sandbox.bridge.views import PoolView
from mfa_widgets.sandbox.cognito.context import Handler, MotoResponse, RequestContext
from mfa_widgets.sandbox.cognito.pool_mfa import mfa_document
from mfa_widgets.sandbox.wire import WireError, invalid_parameter

__all__ = ["HANDLERS"]

_MODES = ("ON", "OFF", "OPTIONAL")
# inferred: the exception is documented for this case, the wording is ours.
EMAIL_NEEDS_TIER = (
    "Email MFA is not available in the LITE feature plan. "
    "Upgrade the user pool to ESSENTIALS or PLUS."
)
_FACTOR_CONFIGURATIONS = ("SINGLE_FACTOR", "MULTI_FACTOR_WITH_USER_VERIFICATION")
_USER_VERIFICATION = ("required", "preferred")
# documented rule (WebAuthnConfigurationType.FactorConfiguration), wording ours
PASSKEY_MFA_NEEDS_TIER = (
    "MULTI_FACTOR_WITH_USER_VERIFICATION requires the ESSENTIALS or PLUS feature plan."
)


def _webauthn_config(ctx: RequestContext, pool: PoolView, block: object) -> dict[str, Any] | None:
    if block is None:
        return None
    if not isinstance(block, dict):
        raise invalid_parameter("WebAuthnConfiguration must be a structure.")
    config = {k: v for k, v in block.items() if v is not None}
    factor = config.setdefault("FactorConfiguration", "SINGLE_FACTOR")
    if factor not in _FACTOR_CONFIGURATIONS:
        raise invalid_parameter(
            f"FactorConfiguration must be one of {', '.join(_FACTOR_CONFIGURATIONS)}."
        )
    if config.setdefault("UserVerification", "preferred") not in _USER_VERIFICATION:
        raise invalid_parameter("UserVerification must be one of required, preferred.")
    if factor != "SINGLE_FACTOR" and ctx.bridge.tier(pool) is Tier.LITE:
        raise WireError("FeatureUnavailableInTierException", PASSKEY_MFA_NEEDS_TIER)
    return config


def set_user_pool_mfa_config(ctx: RequestContext) -> dict[str, Any]:
    """``SetUserPoolMfaConfig``: every block replaces the stored one (moto's semantics)."""
    pool = ctx.bridge.pool(str(ctx.body.get("UserPoolId", "")))
    webauthn = _webauthn_config(ctx, pool, ctx.body.get("WebAuthnConfiguration"))
    mode = (
        ctx.body.get("MfaConfiguration") or ctx.bridge.stored_mfa_blocks(pool)["MfaConfiguration"]
    )
    if mode not in _MODES:
        raise invalid_parameter("[MfaConfiguration] must be one of 'ON', 'OFF', or 'OPTIONAL'.")
    sms = ctx.body.get("SmsMfaConfiguration")
    token = ctx.body.get("SoftwareTokenMfaConfiguration")
    email = ctx.body.get("EmailMfaConfiguration")
    if email is not None and ctx.bridge.tier(pool) is Tier.LITE:
        raise WireError("FeatureUnavailableInTierException", EMAIL_NEEDS_TIER)
    if sms is not None and "SmsConfiguration" not in sms:
        raise invalid_parameter("[SmsConfiguration] is a required member of [SmsMfaConfiguration].")
    if mode != "OFF" and not (sms or (token or {}).get("Enabled") or email is not None):
        raise invalid_parameter(
            "At least one of [SmsMfaConfiguration], [SoftwareTokenMfaConfiguration] or "
            "[EmailMfaConfiguration] must be enabled when MfaConfiguration is ON or OPTIONAL."
        )
    ctx.bridge.set_mfa_config(pool, sms, token, mode)
    ctx.state.set_email_mfa(pool.id, email)
    ctx.state.records.set_webauthn_config(pool.id, webauthn)
    return _document(ctx, pool)


def get_user_pool_mfa_config(ctx: RequestContext) -> dict[str, Any]:
    """``GetUserPoolMfaConfig`` with ``EmailMfaConfiguration`` and ``WebAuthnConfiguration``."""
    pool = ctx.bridge.pool(str(ctx.body.get("UserPoolId", "")))
    return _document(ctx, pool)


def _document(ctx: RequestContext, pool: PoolView) -> dict[str, Any]:
    document = mfa_document(ctx.bridge, ctx.state, pool)
    webauthn = ctx.state.records.webauthn_config(pool.id)
    if webauthn is not None:
        document["WebAuthnConfiguration"] = webauthn
    return document


def describe_user_pool(ctx: RequestContext) -> MotoResponse | dict[str, Any]:
    """``DescribeUserPool`` with the current ``MfaConfiguration``."""
    answer = ctx.forward()
    if not answer.ok:
        return answer
    document = answer.json()
    pool = ctx.bridge.pool(str(ctx.body.get("UserPoolId", "")))
    mode = ctx.bridge.stored_mfa_blocks(pool)["MfaConfiguration"]
    document.setdefault("UserPool", {})["MfaConfiguration"] = mode
    return document


#: App clients per user pool: Cognito's quota ("Quotas in Amazon Cognito", Quotas on resource
#: number and size: app clients per user pool, 1,000). Past it ``CreateUserPoolClient`` is
#: refused with ``LimitExceededException`` (an error the API reference lists for the
#: operation; the message is ours).
MAX_APP_CLIENTS = 1000


def create_user_pool_client(ctx: RequestContext) -> MotoResponse:
    """``CreateUserPoolClient``, refused past :data:`MAX_APP_CLIENTS` clients in the pool."""
    pool = ctx.bridge.pool(str(ctx.body.get("UserPoolId", "")))
    if len(ctx.bridge.client_ids(pool)) >= MAX_APP_CLIENTS:
        raise WireError(
            "LimitExceededException",
            f"The user pool already has {MAX_APP_CLIENTS} app clients, the most Amazon Cognito "
            "allows: delete one first.",
        )
    return ctx.forward()


HANDLERS: dict[str, Handler] = {
    "CreateUserPoolClient": create_user_pool_client,
    "SetUserPoolMfaConfig": set_user_pool_mfa_config,
    "GetUserPoolMfaConfig": get_user_pool_mfa_config,
    "DescribeUserPool": describe_user_pool,
}
