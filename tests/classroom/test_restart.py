"""A restart keeps the roster, links, progress and hints; learners are told their world is new."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from mfa_widgets.sandbox.classroom.app import Classroom, ClassroomSetupError
from mfa_widgets.training import Lab
from mfa_widgets.training.simulate import solve


def test_progress_and_links_survive_a_restart(state_dir: Path) -> None:
    with Classroom(["ana"], state_dir=state_dir) as first:
        links, trainer = first.links(), first.trainer_link
        lab = Lab(classroom=links["ana"])
        lab.exercise(1)
        failed = lab.check(1)
        first.reveal_hint(1, "two factors, none preferred")
    assert (state_dir / "classroom.json").stat().st_mode & 0o777 == 0o600
    with Classroom(state_dir=state_dir) as second:
        assert second.links() == links
        assert second.trainer_link == trainer
        assert second.roster.boots == 2
        [row] = second.board()
        assert (row["learner"], row["attempts"], row["last_error"]) == ("ana", 1, failed.message)
        told = lab.check(1)  # the same lab object, as in a kernel that kept running
        assert not told.passed
        assert "classroom restarted" in told.message
        assert "two factors, none preferred" in told.message
        assert solve(lab, 1).passed
        # The "world emptied" answer judged nothing: it is not an attempt.
        assert second.board()[0]["attempts"] == 2


def test_an_unreadable_state_file_says_what_to_do(state_dir: Path) -> None:
    state_dir.mkdir()
    (state_dir / "classroom.json").write_text("{not json")
    with pytest.raises(ClassroomSetupError, match="move the file away"):
        Classroom(state_dir=state_dir)


def _start(state_dir: Path, *extra: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "mfa_widgets", "classroom", "--state-dir", str(state_dir)]
    return subprocess.Popen(
        [*command, *extra], stdout=subprocess.PIPE, text=True, env={**os.environ}
    )


def test_the_command_prints_links_that_work_and_says_when_it_restarted(state_dir: Path) -> None:
    process = _start(state_dir, "--names", "ana,ben", "--json")
    try:
        assert process.stdout is not None
        facts = json.loads(process.stdout.readline())
        assert sorted(facts["learners"]) == ["ana", "ben"]
        lab = Lab(classroom=facts["learners"]["ben"])
        assert lab.classroom is not None
        assert lab.classroom.learner == "ben"
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    again = _start(state_dir)
    try:
        assert again.stdout is not None
        lines = [again.stdout.readline() for _ in range(3)]
        assert "restarted" in lines[1]
        assert "learners' worlds are empty again" in lines[1]
    finally:
        again.send_signal(signal.SIGTERM)
        assert again.wait(timeout=30) == 0


def test_a_remote_address_needs_the_flag_on_the_command_line(state_dir: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mfa_widgets", "classroom", "--host", "0.0.0.0"],  # noqa: S104
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "--allow-remote" in done.stderr


def test_without_a_state_folder_old_links_say_what_happened() -> None:
    from mfa_widgets.training.classroom import ClassroomError

    with Classroom(["ana"]) as first:
        old = first.links()["ana"]
        port = first.port
    with Classroom(["ana"], port=port) as second:
        assert second.links()["ana"] != old
        with pytest.raises(ClassroomError, match="restarted without a state folder"):
            Lab(classroom=old)
