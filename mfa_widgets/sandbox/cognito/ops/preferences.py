"""(Admin)SetUserMFAPreference and (Admin)GetUser with email MFA and Cognito's validation.

The state logic is :class:`~mfa_widgets.core.preferences.MfaPreference` (``from_request``,
``merged_onto``, ``to_response``); this module adds the checks Cognito makes against the user and
the pool, with Cognito's messages where they are known (``cognito-mfa-semantics.md`` §3.3);
passkey MFA (``WebAuthnMfaSettings``) is checked first, by the rules of
:func:`~mfa_widgets.core.signin.passkey_mfa_refusal`.
Messages marked *inferred* below are our best reading, not quoted from AWS.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mfa_widgets.core.errors import MfaPreferenceError
from mfa_widgets.core.preferences import Factor, MfaPreference
from mfa_widgets.core.signin import Tier, passkey_mfa_refusal
from mfa_widgets.sandbox.bridge.views import PoolView, UserView
from mfa_widgets.sandbox.cognito.context import MotoResponse, RequestContext
from mfa_widgets.sandbox.store.state import UserMfaState
from mfa_widgets.sandbox.wire import WireError, invalid_parameter

__all__ = ["HANDLERS", "apply_preference", "mfa_fields"]

# inferred: AWS documents the rules ("Only one factor can be set as preferred") but not the text.
TWO_PREFERRED = "Only one factor can be set as preferred."
PREFERRED_NOT_ENABLED = "A factor cannot be set as preferred when it is not enabled."
TOTP_NOT_SET_UP = "User has not set up software token mfa"
TOTP_NOT_VERIFIED = "User has not verified software token mfa"
TOTP_ADMIN = "User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA"
# inferred, following the SOFTWARE_TOKEN_MFA pattern above
SMS_NO_PHONE = "User does not have delivery config set to turn on SMS_MFA"
EMAIL_NO_ADDRESS = "User does not have delivery config set to turn on EMAIL_OTP"
# inferred: the documented rules are "Essentials or Plus plan" and "an EmailMfaConfiguration"
EMAIL_LITE = "Email MFA is not available in the LITE feature plan: use ESSENTIALS or PLUS."
EMAIL_NOT_CONFIGURED = "Email MFA is not enabled for this user pool."
EMAIL_RECOVERY_ONLY = "Email MFA is not available when email is the only account recovery option."


def _check_passkey_mfa(ctx: RequestContext, pool: PoolView, user: UserView) -> None:
    """Refuse a request whose result would be passkey MFA on without what it needs."""
    try:
        requested = MfaPreference.from_request(ctx.body)
    except MfaPreferenceError:
        return  # the sandbox's own preference check answers with Cognito's message
    stored = ctx.state.user(pool.id, user.id).preference
    after = requested.merged_onto(stored)
    refusal = passkey_mfa_refusal(
        ctx.bridge.tier(pool), ctx.state.records.passkey_mfa_pool(pool.id), after
    )
    if refusal is not None:
        raise WireError(*refusal)


def set_user_mfa_preference(ctx: RequestContext) -> dict[str, Any]:
    """``SetUserMFAPreference`` (access token)."""
    owner = ctx.caller
    _check_passkey_mfa(ctx, owner.pool, owner.user)
    apply_preference(ctx, owner.pool, owner.user, ctx.body, admin=False)
    return {}


def admin_set_user_mfa_preference(ctx: RequestContext) -> dict[str, Any]:
    """``AdminSetUserMFAPreference`` (IAM)."""
    pool = ctx.bridge.pool(str(ctx.body.get("UserPoolId", "")))
    user = ctx.bridge.user(pool, str(ctx.body.get("Username", "")))
    _check_passkey_mfa(ctx, pool, user)
    apply_preference(ctx, pool, user, ctx.body, admin=True)
    return {}


def apply_preference(
    ctx: RequestContext, pool: PoolView, user: UserView, request: Mapping[str, Any], admin: bool
) -> MfaPreference:
    """Validate ``request`` for ``user`` and store the merged preference; returns it."""
    try:
        requested = MfaPreference.from_request(request)
    except MfaPreferenceError:
        raise invalid_parameter(_why_rejected(request)) from None
    state = ctx.state.user(pool.id, user.id)
    enabling = {f for f, s in requested if s is not None and s.enabled}
    if Factor.TOTP in enabling and not state.totp_registered:
        raise invalid_parameter(_totp_message(state, admin))
    if Factor.SMS in enabling and ctx.bridge.attribute(user, "phone_number") is None:
        raise invalid_parameter(SMS_NO_PHONE)
    if Factor.EMAIL in enabling:
        _check_email_allowed(ctx, pool, user)
    with ctx.state.lock:
        state.preference = requested.merged_onto(state.preference)
        return state.preference


def _why_rejected(request: Mapping[str, Any]) -> str:
    preferred = [
        f for f in Factor if (request.get(f.request_key) or {}).get("PreferredMfa") is True
    ]
    return TWO_PREFERRED if len(preferred) > 1 else PREFERRED_NOT_ENABLED


def _totp_message(state: UserMfaState, admin: bool) -> str:
    if admin:
        return TOTP_ADMIN
    return TOTP_NOT_VERIFIED if state.totp_associated else TOTP_NOT_SET_UP


def _check_email_allowed(ctx: RequestContext, pool: PoolView, user: UserView) -> None:
    if ctx.bridge.tier(pool) is Tier.LITE:
        raise invalid_parameter(EMAIL_LITE)
    if ctx.state.email_mfa(pool.id) is None:
        raise invalid_parameter(EMAIL_NOT_CONFIGURED)
    if ctx.bridge.recovery_is_email_only(pool):
        raise invalid_parameter(EMAIL_RECOVERY_ONLY)
    if ctx.bridge.attribute(user, "email") is None:
        raise invalid_parameter(EMAIL_NO_ADDRESS)


def mfa_fields(
    ctx: RequestContext, pool: PoolView, user: UserView, document: dict[str, Any]
) -> None:
    """Replace moto's MFA fields of a GetUser/AdminGetUser document with the sandbox's state."""
    document.pop("PreferredMfaSetting", None)
    # Left out when empty, as Cognito does (conformance case pref.admin-get-user-without-mfa).
    document.pop("UserMFASettingList", None)
    if not document.get("MFAOptions"):
        document.pop("MFAOptions", None)
    document.update(ctx.state.user(pool.id, user.id).preference.to_response())


def get_user(ctx: RequestContext) -> MotoResponse | dict[str, Any]:
    """``GetUser``: moto's answer with the sandbox's MFA fields."""
    owner = ctx.caller
    answer = ctx.forward()
    if not answer.ok:
        return answer
    document = answer.json()
    mfa_fields(ctx, owner.pool, owner.user, document)
    return document


def admin_get_user(ctx: RequestContext) -> MotoResponse | dict[str, Any]:
    """``AdminGetUser``: moto's answer with the sandbox's MFA fields."""
    answer = ctx.forward()
    if not answer.ok:
        return answer
    pool = ctx.bridge.pool(str(ctx.body.get("UserPoolId", "")))
    user = ctx.bridge.user(pool, str(ctx.body.get("Username", "")))
    document = answer.json()
    mfa_fields(ctx, pool, user, document)
    return document


HANDLERS = {
    "SetUserMFAPreference": set_user_mfa_preference,
    "AdminSetUserMFAPreference": admin_set_user_mfa_preference,
    "GetUser": get_user,
    "AdminGetUser": admin_get_user,
}
