"""A passkey authenticator in software, so a notebook can register and use a passkey.

:class:`SoftwareAuthenticator` answers WebAuthn ceremonies the way a platform authenticator with
user verification does: ``create`` turns Cognito's ``CredentialCreationOptions``
(StartWebAuthnRegistration) into the ``RegistrationResponseJSON`` CompleteWebAuthnRegistration
takes, and ``get`` turns ``CREDENTIAL_REQUEST_OPTIONS`` (the ``WEB_AUTHN`` challenge) into the
``AuthenticationResponseJSON`` sent as ``CREDENTIAL``. Keys are ES256 (P-256) made with
``cryptography``; CBOR, COSE keys, authenticator data and client data come from ``fido2``.

It is a test and teaching tool: the private keys live in memory only, never in a repr, and
attestation is ``none`` (as Cognito asks for).
"""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from hashlib import sha256
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from fido2.cose import ES256
from fido2.webauthn import (
    AttestationObject,
    AttestedCredentialData,
    AuthenticatorData,
    CollectedClientData,
)

from mfa_widgets.core.errors import InvalidArgumentError
from mfa_widgets.core.validation import shown

__all__ = ["SoftwareAuthenticator"]

_FLAGS = AuthenticatorData.FLAG


def b64url(data: bytes) -> str:
    """Unpadded base64url, as WebAuthn JSON uses."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    """Decode unpadded base64url."""
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class _Credential:
    key: ec.EllipticCurvePrivateKey = field(repr=False)
    rp_id: str
    user_handle: bytes = field(repr=False)
    sign_count: int = 0


def _options(options: Mapping[str, Any] | str) -> Mapping[str, Any]:
    document = json.loads(options) if isinstance(options, str) else options
    inner = document.get("publicKey", document)  # accept the navigator.credentials shape too
    if not isinstance(inner, Mapping) or "challenge" not in inner:
        raise ValueError("WebAuthn options need a 'challenge' (pass the options Cognito returned)")
    return inner


class SoftwareAuthenticator:
    """A resident-key, user-verifying passkey authenticator held in memory.

    Parameters
    ----------
    origin
        The web origin the ceremonies claim, e.g. ``"http://localhost:8888"``; its host must be
        the pool's relying party ID (or a subdomain of it).

    Examples
    --------
    >>> authenticator = SoftwareAuthenticator("http://localhost")
    >>> # credential = authenticator.create(start["CredentialCreationOptions"])
    >>> # client.complete_web_authn_registration(AccessToken=token, Credential=credential)
    """

    def __init__(self, origin: str = "http://localhost") -> None:
        if not isinstance(origin, str) or not origin.startswith(("http://", "https://")):
            raise InvalidArgumentError(
                f"origin {shown(origin)} is not a web origin: pass e.g. 'http://localhost' "
                "(the relying party's scheme and host)"
            )
        self.origin = origin
        self._credentials: dict[bytes, _Credential] = {}

    def __repr__(self) -> str:
        return f"SoftwareAuthenticator(origin={self.origin!r}, passkeys={len(self._credentials)})"

    @property
    def credential_ids(self) -> list[str]:
        """The base64url ids of the passkeys this authenticator holds."""
        return [b64url(credential_id) for credential_id in self._credentials]

    def forget(self, credential_id: str) -> None:
        """Drop one passkey (as a user deleting it from their device)."""
        self._credentials.pop(unb64url(credential_id), None)

    def _client_data(self, kind: str, challenge: str) -> CollectedClientData:
        return CollectedClientData.create(kind, unb64url(challenge), self.origin)

    def create(self, options: Mapping[str, Any] | str) -> dict[str, Any]:
        """Make a new passkey for ``options`` (PublicKeyCredentialCreationOptions JSON).

        Returns
        -------
        dict
            The ``RegistrationResponseJSON`` for ``CompleteWebAuthnRegistration``'s
            ``Credential``.
        """
        opts = _options(options)
        rp_id = str(opts["rp"].get("id") or "")
        algorithms = [p.get("alg") for p in opts.get("pubKeyCredParams", [])]
        if algorithms and -7 not in algorithms:
            raise ValueError("this authenticator makes ES256 (-7) keys only")
        key = ec.generate_private_key(ec.SECP256R1())
        credential_id = secrets.token_bytes(32)
        cose_key = ES256.from_cryptography_key(key.public_key())  # type: ignore[no-untyped-call]
        attested = AttestedCredentialData.create(bytes(16), credential_id, cose_key)
        flags = _FLAGS.UP | _FLAGS.UV | _FLAGS.AT
        auth_data = AuthenticatorData.create(
            sha256(rp_id.encode()).digest(), flags, 0, bytes(attested)
        )
        attestation = AttestationObject.create("none", auth_data, {})
        client_data = self._client_data("webauthn.create", str(opts["challenge"]))
        user_handle = unb64url(str(opts["user"]["id"]))
        self._credentials[credential_id] = _Credential(key, rp_id, user_handle)
        return _credential_json(
            credential_id,
            {
                "clientDataJSON": b64url(bytes(client_data)),
                "attestationObject": b64url(bytes(attestation)),
                "transports": ["internal"],
            },
        )

    def get(self, options: Mapping[str, Any] | str) -> dict[str, Any]:
        """Sign in with a held passkey for ``options`` (PublicKeyCredentialRequestOptions JSON).

        Returns
        -------
        dict
            The ``AuthenticationResponseJSON`` (send ``json.dumps`` of it as ``CREDENTIAL``).

        Raises
        ------
        LookupError
            When no held passkey matches the options' relying party and allowed credentials.
        """
        opts = _options(options)
        rp_id = str(opts.get("rpId") or "")
        allowed = {unb64url(str(c["id"])) for c in opts.get("allowCredentials") or []}
        match = next(
            (
                (cid, cred)
                for cid, cred in self._credentials.items()
                if cred.rp_id == rp_id and (not allowed or cid in allowed)
            ),
            None,
        )
        if match is None:
            raise LookupError(f"no passkey for relying party {rp_id!r} on this authenticator")
        credential_id, credential = match
        credential.sign_count += 1
        auth_data = AuthenticatorData.create(
            sha256(rp_id.encode()).digest(), _FLAGS.UP | _FLAGS.UV, credential.sign_count
        )
        client_data = self._client_data("webauthn.get", str(opts["challenge"]))
        signature = credential.key.sign(
            bytes(auth_data) + client_data.hash, ec.ECDSA(hashes.SHA256())
        )
        return _credential_json(
            credential_id,
            {
                "clientDataJSON": b64url(bytes(client_data)),
                "authenticatorData": b64url(bytes(auth_data)),
                "signature": b64url(signature),
                "userHandle": b64url(credential.user_handle),
            },
        )


def _credential_json(credential_id: bytes, response: dict[str, Any]) -> dict[str, Any]:
    """A PublicKeyCredential as WebAuthn JSON (``toJSON()`` in a browser)."""
    return {
        "id": b64url(credential_id),
        "rawId": b64url(credential_id),
        "type": "public-key",
        "authenticatorAttachment": "platform",
        "response": response,
        "clientExtensionResults": {},
    }
