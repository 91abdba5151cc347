"""Passkeys: Start/CompleteWebAuthnRegistration, List/DeleteWebAuthnCredential.

Registration (here) and assertion (:mod:`mfa_widgets.sandbox.cognito.signin.webauthn`) are
verified with the ``webauthn`` library (py_webauthn) against the pool's
``WebAuthnConfiguration``: the relying party ID, user verification when ``required``, and an
origin whose host is the relying party ID (or a subdomain), over https, or http for
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
from typing import Any

from mfa_widgets.sandbox.cognito.context import RequestContext
from mfa_widgets.sandbox.cognito.signin.webauthn import (
    credential_document,
    library_error,
    origin_of,
    uv_required,
    webauthn_config,
)
from mfa_widgets.sandbox.store.records import (
    REGISTRATION_SECONDS,
    Passkey,
    PendingRegistration,
    expired,
    now_utc,
    page_of,
)
from mfa_widgets.sandbox.wire import WireError, invalid_parameter

__all__ = ["HANDLERS"]

#: Passkeys per user (inferred quota).
MAX_PASSKEYS = 20

#: The ``timeout`` the creation options ask the browser for (the AWS CLI example's 60000 ms);
#: the sandbox keeps the ceremony open longer (``REGISTRATION_SECONDS``).
CREATION_TIMEOUT_MS = 60_000


# -- registration ------------------------------------------------------------------------------


def start_web_authn_registration(ctx: RequestContext) -> dict[str, Any]:
    """``StartWebAuthnRegistration``: creation options, one open ceremony per user."""
    # webauthn is imported on the first passkey call, not at start (a tenth of a cold start)
    from webauthn import generate_registration_options, options_to_json
    from webauthn.helpers import base64url_to_bytes
    from webauthn.helpers.cose import COSEAlgorithmIdentifier
    from webauthn.helpers.structs import (
        AuthenticatorSelectionCriteria,
        PublicKeyCredentialDescriptor,
        ResidentKeyRequirement,
        UserVerificationRequirement,
    )

    owner = ctx.caller
    config = webauthn_config(ctx, owner.pool)
    user_records = ctx.state.records.user(owner.pool.id, owner.user.id)
    if len(user_records.passkeys) >= MAX_PASSKEYS:
        raise WireError("LimitExceededException", "The user has the most passkeys allowed.")
    rp_id = str(config["RelyingPartyId"])
    # conformance case passkey.registration-options (AWS CLI example): the relying party's name
    # is its id, the timeout 60 s, the algorithms ES256 then RS256.
    options = generate_registration_options(
        rp_id=rp_id,
        rp_name=rp_id,
        user_id=str(owner.user.id).encode(),
        user_name=owner.user.username,
        timeout=CREATION_TIMEOUT_MS,
        supported_pub_key_algs=[
            COSEAlgorithmIdentifier.ECDSA_SHA_256,
            COSEAlgorithmIdentifier.RSASSA_PKCS1_v1_5_SHA_256,
        ],
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement(config["UserVerification"]),
        ),
        exclude_credentials=[
            PublicKeyCredentialDescriptor(id=base64url_to_bytes(p.credential_id))
            for p in user_records.passkeys
        ],
    )
    with ctx.state.lock:
        user_records.pending = PendingRegistration(
            challenge=options.challenge,
            client_id=owner.client_id,
            relying_party_id=rp_id,
            expires_at=time.time() + REGISTRATION_SECONDS,
        )
    return {"CredentialCreationOptions": json.loads(options_to_json(options))}


def complete_web_authn_registration(ctx: RequestContext) -> dict[str, Any]:
    """``CompleteWebAuthnRegistration``: verify the attestation and keep the passkey."""
    from webauthn import verify_registration_response
    from webauthn.helpers import bytes_to_base64url
    from webauthn.helpers.exceptions import WebAuthnException

    owner = ctx.caller
    config = webauthn_config(ctx, owner.pool)
    user_records = ctx.state.records.user(owner.pool.id, owner.user.id)
    pending = user_records.pending
    if pending is None or expired(pending.expires_at):
        raise WireError(
            "WebAuthnChallengeNotFoundException",
            "No registration is in progress, or it expired: call StartWebAuthnRegistration.",
        )
    if pending.client_id != owner.client_id:
        raise WireError(
            "WebAuthnClientMismatchException",
            "The access token is for another app client than StartWebAuthnRegistration's.",
        )
    credential = credential_document(ctx.body.get("Credential"))
    origin = origin_of(credential, pending.relying_party_id)
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=pending.challenge,
            expected_rp_id=pending.relying_party_id,
            expected_origin=origin,
            require_user_verification=uv_required(config),
        )
    except WebAuthnException as error:
        raise library_error(error) from None
    passkey = Passkey(
        credential_id=bytes_to_base64url(verified.credential_id),
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        relying_party_id=pending.relying_party_id,
        created_at=now_utc(),
        name=f"passkey {len(user_records.passkeys) + 1}",
        attachment=credential.get("authenticatorAttachment"),
        transports=tuple(credential.get("response", {}).get("transports") or ()),
    )
    with ctx.state.lock:
        # One credential, one user. Cognito documents no answer for a credential id registered
        # already (to this user or another): the safe one, our guess, is to refuse it.
        if ctx.state.records.passkey_registered(owner.pool.id, passkey.credential_id):
            raise invalid_parameter("This passkey is already registered in this user pool.")
        user_records.passkeys.append(passkey)
        user_records.pending = None
    return {}


def list_web_authn_credentials(ctx: RequestContext) -> dict[str, Any]:
    """``ListWebAuthnCredentials``: pages of ``MaxResults`` (default 20)."""
    owner = ctx.caller
    passkeys = ctx.state.records.user(owner.pool.id, owner.user.id).passkeys
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
    owner = ctx.caller
    user_records = ctx.state.records.user(owner.pool.id, owner.user.id)
    wanted = str(ctx.body.get("CredentialId", ""))
    with ctx.state.lock:
        kept = [p for p in user_records.passkeys if p.credential_id != wanted]
        if len(kept) == len(user_records.passkeys):
            raise WireError("ResourceNotFoundException", "Credential not found.")
        user_records.passkeys[:] = kept
    return {}


HANDLERS = {
    "StartWebAuthnRegistration": start_web_authn_registration,
    "CompleteWebAuthnRegistration": complete_web_authn_registration,
    "ListWebAuthnCredentials": list_web_authn_credentials,
    "DeleteWebAuthnCredential": delete_web_authn_credential,
}
