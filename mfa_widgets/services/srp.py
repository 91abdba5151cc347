"""Cognito's SRP from the client side: ``USER_SRP_AUTH``/``PASSWORD_SRP`` and device SRP.

A thin layer over ``pycognito.aws_srp`` (a maintained client of Cognito's SRP variant: the
``N``/``g`` of RFC 5054's 3072-bit group, SHA-256, the ``Caldera Derived Key`` HKDF), so the
toolkit computes no SRP mathematics of its own. One :class:`SrpProof` per sign-in: its
:attr:`SrpProof.srp_a` goes with ``InitiateAuth`` (``SRP_A``) or the ``DEVICE_SRP_AUTH`` answer,
and :meth:`SrpProof.answer` turns a ``PASSWORD_VERIFIER`` or ``DEVICE_PASSWORD_VERIFIER``
challenge's parameters into the claim Cognito checks.

Secrets: the password and the device password are held out of ``repr`` and never leave this
object; what is sent (``SRP_A``, the claim signature) proves knowledge without revealing them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mfa_widgets.core.extras import require_extra

__all__ = ["DeviceSecret", "SrpProof", "new_device_secret"]

#: The challenge parameters the claim is computed from (the rest of a challenge is not needed).
SRP_PARAMETERS = ("SALT", "SRP_B", "SECRET_BLOCK", "USER_ID_FOR_SRP", "USERNAME", "DEVICE_KEY")


def _aws_srp() -> Any:
    require_extra("sandbox", "SRP sign-in (pycognito)")
    from pycognito import aws_srp

    return aws_srp


@dataclass(frozen=True)
class DeviceSecret:
    """A remembered device's key, group key and device password (for ``DEVICE_SRP_AUTH``).

    ``verifier`` is the ``DeviceSecretVerifierConfig`` (``PasswordVerifier``, ``Salt``) to send
    with ``ConfirmDevice``; the device password itself never leaves the client.
    """

    device_key: str
    group_key: str
    password: str = field(repr=False)
    verifier: Mapping[str, str] = field(repr=False)


def new_device_secret(device_key: str, group_key: str) -> DeviceSecret:
    """A random device password and its SRP verifier for a device issued at sign-in.

    Parameters
    ----------
    device_key, group_key
        ``NewDeviceMetadata`` (``DeviceKey``, ``DeviceGroupKey``) of the sign-in.
    """
    password, verifier = _aws_srp().generate_hash_device(group_key, device_key)
    return DeviceSecret(device_key, group_key, password, dict(verifier))


class _NoClient:
    """pycognito builds a boto3 client unless given one; the toolkit makes its own calls."""


class SrpProof:
    """One SRP sign-in's client side: ``SRP_A`` now, the claim when the verifier challenge comes.

    Parameters
    ----------
    user_pool_id
        The pool (its part after ``_`` enters the password hash, as Cognito computes it).
    client_id
        The app client.
    username
        Who signs in.
    password
        The user's password (for ``PASSWORD_VERIFIER``); ``None`` for device SRP only.
    device
        The remembered device (for ``DEVICE_SRP_AUTH`` / ``DEVICE_PASSWORD_VERIFIER``).
    """

    def __init__(
        self,
        user_pool_id: str,
        client_id: str,
        username: str,
        password: str | None = None,
        *,
        device: DeviceSecret | None = None,
    ) -> None:
        if "_" not in user_pool_id:
            raise ValueError(f"user_pool_id {user_pool_id!r:.60} is not a pool id (REGION_ID)")
        extra: dict[str, Any] = {}
        if device is not None:
            extra = {
                "device_key": device.device_key,
                "device_group_key": device.group_key,
                "device_password": device.password,
            }
        self._srp = _aws_srp().AWSSRP(
            username, password, user_pool_id, client_id, client=_NoClient(), **extra
        )
        self.username = username
        self.device_key = device.device_key if device else None

    def __repr__(self) -> str:
        device = ", device" if self.device_key else ""
        return f"SrpProof({self.username!r}{device})"

    @property
    def srp_a(self) -> str:
        """``SRP_A``: the client's public value, in hex."""
        return str(self._srp.get_auth_params()["SRP_A"])

    def answer(self, challenge: str, parameters: Mapping[str, str]) -> dict[str, str]:
        """The ``ChallengeResponses`` for an SRP challenge (without ``USERNAME`` handling).

        ``DEVICE_SRP_AUTH`` gets ``DEVICE_KEY`` and ``SRP_A``; ``PASSWORD_VERIFIER`` and
        ``DEVICE_PASSWORD_VERIFIER`` get the timestamped claim over ``SECRET_BLOCK``.

        Raises
        ------
        ValueError
            For another challenge, a device challenge without a device, or parameters that
            lack ``SALT``/``SRP_B``/``SECRET_BLOCK``.
        """
        if challenge == "DEVICE_SRP_AUTH":
            if self.device_key is None:
                raise ValueError("DEVICE_SRP_AUTH needs the remembered device: pass device=")
            return {"DEVICE_KEY": self.device_key, "SRP_A": self.srp_a}
        if challenge not in ("PASSWORD_VERIFIER", "DEVICE_PASSWORD_VERIFIER"):
            raise ValueError(f"{challenge!r:.40} is not an SRP challenge")
        missing = [k for k in ("SALT", "SRP_B", "SECRET_BLOCK") if not parameters.get(k)]
        if missing:
            raise ValueError(f"{challenge} parameters lack {', '.join(missing)}")
        if challenge == "PASSWORD_VERIFIER":
            params = {"USER_ID_FOR_SRP": self.username, **parameters}
            answer = self._srp.process_challenge(params, {"USERNAME": self.username})
        else:
            if self.device_key is None:
                raise ValueError("DEVICE_PASSWORD_VERIFIER needs the device: pass device=")
            answer = self._srp.process_device_challenge({"USERNAME": self.username, **parameters})
        return {str(k): str(v) for k, v in answer.items()}
