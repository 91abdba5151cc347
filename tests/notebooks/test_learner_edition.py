"""A trainer hands out the lab: a learner's edition without solutions, a first cell for the class.

Also the working copy after an upgrade: untouched copies are brought up to date, edited ones kept
and named.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import nbformat
import pytest

from mfa_widgets.commands.main import main
from mfa_widgets.core.learner_edition import SOLUTION, TRAINER_NOTE, has_solutions
from mfa_widgets.services import launch
from mfa_widgets.services.notebook_copies import MANIFEST
from mfa_widgets.training.lab import EXERCISES

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
TRAINING_LAB = "04-training-lab.ipynb"
WORDS = {3: "three", 4: "four", 5: "five", 6: "six"}


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    calls: list[list[str]] = []
    monkeypatch.setattr(launch.os, "execv", lambda path, argv: calls.append(argv))
    return calls


def _cells(path: Path) -> list[dict[str, Any]]:
    cells: list[dict[str, Any]] = json.loads(path.read_text())["cells"]
    return cells


def _source(cell: dict[str, Any]) -> str:
    source = cell["source"]
    return "".join(source) if isinstance(source, list) else str(source)


def test_the_learner_copy_has_no_solutions_and_the_trainer_copy_keeps_them(
    started: list[list[str]], tmp_path: Path
) -> None:
    learners, trainers = tmp_path / "learners", tmp_path / "trainer"
    assert main(["lab", "--learner", "--port", "0", "--dir", str(learners)]) == 0
    assert main(["lab", "--port", "0", "--dir", str(trainers)]) == 0
    for notebook in sorted(NOTEBOOKS.glob("*.ipynb")):
        given = (learners / notebook.name).read_text()
        assert SOLUTION not in given
        assert TRAINER_NOTE not in given
        nbformat.validate(nbformat.reads(given, as_version=4))
        assert (trainers / notebook.name).read_bytes() == notebook.read_bytes()
    assert has_solutions(json.loads((trainers / TRAINING_LAB).read_text()))
    # Every other line of every cell is there, in order: only the solutions went.
    for shipped, given in zip(
        _cells(NOTEBOOKS / TRAINING_LAB), _cells(learners / TRAINING_LAB), strict=True
    ):
        assert shipped["id"] == given["id"]
        if shipped["cell_type"] == "code":
            kept = [ln for ln in _source(shipped).splitlines() if not ln.startswith(SOLUTION)]
            assert _source(given).splitlines() == kept


def test_the_clone_is_never_turned_into_a_learner_copy(started: list[list[str]]) -> None:
    assert main(["lab", "--learner", "--port", "0", "--dir", str(NOTEBOOKS)]) == 2
    assert not started
    assert has_solutions(json.loads((NOTEBOOKS / TRAINING_LAB).read_text()))


def test_an_untouched_trainer_copy_becomes_a_learner_copy_but_edits_stay(tmp_path: Path) -> None:
    launch.working_copy(tmp_path)
    edited = tmp_path / "01-quickstart.ipynb"
    edited.write_text(edited.read_text().replace("Quickstart", "My quickstart", 1))
    copies = launch.working_copy(tmp_path, learner=True)
    assert tmp_path / TRAINING_LAB in copies.refreshed
    assert copies.kept == [edited]
    assert not has_solutions(json.loads((tmp_path / TRAINING_LAB).read_text()))


def test_after_an_upgrade_untouched_copies_are_replaced_and_edited_ones_named(
    tmp_path: Path, started: list[list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    old = tmp_path / "old-version"
    old.mkdir()
    for notebook in NOTEBOOKS.glob("*.ipynb"):
        text = notebook.read_text().replace('"metadata": {}', '"metadata": {"v": 1}', 1)
        (old / notebook.name).write_text(text)
    work = tmp_path / "work"
    work.mkdir()
    launch.working_copy(work, source=old)  # what the previous version copied
    assert (work / MANIFEST).is_file()
    mine = work / "03-admin-audit.ipynb"
    mine.write_text(mine.read_text() + " ")
    assert main(["lab", "--port", "0", "--dir", str(work)]) == 0
    printed = capsys.readouterr().out
    for notebook in NOTEBOOKS.glob("*.ipynb"):
        if notebook.name != mine.name:
            assert (work / notebook.name).read_bytes() == notebook.read_bytes()
            assert f"updated {notebook.name}" in printed
    assert mine.read_text().endswith(" ")
    assert re.search(rf"kept your {mine.name}: it differs .* rename or delete it", printed)


def test_the_training_lab_starts_by_asking_for_the_class_link() -> None:
    first = next(_source(c) for c in _cells(NOTEBOOKS / TRAINING_LAB) if c["cell_type"] == "code")
    assert re.search(r'^CLASS_LINK = ""', first, re.MULTILINE)
    assert re.search(r'^YOUR_NAME = ""', first, re.MULTILINE)
    assert "Lab(classroom=CLASS_LINK or None, name=YOUR_NAME or None)" in first
    assert "class link" in first.lower()


def test_a_learner_joins_by_filling_in_the_first_cell(tmp_path: Path) -> None:
    from mfa_widgets.sandbox.classroom.app import Classroom

    first = next(_source(c) for c in _cells(NOTEBOOKS / TRAINING_LAB) if c["cell_type"] == "code")
    with Classroom([]) as room:
        filled = first.replace('CLASS_LINK = ""', f"CLASS_LINK = {room.class_link!r}").replace(
            'YOUR_NAME = ""', "YOUR_NAME = 'Ana'"
        )
        namespace: dict[str, Any] = {}
        exec(compile(filled, "first-cell", "exec"), namespace)  # noqa: S102 - our notebook
        assert namespace["lab"].classroom.learner == "Ana"
        assert "Ana" in room.links()


def test_the_readme_and_the_lab_count_the_exercises_alike() -> None:
    checks = [c for c in _cells(NOTEBOOKS / TRAINING_LAB) if _source(c).startswith("lab.check(")]
    count = len(checks)
    assert count == len(EXERCISES)
    readme_row = next(
        line for line in (ROOT / "README.md").read_text().splitlines() if TRAINING_LAB[:-6] in line
    )
    assert f"{WORDS[count]} exercises" in readme_row
    intro = _source(_cells(NOTEBOOKS / TRAINING_LAB)[0])
    assert f"{WORDS[count].capitalize()} exercises" in intro
