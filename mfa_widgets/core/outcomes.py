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
    "NO_DECISION",
    "OUTCOME_CATEGORIES",
    "cause_hint",
    "is_decision",
    "outcome_category",
    "user_error_text",
]

#: Every category, in the log's column order. ``ok`` is a call that is not a sign-in step and
#: succeeded (e.g. ``SetUserMFAPreference``); ``refused`` is Cognito refusing a sign-in on its own.
OUTCOME_CATEGORIES = ("tokens", "challenge", "refused", "ok", "user_error", "service_error")

#: The categories where Cognito decided what a sign-in step leads to.
DECISIONS = frozenset({"tokens", "challenge", "refused"})
#: The categories where Cognito decided nothing: a prediction cannot be scored on them.
NO_DECISION = frozenset({"user_error", "service_error"})

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

# Cognito's own refusals of a sign-in (core.signin.password item 9): the prediction can name them.
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
    if code == "ExpiredCodeException" and "already been used" in message:
        return "that code was already used — wait for the next one"
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


# (code, words in Cognito's message) -> the cause in the audience's words. Checked in order; the
# first match wins. Messages are Cognito's (and the sandbox's, which copies them).
_CAUSES: tuple[tuple[str, str, str], ...] = (
    (
        "ExpiredCodeException",
        "already been used",
        "This authenticator code was already used: wait for the next code your app shows (a "
        "new one every 30 seconds) and type that.",
    ),
    (
        "InvalidParameterException",
        "turn on sms_mfa",
        "This user has no phone number, so Cognito cannot send SMS codes: add a phone number "
        "to the user first, or choose another factor.",
    ),
    (
        "InvalidParameterException",
        "turn on email_otp",
        "This user has no email address, so Cognito cannot send email codes: add an email "
        "address to the user first, or choose another factor.",
    ),
    (
        "InvalidParameterException",
        "turn on software_token_mfa",
        "No authenticator app is registered for this user yet: register one first (scan the "
        "QR code and verify a code), then turn TOTP on.",
    ),
    (
        "InvalidParameterException",
        "not set up software token",
        "No authenticator app is registered for this user yet: register one first (scan the "
        "QR code and verify a code), then turn TOTP on.",
    ),
    (
        "InvalidParameterException",
        "not verified software token",
        "The authenticator app was added but never confirmed: enter a code from the app to "
        "verify it, then turn TOTP on.",
    ),
    (
        "InvalidParameterException",
        "only one factor can be set as preferred",
        'Only one factor can be preferred: untick "prefer" on the others and apply again.',
    ),
    (
        "InvalidParameterException",
        "preferred when it is not enabled",
        'A preferred factor must also be enabled: tick "enabled" for it, or untick "prefer".',
    ),
    (
        "InvalidParameterException",
        "lite feature plan",
        "Email MFA needs the Essentials or Plus feature plan: change the pool's plan, or choose "
        "another factor.",
    ),
    (
        "InvalidParameterException",
        "email mfa is not enabled for this user pool",
        "The pool does not offer email MFA: turn it on in the pool's MFA settings (with an "
        "email sending configuration), or choose another factor.",
    ),
    (
        "InvalidParameterException",
        "only account recovery option",
        "Email is the pool's only account-recovery channel, so it cannot also be an MFA factor: "
        "add another recovery option, or choose another factor.",
    ),
    (
        "NotAuthorizedException",
        "incorrect username or password",
        "The username or password is wrong: check both and sign in again.",
    ),
    (
        "NotAuthorizedException",
        "attempts exceeded",
        "Too many wrong passwords in a row: wait a few minutes, then sign in again.",
    ),
    (
        "NotAuthorizedException",
        "has expired",
        "The sign-in has expired (access tokens last an hour): sign in again.",
    ),
    (
        "NotAuthorizedException",
        "session is expired",
        "The sign-in took too long (a challenge is valid for 3 minutes): start it again.",
    ),
    (
        "NotAuthorizedException",
        "session",
        "This sign-in step was already answered or its session is no longer valid (each "
        "session and code works once): sign in again from the start.",
    ),
    (
        "NotAuthorizedException",
        "disabled",
        "This user is disabled: an administrator must enable the user first.",
    ),
    (
        "NotAuthorizedException",
        "invalid access token",
        "This access token is not valid here any more (signed out, revoked, or from another "
        "pool): sign in again.",
    ),
)


def cause_hint(error_code: str | None, error_message: str | None) -> str | None:
    """The hint naming the actual cause of an error, when its message tells; else ``None``.

    The per-code hints of :data:`mfa_widgets.core.errors.HINTS` must cover every cause an
    error code has (a wrong password and an expired token are both ``NotAuthorizedException``);
    Cognito's message usually says which one it was.

    Examples
    --------
    >>> cause_hint("NotAuthorizedException", "Incorrect username or password.")
    'The username or password is wrong: check both and sign in again.'
    >>> cause_hint("NotAuthorizedException", "Something else") is None
    True
    """
    message = (error_message or "").lower()
    for code, words, hint in _CAUSES:
        if code == error_code and words in message:
            return hint
    return None
