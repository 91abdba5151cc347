"""One class code on the board: learners join with it and a name, each into a world of their own."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mfa_widgets.core.classroom_link import ClassroomLinkError, JoinLink
from mfa_widgets.sandbox.classroom.app import Classroom
from mfa_widgets.sandbox.classroom.join import MAX_NAME, learner_name, new_class_code, unique_name
from mfa_widgets.sandbox.errors import ClassroomSetupError
from mfa_widgets.training import Lab, LabError
from mfa_widgets.training.classroom import ClassroomError, TrainerConnection
from mfa_widgets.training.simulate import solve


def _pools(lab: Lab) -> set[str]:
    pools = lab.sandbox.client().list_user_pools(MaxResults=60)["UserPools"]
    return {pool["Id"] for pool in pools}


def _learners(trainer: TrainerConnection) -> list[str]:
    return list(trainer.board()["learners"])


def test_two_learners_with_the_same_name_get_worlds_of_their_own(
    classroom: Classroom, trainer: TrainerConnection
) -> None:
    first = Lab(classroom=classroom.class_link, name="  Zoe   Q. ")
    second = Lab(classroom=classroom.class_link, name="Zoe Q.")
    assert first.classroom is not None
    assert second.classroom is not None
    assert first.classroom.learner == "Zoe Q."
    assert second.classroom.learner == "Zoe Q. (2)"
    assert first.classroom.link.key != second.classroom.link.key
    assert first.classroom.link.key != classroom.class_code
    mine, theirs = _pools(first), _pools(second)
    assert len(mine) == len(theirs) == 2
    assert not mine & theirs
    assert solve(first, 1).passed
    assert {"Zoe Q.", "Zoe Q. (2)"} <= set(_learners(trainer))
    solved = [
        row
        for row in trainer.board()["rows"]
        if row["learner"] == "Zoe Q." and row["exercise"] == 1
    ]
    assert solved
    assert solved[0]["passed"] is True
    assert not [
        r for r in trainer.board()["rows"] if r["learner"] == "Zoe Q. (2)" and r.get("passed")
    ]


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.data())
def test_the_code_may_be_typed_in_any_case_with_spaces_or_dashes(
    classroom: Classroom, data: st.DataObject
) -> None:
    letters = [ch for ch in classroom.class_code if ch != "-"]
    typed = "".join(
        data.draw(st.sampled_from([ch, ch.lower()])) + data.draw(st.sampled_from(["", " ", "-"]))
        for ch in letters
    )
    link = f"{classroom.endpoint_url}/#class={typed.strip(' ')}"
    lab = Lab(classroom=link, name="Typist")
    assert lab.classroom is not None
    assert lab.classroom.learner.startswith("Typist")


@given(code=st.text(min_size=1, max_size=12).filter(lambda s: "=" not in s and "#" not in s))
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_a_wrong_class_code_is_refused_in_plain_words(classroom: Classroom, code: str) -> None:
    normal = "".join(ch for ch in code.upper() if ch not in " -\t")
    if normal == classroom.class_code.replace("-", ""):
        return  # hypothesis cannot find the code; if it ever does, that is the right answer
    before = len(classroom.roster.learners)
    # A code of blanks leaves the link without one: the link is refused before any call.
    with pytest.raises((ClassroomError, ClassroomLinkError), match="class code"):
        Lab(classroom=f"{classroom.endpoint_url}/#class={code}", name="Mallory")
    assert len(classroom.roster.learners) == before


def test_the_refusal_never_repeats_the_code_typed(classroom: Classroom) -> None:
    wrong = new_class_code()
    assert wrong != classroom.class_code
    with pytest.raises(ClassroomError, match="not this classroom's class code") as caught:
        Lab(classroom=f"{classroom.endpoint_url}/#class={wrong}", name="Mallory")
    assert wrong not in str(caught.value)


def test_the_class_code_opens_nothing_but_joining(
    classroom: Classroom, world_client: Callable[..., Any]
) -> None:
    code = classroom.class_code
    with pytest.raises(Exception, match="NotAuthorizedException"):
        world_client(key=code).list_user_pools(MaxResults=10)
    door = TrainerConnection(JoinLink(classroom.endpoint_url, code, "trainer"))
    for route in ("board", "hello", "create_pool"):
        with pytest.raises(ClassroomError, match="HTTP 403"):
            door.request(route, {"name": "x", "mfa": "OFF"})


def test_a_learner_key_is_not_a_class_code(classroom: Classroom, links: dict[str, str]) -> None:
    key = JoinLink.parse(links["ana"]).key
    with pytest.raises(ClassroomError, match="class code"):
        Lab(classroom=f"{classroom.endpoint_url}/#class={key}", name="Ana again")


@pytest.mark.parametrize(
    "name",
    ["", "   ", "\x00bob", "bell\x07", "\x1b[31mred", "x" * (MAX_NAME + 1), "---", "..."],
)
def test_a_bad_name_is_refused_and_nobody_joins(classroom: Classroom, name: str) -> None:
    before = dict(classroom.roster.learners)
    with pytest.raises(ClassroomError, match="learner name needs"):
        Lab(classroom=classroom.class_link, name=name)
    assert dict(classroom.roster.learners) == before


def test_a_class_code_needs_a_name_and_a_name_needs_a_class_code(
    classroom: Classroom, links: dict[str, str]
) -> None:
    with pytest.raises(ClassroomError, match="a class code needs your name too"):
        Lab(classroom=classroom.class_link)
    with pytest.raises(ClassroomError, match="name= goes with a class code"):
        Lab(classroom=links["ana"], name="Ana")
    with pytest.raises(LabError, match="name= is for joining a class"):
        Lab(name="Ana")


@given(st.text(max_size=80))
def test_names_are_validated(text: str) -> None:
    words = " ".join(text.split())
    valid = (
        1 <= len(words) <= MAX_NAME and words.isprintable() and any(ch.isalnum() for ch in words)
    )
    if valid:
        assert learner_name(text) == words
    else:
        with pytest.raises(ClassroomSetupError, match="learner name"):
            learner_name(text)


@given(st.lists(st.sampled_from(["ana", "ana (2)", "x" * MAX_NAME, "ben"]), max_size=12))
def test_a_taken_name_gets_the_first_free_number(taken: list[str]) -> None:
    for name in ("ana", "x" * MAX_NAME, "new"):
        found = unique_name(name, set(taken))
        assert found not in taken
        assert len(found) <= MAX_NAME
        assert found == name or found.endswith(")")


def test_codes_are_easy_to_copy_and_differ() -> None:
    codes = {new_class_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert len(code) == 9
        assert code[4] == "-"
        assert not set(code) & set("01ILOUV")


def test_the_class_code_survives_a_restart(tmp_path: Path) -> None:
    with Classroom(state_dir=tmp_path) as first:
        code = first.class_code
        joined = Lab(classroom=first.class_link, name="Rita")
        assert joined.classroom is not None
        own = str(joined.classroom.link)
    with Classroom(state_dir=tmp_path) as second:
        assert second.class_code == code
        assert "Rita" in second.roster.learners
        again = Lab(classroom=own)  # her own link still opens her (new, empty) world
        assert again.classroom is not None
        assert again.classroom.learner == "Rita"
        assert len(_pools(again)) == 2  # the lab made its pools again


def test_a_trainer_added_name_is_tidied_like_a_joined_one(classroom: Classroom) -> None:
    link = classroom.add_learner("  Eve   Z. ")
    assert classroom.add_learner("Eve Z.") == link
    assert "Eve Z." in classroom.roster.learners
    with pytest.raises(ClassroomSetupError, match="learner name needs"):
        classroom.add_learner("\x07")
