"""The board shows what the classroom verified itself; a learner's own report is only a note.

The classroom holds each learner's world, so at every check it reads the exercise's user there
and signs in itself (``LearnerWorld.check``, judged by ``core.lab_exercises.judge``). What a
learner posts (``passed``, a message) never makes a pass; the message is kept, bounded, as a note
for the trainer and shown escaped.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import urllib3

from mfa_widgets.core.classroom_link import API_PREFIX, KEY_HEADER, JoinLink
from mfa_widgets.core.lab_exercises import (
    EXERCISE_NUMBERS,
    EXERCISE_USERS,
    REQUIRES_MFA,
    WHY_ANSWERS,
)
from mfa_widgets.sandbox.classroom.app import NOTE_CHARS, Classroom
from mfa_widgets.training import EXERCISES, Lab
from mfa_widgets.training.simulate import solve
from mfa_widgets.widgets import Board


def _row(room: Classroom, learner: str, exercise: int) -> dict[str, Any]:
    [row] = [r for r in room.board() if (r["learner"], r["exercise"]) == (learner, exercise)]
    return row


def _post(room: Classroom, link: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """A hand-made request to the classroom's progress API (no toolkit code on the way)."""
    answer = urllib3.PoolManager().request(
        "POST",
        room.endpoint_url + API_PREFIX + "progress",
        body=json.dumps(body).encode(),
        headers={KEY_HEADER: JoinLink.parse(link).key, "Content-Type": "application/json"},
    )
    return answer.status, json.loads(answer.data)


def test_the_core_knows_the_labs_exercises() -> None:
    assert set(EXERCISES) == EXERCISE_NUMBERS == set(EXERCISE_USERS) == set(REQUIRES_MFA)
    for number, spec in EXERCISES.items():
        assert EXERCISE_USERS[number] == spec.username
        assert REQUIRES_MFA[number] == spec.required_pool
        assert WHY_ANSWERS.get(number) == spec.answer


def test_a_learner_who_only_says_done_is_not_shown_as_passed(state_dir: Path) -> None:
    with Classroom(["ana"], state_dir=state_dir) as room:
        lab = Lab(classroom=room.links()["ana"])
        lab.exercise(2)
        lab.classroom.report(2, True, "done, trust me")  # type: ignore[union-attr]
        row = _row(room, "ana", 2)
        assert row["passed"] is False
        assert row["attempts"] == 1
        assert row["note"] == "done, trust me"  # kept as the learner's words, nothing more
        assert "TOTP" in row["last_error"]  # the classroom's own finding
        # an exercise never set up cannot be reported passed either
        lab.classroom.report(1, True, "done")  # type: ignore[union-attr]
        assert _row(room, "ana", 1)["passed"] is False


def test_a_forged_progress_request_is_judged_by_the_classroom(state_dir: Path) -> None:
    with Classroom(["ana"], state_dir=state_dir) as room:
        link = room.links()["ana"]
        Lab(classroom=link).exercise(4)
        forged = {"exercise": 4, "event": "check", "passed": True, "message": "x" * 10_000}
        status, answer = _post(room, link, forged)
        assert status == 200
        assert answer["passed"] is False
        assert "authenticator" in answer["message"]
        row = _row(room, "ana", 4)
        assert row["passed"] is False
        assert len(row["note"]) == NOTE_CHARS
        # a wrong "why" letter, forged or not, is no pass
        status, answer = _post(room, link, {"exercise": 3, "event": "check", "why": "A"})
        assert (status, answer["passed"]) == (200, False)


def test_a_learner_who_did_it_is_shown_passed_and_a_restart_keeps_it(state_dir: Path) -> None:
    with Classroom(["ana"], state_dir=state_dir) as room:
        lab = Lab(classroom=room.links()["ana"])
        for number in sorted(EXERCISES):
            result = solve(lab, number)
            assert result.passed, result
            assert _row(room, "ana", number)["passed"] is True
        lab.classroom.report(1, False, "oops")  # type: ignore[union-attr]
        assert _row(room, "ana", 1)["passed"] is True  # still solved: the classroom checked
    with Classroom(state_dir=state_dir) as again:
        assert all(_row(again, "ana", n)["passed"] for n in EXERCISES)


def test_the_learners_note_reaches_the_board_escaped(state_dir: Path) -> None:
    with Classroom(["ana"], state_dir=state_dir) as room:
        link = room.links()["ana"]
        Lab(classroom=link).exercise(1)
        _post(
            room, link, {"exercise": 1, "event": "check", "message": "<img src=x onerror=alert(1)>"}
        )
        board = Board(room.trainer_link, refresh=0)
        try:
            board.refresh()
            assert "&lt;img src=x" in board.table.value
            assert "<img" not in board.table.value
        finally:
            board.close()


def test_a_check_after_the_learner_deleted_the_pool_is_a_plain_failure(state_dir: Path) -> None:
    with Classroom(["ana"], state_dir=state_dir) as room:
        link = room.links()["ana"]
        lab = Lab(classroom=link)
        task = lab.exercise(1)
        lab.client.call("DeleteUserPool", UserPoolId=task.pool_id)
        status, answer = _post(room, link, {"exercise": 1, "event": "check", "passed": True})
        assert (status, answer["passed"]) == (200, False)
        assert "pool is gone" in answer["message"]
