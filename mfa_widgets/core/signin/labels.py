"""The labels a sign-in step gets in the log, the explorer and the audit.

A step is labelled by the challenge Cognito returned (``SMS_MFA``, ``SOFTWARE_TOKEN_MFA``, …),
:data:`NO_CHALLENGE` when it signed in, or :data:`SIGN_IN_ERROR` when it failed; a prediction is
labelled the same way so the two can be compared.
"""

from __future__ import annotations

from mfa_widgets.core.results import SignInAttempt
from mfa_widgets.core.signin.prediction import Prediction

__all__ = ["NO_CHALLENGE", "SIGN_IN_ERROR", "observed_label", "prediction_label"]

#: The label of a sign-in that returned tokens (no challenge).
NO_CHALLENGE = "NONE"
#: The label of a sign-in step that failed.
SIGN_IN_ERROR = "ERROR"


def prediction_label(prediction: Prediction) -> str:
    """The log label of a prediction: a challenge name, ``"NONE"`` or ``"ERROR"``."""
    if prediction.challenge:
        return prediction.challenge
    return SIGN_IN_ERROR if prediction.outcome.value == "error" else NO_CHALLENGE


def observed_label(attempt: SignInAttempt) -> str:
    """The log label of a sign-in step: a challenge name, ``"NONE"`` or ``"ERROR"``."""
    if attempt.error is not None:
        return SIGN_IN_ERROR
    return attempt.challenge or NO_CHALLENGE
