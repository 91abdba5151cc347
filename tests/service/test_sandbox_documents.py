"""Generated wire test, second half: strings that carry a document, broken every way.

``test_sandbox_generated`` breaks members by JSON type, length and pattern. A token, a session, a
pagination marker, a WebAuthn credential and the challenge answers carry a *document* inside a
string (a JSON object, an opaque index, a JWT, base64url bytes): the sandbox parses those itself,
where a ``json.loads`` or an ``int()`` can throw. For every operation the sandbox serves and every
such member, each broken document below is sent in an otherwise valid request: the answer is a
success or an error the model documents, never a 500.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mfa_widgets.sandbox.cognito.service_model import service_model
from tests.service.test_sandbox_generated import SERVED, _check_answer, _send, values
from tests.service.test_sandbox_generated import known as known  # the shared fixture

#: Members whose string carries a document the sandbox parses.
DOCUMENT_MEMBER = re.compile(r"(Token|Session|Credential|CredentialId)$")
#: Challenge answers that carry documents (JSON, big integers, base64).
DOCUMENT_ANSWERS = ("CREDENTIAL", "SRP_A", "PASSWORD_CLAIM_SIGNATURE", "SECRET_BLOCK", "ANSWER")

BROKEN = [
    "not json",  # invalid JSON
    "{",
    '{"id": [1, 2]}',  # JSON of the wrong shape
    "[]",
    "null",
    '{"response": {"clientDataJSON": "!!!"}}',
    "²",  # Unicode digits: isdigit() says yes, int() says no
    "٣",
    "-1",
    "9" * 40,
    "",  # empty
    "A" * 100_000,  # huge
    "!!!not-base64url!!!",  # bad base64url
    "eyJhbGciOiJub25lIn0.e30.",  # an unsigned JWT
    "{" * 5000,  # nesting past the parser's depth
]


def _document_members() -> list[tuple[str, str]]:
    pairs = []
    for operation in SERVED:
        shape = service_model().operation_model(operation).input_shape
        if shape is None:
            continue
        for name in sorted(shape.members):
            if DOCUMENT_MEMBER.search(name) or name == "ChallengeResponses":
                pairs.append((operation, name))
    return pairs


PAIRS = _document_members()


def test_the_walk_covers_the_documents_of_the_issue() -> None:
    assert ("AdminListUserAuthEvents", "NextToken") in PAIRS
    assert ("ListWebAuthnCredentials", "NextToken") in PAIRS
    assert ("ListDevices", "PaginationToken") in PAIRS
    assert ("CompleteWebAuthnRegistration", "Credential") in PAIRS
    assert ("RespondToAuthChallenge", "ChallengeResponses") in PAIRS
    assert len(PAIRS) >= 30


def _broken_values(operation: str, name: str, valid: dict[str, Any]) -> list[Any]:
    member = service_model().operation_model(operation).input_shape.members[name]
    if name == "ChallengeResponses":
        username = valid.get(name, {}).get("USERNAME", "nobody")
        return [{"USERNAME": username, key: text} for key in DOCUMENT_ANSWERS for text in BROKEN]
    if member.type_name == "structure":  # a document member: the JSON value itself
        return [*BROKEN, {"id": 5}, {"response": []}, [], 7]
    return BROKEN


@pytest.mark.parametrize(("operation", "name"), PAIRS, ids=[f"{o}.{n}" for o, n in PAIRS])
def test_broken_documents_never_get_a_500(
    sandbox: Any, known: dict[str, Any], operation: str, name: str
) -> None:
    shape = service_model().operation_model(operation).input_shape

    @settings(max_examples=1, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def run(data: Any) -> None:
        valid = data.draw(values(shape, "", known))
        for broken in _broken_values(operation, name, valid):
            request = {**valid, name: broken}
            status, _, document, raw = _send(sandbox, operation, request)
            _check_answer(operation, status, document, raw)

    run()


def test_the_broken_values_are_what_they_claim() -> None:
    for text in ("not json", "{", "{" * 5000):
        with pytest.raises((ValueError, RecursionError)):
            json.loads(text)
    assert "²".isdigit()
    with pytest.raises(ValueError, match="invalid literal"):
        int("²")
