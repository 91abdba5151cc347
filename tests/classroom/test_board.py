"""The trainer's board: live progress, confirmed actions, export."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mfa_widgets.core.classroom_link import JoinLink
from mfa_widgets.sandbox.classroom.app import Classroom
from mfa_widgets.training import EXERCISES, Lab
from mfa_widgets.training.simulate import simulate_learner, solve
from mfa_widgets.widgets import Board
from mfa_widgets.widgets.board import describe_cell


@pytest.fixture
def board(classroom: Classroom) -> Any:
    made = Board(classroom.trainer_link, refresh=0)
    yield made
    made.close()


def _pool_names(client: Any) -> set[str]:
    return {pool["Name"] for pool in client.list_user_pools(MaxResults=60)["UserPools"]}


def test_the_board_shows_every_learner_and_what_they_did(
    board: Board, links: dict[str, str]
) -> None:
    assert "not started" in board.table.value
    for name in ("ana", "ben", "cy"):
        assert name in board.table.value
    simulate_learner(Lab(classroom=links["ana"]), exercises=(1,))
    board.refresh()
    assert "passed after 2 checks" in board.table.value
    assert "mfa-board-passed" in board.table.value
    assert list(board.learner_pick.options) == ["ana", "ben", "cy"]


def test_a_failed_check_shows_its_message_in_plain_words(
    board: Board, links: dict[str, str]
) -> None:
    lab = Lab(classroom=links["ben"])
    lab.exercise(2)
    failed = lab.check(2)
    board.refresh()
    assert "mfa-board-failed" in board.table.value
    assert failed.message.split(".")[0] in board.table.value


def test_reset_waits_for_confirmation_and_empties_one_world_only(
    board: Board, links: dict[str, str], world_client: Callable[..., Any]
) -> None:
    ana, ben = Lab(classroom=links["ana"]), Lab(classroom=links["ben"])
    ana.exercise(1)
    ben.exercise(1)
    board.ask_reset("ana")
    assert board.confirm_box.layout.display == "flex"
    board.cancel()
    assert "training-optional" in _pool_names(world_client("ana"))
    board.ask_reset("ana")
    board.confirm()
    assert "mfa-status-ok" in board.widget.children[-1]._dom_classes
    assert _pool_names(world_client("ana")) == set()
    assert "training-optional" in _pool_names(world_client("ben"))
    emptied = ana.check(1)
    assert not emptied.passed
    assert "world was emptied" in emptied.message
    assert solve(ana, 1).passed  # the lab made new pools; the learner carries on
    assert solve(ben, 1).passed


def test_a_scenario_reaches_every_learners_pool_after_confirmation(
    board: Board, links: dict[str, str], world_client: Callable[..., Any]
) -> None:
    for name in ("ana", "ben", "cy"):
        Lab(classroom=links[name])
    board.mfa_pick.value, board.email_pick.value = "ON", False
    board.pool_pick.value = "training-optional"
    board.apply_button.click()
    assert "pool MFA ON, email MFA off" in board.question.value
    for name in ("ana", "ben", "cy"):
        pools = world_client(name).list_user_pools(MaxResults=60)["UserPools"]
        optional = [p for p in pools if p["Name"] == "training-optional"]
        assert optional
    board.confirm()
    assert "Applied" in board.status.message
    for name in ("ana", "ben", "cy"):
        client = world_client(name)
        for pool in client.list_user_pools(MaxResults=60)["UserPools"]:
            config = client.get_user_pool_mfa_config(UserPoolId=pool["Id"])
            if pool["Name"] == "training-optional":
                assert config["MfaConfiguration"] == "ON"
                assert "EmailMfaConfiguration" not in config
            else:
                assert config["MfaConfiguration"] == "ON"  # created ON, untouched


def test_a_scenario_needs_a_change(board: Board) -> None:
    board.ask_scenario()
    assert board.confirm_box.layout.display == "none"
    assert "Choose a change first" in board.status.message


def test_a_revealed_hint_reaches_every_learner(board: Board, links: dict[str, str]) -> None:
    text = f"look at the outbox {time.time()}"
    board.hint_text.value, board.hint_pick.value = text, 3
    board.hint_button.click()
    lab = Lab(classroom=links["cy"])
    assert not any(text in hint for hint in lab.exercise(3).hints)  # not confirmed yet
    board.confirm()
    assert any(text in hint for hint in lab.exercise(3).hints)
    assert text in lab.check(3, why="B").message
    assert text not in str(lab.exercise(1))


def test_export_as_frame_and_csv(board: Board, links: dict[str, str], tmp_path: Path) -> None:
    simulate_learner(Lab(classroom=links["cy"]), exercises=(1, 2))
    written = board.to_csv(tmp_path / "progress.csv")
    read = pd.read_csv(written)
    frame = board.frame()
    assert list(read.columns) == list(frame.columns)
    assert len(read) == len(frame)
    cy = frame[frame["learner"] == "cy"].set_index("exercise")
    assert cy.loc[1, "passed"]
    assert cy.loc[2, "passed"]
    assert str(frame["last_check"].dtype).startswith("datetime64")
    key = JoinLink.parse(links["cy"]).key
    assert key not in written.read_text()


def test_the_board_updates_live(classroom: Classroom, links: dict[str, str]) -> None:
    live = Board(classroom.trainer_link, refresh=0.2)
    try:
        lab = Lab(classroom=links["ben"])
        lab.exercise(3)
        lab.check(3)  # no answer: a failed attempt
        deadline = time.monotonic() + 20
        while "Answer the question first" not in live.table.value:
            assert time.monotonic() < deadline, "the board did not update by itself"
            time.sleep(0.1)
    finally:
        live.close()


@given(
    st.fixed_dictionaries(
        {
            "attempts": st.integers(0, 50),
            "passed": st.booleans(),
            "seconds": st.none() | st.floats(0, 10_000),
            "last_error": st.text(max_size=40),
            "first_started": st.none() | st.floats(0, 10_000),
        }
    )
)
def test_each_cell_says_what_happened(row: dict[str, Any]) -> None:
    kind, words = describe_cell(row, now=20_000)
    if row["first_started"] is not None and not (row["attempts"] and row["passed"]):
        assert " on it" in words
    if row["attempts"] == 0:
        assert kind == "started"
    elif row["passed"]:
        assert kind == "passed"
        assert f"{row['attempts']} check" in words
    else:
        assert kind == "failed"
        assert (row["last_error"] or "no message") in words


def test_every_exercise_of_the_lab_is_a_column_and_the_simulator_does_them_all(
    classroom: Classroom, board: Board
) -> None:
    assert board.exercises == tuple(sorted(EXERCISES))
    link = classroom.add_learner("dee")
    results = simulate_learner(Lab(classroom=link))
    assert [r.passed for r in results] == [True] * len(EXERCISES)
    board.refresh()
    for number in EXERCISES:
        assert f">Exercise {number}</th>" in board.table.value
    frame = board.frame()
    dee = frame[frame["learner"] == "dee"].set_index("exercise")
    assert sorted(dee.index) == sorted(EXERCISES)
    assert dee["passed"].all()
    assert (dee["attempts"] == 2).all()
