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

from tests.leakscan import find_leaks

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
EXPECTED = [
    "01-quickstart.ipynb",
    "02-challenge-explorer.ipynb",
    "03-admin-audit.ipynb",
    "04-training-lab.ipynb",
]
PROBE = (
    "import json\n"
    "from mfa_widgets.sandbox.server import Sandbox\n"
    "print(json.dumps(sorted({s for box in Sandbox.instances() for s in box.issued_secrets()})))"
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


@pytest.mark.slow
@pytest.mark.parametrize("path", _notebooks(), ids=lambda p: p.stem)
def test_executes_and_saved_state_has_no_secrets(path: Path, tmp_path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
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
    secrets = json.loads("".join(o.get("text", "") for o in probe.outputs))
    assert secrets, "the notebook issued no secrets: the probe cannot be trusted"
    saved = tmp_path / path.name
    nbformat.write(notebook, saved)
    assert "widgets" in notebook.metadata, "widget state was not saved: the scan would be moot"
    assert find_leaks([saved], secrets) == []
