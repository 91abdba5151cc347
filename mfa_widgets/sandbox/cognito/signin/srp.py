"""The server side of Cognito's SRP, so the sandbox checks an SRP proof instead of accepting it.

Cognito's variant of SRP-6a (RFC 5054's 3072-bit group, SHA-256, an HKDF named
``Caldera Derived Key``, an HMAC claim over ``SECRET_BLOCK`` and a timestamp) as the clients
compute it: pycognito's ``aws_srp`` (and amazon-cognito-identity-js before it). The primitives
(``N``, ``g``, ``k``, the hash, ``u`` and the HKDF) are pycognito's, so client and server share
one definition; only the server's half (``B = k·v + g^b``, ``S = (A·v^u)^b``) is written here.

Used for device SRP (``DEVICE_SRP_AUTH`` / ``DEVICE_PASSWORD_VERIFIER``), where the verifier is
the ``DeviceSecretVerifierConfig`` the client sent with ``ConfirmDevice``, and for the password
(``USER_SRP_AUTH`` / ``PASSWORD_SRP`` answered with ``PASSWORD_VERIFIER``), where the sandbox
derives it from the stored password as Cognito does from its own verifier.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ServerSrp", "password_exchange", "password_verifier", "verifier_from_config"]


def _aws_srp() -> Any:
    from pycognito import aws_srp  # the sandbox extra

    return aws_srp


def verifier_from_config(config: dict[str, Any]) -> tuple[int, str]:
    """``(verifier, salt_hex)`` from a ``DeviceSecretVerifierConfig`` (both base64).

    Raises
    ------
    ValueError
        When either value is not base64 or the verifier is zero.
    """
    try:
        raw = base64.b64decode(config["PasswordVerifier"], validate=True)
        verifier = int.from_bytes(raw, "big")
        salt = base64.b64decode(config["Salt"], validate=True).hex()
    except (KeyError, ValueError, TypeError) as error:
        raise ValueError(f"DeviceSecretVerifierConfig is not valid base64: {error}") from None
    if verifier == 0 or not salt:
        raise ValueError("DeviceSecretVerifierConfig has an empty PasswordVerifier or Salt")
    return verifier, salt


@dataclass
class ServerSrp:
    """One SRP exchange from the server side: ``SRP_B`` for the client, then the claim check.

    Parameters
    ----------
    verifier
        ``v = g^x mod N`` of the secret (the device's, from ``ConfirmDevice``).
    salt_hex
        The salt ``x`` was made with, in hex (sent to the client as ``SALT``).
    srp_a
        The client's ``SRP_A`` (hex).
    """

    verifier: int = field(repr=False)
    salt_hex: str
    srp_a: str = field(repr=False)
    _b: int = field(default=0, repr=False)
    big_b: int = field(default=0, repr=False)
    secret_block: str = field(default="", repr=False)
    #: ``SALT``, ``SRP_B`` and ``SECRET_BLOCK`` for the verifier challenge.
    parameters: dict[str, str] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        srp = _aws_srp()
        n, g = srp.hex_to_long(srp.N_HEX), srp.hex_to_long(srp.G_HEX)
        a = srp.hex_to_long(self.srp_a)
        if a % n == 0:
            raise ValueError("SRP_A is not a valid SRP value (A mod N is 0)")
        k = srp.hex_to_long(srp.hex_hash("00" + srp.N_HEX + "0" + srp.G_HEX))
        # 1024 random bits, as large as the clients' own secret (pycognito's a): a full-size
        # exponent would cost three times as much for no gain in a local sandbox.
        self._b = secrets.randbits(1024) | 1
        self.big_b = (k * self.verifier + pow(g, self._b, n)) % n
        self.secret_block = base64.b64encode(secrets.token_bytes(64)).decode("ascii")
        self.parameters = {
            "SALT": self.salt_hex,
            "SRP_B": srp.long_to_hex(self.big_b),
            "SECRET_BLOCK": self.secret_block,
        }

    def check(self, prefix: str, identity: str, answers: dict[str, Any]) -> bool:
        """True when ``PASSWORD_CLAIM_SIGNATURE`` proves the secret behind :attr:`verifier`.

        ``prefix`` and ``identity`` are what the client signed before the secret block: the
        device group key and device key for a device.
        """
        if answers.get("PASSWORD_CLAIM_SECRET_BLOCK") != self.secret_block:
            return False
        srp = _aws_srp()
        n = srp.hex_to_long(srp.N_HEX)
        a = srp.hex_to_long(self.srp_a)
        u = srp.calculate_u(a, self.big_b)
        if u == 0:
            return False
        shared = pow(a * pow(self.verifier, u, n), self._b, n)
        u_bytes = bytearray.fromhex(srp.pad_hex(srp.long_to_hex(u)))
        key = srp.compute_hkdf(bytearray.fromhex(srp.pad_hex(shared)), u_bytes)
        message = (
            prefix.encode()
            + identity.encode()
            + base64.b64decode(self.secret_block)
            + str(answers.get("TIMESTAMP", "")).encode()
        )
        expected = base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()
        return hmac.compare_digest(expected, str(answers.get("PASSWORD_CLAIM_SIGNATURE", "")))


def password_verifier(pool_id: str, username: str, password: str, salt_hex: str) -> int:
    """``v = g^x mod N`` with ``x = H(salt | H(pool suffix | username | ":" | password))``."""
    srp = _aws_srp()
    inner = srp.hash_sha256(f"{pool_id.split('_', 1)[1]}{username}:{password}".encode())
    x = srp.hex_to_long(srp.hex_hash(srp.pad_hex(salt_hex) + inner))
    return int(pow(srp.hex_to_long(srp.G_HEX), x, srp.hex_to_long(srp.N_HEX)))


def password_exchange(pool_id: str, username: str, password: str, srp_a: str) -> ServerSrp:
    """The server's half of a password's SRP exchange (a fresh salt), in one call.

    Raises
    ------
    ValueError
        When ``SRP_A`` is not a valid SRP value.
    """
    salt = secrets.token_hex(16)
    return ServerSrp(password_verifier(pool_id, username, password, salt), salt, srp_a)
