"""The roster file: joins are written at once, a class's progress in one write a second at most.

And the classroom says what it spends per request (the trainer's ``timings``), numbers only.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from mfa_widgets.sandbox.classroom.app import Classroom
from mfa_widgets.sandbox.classroom.store import SAVE_DELAY, Roster
from mfa_widgets.sandbox.classroom.timings import CallTimings
from mfa_widgets.training.classroom import ClassroomWorld, TrainerConnection


def _saved(path: Path) -> dict[str, object]:
    document: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return document


def test_a_burst_of_progress_is_one_write_and_nothing_is_lost(state_dir: Path) -> None:
    with Classroom(["ana", "ben"], state_dir=state_dir) as room:
        path = room.roster.path
        assert path is not None
        before = room.roster.writes
        worlds = [ClassroomWorld(link) for link in room.links().values()]
        started = time.monotonic()
        for _ in range(5):
            for world in worlds:
                world.check(1)
        took = time.monotonic() - started  # a loaded machine: a write each SAVE_DELAY at most
        assert room.roster.writes - before <= 1 + int(took / SAVE_DELAY)  # not one per check
        time.sleep(SAVE_DELAY + 0.5)
        saved = _saved(path)
        attempts = {
            raw["name"]: raw["progress"]["1"]["attempts"]  # type: ignore[index]
            for raw in saved["learners"]  # type: ignore[attr-defined]
        }
        assert attempts == {"ana": 5, "ben": 5}


def test_a_join_is_on_disk_before_the_joiner_has_their_key(state_dir: Path) -> None:
    with Classroom([], state_dir=state_dir) as room:
        assert room.roster.path is not None
        name, _key = room.join("Dee")
        names = [raw["name"] for raw in _saved(room.roster.path)["learners"]]  # type: ignore[attr-defined]
        assert name in names


def test_stopping_writes_what_waits(state_dir: Path) -> None:
    room = Classroom(["ana"], state_dir=state_dir).start()
    ClassroomWorld(room.links()["ana"]).check(2)
    room.stop()  # well within SAVE_DELAY
    assert room.roster.path is not None
    reread = Roster(room.roster.path)
    assert reread.learners["ana"].progress["2"].attempts == 1


def test_the_trainer_sees_what_the_classroom_spends_per_request(classroom: Classroom) -> None:
    trainer = TrainerConnection(classroom.trainer_link)
    ClassroomWorld(classroom.links()["ana"]).hello()
    found = trainer.timings()
    assert found["requests"] >= 1
    assert set(found["total_ms"]) == {"p50", "p95", "p99", "max"}
    assert 0 <= found["lock_wait_ms"]["max"] <= found["total_ms"]["max"]
    assert "api:hello" in {entry["what"] for entry in found["slowest"]} or found["requests"] > 5
    assert not any(secret in json.dumps(found) for secret in classroom.issued_secrets())


def test_the_slowest_requests_are_named_by_what_they_were_only() -> None:
    timings = CallTimings()
    for ms in range(1, 20):
        timings.record(float(ms), 0.0, "InitiateAuth")
    timings.record(99.0, 3.0, "<script>alert(1)</script>" + "x" * 100)
    found = timings.summary()
    assert found["requests"] == 20
    assert found["total_ms"]["max"] == 99.0
    slowest = found["slowest"]
    assert [entry["total_ms"] for entry in slowest] == [99.0, 19.0, 18.0, 17.0, 16.0]
    assert slowest[0]["what"].startswith("scriptalert1script")
    assert len(slowest[0]["what"]) <= 60


def test_timings_since_a_count_leave_the_earlier_requests_out() -> None:
    timings = CallTimings()
    timings.record(500.0, 0.0, "api:hello")  # a join, before the stretch timed
    since = timings.summary()["requests"]
    for _ in range(3):
        timings.record(2.0, 1.0, "InitiateAuth")
    found = timings.summary(since)
    assert found["kept"] == 3
    assert found["total_ms"]["max"] == 2.0
    assert timings.summary()["total_ms"]["max"] == 500.0


def test_the_file_holds_every_field_of_every_record(tmp_path: Path) -> None:
    from dataclasses import asdict

    from mfa_widgets.sandbox.classroom.store import Learner

    roster = Roster(tmp_path / "classroom.json")
    roster.learners["ana"] = Learner(name="ana", key="k" * 43, account_id="111111111111")
    roster.progress("ana", 3).record_start(1.0)
    roster.progress("ana", 3).record_check(False, "not yet", 2.0)
    roster.learners["ana"].joined = 0.5
    roster.save()
    assert roster.path is not None
    assert _saved(roster.path)["learners"] == [asdict(roster.learners["ana"])]
