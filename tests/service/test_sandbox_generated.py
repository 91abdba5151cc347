"""Generated wire test: requests built from botocore's model, valid and with one member wrong.

For every operation the sandbox serves (emulated or moto-reviewed, see
``mfa_widgets.sandbox.cognito.operations``), hypothesis
builds requests from the operation's input shape
(real pool, client, user and token where a member names one) and then breaks one member: the
wrong JSON type, one character too long, or a character its pattern refuses. Every answer must
be a success whose body botocore parses and validates against the output shape, or an error the
model documents for that operation (or the protocol's ``SerializationException``) — never a 500.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import regex
from botocore.model import Shape
from botocore.parsers import JSONParser
from botocore.validate import ParamValidator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mfa_widgets.sandbox.cognito.app import HANDLERS
from mfa_widgets.sandbox.cognito.operations import Treatment, table
from mfa_widgets.sandbox.cognito.service_model import service_model
from tests.service.test_sandbox_wire import error_code, post

SERVED = [row.operation for row in table(HANDLERS) if row.treatment is not Treatment.REFUSED]
PROTOCOL_ERRORS = {"SerializationException", "InvalidParameterException"}
#: Java regex classes -> characters hypothesis can draw from (a subset of each class).
_CLASSES = {
    r"\p{L}": "a-zA-Z",
    r"\p{M}": "",
    r"\p{S}": "+",
    r"\p{N}": "0-9",
    r"\p{P}": r"._@\-",
    r"\p{Z}": " ",
    r"\S": "a-zA-Z0-9",
    r"\w": "a-zA-Z0-9_",
}
MAX_DRAWN = 24  # longer strings test nothing more here and slow the run


def _simple_pattern(pattern: str) -> str:
    for java, simple in _CLASSES.items():
        pattern = pattern.replace(java, simple)
    return pattern


def strings(shape: Shape) -> st.SearchStrategy[str]:
    meta = shape.metadata
    low, high = (
        meta.get("min", 0),
        min(meta.get("max", MAX_DRAWN), max(meta.get("min", 0), MAX_DRAWN)),
    )
    if shape.enum:
        return st.sampled_from(shape.enum)
    if "pattern" not in meta:
        return st.text(
            st.characters(min_codepoint=33, max_codepoint=126), min_size=low, max_size=high
        )
    real = regex.compile(meta["pattern"])
    try:
        drawn = st.from_regex(_simple_pattern(meta["pattern"]), fullmatch=True)
    except Exception:  # a construct hypothesis cannot draw from: plain letters
        drawn = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=low, max_size=high)
    return drawn.filter(lambda s: low <= len(s) <= meta.get("max", 10**9) and real.fullmatch(s))


def values(shape: Shape, name: str, known: dict[str, Any], depth: int = 0) -> st.SearchStrategy:
    """Valid values for ``shape`` (a member called ``name``), using ``known`` real ids."""
    if name in known:
        return st.just(known[name])
    kind = shape.type_name
    if kind == "string":
        return strings(shape)
    if kind == "boolean":
        return st.booleans()
    if kind in {"integer", "long"}:
        meta = shape.metadata
        return st.integers(meta.get("min", 0), min(meta.get("max", 100), 100))
    if kind in {"double", "float"}:
        return st.floats(0, 100)
    if kind == "timestamp":
        return st.integers(0, 2_000_000_000)
    if kind == "blob":
        return st.just("YWJj")
    if depth > 3:
        return st.nothing()
    if kind == "list":
        return st.lists(values(shape.member, "", known, depth + 1), max_size=2)
    if kind == "map":
        return st.dictionaries(
            strings(shape.key), values(shape.value, "", known, depth + 1), max_size=2
        )
    required = set(shape.required_members)
    fields = {
        member: values(inner, member, known, depth + 1)
        for member, inner in shape.members.items()
        if member in required or member in known
    }
    optional = sorted(set(shape.members) - set(fields))
    if not optional:
        return st.fixed_dictionaries(fields)
    # One optional member at a time keeps requests small (and the run short).
    extra = st.sampled_from(optional).flatmap(
        lambda m: values(shape.members[m], m, known, depth + 1).map(lambda v: {m: v})
    )
    return st.tuples(st.fixed_dictionaries(fields), st.just({}) | extra).map(
        lambda pair: {**pair[0], **pair[1]}
    )


def wrong(shape: Shape, value: Any) -> st.SearchStrategy:
    """A value ``shape`` refuses: wrong JSON type, or too long, or against its pattern."""
    choices: list[st.SearchStrategy] = []
    kind = shape.type_name
    choices.append(
        st.just(12345) if kind in {"string", "structure", "list", "map"} else st.just("x")
    )
    if kind == "string" and "max" in shape.metadata:
        choices.append(st.just("a" * (shape.metadata["max"] + 1)))
    if kind == "string" and "pattern" in shape.metadata and not shape.enum:
        pattern = regex.compile(shape.metadata["pattern"])
        choices.append(
            st.sampled_from(["\n", "\x00", " ", "\u2028"])
            .map(lambda c: f"a{c}b")
            .filter(lambda s: not pattern.fullmatch(s))
        )
    return st.one_of(choices)


def _check_answer(operation: str, status: int, raw_document: dict, raw: bytes) -> None:
    model = service_model().operation_model(operation)
    assert status < 500, (operation, raw_document)
    if status >= 300:
        documented = {shape.name for shape in model.error_shapes} | PROTOCOL_ERRORS
        assert error_code(raw_document) in documented, (operation, raw_document)
        return
    if model.output_shape is None:
        return
    parsed = JSONParser().parse(
        {"status_code": status, "headers": {}, "body": raw}, model.output_shape
    )
    parsed.pop("ResponseMetadata", None)
    report = ParamValidator().validate(parsed, model.output_shape)
    assert not report.has_errors(), (operation, report.generate_report())


@pytest.fixture
def known(sandbox, make_pool, make_user) -> dict[str, Any]:
    pool = make_pool()
    user = make_user(pool)
    token = sandbox.sign_in(pool, user.username, user.password)
    return {
        "UserPoolId": pool.pool_id,
        "ClientId": pool.client_id,
        "Username": user.username,
        "AccessToken": token["AccessToken"],
    }


@pytest.mark.parametrize("operation", SERVED)
def test_generated_requests_never_get_a_500(sandbox, known, operation):
    shape = service_model().operation_model(operation).input_shape
    members = sorted(shape.members)

    @settings(
        max_examples=10,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def run(data) -> None:
        request = data.draw(values(shape, "", known))
        status, _, document, raw = _send(sandbox, operation, request)
        _check_answer(operation, status, document, raw)
        broken = data.draw(st.sampled_from(members))
        request[broken] = data.draw(wrong(shape.members[broken], request.get(broken)))
        status, _, document, raw = _send(sandbox, operation, request)
        _check_answer(operation, status, document, raw)
        assert status >= 400, (operation, broken, "a wrong member was accepted")

    run()


def _send(sandbox, operation: str, request: dict) -> tuple[int, dict, dict, bytes]:
    status, headers, document = post(sandbox.endpoint_url, operation, request)
    return status, headers, document, json.dumps(document).encode()
