"""One learner cannot read or change another's world, even knowing (or guessing) its ids.

Every cognito-idp operation of botocore's service model that names a pool, app client, user,
token or session is called from ben's world with ana's real identifiers; each must fail, and
ana's world must be exactly as before. Keys are generated, not listed.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import pytest
from botocore import xform_name
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mfa_widgets.core.classroom_link import API_PREFIX, KEY_HEADER, JoinLink
from mfa_widgets.core.errors import MfaWidgetsError
from mfa_widgets.sandbox.classroom.app import Classroom
from mfa_widgets.training import Lab

from .conftest import raw_client

pytestmark = pytest.mark.wire  # learners reach the classroom's front door over HTTP with a key

_IDENTIFIERS = ("UserPoolId", "ClientId", "AccessToken", "Username", "Session", "Token")


@pytest.fixture(scope="module")
def ana(classroom: Classroom) -> dict[str, Any]:
    """ana's world with a user signed in: every identifier another learner could learn."""
    lab = Lab(classroom=classroom.links()["ana"])
    task = lab.exercise(1)
    session = lab.client.sign_in(task.client_id, task.username, lab._users[1].password)
    lab.client.admin_set_preference(task.pool_id, task.username, _prefer_sms()).raise_for_error()
    started = lab.client._client().initiate_auth(
        ClientId=task.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": task.username, "PASSWORD": lab._users[1].password},
    )
    assert session.error is None
    return {
        "lab": lab,
        "UserPoolId": task.pool_id,
        "ClientId": task.client_id,
        "Username": task.username,
        "AccessToken": lab.access_token(1),
        "Token": lab.access_token(1),
        "Session": started["Session"],
        "account": classroom._by_name["ana"].account_id,
    }


def _prefer_sms() -> Any:
    import mfa_widgets as mw

    return mw.MfaPreference(sms="preferred")


def _snapshot(lab: Lab) -> str:
    """Everything in ana's world a learner could change, as one comparable string."""
    client = lab.sandbox.client()
    seen: list[Any] = []
    for pool in client.list_user_pools(MaxResults=60)["UserPools"]:
        pool_id = pool["Id"]
        described = client.describe_user_pool(UserPoolId=pool_id)["UserPool"]
        seen.append({k: described.get(k) for k in ("Id", "Name", "MfaConfiguration", "Status")})
        seen.append(client.get_user_pool_mfa_config(UserPoolId=pool_id).get("MfaConfiguration"))
        seen.append(
            client.list_user_pool_clients(UserPoolId=pool_id, MaxResults=60)["UserPoolClients"]
        )
        for user in client.list_users(UserPoolId=pool_id)["Users"]:
            got = client.admin_get_user(UserPoolId=pool_id, Username=user["Username"])
            got.pop("ResponseMetadata")
            seen.append(got)
    return json.dumps(seen, sort_keys=True, default=str)


def _value(shape: Any, name: str, ids: dict[str, Any], depth: int = 0) -> Any:
    """A value botocore accepts for ``shape``: ana's identifier when the member names one."""
    if name in ids:
        return ids[name]
    kind = shape.type_name
    if kind == "structure":
        if depth > 3:
            return {}
        return {
            member: _value(shape.members[member], member, ids, depth + 1)
            for member in shape.required_members
        }
    if kind == "list":
        needed = shape.metadata.get("min", 0)
        return [_value(shape.member, name, ids, depth + 1) for _ in range(needed)]
    if kind == "map":
        return {}
    if kind == "string":
        if shape.enum:
            return shape.enum[0]
        return "x" * max(shape.metadata.get("min", 1), 1)
    if kind in ("integer", "long"):
        return max(shape.metadata.get("min", 1), 1)
    if kind == "boolean":
        return False
    if kind == "blob":
        return b"x"
    if kind == "timestamp":
        return datetime.now(timezone.utc)
    return "x"


def _operations_naming_ana() -> list[str]:
    import boto3

    model = (
        boto3.session.Session().client("cognito-idp", region_name="us-east-1").meta.service_model
    )
    found = []
    for name in model.operation_names:
        shape = model.operation_model(name).input_shape
        if shape is not None and set(shape.members) & set(_IDENTIFIERS):
            found.append(name)
    return found


def test_no_operation_reaches_another_learners_world(
    ana: dict[str, Any], world_client: Callable[..., Any]
) -> None:
    before = _snapshot(ana["lab"])
    ben = world_client("ben")
    operations = _operations_naming_ana()
    assert len(operations) > 50  # the model names ids in most operations
    reached = []
    for operation in operations:
        shape = ben.meta.service_model.operation_model(operation).input_shape
        params = {m: _value(shape.members[m], m, ana) for m in shape.required_members}
        for optional in set(shape.members) & set(_IDENTIFIERS):
            params.setdefault(optional, ana[optional])
        try:
            getattr(ben, xform_name(operation))(**params)
        except ClientError:
            continue
        reached.append(operation)
    assert reached == [], f"ben's calls with ana's ids succeeded: {reached}"
    assert _snapshot(ana["lab"]) == before


def test_claiming_another_account_changes_nothing(
    ana: dict[str, Any], world_client: Callable[..., Any]
) -> None:
    ben = world_client("ben")
    ben.meta.events.register(
        "before-send.cognito-idp",
        lambda request, **_: request.headers.__setitem__("x-moto-account-id", ana["account"]),
    )
    with pytest.raises(ClientError, match="ResourceNotFoundException"):
        ben.admin_get_user(UserPoolId=ana["UserPoolId"], Username=ana["Username"])
    assert ana["UserPoolId"] not in json.dumps(ben.list_user_pools(MaxResults=60))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(key=st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=0, max_size=60))
def test_a_guessed_key_opens_nothing(classroom: Classroom, key: str) -> None:
    assert key not in {JoinLink.parse(link).key for link in classroom.links().values()}
    assert key != classroom.roster.trainer_key
    client = raw_client(classroom.endpoint_url, key or None)
    with pytest.raises(ClientError) as refused:
        client.list_user_pools(MaxResults=10)
    assert refused.value.response["Error"]["Code"] == "NotAuthorizedException"
    for route in ("hello", "board"):
        assert _api_status(classroom, route, key) == 403


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(position=st.integers(0, 42), replacement=st.sampled_from("AZaz09-_"))
def test_a_key_one_character_off_opens_nothing(
    classroom: Classroom, position: int, replacement: str
) -> None:
    real = JoinLink.parse(classroom.links()["ana"]).key
    position %= len(real)
    near = real[:position] + replacement + real[position + 1 :]
    if near == real:
        return
    assert _api_status(classroom, "hello", near) == 403


def test_a_learner_key_does_not_open_the_trainers_api(
    classroom: Classroom, links: dict[str, str]
) -> None:
    key = JoinLink.parse(links["ben"]).key
    for route in ("board", "reset", "scenario", "hint", "learners"):
        assert _api_status(classroom, route, key, {"learner": "ana"}) in (403, 404)
    assert "ana" in classroom.board()[0]["learner"]  # still there


def test_moto_management_routes_are_not_served(
    classroom: Classroom, ana: dict[str, Any], links: dict[str, str]
) -> None:
    before = _snapshot(ana["lab"])
    key = JoinLink.parse(links["ben"]).key
    for path in (
        "/moto-api/reset",
        "/moto-api/data.json",
        "/",
        f"/{ana['UserPoolId']}/.well-known/jwks.json",
    ):
        url = classroom.endpoint_url + path
        request = urllib.request.Request(url, data=b"{}", headers={KEY_HEADER: key})  # noqa: S310
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)  # noqa: S310 - http only
        assert refused.value.code == 404
    assert _snapshot(ana["lab"]) == before


def test_a_non_loopback_address_needs_an_explicit_flag() -> None:
    with pytest.raises(MfaWidgetsError, match="allow_remote"):
        Classroom(1, host="0.0.0.0")  # noqa: S104 - the point of the test


def test_on_every_address_each_request_needs_a_key() -> None:
    with Classroom(["solo"], host="0.0.0.0", allow_remote=True) as room:  # noqa: S104
        loopback = room.endpoint_url.replace("0.0.0.0", "127.0.0.1")  # noqa: S104
        with pytest.raises(ClientError, match="no join key"):
            raw_client(loopback, None).list_user_pools(MaxResults=1)
        key = JoinLink.parse(room.links()["solo"]).key
        assert raw_client(loopback, key).list_user_pools(MaxResults=1)["UserPools"] == []


def test_moto_account_id_in_the_environment_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOTO_ACCOUNT_ID", "123456789012")
    with pytest.raises(MfaWidgetsError, match="MOTO_ACCOUNT_ID"):
        Classroom(1).start()


def _api_status(
    classroom: Classroom, route: str, key: str, body: dict[str, Any] | None = None
) -> int:
    headers = {KEY_HEADER: key} if key else {}
    data = json.dumps(body).encode() if body is not None else None
    url = classroom.endpoint_url + API_PREFIX + route
    request = urllib.request.Request(url, data, headers)  # noqa: S310 - http only
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_one_learner_cannot_fill_the_classroom(
    classroom: Classroom, world_client: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from mfa_widgets.sandbox.classroom import world as classroom_world

    monkeypatch.setattr(classroom_world, "MAX_POOLS", len(classroom._by_name["cy"].pools()) + 2)
    monkeypatch.setattr(classroom_world, "MAX_USERS", 3)
    cy = world_client("cy")
    pool_id = cy.create_user_pool(PoolName="mine")["UserPool"]["Id"]
    cy.create_user_pool(PoolName="mine-too")
    with pytest.raises(ClientError, match=r"LimitExceededException.*user pools"):
        cy.create_user_pool(PoolName="one-too-many")
    for number in range(3 - classroom._by_name["cy"].bridge.user_count()):
        cy.admin_create_user(UserPoolId=pool_id, Username=f"u{number}", MessageAction="SUPPRESS")
    with pytest.raises(ClientError, match=r"LimitExceededException.*users"):
        cy.admin_create_user(UserPoolId=pool_id, Username="more", MessageAction="SUPPRESS")
    ben = world_client("ben")
    ben.create_user_pool(PoolName="ben-still-can")  # another world is not limited by cy's
