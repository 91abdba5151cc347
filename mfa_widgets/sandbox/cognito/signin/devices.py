"""Device tracking: new-device metadata, ConfirmDevice, remembered devices skipping MFA.

When the pool has a ``DeviceConfiguration``, a sign-in that ends in tokens without a known
``DEVICE_KEY`` carries ``NewDeviceMetadata``; ``ConfirmDevice`` confirms that device, remembered
at once unless ``DeviceOnlyRememberedOnUserPrompt`` (then ``UserConfirmationNecessary`` and
``UpdateDeviceStatus``). A later sign-in presenting a remembered ``DEVICE_KEY`` goes through
``DEVICE_SRP_AUTH`` and ``DEVICE_PASSWORD_VERIFIER`` instead of the MFA challenge when the rules
say so: :func:`~mfa_widgets.core.signin.predict_challenge` with a remembered-device context
(row 17: a code or choice is replaced, ``MFA_SETUP`` and errors are not). Sources: service model
``DeviceConfigurationType`` and AuthParameters ``DEVICE_KEY``; the device-tracking guide. The
device SRP proof is checked for real (:mod:`.srp`) against the verifier sent
with ``ConfirmDevice``; a wrong proof is ``NotAuthorizedException`` (its message is our
inference). Device sign-in with ``USER_PASSWORD_AUTH`` (not only ``USER_SRP_AUTH``) is our
inference.
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from mfa_widgets.core.signin import SignInContext, predict_challenge
from mfa_widgets.sandbox.bridge.views import PoolView, UserView
from mfa_widgets.sandbox.cognito.context import RequestContext
from mfa_widgets.sandbox.cognito.signin.facts import SignInFacts
from mfa_widgets.sandbox.cognito.signin.srp import ServerSrp, verifier_from_config
from mfa_widgets.sandbox.store.records import (
    Device,
    UserRecords,
    now_utc,
    page_of,
)
from mfa_widgets.sandbox.store.state import ChallengeSession
from mfa_widgets.sandbox.wire import WireError, invalid_parameter, not_authorized, required

__all__ = [
    "HANDLERS",
    "device_challenge",
    "device_exchange",
    "remembered",
    "with_new_device",
]

_NOT_FOUND = "Device does not exist."


def _devices(ctx: RequestContext, pool: PoolView, user: UserView) -> UserRecords:
    return ctx.state.records.user(pool.id, user.id)


def _tracking(ctx: RequestContext, pool: PoolView) -> dict[str, Any] | None:
    config = ctx.bridge.setting(pool, "DeviceConfiguration")
    return config if isinstance(config, dict) else None


def with_new_device(
    ctx: RequestContext, pool: PoolView, user: UserView, result: dict[str, Any], device_key: object
) -> dict[str, Any]:
    """Add ``NewDeviceMetadata`` to a successful sign-in from an unknown device."""
    tokens = result.get("AuthenticationResult")
    if not isinstance(tokens, dict) or _tracking(ctx, pool) is None:
        return result
    user_records = _devices(ctx, pool, user)
    if isinstance(device_key, str) and device_key in user_records.devices:
        with ctx.state.lock:
            user_records.devices[device_key].last_authenticated = now_utc()
        return result
    device = Device(
        key=f"{pool.region}_{uuid.uuid4()}",
        group_key=f"-{secrets.token_urlsafe(9)}",
        created_at=now_utc(),
    )
    ctx.state.records.issue_device(pool.id, user.id, device)
    metadata = {"DeviceKey": device.key, "DeviceGroupKey": device.group_key}
    return {**result, "AuthenticationResult": {**tokens, "NewDeviceMetadata": metadata}}


def device_challenge(
    ctx: RequestContext,
    facts: SignInFacts,
    user: UserView,
    device_key: object,
    first_factor: str,
) -> dict[str, Any] | None:
    """``DEVICE_SRP_AUTH`` when a remembered device replaces the MFA challenge, else ``None``.

    Decided on the facts the sign-in read once (:func:`~.facts.gather`).
    """
    pool, client_id = facts.pool, facts.client.id
    if not isinstance(device_key, str) or facts.mfa is None or facts.user_mfa is None:
        return None
    device = _devices(ctx, pool, user).devices.get(device_key)
    if device is None or not device.remembered:
        return None
    context = SignInContext(remembered_device=True)
    if predict_challenge(facts.mfa, facts.user_mfa, context).challenge != "DEVICE_SRP_AUTH":
        return None
    session = ctx.state.open_session(
        pool_id=pool.id,
        client_id=client_id,
        username=user.username,
        challenge="DEVICE_SRP_AUTH",
        first_factor=first_factor,
        device_key=device_key,
    )
    return {
        "ChallengeName": "DEVICE_SRP_AUTH",
        "Session": session.session_id,
        "ChallengeParameters": {"USERNAME": user.username},
    }


def remembered(
    ctx: RequestContext, session: ChallengeSession, pool: PoolView, user: UserView, answers: Any
) -> Device:
    """The remembered device an answer to a device challenge is about."""
    if required(answers, "DEVICE_KEY") != session.device_key:
        raise invalid_parameter("DEVICE_KEY does not match the device of this sign-in.")
    device = _devices(ctx, pool, user).devices.get(str(session.device_key))
    if device is None or not device.remembered:
        raise not_authorized("Device is not remembered.")
    return device


def device_exchange(
    ctx: RequestContext, session: ChallengeSession, device: Device, username: str, answers: Any
) -> dict[str, Any]:
    """``DEVICE_SRP_AUTH`` answered: the session advances to ``DEVICE_PASSWORD_VERIFIER``."""
    try:
        server = ServerSrp(device.verifier, device.salt_hex, required(answers, "SRP_A"))
    except ValueError as error:
        raise invalid_parameter(f"SRP_A: {error}") from None
    successor = ctx.state.advance_session(
        session, challenge="DEVICE_PASSWORD_VERIFIER", proof=server
    )
    if successor is None:
        raise not_authorized("Invalid session for the user.")
    return {
        "ChallengeName": "DEVICE_PASSWORD_VERIFIER",
        "Session": successor.session_id,
        "ChallengeParameters": {
            **server.parameters,
            "USERNAME": username,
            "DEVICE_KEY": str(session.device_key),
        },
    }


# -- the device operations -----------------------------------------------------------------------


def _public(ctx: RequestContext) -> tuple[Any, Any]:
    owner = ctx.caller
    return owner.pool, owner.user


def _admin(ctx: RequestContext) -> tuple[Any, Any]:
    pool = ctx.bridge.pool(str(ctx.body.get("UserPoolId", "")))
    return pool, ctx.bridge.user(pool, str(ctx.body.get("Username", "")))


def _device(ctx: RequestContext, pool: PoolView, user: UserView, confirmed: bool = True) -> Device:
    device = _devices(ctx, pool, user).devices.get(str(ctx.body.get("DeviceKey", "")))
    if device is None or (confirmed and not device.confirmed):
        raise WireError("ResourceNotFoundException", _NOT_FOUND)
    return device


def confirm_device(ctx: RequestContext) -> dict[str, Any]:
    """``ConfirmDevice``: the device issued at sign-in, with its SRP verifier."""
    pool, user = _public(ctx)
    device = _device(ctx, pool, user, confirmed=False)
    verifier = ctx.body.get("DeviceSecretVerifierConfig") or {}
    if not verifier.get("PasswordVerifier") or not verifier.get("Salt"):
        raise invalid_parameter("DeviceSecretVerifierConfig needs PasswordVerifier and Salt.")
    try:
        value, salt = verifier_from_config(verifier)
    except ValueError as error:
        raise invalid_parameter(str(error)) from None
    prompt = bool((_tracking(ctx, pool) or {}).get("DeviceOnlyRememberedOnUserPrompt"))
    with ctx.state.lock:
        device.verifier, device.salt_hex = value, salt
        device.confirmed = True
        device.name = str(ctx.body.get("DeviceName") or "")
        device.remembered = not prompt
    return {"UserConfirmationNecessary": prompt}


def _set_status(ctx: RequestContext, pool: PoolView, user: UserView) -> dict[str, Any]:
    status = ctx.body.get("DeviceRememberedStatus", "remembered")
    if status not in ("remembered", "not_remembered"):
        raise invalid_parameter("DeviceRememberedStatus must be remembered or not_remembered.")
    device = _device(ctx, pool, user)
    with ctx.state.lock:
        device.remembered = status == "remembered"
    return {}


def _list(ctx: RequestContext, pool: PoolView, user: UserView) -> dict[str, Any]:
    devices = [d for d in _devices(ctx, pool, user).devices.values() if d.confirmed]
    page, following = page_of(devices, ctx.body.get("PaginationToken"), ctx.body.get("Limit"), 60)
    document: dict[str, Any] = {"Devices": [d.to_wire() for d in page]}
    if following is not None:
        document["PaginationToken"] = following
    return document


def _forget(ctx: RequestContext, pool: PoolView, user: UserView) -> dict[str, Any]:
    device = _device(ctx, pool, user)
    with ctx.state.lock:
        _devices(ctx, pool, user).devices.pop(device.key, None)
    return {}


def _get(ctx: RequestContext, pool: PoolView, user: UserView) -> dict[str, Any]:
    return {"Device": _device(ctx, pool, user).to_wire()}


def update_device_status(ctx: RequestContext) -> dict[str, Any]:
    """``UpdateDeviceStatus`` (access token)."""
    return _set_status(ctx, *_public(ctx))


def admin_update_device_status(ctx: RequestContext) -> dict[str, Any]:
    """``AdminUpdateDeviceStatus`` (IAM)."""
    return _set_status(ctx, *_admin(ctx))


def list_devices(ctx: RequestContext) -> dict[str, Any]:
    """``ListDevices`` (access token)."""
    return _list(ctx, *_public(ctx))


def admin_list_devices(ctx: RequestContext) -> dict[str, Any]:
    """``AdminListDevices`` (IAM)."""
    return _list(ctx, *_admin(ctx))


def forget_device(ctx: RequestContext) -> dict[str, Any]:
    """``ForgetDevice`` (access token)."""
    return _forget(ctx, *_public(ctx))


def admin_forget_device(ctx: RequestContext) -> dict[str, Any]:
    """``AdminForgetDevice`` (IAM)."""
    return _forget(ctx, *_admin(ctx))


def get_device(ctx: RequestContext) -> dict[str, Any]:
    """``GetDevice`` (access token)."""
    return _get(ctx, *_public(ctx))


def admin_get_device(ctx: RequestContext) -> dict[str, Any]:
    """``AdminGetDevice`` (IAM)."""
    return _get(ctx, *_admin(ctx))


HANDLERS = {
    "ConfirmDevice": confirm_device,
    "UpdateDeviceStatus": update_device_status,
    "AdminUpdateDeviceStatus": admin_update_device_status,
    "ListDevices": list_devices,
    "AdminListDevices": admin_list_devices,
    "ForgetDevice": forget_device,
    "AdminForgetDevice": admin_forget_device,
    "GetDevice": get_device,
    "AdminGetDevice": admin_get_device,
}
