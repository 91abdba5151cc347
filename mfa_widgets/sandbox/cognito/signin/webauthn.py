"""The WebAuthn checks of passkey registration and passkey sign-in, against the pool's config.

Verified with the ``webauthn`` library (py_webauthn) against the pool's
``WebAuthnConfiguration``: the relying party ID, user verification when ``required``, and an
origin whose host is the relying party ID (or a subdomain), over https, or http for ``localhost``
(browsers treat ``http://localhost`` as a secure context). The errors are described in
:mod:`mfa_widgets.sandbox.cognito.ops.passkeys`. The library is imported on the first passkey
call, not when the sandbox starts (it was a tenth of the sandbox's cold start).
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from mfa_widgets.sandbox.bridge.views import PoolView, UserView
from mfa_widgets.sandbox.cognito.context import RequestContext
from mfa_widgets.sandbox.cognito.service_model import documented_errors
from mfa_widgets.sandbox.cognito.signin.facts import choice_pool
from mfa_widgets.sandbox.store.records import REGISTRATION_SECONDS, UserRecords
from mfa_widgets.sandbox.wire import WireError, invalid_parameter

if TYPE_CHECKING:
    from webauthn.helpers.exceptions import WebAuthnException

__all__ = [
    "TIMEOUT_MS",
    "assertion_options",
    "credential_document",
    "library_error",
    "origin_of",
    "uv_required",
    "verify_assertion",
    "webauthn_config",
]

#: How long a ceremony may take, in milliseconds (the registration challenge's lifetime).
TIMEOUT_MS = int(REGISTRATION_SECONDS * 1000)


def webauthn_config(ctx: RequestContext, pool: PoolView) -> dict[str, Any]:
    """The pool's WebAuthn configuration, refusing pools that cannot do passkeys."""
    config = ctx.state.records.webauthn_config(pool.id) or {}
    if not config.get("RelyingPartyId"):
        missing = "WebAuthnConfigurationMissingException"
        raise WireError(
            # the model declares it for the Start* operations only; Complete* says not enabled
            missing
            if missing in documented_errors(ctx.operation)
            else "WebAuthnNotEnabledException",
            "The user pool has no WebAuthnConfiguration RelyingPartyId: set one with "
            "SetUserPoolMfaConfig.",
        )
    # Passkey MFA applies only when a passkey is the first factor: WEB_AUTHN must be allowed.
    if "WEB_AUTHN" not in choice_pool(ctx, pool).first_factors:
        raise WireError(
            "WebAuthnNotEnabledException",
            "Passkeys are not enabled for this user pool: add WEB_AUTHN to "
            "SignInPolicy.AllowedFirstAuthFactors.",
        )
    return config


def uv_required(config: dict[str, Any]) -> bool:
    """True when the pool requires user verification."""
    return config.get("UserVerification") == "required"


def origin_of(credential: dict[str, Any], rp_id: str) -> str:
    """The ceremony's origin from clientDataJSON, checked against the relying party ID."""
    from webauthn.helpers import base64url_to_bytes

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
        raise WireError(
            "WebAuthnOriginNotAllowedException",
            f"Origin {origin} does not match the user pool relying party id {rp_id}.",
        )
    return origin


def library_error(error: WebAuthnException) -> WireError:
    """The Cognito error for a ceremony the ``webauthn`` library refused (inferred mapping)."""
    text = str(error)
    if "RP ID" in text or "rpIdHash" in text:
        return WireError("WebAuthnRelyingPartyMismatchException", text)
    if "challenge" in text.lower():
        return WireError("WebAuthnChallengeNotFoundException", text)
    if "algorithm" in text.lower() or "format" in text.lower() or "Unsupported" in text:
        return WireError("WebAuthnCredentialNotSupportedException", text)
    return invalid_parameter(text)


def credential_document(value: object) -> dict[str, Any]:
    """A ``Credential`` parameter (JSON text or object) as a dict.

    Text that is not JSON (or nested past the parser's depth) is refused like any other
    credential of the wrong shape: ``InvalidParameterException``, never a 500.
    """
    try:
        document = json.loads(value) if isinstance(value, str) else value
    except (ValueError, RecursionError):
        raise invalid_parameter("Credential must be a WebAuthn JSON object.") from None
    if not isinstance(document, dict):
        raise invalid_parameter("Credential must be a WebAuthn JSON object.")
    return document


def assertion_options(ctx: RequestContext, pool: PoolView, user: UserView) -> tuple[bytes, str]:
    """A new assertion challenge and its ``CREDENTIAL_REQUEST_OPTIONS`` JSON for ``user``."""
    from webauthn import generate_authentication_options, options_to_json
    from webauthn.helpers import base64url_to_bytes
    from webauthn.helpers.structs import PublicKeyCredentialDescriptor, UserVerificationRequirement

    config = webauthn_config(ctx, pool)
    user_records = ctx.state.records.user(pool.id, user.id)
    options = generate_authentication_options(
        rp_id=str(config["RelyingPartyId"]),
        timeout=TIMEOUT_MS,
        allow_credentials=[
            PublicKeyCredentialDescriptor(id=base64url_to_bytes(p.credential_id))
            for p in user_records.passkeys
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
    from webauthn import verify_authentication_response
    from webauthn.helpers.exceptions import WebAuthnException

    config = webauthn_config(ctx, pool)
    user_records: UserRecords = ctx.state.records.user(pool.id, user.id)
    credential = credential_document(credential_text)
    passkey = next(
        (p for p in user_records.passkeys if p.credential_id == credential.get("id")), None
    )
    if passkey is None:
        raise WireError("NotAuthorizedException", "Incorrect passkey.")
    stored = ctx.state.user(pool.id, user.id).preference
    try:
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=passkey.relying_party_id,
            expected_origin=origin_of(credential, passkey.relying_party_id),
            credential_public_key=passkey.public_key,
            credential_current_sign_count=passkey.sign_count,
            require_user_verification=uv_required(config) or bool(stored.webauthn),
        )
    except WebAuthnException as error:
        raise WireError("NotAuthorizedException", f"Incorrect passkey: {error}") from None
    with ctx.state.lock:
        user_records.passkeys[:] = [
            replace(p, sign_count=verified.new_sign_count) if p is passkey else p
            for p in user_records.passkeys
        ]
