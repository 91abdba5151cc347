"""binder/ installs the repository into a fresh environment, and the notebooks run there.

mybinder.org (repo2docker) runs ``pip install -r binder/requirements.txt`` from the repository
root on Python from ``runtime.txt``; the slow test does the same into a new venv and executes the
quickstart with that venv's kernel (``make test-wheel`` runs it: minutes, so not in ``make test``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
BINDER = ROOT / "binder"
QUICKSTART = ROOT / "notebooks" / "01-quickstart.ipynb"


def _requirements() -> list[str]:
    lines = (BINDER / "requirements.txt").read_text().splitlines()
    return [line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()]


def test_requirements_install_this_repository_with_the_demo_extras() -> None:
    requirements = _requirements()
    assert "-e .[sandbox,demo]" in requirements
    assert any(r.startswith("voila") for r in requirements)


def test_runtime_is_a_python_the_project_supports() -> None:
    runtime = (BINDER / "runtime.txt").read_text().strip()
    assert runtime == "python-3.11"
    assert 'requires-python = ">=3.10"' in (ROOT / "pyproject.toml").read_text()


def test_no_build_hooks_are_needed() -> None:
    """No custom JavaScript to build, no settings to write: repo2docker's defaults suffice."""
    assert sorted(p.name for p in BINDER.iterdir()) == ["requirements.txt", "runtime.txt"]


def test_readme_links_to_no_binder_of_an_invented_repository() -> None:
    """binder/ is ready, but there is no public repository for a Binder link to name yet."""
    assert "mybinder.org" not in (ROOT / "README.md").read_text()


@pytest.mark.slow
@pytest.mark.binder  # minutes of installing: `make test-wheel`, not `make test`
def test_binder_requirements_install_into_a_fresh_venv_and_run_the_quickstart(
    tmp_path: Path,
) -> None:
    """About 3 minutes here: a full install of JupyterLab, Voila, moto and pandas."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "-r", "binder/requirements.txt"],
        cwd=ROOT,  # as repo2docker does: "." in the file is the repository
        check=True,
        timeout=900,
    )
    notebook = nbformat.read(QUICKSTART, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell("import sys; print(sys.prefix)"))
    copy = tmp_path / QUICKSTART.name
    nbformat.write(notebook, copy)
    env = {**os.environ, "JUPYTER_DATA_DIR": str(tmp_path / "jupyter-data")}  # venv kernel only
    env.pop("JUPYTER_PATH", None)
    subprocess.run(
        [str(venv / "bin" / "jupyter"), "execute", "--timeout=180", "--inplace", str(copy)],
        cwd=tmp_path,
        env=env,
        check=True,
        timeout=300,
    )
    executed = nbformat.read(copy, as_version=4)
    assert executed.cells[-1].outputs[0]["text"].strip() == str(venv)
    errors = [o for c in executed.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors == []
