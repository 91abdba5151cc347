"""Many learners acting at once on one classroom each get their own, complete answers.

Each learner works on a thread of their own over HTTP, all released together; what each does is
generated (hypothesis): creating users, signing them in, listing their pool, creating pools,
asking the classroom to check an exercise, while the trainer adds learners (a new moto account
while the others' sign-ins walk every account). Afterwards nothing any learner wrote is lost
(every user is there, every check is counted, on the board and in the saved file) and no answer
named another learner's user or pool.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mfa_widgets.core.classroom_link import JoinLink
from mfa_widgets.sandbox.classroom.app import Classroom
from mfa_widgets.training.classroom import ClassroomWorld

from .conftest import raw_client

_LEARNERS = [f"learner-{i}" for i in range(6)]
_PASSWORD = "Corr3ct-Horse-battery!"
_numbers = itertools.count()

_action = st.one_of(
    st.just(("user",)),
    st.just(("sign_in",)),
    st.just(("list",)),
    st.just(("check",)),
    st.tuples(st.just("pool")),
)


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Classroom]:
    with Classroom(_LEARNERS, state_dir=tmp_path_factory.mktemp("at-once")) as classroom:
        yield classroom


class _Learner:
    """One learner's client, pool and what they have made (and been told)."""

    def __init__(self, room: Classroom, name: str) -> None:
        link = room.links()[name]
        self.name = name
        self.client = raw_client(room.endpoint_url, JoinLink.parse(link).key)
        self.world = ClassroomWorld(link)
        self.pools: list[tuple[str, str]] = []
        self.users: dict[str, str] = {}  # username -> pool id
        self.checks = 0
        self.foreign: list[str] = []
        self.add_pool()

    def add_pool(self) -> None:
        pool = self.client.create_user_pool(PoolName=f"{self.name}-{next(_numbers)}")["UserPool"]
        app = self.client.create_user_pool_client(
            UserPoolId=pool["Id"],
            ClientName="app",
            ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        )["UserPoolClient"]
        self.pools.append((pool["Id"], app["ClientId"]))

    def act(self, action: tuple[str, ...]) -> None:
        pool_id, client_id = self.pools[-1]
        if action[0] == "pool":
            self.add_pool()
        elif action[0] == "user":
            username = f"{self.name}-u{next(_numbers)}"
            self.client.admin_create_user(
                UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS"
            )
            self.client.admin_set_user_password(
                UserPoolId=pool_id, Username=username, Password=_PASSWORD, Permanent=True
            )
            self.users[username] = pool_id
        elif action[0] == "sign_in":
            mine = [u for u, p in self.users.items() if p == pool_id]
            if not mine:
                return
            answer = self.client.initiate_auth(
                ClientId=client_id,
                AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": mine[-1], "PASSWORD": _PASSWORD},
            )
            token = answer["AuthenticationResult"]["AccessToken"]
            if self.client.get_user(AccessToken=token)["Username"] != mine[-1]:
                self.foreign.append(f"signed in as someone else than {mine[-1]}")
        elif action[0] == "list":
            listed = {u["Username"] for u in self.client.list_users(UserPoolId=pool_id)["Users"]}
            made = {u for u, p in self.users.items() if p == pool_id}
            if listed != made:
                self.foreign.append(f"listed {sorted(listed ^ made)} beside what I made")
        elif action[0] == "check":
            self.world.check(1)  # not set up: a failing check, counted all the same
            self.checks += 1

    def verify(self) -> None:
        """Every user is where this learner put it; every pool listed is theirs."""
        listed = {p["Id"] for p in self.client.list_user_pools(MaxResults=60)["UserPools"]}
        assert {pool for pool, _ in self.pools} <= listed
        for username, pool_id in self.users.items():
            got = self.client.admin_get_user(UserPoolId=pool_id, Username=username)
            assert got["Username"] == username
        assert self.foreign == []


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plans=st.lists(st.lists(_action, min_size=3, max_size=8), min_size=6, max_size=6))
def test_learners_acting_at_once_lose_nothing_and_see_only_their_own(
    room: Classroom, plans: list[list[tuple[str, ...]]]
) -> None:
    learners = [_Learner(room, name) for name in _LEARNERS]
    checks_before = _attempts(room.board())
    start = threading.Barrier(len(learners) + 1)
    failures: list[BaseException] = []

    def work(learner: _Learner, plan: list[tuple[str, ...]]) -> None:
        try:
            start.wait(timeout=30)
            for action in plan:
                learner.act(action)
        except BaseException as error:  # reported below, with the learner's name
            failures.append(error)

    def trainer() -> None:  # new worlds (moto accounts) while the learners' calls run
        start.wait(timeout=30)
        room.add_learner(f"late-{next(_numbers)}")

    threads = [
        threading.Thread(target=work, args=(learner, plan))
        for learner, plan in zip(learners, plans, strict=True)
    ]
    threads.append(threading.Thread(target=trainer))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    for learner in learners:
        learner.verify()
    counted = _attempts(room.board())
    for learner in learners:
        assert counted.get(learner.name, 0) - checks_before.get(learner.name, 0) == learner.checks
    room.roster.flush()
    assert room.roster.path is not None
    saved = json.loads(Path(room.roster.path).read_text(encoding="utf-8"))
    on_disk = {
        raw["name"]: raw["progress"].get("1", {}).get("attempts", 0) for raw in saved["learners"]
    }
    assert {name: on_disk.get(name, 0) for name in counted} == counted


def _attempts(rows: list[dict[str, Any]]) -> dict[str, int]:
    return {row["learner"]: int(row["attempts"]) for row in rows if row.get("exercise") == 1}
