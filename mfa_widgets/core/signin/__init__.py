"""Sign-in in core: the inputs, the two flows and the prediction they give, as pure rules.

- :mod:`~mfa_widgets.core.signin.inputs`: the pool's MFA set-up (:class:`PoolMfaConfig`), the
  user's MFA facts (:class:`UserMfaFacts`), this sign-in's context (:class:`SignInContext`) and
  how it starts (:class:`SignInFlow`: password, SRP or choice-based).
- :mod:`~mfa_widgets.core.signin.password`: the password flow, what Cognito returns once the
  password is accepted (:func:`predict_challenge`, :func:`predict`).
- :mod:`~mfa_widgets.core.signin.choice`: the choice-based flow (``USER_AUTH``) and passkey MFA
  (:func:`predict_user_auth`, :func:`available_challenges`, :func:`passkey_mfa_refusal`).
- :mod:`~mfa_widgets.core.signin.prediction`: what both flows answer (:class:`Prediction`,
  :class:`Outcome`) and :func:`explain`.
- :mod:`~mfa_widgets.core.signin.labels`: the label a step and a prediction get in the log, the
  explorer and the audit, so the two can be compared.

The sandbox decides sign-ins with these same functions; the services' sign-in conversation and
the probe compare Cognito's answers with them. Every public name is importable from here.
"""

from __future__ import annotations

from mfa_widgets.core.signin.choice import (
    FIRST_FACTORS,
    POOL_FIRST_FACTORS,
    ChoicePool,
    ChoiceUser,
    FirstFactor,
    UserAuthPrediction,
    after_first_factor,
    available_challenges,
    configured_auth_factors,
    passkey_mfa_refusal,
    predict_user_auth,
    user_auth_space,
)
from mfa_widgets.core.signin.inputs import (
    Adaptive,
    FactorsLike,
    PoolMfaConfig,
    PoolMfaMode,
    Recovery,
    SignInContext,
    SignInFlow,
    Tier,
    UserMfaFacts,
    input_space,
    parse_factors,
    parse_preferred,
)
from mfa_widgets.core.signin.password import predict, predict_challenge
from mfa_widgets.core.signin.prediction import Outcome, Prediction, explain

__all__ = [
    "FIRST_FACTORS",
    "POOL_FIRST_FACTORS",
    "Adaptive",
    "ChoicePool",
    "ChoiceUser",
    "FactorsLike",
    "FirstFactor",
    "Outcome",
    "PoolMfaConfig",
    "PoolMfaMode",
    "Prediction",
    "Recovery",
    "SignInContext",
    "SignInFlow",
    "Tier",
    "UserAuthPrediction",
    "UserMfaFacts",
    "after_first_factor",
    "available_challenges",
    "configured_auth_factors",
    "explain",
    "input_space",
    "parse_factors",
    "parse_preferred",
    "passkey_mfa_refusal",
    "predict",
    "predict_challenge",
    "predict_user_auth",
    "user_auth_space",
]
