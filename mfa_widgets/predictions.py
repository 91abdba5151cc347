"""Predict a real user's sign-in challenge from what the backend says about the pool and user.

The core (:func:`~mfa_widgets.challenges.predict_challenge`) needs the pool's MFA configuration
and the user's facts; this service reads both through :class:`~mfa_widgets.client.MfaClient`
(``GetUserPoolMfaConfig`` + ``DescribeUserPool``, then ``AdminGetUser``) and asks it.
"""

from __future__ import annotations

from mfa_widgets.challenges import (
    PoolMfaConfig,
    Prediction,
    SignInContext,
    UserMfaFacts,
    predict_challenge,
)
from mfa_widgets.client import MfaClient
from mfa_widgets.errors import CognitoError
from mfa_widgets.preferences import Factor

__all__ = ["predict_sign_in"]


def predict_sign_in(
    client: MfaClient,
    user_pool_id: str,
    username: str,
    context: SignInContext | None = None,
    totp_known: bool = False,
) -> tuple[Prediction | None, str]:
    """Predict the password step's answer from what the backend says about the pool and user.

    Reads the pool (``GetUserPoolMfaConfig`` + ``DescribeUserPool``) and the user
    (``AdminGetUser``; needs IAM credentials on real Cognito). ``AdminGetUser`` does not say
    whether an authenticator is registered: enabled TOTP implies it, and ``totp_known`` says the
    caller registered one itself (e.g. through ``MFA_SETUP``, which leaves TOTP not enabled).

    Returns
    -------
    tuple
        ``(prediction, "")``, or ``(None, reason)`` in plain words when a read failed.
    """
    pool_result = client.get_pool_config(user_pool_id)
    pool = pool_result.data.get("pool")
    if pool_result.error is not None or not isinstance(pool, PoolMfaConfig):
        return None, _reason("the pool configuration", pool_result.error)
    user = client.admin_get_preference(user_pool_id, username)
    if user.error is not None or user.state is None:
        return None, _reason("the user", user.error)
    facts = UserMfaFacts(
        preference=user.state,
        totp_registered=totp_known or Factor.TOTP in user.state.enabled,
        has_phone=bool(user.data.get("has_phone")),
        has_email=bool(user.data.get("has_email")),
    )
    return predict_challenge(pool, facts, context), ""


def _reason(what: str, error: CognitoError | None) -> str:
    said = f"{error.code}: {error.hint}" if error else "no answer"
    return f"could not read {what} ({said})"
