"""The toolkit's exception types (core: pure Python, no I/O).

Every error the toolkit raises on purpose derives from :class:`MfaWidgetsError`, so a caller can
catch "anything this toolkit says is wrong" in one place. Each message names the problem and, where
there is one, the fix. Messages never contain a secret: callers redact before raising.
"""

from __future__ import annotations


class MfaWidgetsError(Exception):
    """Base class of every error raised on purpose by ``mfa_widgets``."""


class MfaPreferenceError(MfaWidgetsError, ValueError):
    """An MFA preference breaks a rule Cognito enforces.

    Raised for two preferred factors, a factor preferred but not enabled, and unreadable factor or
    state names. The message names the factors involved.
    """


class TokenError(MfaWidgetsError, ValueError):
    """An access token cannot be used: not a JWT, wrong token type, expired or missing scope.

    Parameters
    ----------
    message
        What is wrong and how to fix it (never the token itself).
    problem
        A short machine-readable tag: ``"malformed"``, ``"id_token"``, ``"not_access_token"``,
        ``"expired"``, ``"missing_scope"`` or ``"empty"``.
    """

    def __init__(self, message: str, problem: str) -> None:
        super().__init__(message)
        self.problem = problem


class CliSyntaxError(MfaWidgetsError, ValueError):
    """An AWS CLI argument or input document cannot be read; the message lists accepted forms."""
