"""Every notebook executes top to bottom on the sandbox, is committed clean, and leaks nothing.

Each notebook runs in a real kernel with nbclient, widget state stored as JupyterLab would save
it. A probe cell then asks the kernel's sandboxes for every secret they issued (passwords,
tokens, TOTP secrets, one-time codes, sessions), and the saved notebook is searched for them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from mfa_widgets.training import EXERCISES
from tests.leakscan import find_leaks

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
EXPECTED = [
    "01-quickstart.ipynb",
    "02-challenge-explorer.ipynb",
    "03-admin-audit.ipynb",
    "04-training-lab.ipynb",
]
TRAINING_LAB = "04-training-lab.ipynb"
#: Answer cells of the training lab carry their worked solution on lines with this prefix.
SOLUTION = "# solution: "
PROBE = (
    "import json, sys\n"
    "from mfa_widgets.sandbox.server import Sandbox\n"
    "found = {s for box in Sandbox.instances() for s in box.issued_secrets()}\n"
    "rooms = sys.modules.get('mfa_widgets.sandbox.classroom.app')\n"
    "for room in rooms.Classroom.instances() if rooms else []:\n"
    "    found.update(room.issued_secrets())\n"
    "print(json.dumps(sorted(found)))"
)


def _notebooks() -> list[Path]:
    return sorted(NOTEBOOKS.glob("*.ipynb"))


def test_the_four_notebooks_exist() -> None:
    assert [p.name for p in _notebooks()][: len(EXPECTED)] == EXPECTED


@pytest.mark.parametrize("path", _notebooks(), ids=lambda p: p.stem)
def test_committed_without_outputs_or_widget_state(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    assert "widgets" not in notebook.metadata, "strip metadata.widgets before committing"
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"cell {cell.get('id')} has outputs"
            assert cell.execution_count is None


@pytest.mark.parametrize("path", _notebooks(), ids=lambda p: p.stem)
def test_notebook_is_thin(path: Path) -> None:
    """Narrative plus short cells: no helper functions or classes defined in notebooks."""
    notebook = nbformat.read(path, as_version=4)
    code = [c.source for c in notebook.cells if c.cell_type == "code"]
    assert code, "a notebook with no code"
    for source in code:
        assert not any(line.startswith(("def ", "class ")) for line in source.splitlines())
        assert len(source.splitlines()) <= 15, f"cell too long:\n{source}"


def _execute(notebook: nbformat.NotebookNode) -> list[str]:
    """Run every cell in a fresh kernel on the sandbox, store widget state as JupyterLab would,
    and return every secret the kernel's sandboxes issued (gathered by a probe cell that is not
    kept in the notebook).
    """
    client = NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
        store_widget_state=True,
    )
    env = {**os.environ, "MFA_WIDGETS_BACKEND": "sandbox"}
    with client.setup_kernel(env=env):
        for index, cell in enumerate(notebook.cells):
            client.execute_cell(cell, index)
        probe = nbformat.v4.new_code_cell(PROBE)
        notebook.cells.append(probe)
        client.execute_cell(probe, len(notebook.cells) - 1)
        notebook.cells.pop()
        client.set_widgets_metadata()
    secrets: list[str] = json.loads("".join(o.get("text", "") for o in probe.outputs))
    return secrets


def _assert_saved_without_secrets(
    notebook: nbformat.NotebookNode, secrets: list[str], saved: Path
) -> None:
    assert secrets, "the notebook issued no secrets: the probe cannot be trusted"
    nbformat.write(notebook, saved)
    assert "widgets" in notebook.metadata, "widget state was not saved: the scan would be moot"
    assert find_leaks([saved], secrets) == []


def _text(cell: nbformat.NotebookNode) -> str:
    """Everything a code cell displayed, as text."""
    parts = [o.get("text", "") for o in cell.outputs]
    parts += [o.get("data", {}).get("text/plain", "") for o in cell.outputs]
    return "".join(parts)


@pytest.mark.slow
@pytest.mark.parametrize("path", _notebooks(), ids=lambda p: p.stem)
def test_executes_and_saved_state_has_no_secrets(path: Path, tmp_path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    secrets = _execute(notebook)
    _assert_saved_without_secrets(notebook, secrets, tmp_path / path.name)
    if path.name == TRAINING_LAB:  # as committed, no answer is filled in: no check may pass
        shown = [_text(c) for c in notebook.cells if c.source.startswith("lab.check(")]
        assert shown
        assert all(text.startswith("NOT YET") for text in shown), shown


def test_training_lab_carries_a_solution_for_every_check() -> None:
    notebook = nbformat.read(NOTEBOOKS / TRAINING_LAB, as_version=4)
    sources = [c.source for c in notebook.cells if c.cell_type == "code"]
    checks = [i for i, source in enumerate(sources) if source.startswith("lab.check(")]
    assert len(checks) == len(EXERCISES)  # one check cell per exercise
    for index in checks:
        assert SOLUTION in sources[index - 1], f"no solution before {sources[index]!r}"


@pytest.mark.slow
def test_training_lab_checks_pass_with_the_solutions_filled_in(tmp_path: Path) -> None:
    """The trainer's path: uncomment the ``# solution:`` lines; every check cell then passes.

    The committed notebook (solutions commented out) runs in the test above, where every check
    says NOT YET; ``tests/service/test_training.py`` covers the checks' failures in detail.
    """
    notebook = nbformat.read(NOTEBOOKS / TRAINING_LAB, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.source = "\n".join(
                line.removeprefix(SOLUTION) for line in cell.source.splitlines()
            )
    secrets = _execute(notebook)
    checks = [c for c in notebook.cells if c.cell_type == "code" and "lab.check(" in c.source]
    assert len(checks) == len(EXERCISES)  # one check cell per exercise
    for cell in checks:
        shown = _text(cell)
        assert shown.startswith("PASSED"), f"{cell.source}: {shown}"
    _assert_saved_without_secrets(notebook, secrets, tmp_path / TRAINING_LAB)
