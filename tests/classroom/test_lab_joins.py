"""Learners join from the notebook: the lab runs in their own world and reports every check."""

from __future__ import annotations

import pytest

from mfa_widgets.core.classroom_link import ClassroomLinkError, JoinLink
from mfa_widgets.sandbox.classroom.app import Classroom
from mfa_widgets.training import EXERCISES, Lab
from mfa_widgets.training.classroom import LINK_VARIABLE, ClassroomError, TrainerConnection
from mfa_widgets.training.simulate import simulate_learner, solve


def _rows(trainer: TrainerConnection, learner: str) -> dict[int, dict[str, object]]:
    return {
        int(row["exercise"]): row
        for row in trainer.board()["rows"]
        if row["learner"] == learner and row["exercise"] is not None
    }


@pytest.mark.parametrize("number", sorted(EXERCISES))
def test_each_exercise_fails_then_passes_and_the_board_sees_both(
    links: dict[str, str], trainer: TrainerConnection, number: int
) -> None:
    lab = Lab(classroom=links["ana"])
    before = _rows(trainer, "ana").get(number, {}).get("attempts", 0)
    lab.exercise(number)
    early = lab.check(number, why="B")
    assert not early.passed
    assert _rows(trainer, "ana")[number]["last_error"] == early.message
    assert solve(lab, number).passed
    row = _rows(trainer, "ana")[number]
    assert row["attempts"] == before + 2
    assert row["passed"] is True
    assert row["last_error"] == ""  # solved: no old failure shown as its last error
    assert isinstance(row["seconds"], float)
    assert row["seconds"] >= 0


def test_the_lab_joins_from_the_environment(
    links: dict[str, str], monkeypatch: pytest.MonkeyPatch, trainer: TrainerConnection
) -> None:
    monkeypatch.setenv(LINK_VARIABLE, links["cy"])
    lab = Lab()
    assert lab.classroom is not None
    assert lab.classroom.learner == "cy"
    assert "cy" in repr(lab)
    results = simulate_learner(lab, exercises=(1,))
    assert [r.passed for r in results] == [True]
    assert _rows(trainer, "cy")[1]["attempts"] >= 2


def test_without_a_link_the_lab_stays_private(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(LINK_VARIABLE, raising=False)
    with Lab() as lab:
        assert lab.classroom is None
        assert lab.sandbox.endpoint_url.startswith("http://127.0.0.1:")  # type: ignore[union-attr]


def test_no_key_reaches_the_log_or_a_repr(links: dict[str, str], classroom: Classroom) -> None:
    lab = Lab(classroom=links["ben"])
    simulate_learner(lab, exercises=(2,))
    key = JoinLink.parse(links["ben"]).key
    exported = lab.log.frame.to_csv()
    for text in (exported, repr(lab), repr(lab.sandbox), repr(JoinLink.parse(links["ben"]))):
        assert key not in text
    assert classroom.roster.trainer_key not in exported


@pytest.mark.parametrize(
    "link",
    ["", "ftp://x/#join=abc", "http://127.0.0.1:1/", "http://127.0.0.1:1/#join=", "not a link"],
)
def test_a_bad_link_says_what_a_link_looks_like(link: str) -> None:
    with pytest.raises(ClassroomLinkError, match=r"http://HOST:PORT/#join=KEY"):
        Lab(classroom=link)


def test_a_trainer_link_is_not_a_join_link(classroom: Classroom) -> None:
    with pytest.raises(ClassroomLinkError, match="trainer link, not a join link"):
        Lab(classroom=classroom.trainer_link)


def test_a_classroom_that_is_gone_says_so(closed_port: int) -> None:
    with pytest.raises(ClassroomError, match="cannot reach the classroom") as caught:
        Lab(classroom=f"http://127.0.0.1:{closed_port}/#join=secret-key-123")
    assert "secret-key-123" not in str(caught.value)


def test_a_bad_lab_call_is_refused_in_plain_words(links: dict[str, str]) -> None:
    from mfa_widgets.embedded import SandboxPool

    lab = Lab(classroom=links["cy"])
    world = lab.classroom
    assert world is not None
    nowhere = SandboxPool("us-east-1_nothere", "noclient", lab._pools[False].config)
    with pytest.raises(ClassroomError, match=r"HTTP 400.*ResourceNotFoundException"):
        world.totp_code(nowhere, "maria")
    with pytest.raises(ClassroomError, match=r"HTTP 404.*no classroom lab call 'drop_tables'"):
        world.request("drop_tables", {})
    with pytest.raises(ClassroomError, match=r"HTTP 400.*bad request to create_user"):
        world.request("create_user", {"username": "x"})
