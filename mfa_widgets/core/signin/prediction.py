"""What a sign-in prediction says: the outcome, the challenge, the rule and its source.

Both flows answer with a :class:`Prediction`: the password flow
(:func:`~mfa_widgets.core.signin.password.predict_challenge`) and the choice-based flow
(:func:`~mfa_widgets.core.signin.choice.predict_user_auth`). :func:`explain` puts one in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from mfa_widgets.core.validation import need_instance

__all__ = ["Outcome", "Prediction", "explain"]


class Outcome(str, Enum):
    """What the password step leads to."""

    TOKENS = "tokens"
    CHALLENGE = "challenge"
    ERROR = "error"


# -- output -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Prediction:
    """What Cognito returns after the password step, and why.

    Attributes
    ----------
    outcome
        TOKENS, CHALLENGE or ERROR.
    challenge
        The ``ChallengeName`` for a challenge, else ``None``.
    options
        ``MFAS_CAN_CHOOSE`` (``SELECT_MFA_TYPE``) or ``MFAS_CAN_SETUP`` (``MFA_SETUP``) entries,
        as API names; ``()`` for other outcomes.
    rule
        The rule in plain words, ready to be read aloud.
    source
        The documentation step (or user report) the rule comes from.
    documented
        ``False`` when any part of the prediction is our inference.
    error_code, error_message
        For ERROR: the exception Cognito raises (inferred) and its message.
    row
        The row of the reference decision table (§2), if the case is one of its rows.
    """

    outcome: Outcome
    challenge: str | None
    options: tuple[str, ...]
    rule: str
    source: str
    documented: bool
    error_code: str | None = None
    error_message: str | None = None
    row: int | None = None

    @property
    def summary(self) -> str:
        """One phrase: the challenge name, ``"tokens issued (no MFA challenge)"`` or the error."""
        if self.outcome is Outcome.CHALLENGE:
            return str(self.challenge)
        if self.outcome is Outcome.TOKENS:
            return "tokens issued (no MFA challenge)"
        return f"error: {self.error_code}"

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict: challenge (``None`` unless challenged), options, rule, ..."""
        return {
            "outcome": self.outcome.value,
            "challenge": self.challenge,
            "options": list(self.options),
            "rule": self.rule,
            "source": self.source,
            "documented": self.documented,
            "row": self.row,
            "error_code": self.error_code,
            "error_message": self.error_message,
        }


def explain(prediction: Prediction) -> str:
    """Several lines of text for a person: result, options, rule, source, documented or not."""
    need_instance(prediction, Prediction, "prediction", "pass what predict_challenge returned")
    if prediction.outcome is Outcome.ERROR:
        result = f"error — {prediction.error_code}: {prediction.error_message}"
    else:
        result = prediction.summary
    row = f" (decision table row {prediction.row})" if prediction.row is not None else ""
    confidence = "yes" if prediction.documented else "no — inferred, check against a real pool"
    return "\n".join(
        [
            f"Result:     {result}",
            f"Options:    {', '.join(prediction.options) or '(none)'}",
            f"Rule:       {prediction.rule}",
            f"Source:     {prediction.source}{row}",
            f"Documented: {confidence}",
        ]
    )
