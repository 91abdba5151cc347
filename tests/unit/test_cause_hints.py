"""Every refusal message the sandbox copies from Cognito gets a hint naming its cause.

One error code covers many causes (``InvalidParameterException`` for a missing phone number, an
unregistered authenticator, two preferred factors...). The hint shown in widgets, log notes and
audit rows must name the cause the message tells, never only the code's general advice.
"""

from __future__ import annotations

import pytest

from mfa_widgets.core.errors import HINTS, hint_for
from mfa_widgets.sandbox.cognito.ops import preferences as preference_ops

REFUSALS = sorted(
    value
    for name, value in vars(preference_ops).items()
    if name.isupper() and isinstance(value, str) and " " in value
)

SIGN_IN_REFUSALS = [
    "Incorrect username or password.",
    "Password attempts exceeded",
    "Invalid session for the user, session is expired.",
    "Invalid session for the user.",
    "User is disabled.",
    "Invalid Access Token",
    "Access Token has expired",
]


def test_the_sandbox_has_refusal_messages_to_check() -> None:
    assert len(REFUSALS) >= 8


@pytest.mark.parametrize("message", REFUSALS)
def test_each_preference_refusal_names_its_cause(message: str) -> None:
    hint = hint_for("InvalidParameterException", message)
    assert hint != HINTS["InvalidParameterException"], message


@pytest.mark.parametrize("message", SIGN_IN_REFUSALS)
def test_each_sign_in_refusal_names_its_cause(message: str) -> None:
    assert hint_for("NotAuthorizedException", message) != HINTS["NotAuthorizedException"]


def test_an_expired_session_and_a_reused_one_get_different_hints() -> None:
    expired = hint_for(
        "NotAuthorizedException", "Invalid session for the user, session is expired."
    )
    reused = hint_for("NotAuthorizedException", "Invalid session for the user.")
    assert "too long" in expired
    assert "already answered" in reused


def test_an_unknown_message_keeps_the_codes_general_hint() -> None:
    assert hint_for("InvalidParameterException", "zzz") == HINTS["InvalidParameterException"]
