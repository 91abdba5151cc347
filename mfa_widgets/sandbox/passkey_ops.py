"""Passkeys: Start/CompleteWebAuthnRegistration, List/DeleteWebAuthnCredential, WEB_AUTHN checks.

Registration and assertion are verified with the ``webauthn`` library (py_webauthn) against the
pool's ``WebAuthnConfiguration``: the relying party ID, user verification when ``required``, and
an origin whose host is the relying party ID (or a subdomain), over https, or http for
``localhost`` (browsers treat ``http://localhost`` as a secure context).

Errors follow the service model's declarations; which one Cognito raises in each case is our
reading of the exception documentation (inferred): no ``RelyingPartyId`` ->
``WebAuthnConfigurationMissingException``; ``WEB_AUTHN`` not in the pool's
``AllowedFirstAuthFactors`` -> ``WebAuthnNotEnabledException``; no open (or an expired) ceremony ->
``WebAuthnChallengeNotFoundException``; another app client -> ``WebAuthnClientMismatchException``;
wrong relying party -> ``WebAuthnRelyingPartyMismatchException``; wrong origin ->
``WebAuthnOriginNotAllowedException``; an algorithm or format the library refuses ->
``WebAuthnCredentialNotSupportedException``; more than 20 passkeys -> ``LimitExceededException``.
"""

from __future__ import annotations

import json
import time
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from mfa_widgets.sandbox.access import authorize
from mfa_widgets.sandbox.auth_factor_ops import choice_pool
from mfa_widgets.sandbox.context import RequestContext
from mfa_widgets.sandbox.service_model import documented_errors
from mfa_widgets.sandbox.surface_state import (
    REGISTRATION_SECONDS,
    Passkey,
    PendingRegistration,
    UserSurface,
    expired,
    now_utc,
    page_of,
    surface_of,
)
from mfa_widgets.sandbox.views import PoolView, UserView
from mfa_widgets.sandbox.wire import CognitoError, invalid_parameter

__all__ = ["HANDLERS", "assertion_options", "verify_assertion"]

#: Passkeys per user (inferred quota).
MAX_PASSKEYS = 20
_TIMEOUT_MS = int(REGISTRATION_SECONDS * 1000)


def _config(ctx: RequestContext, pool: PoolView) -> dict[str, Any]:
    """The pool's WebAuthn configuration, refusing pools that cannot do passkeys."""
    config = surface_of(ctx.state).webauthn_config(pool.id) or {}
    if not config.get("RelyingPartyId"):
        missing = "WebAuthnConfigurationMissingException"
        raise CognitoError(
            # the model declares it for the Start* operations only; Complete* says not enabled
            missing
            if missing in documented_errors(ctx.operation)
            else "WebAuthnNotEnabledException",
            "The user pool has no WebAuthnConfiguration RelyingPartyId: set one with "
            "SetUserPoolMfaConfig.",
        )
    # Passkey MFA applies only when a passkey is the first factor: WEB_AUTHN must be allowed.
    if "WEB_AUTHN" not in choice_pool(ctx, pool).first_factors:
        raise CognitoError(
            "WebAuthnNotEnabledException",
            "Passkeys are not enabled for this user pool: add WEB_AUTHN to "
            "SignInPolicy.AllowedFirstAuthFactors.",
        )
    return config


def _uv_required(config: dict[str, Any]) -> bool:
    return config.get("UserVerification") == "required"


def _origin(credential: dict[str, Any], rp_id: str) -> str:
    """The ceremony's origin from clientDataJSON, checked against the relying party ID."""
    try:
        client_data = json.loads(base64url_to_bytes(credential["response"]["clientDataJSON"]))
        origin = str(client_data["origin"])
    except (KeyError, TypeError, ValueError):
        raise invalid_parameter(
            "Credential is not a WebAuthn response (no clientDataJSON)."
        ) from None
    parts = urlsplit(origin)
    host = parts.hostname or ""
    secure = parts.scheme == "https" or (parts.scheme == "http" and host == "localhost")
    if not secure or not (host == rp_id or host.endswith("." + rp_id)):
        raise CognitoError(
            "WebAuthnOriginNotAllowedException",
            f"Origin {origin} does not match the user pool relying party id {rp_id}.",
        )
    return origin


def _library_error(error: WebAuthnException) -> CognitoError:
    text = str(error)
    if "RP ID" in text or "rpIdHash" in text:
        return CognitoError("WebAuthnRelyingPartyMismatchException", text)
    if "challenge" in text.lower():
        return CognitoError("WebAuthnChallengeNotFoundException", text)
    if "algorithm" in text.lower() or "format" in text.lower() or "Unsupported" in text:
        return CognitoError("WebAuthnCredentialNotSupportedException", text)
    return invalid_parameter(text)


def _credential_document(value: object) -> dict[str, Any]:
    document = json.loads(value) if isinstance(value, str) else value
    if not isinstance(document, dict):
        raise invalid_parameter("Credential must be a WebAuthn JSON object.")
    return document


# -- registration ------------------------------------------------------------------------------


def start_web_authn_registration(ctx: RequestContext) -> dict[str, Any]:
    """``StartWebAuthnRegistration``: creation options, one open ceremony per user."""
    owner = authorize(ctx.bridge, ctx.body.get("AccessToken"))
    config = _config(ctx, owner.pool)
    surface = surface_of(ctx.state).user(owner.pool.id, owner.user.id)
    if len(surface.passkeys) >= MAX_PASSKEYS:
        raise CognitoError("LimitExceededException", "The user has the most passkeys allowed.")
    rp_id = str(config["RelyingPartyId"])
    options = generate_registration_options(
        rp_id=rp_id,
        rp_name=str(getattr(owner.pool, "name", "") or rp_id),
        user_id=str(owner.user.id).encode(),
        user_name=owner.user.username,
        timeout=_TIMEOUT_MS,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement(config["UserVerification"]),
        ),
        exclude_credentials=[
            PublicKeyCredentialDescriptor(id=base64url_to_bytes(p.credential_id))
            for p in surface.passkeys
        ],
    )
    with ctx.state.lock:
        surface.pending = PendingRegistration(
            challenge=options.challenge,
            client_id=owner.client_id,
            relying_party_id=rp_id,
            expires_at=time.time() + REGISTRATION_SECONDS,
        )
    return {"CredentialCreationOptions": json.loads(options_to_json(options))}


def complete_web_authn_registration(ctx: RequestContext) -> dict[str, Any]:
    """``CompleteWebAuthnRegistration``: verify the attestation and keep the passkey."""
    owner = authorize(ctx.bridge, ctx.body.get("AccessToken"))
    config = _config(ctx, owner.pool)
    surface = surface_of(ctx.state).user(owner.pool.id, owner.user.id)
    pending = surface.pending
    if pending is None or expired(pending.expires_at):
        raise CognitoError(
            "WebAuthnChallengeNotFoundException",
            "No registration is in progress, or it expired: call StartWebAuthnRegistration.",
        )
    if pending.client_id != owner.client_id:
        raise CognitoError(
            "WebAuthnClientMismatchException",
            "The access token is for another app client than StartWebAuthnRegistration's.",
        )
    credential = _credential_document(ctx.body.get("Credential"))
    origin = _origin(credential, pending.relying_party_id)
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=pending.challenge,
            expected_rp_id=pending.relying_party_id,
            expected_origin=origin,
            require_user_verification=_uv_required(config),
        )
    except WebAuthnException as error:
        raise _library_error(error) from None
    passkey = Passkey(
        credential_id=bytes_to_base64url(verified.credential_id),
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        relying_party_id=pending.relying_party_id,
        created_at=now_utc(),
        name=f"passkey {len(surface.passkeys) + 1}",
        attachment=credential.get("authenticatorAttachment"),
        transports=tuple(credential.get("response", {}).get("transports") or ()),
    )
    with ctx.state.lock:
        surface.passkeys.append(passkey)
        surface.pending = None
    return {}


def list_web_authn_credentials(ctx: RequestContext) -> dict[str, Any]:
    """``ListWebAuthnCredentials``: pages of ``MaxResults`` (default 20)."""
    owner = authorize(ctx.bridge, ctx.body.get("AccessToken"))
    passkeys = surface_of(ctx.state).user(owner.pool.id, owner.user.id).passkeys
    page, following = page_of(passkeys, ctx.body.get("NextToken"), ctx.body.get("MaxResults"), 20)
    document: dict[str, Any] = {
        "Credentials": [
            {
                "CredentialId": p.credential_id,
                "FriendlyCredentialName": p.name,
                "RelyingPartyId": p.relying_party_id,
                **({"AuthenticatorAttachment": p.attachment} if p.attachment else {}),
                "AuthenticatorTransports": list(p.transports),
                "CreatedAt": p.created_at.timestamp(),
            }
            for p in page
        ]
    }
    if following is not None:
        document["NextToken"] = following
    return document


def delete_web_authn_credential(ctx: RequestContext) -> dict[str, Any]:
    """``DeleteWebAuthnCredential``."""
    owner = authorize(ctx.bridge, ctx.body.get("AccessToken"))
    surface = surface_of(ctx.state).user(owner.pool.id, owner.user.id)
    wanted = str(ctx.body.get("CredentialId", ""))
    with ctx.state.lock:
        kept = [p for p in surface.passkeys if p.credential_id != wanted]
        if len(kept) == len(surface.passkeys):
            raise CognitoError("ResourceNotFoundException", "Credential not found.")
        surface.passkeys[:] = kept
    return {}


# -- sign-in with a passkey -------------------------------------------------------------------


def assertion_options(ctx: RequestContext, pool: PoolView, user: UserView) -> tuple[bytes, str]:
    """A new assertion challenge and its ``CREDENTIAL_REQUEST_OPTIONS`` JSON for ``user``."""
    config = _config(ctx, pool)
    surface = surface_of(ctx.state).user(pool.id, user.id)
    options = generate_authentication_options(
        rp_id=str(config["RelyingPartyId"]),
        timeout=_TIMEOUT_MS,
        allow_credentials=[
            PublicKeyCredentialDescriptor(id=base64url_to_bytes(p.credential_id))
            for p in surface.passkeys
        ],
        user_verification=UserVerificationRequirement(config["UserVerification"]),
    )
    return options.challenge, options_to_json(options)


def verify_assertion(
    ctx: RequestContext, pool: PoolView, user: UserView, credential_text: object, challenge: bytes
) -> None:
    """Check a ``CREDENTIAL`` (AuthenticationResponseJSON) against the user's passkeys.

    Passkey MFA needs user verification whatever the pool's setting (service model).
    """
    config = _config(ctx, pool)
    surface: UserSurface = surface_of(ctx.state).user(pool.id, user.id)
    credential = _credential_document(credential_text)
    passkey = next((p for p in surface.passkeys if p.credential_id == credential.get("id")), None)
    if passkey is None:
        raise CognitoError("NotAuthorizedException", "Incorrect passkey.")
    stored = ctx.state.user(pool.id, user.id).preference
    try:
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=passkey.relying_party_id,
            expected_origin=_origin(credential, passkey.relying_party_id),
            credential_public_key=passkey.public_key,
            credential_current_sign_count=passkey.sign_count,
            require_user_verification=_uv_required(config) or bool(stored.webauthn),
        )
    except WebAuthnException as error:
        raise CognitoError("NotAuthorizedException", f"Incorrect passkey: {error}") from None
    with ctx.state.lock:
        surface.passkeys[:] = [
            replace(p, sign_count=verified.new_sign_count) if p is passkey else p
            for p in surface.passkeys
        ]


HANDLERS = {
    "StartWebAuthnRegistration": start_web_authn_registration,
    "CompleteWebAuthnRegistration": complete_web_authn_registration,
    "ListWebAuthnCredentials": list_web_authn_credentials,
    "DeleteWebAuthnCredential": delete_web_authn_credential,
}
