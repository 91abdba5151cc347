"""What a logged call's outcome was: Cognito's decision, or a person's typo, or a failure.

A sign-in step ends in one of three ways that must never be mixed up when predictions are
scored:

- Cognito **decided** something about the sign-in: it issued tokens, asked a challenge, or
  refused the sign-in for a reason of its own (no usable MFA method, adaptive "Block").
  Only these steps say anything about a prediction.
- the **person** got something wrong: a wrong password, a wrong or expired code, an unknown
  username, an expired token. Cognito made no MFA decision, so a typo can never count as a
  prediction miss.
- the **service** failed: throttling, a timeout, a configuration problem.

:func:`outcome_category` is the one place that tells them apart; the log derives its
``outcome_category`` column and its ``agrees`` column from it, the probe its verdict.
"""

from __future__ import annotations

__all__ = [
    "DECISIONS",
    "OUTCOME_CATEGORIES",
    "is_decision",
    "outcome_category",
    "user_error_text",
]

#: Every category, in the log's column order. ``ok`` is a call that is not a sign-in step and
#: succeeded (e.g. ``SetUserMFAPreference``); ``refused`` is Cognito refusing a sign-in on its own.
OUTCOME_CATEGORIES = ("tokens", "challenge", "refused", "ok", "user_error", "service_error")

#: The categories where Cognito decided what a sign-in step leads to.
DECISIONS = frozenset({"tokens", "challenge", "refused"})

# Errors caused by what a person typed or by how long they took, never by a Cognito decision.
_USER_ERRORS = frozenset(
    {
        "CodeMismatchException",
        "ExpiredCodeException",
        "EnableSoftwareTokenMFAException",
        "UserNotFoundException",
        "InvalidPasswordException",
        "PasswordResetRequiredException",
        "UserNotConfirmedException",
        "InvalidParameterException",
        "SoftwareTokenMFANotFoundException",
        "NotAuthorizedException",  # wrong password, expired session/token; refusals below
        "MalformedToken",
        "WrongTokenType",
        "ExpiredToken",
        "MissingScope",
    }
)

# Cognito's own refusals of a sign-in (core.challenges item 9): the prediction can name them.
_REFUSAL_CODES = frozenset({"MFAMethodNotFoundException"})
_REFUSAL_MESSAGES = ("security reasons",)


def outcome_category(outcome: str, error_code: str | None, error_message: str | None) -> str:
    """The category of a logged outcome: one of :data:`OUTCOME_CATEGORIES`.

    Parameters
    ----------
    outcome
        The log's ``outcome``: ``"ok"``, ``"error"``, ``"challenge"`` or ``"tokens"``.
    error_code, error_message
        The error, when ``outcome`` is ``"error"``.

    Examples
    --------
    >>> outcome_category("error", "CodeMismatchException", "Invalid code received for user")
    'user_error'
    >>> outcome_category("error", "NotAuthorizedException", "Incorrect username or password.")
    'user_error'
    >>> outcome_category("error", "NotAuthorizedException",
    ...                  "Unable to login because of security reasons.")
    'refused'
    """
    if outcome != "error":
        return outcome if outcome in OUTCOME_CATEGORIES else "ok"
    code = error_code or ""
    message = (error_message or "").lower()
    if code in _REFUSAL_CODES or (
        code == "NotAuthorizedException" and any(m in message for m in _REFUSAL_MESSAGES)
    ):
        return "refused"
    return "user_error" if code in _USER_ERRORS else "service_error"


def is_decision(category: str | None) -> bool:
    """Whether ``category`` is a step where Cognito decided (tokens, a challenge, a refusal)."""
    return category in DECISIONS


def user_error_text(error_code: str | None, error_message: str | None) -> str:
    """What went wrong in the audience's words, for a ``user_error`` (e.g. a probe's verdict).

    Examples
    --------
    >>> user_error_text("CodeMismatchException", "Invalid code received for user")
    'wrong code — try again'
    >>> user_error_text("NotAuthorizedException", "Incorrect username or password.")
    'wrong username or password — try again'
    """
    code = error_code or ""
    message = (error_message or "").lower()
    if code in ("CodeMismatchException", "EnableSoftwareTokenMFAException"):
        return "wrong code — try again"
    if code == "ExpiredCodeException":
        return "the code has expired — ask for a new one"
    if code == "UserNotFoundException" or "incorrect username or password" in message:
        return "wrong username or password — try again"
    if "attempts exceeded" in message:
        return "too many wrong passwords — wait, then try again"
    if "session" in message:
        return "the sign-in took too long — start it again"
    if code in ("ExpiredToken",) or "expired" in message:
        return "the sign-in has expired — sign in again"
    return "not accepted — check what was typed and try again"
