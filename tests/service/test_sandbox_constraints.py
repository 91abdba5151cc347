"""Usernames and attributes obey botocore's service model (length and pattern), over the wire.

The request goes through botocore with its own client-side validation switched off, so the
sandbox is what refuses it (as Cognito would a request from any other client).
"""

from __future__ import annotations

import functools
import unicodedata

import boto3
import regex
from botocore.config import Config
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mfa_widgets.sandbox.cognito.service_model import service_model

FAST = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _shape(operation: str, member: str):
    return service_model().operation_model(operation).input_shape.members[member]


USERNAME = _shape("AdminCreateUser", "Username")
USERNAME_PATTERN = regex.compile(USERNAME.metadata["pattern"])
ATTRIBUTE = _shape("AdminCreateUser", "UserAttributes").member
NAME_MAX = ATTRIBUTE.members["Name"].metadata["max"]
NAME_PATTERN = regex.compile(ATTRIBUTE.members["Name"].metadata["pattern"])
VALUE_MAX = ATTRIBUTE.members["Value"].metadata["max"]

#: Characters the username pattern refuses: whitespace, controls (NUL, newline, ...), separators.
refused_characters = st.characters(categories=("Zs", "Zl", "Zp", "Cc", "Cf"))
valid_username = st.text(
    st.characters(categories=("L", "N", "P", "S")), min_size=1, max_size=USERNAME.metadata["max"]
).filter(lambda name: USERNAME_PATTERN.fullmatch(name) is not None)


@functools.cache
def unchecked_client(endpoint: str, region: str):
    return boto3.client(
        "cognito-idp",
        region_name=region,
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(parameter_validation=False, retries={"total_max_attempts": 1}),
    )


@st.composite
def bad_usernames(draw) -> str:
    kind = draw(st.sampled_from(["too long", "huge", "refused character", "empty"]))
    if kind == "too long":
        return draw(valid_username.map(lambda n: (n * 200)[: USERNAME.metadata["max"] + 1]))
    if kind == "huge":
        return "u" * 1_000_000
    if kind == "empty":
        return ""
    name = draw(valid_username)
    at = draw(st.integers(0, len(name)))
    return name[:at] + draw(refused_characters) + name[at:]


@FAST
@given(name=bad_usernames())
# The instances issue 12 lists, always tried: 1 MB, 129 characters, NUL, newline, whitespace.
@example(name="u" * 1_000_000)
@example(name="u" * 129)
@example(name="al\x00ice")
@example(name="al\nice")
@example(name="al ice")
@example(name=" alice")
def test_bad_usernames_are_invalid_parameters(sandbox, pool, error_of, name):
    client = unchecked_client(sandbox.endpoint_url, sandbox.region)
    code, message = error_of(client.admin_create_user, UserPoolId=pool.pool_id, Username=name)
    assert code == "InvalidParameterException"
    assert "'username'" in message
    assert len(message) < 400  # the value itself is never echoed


@FAST
@given(name=valid_username)
def test_names_the_model_allows_are_accepted(sandbox, cognito, pool, name):
    cognito.admin_create_user(UserPoolId=pool.pool_id, Username=name, MessageAction="SUPPRESS")
    got = cognito.admin_get_user(UserPoolId=pool.pool_id, Username=name)["Username"]
    assert unicodedata.normalize("NFC", got) == unicodedata.normalize("NFC", name)
    cognito.admin_delete_user(UserPoolId=pool.pool_id, Username=name)


@FAST
@given(
    attribute=st.one_of(
        st.builds(lambda n: {"Name": "a" * n, "Value": "x"}, st.integers(NAME_MAX + 1, 500)),
        st.builds(
            lambda n: {"Name": "custom:note", "Value": "v" * n}, st.integers(VALUE_MAX + 1, 9000)
        ),
        st.builds(
            lambda c: {"Name": f"na{c}me", "Value": "x"},
            refused_characters.filter(lambda c: NAME_PATTERN.fullmatch(c) is None),
        ),
    )
)
def test_bad_attributes_are_invalid_parameters(sandbox, pool, make_user, error_of, attribute):
    user = make_user(pool)
    client = unchecked_client(sandbox.endpoint_url, sandbox.region)
    code, message = error_of(
        client.admin_update_user_attributes,
        UserPoolId=pool.pool_id,
        Username=user.username,
        UserAttributes=[attribute],
    )
    assert code == "InvalidParameterException"
    assert "userAttributes.1.member" in message
