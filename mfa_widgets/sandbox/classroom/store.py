"""What a classroom remembers across a restart: the roster, each learner's progress, the hints.

Saved as one JSON file (owner-only permissions: it holds the join keys), rewritten atomically.
What a restart must not lose is written at once: a learner joining or removed, a hint, the keys
and the class code. A learner's progress (an exercise set up, a check run, the moment they first
said hello) is written within :data:`SAVE_DELAY` seconds, once for every change made in that
time, so a full class checking at once costs one write, not a hundred: a crash loses at most
that last second of progress records (the learner's world is lost in any restart, and the lab
sets the exercise up again). Cognito worlds themselves are not saved; after a restart each world
is empty and carries a new world id, which is how a learner's lab notices and says so plainly.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from mfa_widgets.sandbox.errors import ClassroomSetupError

__all__ = ["SAVE_DELAY", "ClassroomSetupError", "ExerciseProgress", "Learner", "Roster"]

_VERSION = 1
#: The most seconds a progress record waits before it is written (see the module's docstring).
SAVE_DELAY = 1.0


@dataclass
class ExerciseProgress:
    """One learner's progress on one exercise.

    Attributes
    ----------
    started
        When the exercise was (last) set up, epoch seconds.
    attempts
        How many checks were run.
    passed
        Whether the latest check passed.
    seconds
        From the first set-up to the first passing check (``None`` until solved).
    last_error
        The latest failing check's message, in plain words ('' when none, and after a pass: a
        solved exercise carries no old failure).
    last_check
        When the latest check ran, epoch seconds.
    note
        What the learner said with their latest check (bounded; shown escaped): a hint for the
        trainer, never a pass. ``passed`` is what the classroom verified itself.
    """

    started: float | None = None
    attempts: int = 0
    passed: bool = False
    seconds: float | None = None
    last_error: str = ""
    last_check: float | None = None
    first_started: float | None = None
    note: str = ""

    def record_start(self, now: float) -> None:
        """The learner set the exercise up (again)."""
        self.started = now
        if self.first_started is None:
            self.first_started = now

    def record_check(self, passed: bool, message: str, now: float) -> None:
        """The learner ran a check."""
        self.attempts += 1
        self.passed = passed
        self.last_check = now
        if passed:
            self.last_error = ""
            if self.seconds is None:
                self.seconds = round(now - (self.first_started or now), 1)
        else:
            self.last_error = message[:500]


@dataclass
class Learner:
    """A learner on the roster; the key is hidden from ``repr``."""

    name: str
    key: str = field(repr=False)
    account_id: str
    progress: dict[str, ExerciseProgress] = field(default_factory=dict)
    joined: float | None = None


class Roster:
    """The learners, their progress, the revealed hints and the keys, saved to ``path``.

    Parameters
    ----------
    path
        The JSON file; ``None`` keeps everything in memory only.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.lock = threading.RLock()
        self.learners: dict[str, Learner] = {}
        self.hints: list[dict[str, Any]] = []
        self.trainer_key = ""
        self.class_code = ""
        self.boots = 0
        self.settings: dict[str, Any] = {}
        self.writes = 0  # how many times the file was written (for tests)
        self._dirty = False
        self._pending: threading.Timer | None = None
        self._writing = threading.Lock()  # one file write at a time; never held to take .lock
        self._copies = self._written = 0
        if path is not None and path.exists():
            self._load(path)

    def _load(self, path: Path) -> None:
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            if document.get("version") != _VERSION:
                raise ValueError(f"version {document.get('version')!r}")
            self.trainer_key = str(document["trainer_key"])
            self.class_code = str(document.get("class_code", ""))  # files before class codes
            self.boots = int(document.get("boots", 0))
            self.settings = dict(document.get("settings", {}))
            self.hints = list(document.get("hints", []))
            for raw in document.get("learners", []):
                progress = {k: ExerciseProgress(**v) for k, v in raw.pop("progress", {}).items()}
                learner = Learner(**raw, progress=progress)
                self.learners[learner.name] = learner
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise ClassroomSetupError(
                f"cannot read the classroom state in {path} ({type(error).__name__}: {error}); "
                "move the file away to start a new class, or point --state-dir elsewhere"
            ) from None

    def save_soon(self) -> None:
        """Write the roster within :data:`SAVE_DELAY` seconds, with whatever changed by then."""
        if self.path is None:
            return
        with self.lock:
            self._dirty = True
            if self._pending is None:
                self._pending = threading.Timer(SAVE_DELAY, self.flush)
                self._pending.daemon = True
                self._pending.start()

    def flush(self) -> None:
        """Write now what :meth:`save_soon` has not written yet (nothing when nothing waits)."""
        with self.lock:
            self._pending = None
            if self._dirty:
                self.save()

    def save(self) -> None:
        """Write the roster atomically (a crash mid-write leaves the previous file).

        Only the copy is made under :attr:`lock`; the JSON and the file are written outside it,
        so learners' calls do not wait for the disk, and a copy older than the one on disk is
        never written over it.
        """
        if self.path is None:
            return
        with self.lock:
            self._dirty = False
            self._copies += 1
            number, document = self._copies, self._document()
        text = json.dumps(document)
        with self._writing:
            if number <= self._written:
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".classroom-")
            try:
                os.fchmod(handle, 0o600)
                with os.fdopen(handle, "w", encoding="utf-8") as stream:
                    stream.write(text)
                os.replace(temporary, self.path)
                self.writes += 1
                self._written = number
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise

    def _document(self) -> dict[str, Any]:
        """A copy of everything saved (records hold plain values: a shallow copy each)."""
        return {
            "version": _VERSION,
            "trainer_key": self.trainer_key,
            "class_code": self.class_code,
            "boots": self.boots,
            "settings": dict(self.settings),
            "hints": [dict(hint) for hint in self.hints],
            "learners": [
                {
                    "name": learner.name,
                    "key": learner.key,
                    "account_id": learner.account_id,
                    "progress": {k: dict(vars(v)) for k, v in learner.progress.items()},
                    "joined": learner.joined,
                }
                for learner in self.learners.values()
            ],
        }

    def progress(self, name: str, exercise: int) -> ExerciseProgress:
        """The progress record of ``name`` on ``exercise`` (created empty)."""
        return self.learners[name].progress.setdefault(str(exercise), ExerciseProgress())

    def board_rows(self) -> list[dict[str, Any]]:
        """One row per learner and exercise touched (learners who did nothing get one row)."""
        rows: list[dict[str, Any]] = []
        with self.lock:
            for learner in self.learners.values():
                if not learner.progress:
                    rows.append(
                        {"learner": learner.name, "exercise": None, "joined": learner.joined}
                    )
                for exercise, record in sorted(learner.progress.items()):
                    rows.append(
                        {
                            "learner": learner.name,
                            "exercise": int(exercise),
                            "joined": learner.joined,
                            **asdict(record),
                        }
                    )
        return rows


def now() -> float:
    """Epoch seconds (one place, so tests can see what is compared)."""
    return time.time()
