"""The MFA stage of a sign-in, and opening a challenge: its session and its delivered code.

The decision after a password is :func:`mfa_widgets.core.signin.predict_challenge` (the
documented rules, written once): :func:`mfa_challenge` turns its
:class:`~mfa_widgets.core.signin.Prediction` into no challenge (tokens), a challenge and its
options, or an error. :func:`start_challenge` opens the session of any challenge (delivering the
code of an SMS or email one through the outbox).
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from mfa_widgets.core.preferences import Factor
from mfa_widgets.core.signin import Outcome, PoolMfaConfig, UserMfaFacts, predict_challenge
from mfa_widgets.sandbox.bridge.views import PoolView, UserView
from mfa_widgets.sandbox.cognito.context import RequestContext
from mfa_widgets.sandbox.store.outbox import Delivery, mask_destination
from mfa_widgets.sandbox.wire import WireError

__all__ = ["mfa_challenge", "start_challenge"]

#: challenge -> (delivery channel, user attribute holding the address)
_MESSAGE_CHALLENGES = {
    Factor.SMS.api_name: ("SMS", "phone_number"),
    Factor.EMAIL.api_name: ("EMAIL", "email"),
    "SMS_OTP": ("SMS", "phone_number"),  # the passwordless first factor
}


def mfa_challenge(
    config: PoolMfaConfig, user_mfa: UserMfaFacts
) -> tuple[str, tuple[str, ...]] | None:
    """The challenge (and its options) once a password was proved; ``None`` for tokens.

    Decided on the facts the sign-in read once (:func:`~.facts.gather`).
    """
    prediction = predict_challenge(config, user_mfa)
    if prediction.outcome is Outcome.ERROR:
        raise WireError(
            prediction.error_code or "NotAuthorizedException",
            prediction.error_message or "User cannot sign in: no usable MFA method.",
        )
    if prediction.outcome is Outcome.TOKENS or prediction.challenge is None:
        return None
    return prediction.challenge, tuple(prediction.options)


def start_challenge(
    ctx: RequestContext,
    pool: PoolView,
    client_id: str,
    user: UserView,
    challenge: str,
    options: tuple[str, ...] = (),
    setup_stage: str = "",
    first_factor: str = "",
    device_key: str | None = None,
) -> dict[str, Any]:
    """Open a session for ``challenge`` (delivering a code if it is a message factor)."""
    parameters: dict[str, str] = {}
    code = None
    if challenge in _MESSAGE_CHALLENGES:
        channel, attribute = _MESSAGE_CHALLENGES[challenge]
        address = ctx.bridge.attribute(user, attribute)
        if address is None:
            raise WireError(
                "InvalidParameterException",
                f"User does not have delivery config set to turn on {challenge}",
            )
        code = f"{secrets.randbelow(10**6):06d}"
        destination = mask_destination(channel, address)
        ctx.outbox.deliver(
            Delivery(
                username=user.username,
                channel=channel,
                destination=destination,
                code=code,
                pool_id=pool.id,
                user_id=user.id,
            )
        )
        parameters = {
            "CODE_DELIVERY_DELIVERY_MEDIUM": channel,
            "CODE_DELIVERY_DESTINATION": destination,
        }
    elif challenge == "SELECT_MFA_TYPE":
        parameters = {"MFAS_CAN_CHOOSE": _json_list(options)}
    elif challenge == "MFA_SETUP":
        # conformance case challenge.mfa-setup-sms-and-totp (a recorded answer): the user's id
        # for SRP rides along.
        parameters = {"MFAS_CAN_SETUP": _json_list(options), "USER_ID_FOR_SRP": user.username}
    elif challenge == "SOFTWARE_TOKEN_MFA":
        # conformance case challenge.software-token-mfa-parameters (AWS CLI example): the name
        # given at VerifySoftwareToken, and the user's id for SRP. With no name given none is
        # sent (a guess: no recorded answer shows that case).
        parameters = {"USER_ID_FOR_SRP": user.username}
        name = ctx.state.user(pool.id, user.id).totp_device_name
        if name:
            parameters["FRIENDLY_DEVICE_NAME"] = name
    elif challenge == "NEW_PASSWORD_REQUIRED":
        parameters = _new_password_parameters(user)
    session = ctx.state.open_session(
        pool_id=pool.id,
        client_id=client_id,
        username=user.username,
        challenge=challenge,
        code=code,
        options=options,
        setup_stage=setup_stage,
        first_factor=first_factor,
        device_key=device_key,
    )
    return {
        "ChallengeName": challenge,
        "Session": session.session_id,
        "ChallengeParameters": parameters,
    }


def _json_list(options: tuple[str, ...]) -> str:
    """A JSON list inside ``ChallengeParameters``, compact as Cognito writes it.

    ``["SMS_MFA","SOFTWARE_TOKEN_MFA"]``, no space after the comma: conformance cases
    challenge.select-mfa-type-list and challenge.mfa-setup-sms-and-totp (recorded answers).
    """
    return json.dumps(list(options), separators=(",", ":"))


#: Attributes ``userAttributes`` leaves out: the id, and the verification flags the client may
#: not send back (amazon-cognito-identity-js deletes ``email_verified`` before answering).
_NOT_SENT_BACK = frozenset({"sub"})


def _new_password_parameters(user: UserView) -> dict[str, str]:
    """``NEW_PASSWORD_REQUIRED``'s parameters: the user's attributes and the required ones.

    Conformance case challenge.new-password-required (API reference; Amplify reads these keys).
    The pool requires no attribute beyond the username here, so ``requiredAttributes`` is empty.
    """
    attributes = {k: v for k, v in user.attributes.items() if k not in _NOT_SENT_BACK}
    return {
        "USER_ID_FOR_SRP": user.username,
        "requiredAttributes": "[]",
        "userAttributes": json.dumps(attributes, separators=(",", ":")),
    }
