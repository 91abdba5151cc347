"""The MFA stage of a sign-in: after the password, decide and start the challenge.

The decision is :func:`mfa_widgets.core.challenges.predict_challenge` (the documented rules, written
once); this module turns its :class:`~mfa_widgets.core.challenges.Prediction` into what Cognito
sends:
tokens, a challenge with a bound session (and a delivered code for SMS and email), or an error.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from mfa_widgets.core.challenges import Outcome, predict_challenge
from mfa_widgets.core.preferences import Factor
from mfa_widgets.sandbox.bridge.views import ClientView, PoolView, UserView
from mfa_widgets.sandbox.cognito.context import RequestContext
from mfa_widgets.sandbox.cognito.pool_mfa import mfa_config
from mfa_widgets.sandbox.cognito.signin.facts import user_facts
from mfa_widgets.sandbox.store.outbox import Delivery, mask_destination
from mfa_widgets.sandbox.wire import WireError

__all__ = ["after_password", "start_challenge"]

#: challenge -> (delivery channel, user attribute holding the address)
_MESSAGE_CHALLENGES = {
    Factor.SMS.api_name: ("SMS", "phone_number"),
    Factor.EMAIL.api_name: ("EMAIL", "email"),
}


def after_password(
    ctx: RequestContext, pool: PoolView, client: ClientView, user: UserView
) -> dict[str, Any]:
    """The response once the password step succeeded: tokens, a challenge, or an error."""
    config = mfa_config(ctx.bridge, ctx.state, pool)
    prediction = predict_challenge(config, user_facts(ctx, pool, user))
    if prediction.outcome is Outcome.ERROR:
        raise WireError(
            prediction.error_code or "NotAuthorizedException",
            prediction.error_message or "User cannot sign in: no usable MFA method.",
        )
    if prediction.outcome is Outcome.TOKENS or prediction.challenge is None:
        ctx.state.lockout.success((pool.id, user.id))
        return ctx.bridge.issue_tokens(pool, client, user.username)
    return start_challenge(
        ctx, pool, client.id, user, prediction.challenge, tuple(prediction.options)
    )


def start_challenge(
    ctx: RequestContext,
    pool: PoolView,
    client_id: str,
    user: UserView,
    challenge: str,
    options: tuple[str, ...] = (),
    setup_stage: str = "",
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
            )
        )
        parameters = {
            "CODE_DELIVERY_DELIVERY_MEDIUM": channel,
            "CODE_DELIVERY_DESTINATION": destination,
        }
    elif challenge == "SELECT_MFA_TYPE":
        parameters = {"MFAS_CAN_CHOOSE": json.dumps(list(options))}
    elif challenge == "MFA_SETUP":
        parameters = {"MFAS_CAN_SETUP": json.dumps(list(options))}
    session = ctx.state.open_session(
        pool_id=pool.id,
        client_id=client_id,
        username=user.username,
        challenge=challenge,
        code=code,
        options=options,
        setup_stage=setup_stage,
    )
    return {
        "ChallengeName": challenge,
        "Session": session.session_id,
        "ChallengeParameters": parameters,
    }
