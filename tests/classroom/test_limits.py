"""The classroom's limits: each at the limit and one past it, with a clear answer; a soak.

* progress only for exercises the lab knows (so at most one record per exercise per learner);
* joins with the class code per minute (``MAX_JOINS_PER_MINUTE``);
* bodies announced over ``MAX_BODY_BYTES`` refused with 413 before they are read (waitress's
  ``max_request_body_size``), and a connection limit below waitress's 1,000;
* a bounded flood of each leaves the roster file and the progress records within their bounds.
"""

from __future__ import annotations

import contextlib
import json
import socket
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from mfa_widgets.core.lab_exercises import EXERCISE_NUMBERS
from mfa_widgets.sandbox.classroom.app import MAX_CONNECTIONS, MAX_JOINS_PER_MINUTE, Classroom
from mfa_widgets.sandbox.wire import MAX_BODY_BYTES
from mfa_widgets.training.classroom import ClassroomError, ClassroomWorld
from mfa_widgets.training.classroom import _Connection as Connection
from mfa_widgets.training.lab import EXERCISES


def test_the_classroom_knows_the_labs_exercises() -> None:
    assert set(EXERCISES) == EXERCISE_NUMBERS


@pytest.fixture
def room(tmp_path: Path) -> Classroom:
    with Classroom(["ana"], state_dir=tmp_path / "state") as made:
        yield made


def test_progress_for_an_exercise_the_lab_does_not_know_is_refused(room: Classroom) -> None:
    world = ClassroomWorld(room.links()["ana"])
    top = max(EXERCISE_NUMBERS)
    world.report(top, True, "at the limit")  # the last exercise: accepted
    for made_up in (top + 1, 0, -1, 10**9):
        with pytest.raises(ClassroomError, match="no exercise"):
            world.report(made_up, True, "made up")
    rows = [r for r in room.board() if r["learner"] == "ana"]
    assert {r["exercise"] for r in rows} == {top}


def test_joins_per_minute_stop_at_the_limit(room: Classroom) -> None:
    door = Connection(room.class_link, "class")
    for number in range(MAX_JOINS_PER_MINUTE):
        door.request("join", {"name": f"joiner {number}"})
    with pytest.raises(ClassroomError, match="joins in the last minute"):
        door.request("join", {"name": "one too many"})
    assert len(room.roster.learners) == 1 + MAX_JOINS_PER_MINUTE
    room.add_learner("added by the trainer")  # the trainer is not limited
    assert "added by the trainer" in room.roster.learners


def _announce(room: Classroom, length: int, body: bytes = b"", path: str = "/api/hello") -> bytes:
    """Send headers announcing ``length`` bytes (and ``body``); the raw answer."""
    parts = urlsplit(room.endpoint_url)
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"X-Amz-Target: AWSCognitoIdentityProviderService.GetUser\r\n"
        f"Content-Length: {length}\r\nConnection: close\r\n\r\n"
    ).encode()
    answer = b""
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as connection:
        connection.sendall(head + body)
        with contextlib.suppress(ConnectionResetError):
            while chunk := connection.recv(65536):
                answer += chunk
    return answer


def test_a_body_over_the_limit_is_refused_before_it_is_read(room: Classroom) -> None:
    answer = _announce(room, MAX_BODY_BYTES + 1)  # nothing sent after the headers
    assert answer.startswith(b"HTTP/1.1 413"), answer[:100]
    at_limit = b"{}" + b" " * (MAX_BODY_BYTES - 2)  # read, and answered by the Cognito side
    answer = _announce(room, MAX_BODY_BYTES, at_limit, path="/")
    assert answer.startswith(b"HTTP/1.1 4"), answer[:100]
    assert not answer.startswith(b"HTTP/1.1 413"), answer[:100]
    assert MAX_CONNECTIONS < 1000  # waitress's default


def test_a_flood_stays_within_its_bounds(room: Classroom, tmp_path: Path) -> None:
    """A bounded flood of each kind: records, roster size and seats stay bounded."""
    world = ClassroomWorld(room.links()["ana"])
    for number in range(300):  # made-up exercises, and long messages on a real one
        with pytest.raises(ClassroomError):
            world.report(100 + number, False, "x")
        world.report(1, False, "y" * 10_000)
    door = Connection(room.class_link, "class")
    joined = 0
    for number in range(3 * MAX_JOINS_PER_MINUTE):
        try:
            door.request("join", {"name": f"flood {number}"})
            joined += 1
        except ClassroomError:
            pass
    for _ in range(20):
        assert _announce(room, MAX_BODY_BYTES * 4).startswith(b"HTTP/1.1 413")
    assert joined == MAX_JOINS_PER_MINUTE
    records = sum(len(learner.progress) for learner in room.roster.learners.values())
    assert records <= len(EXERCISE_NUMBERS) * len(room.roster.learners)
    saved = tmp_path / "state"
    size = sum(p.stat().st_size for p in saved.rglob("*") if p.is_file())
    # every learner's record holds at most 500 characters of message
    assert size < 2_000 * len(room.roster.learners) + 10_000, size
    document = json.loads(next(saved.glob("*.json")).read_text())
    assert len(document["learners"]) == len(room.roster.learners)
