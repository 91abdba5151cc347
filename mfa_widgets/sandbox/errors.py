"""The errors the sandbox raises, in one place.

The sandbox answers a bad Cognito request as Cognito would: a :class:`WireError` carries the
exception name, the message and the HTTP status that go on the wire (botocore turns them back
into a ``ClientError``, which :class:`~mfa_widgets.services.client.MfaClient` reports as a
:class:`~mfa_widgets.core.errors.CognitoError`). A classroom refuses a trainer's or a learner's
request with a :class:`ClassroomSetupError` (in Python) or a :class:`ClassroomApiError` (an HTTP
answer other than 200)::

    MfaWidgetsError                           (mfa_widgets.core.errors)
    └── ClassroomSetupError    ValueError     a classroom set-up or trainer request that cannot work

    Exception
    ├── WireError                             a Cognito error answer: code, message, status
    └── ClassroomApiError                     a classroom API answer other than 200

Only :class:`ClassroomSetupError` reaches a user (importable from :mod:`mfa_widgets`); the other
two become HTTP answers inside the sandbox.
"""

from __future__ import annotations

from mfa_widgets.core.errors import MfaWidgetsError

__all__ = ["ClassroomApiError", "ClassroomSetupError", "WireError"]


class WireError(Exception):
    """An error the sandbox answers with, as Cognito would: a code, a message and a status.

    Parameters
    ----------
    code
        The exception name botocore reports as ``Error.Code``, e.g. ``"NotAuthorizedException"``.
    message
        The ``Error.Message`` text. Never a token, password or code.
    status
        The HTTP status (400 for every client error Cognito raises).
    """

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status

    def body(self) -> dict[str, str]:
        """The JSON error document botocore parses."""
        return {"__type": self.code, "message": self.message}


class ClassroomSetupError(MfaWidgetsError, ValueError):
    """A classroom set-up or trainer request that cannot work (the message says why)."""


class ClassroomApiError(Exception):
    """An answer other than 200 from the classroom API."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
