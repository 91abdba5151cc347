"""The package's layers: the import contract holds, catches an upward import, and the public API
covers everything the notebooks use."""

from __future__ import annotations

import ast
import importlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import mfa_widgets

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
PUBLIC_MODULES = ("mfa_widgets", "mfa_widgets.widgets", "mfa_widgets.sandbox")


def _lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


def _copy_of_package(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "mfa_widgets", tmp_path / "mfa_widgets")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_import_contract_is_kept() -> None:
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts:" in result.stdout
    assert " 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("core/totp.py", "import mfa_widgets.services.client", "Layers"),
        ("core/preferences.py", "import pandas", "The core is pure"),
        ("services/pacing.py", "import mfa_widgets.sandbox.server", "Layers"),
        ("services/log/mfa_log.py", "import ipywidgets", "Services do I/O"),
        ("widgets/log_view.py", "import mfa_widgets.sandbox.server", "only through"),
        ("sandbox/store/outbox.py", "import mfa_widgets.services.client", "Layers"),
        ("core/errors.py", "import mfa_widgets.core.totp", "No import cycles"),
    ],
)
def test_a_deliberate_wrong_import_breaks_the_contract(
    tmp_path: Path, module: str, line: str, contract: str
) -> None:
    tree = _copy_of_package(tmp_path)
    if module == "core/errors.py":  # make a cycle: totp -> errors -> totp
        target = tree / "mfa_widgets" / "core" / "totp.py"
        target.write_text(target.read_text() + "\nimport mfa_widgets.core.errors\n")
    target = tree / "mfa_widgets" / module
    target.write_text(target.read_text() + f"\n{line}\n")
    result = _lint_imports(tree)
    assert result.returncode != 0
    broken = [row for row in result.stdout.splitlines() if "BROKEN" in row]
    assert any(contract in row for row in broken), result.stdout


def test_every_public_name_resolves_and_is_listed() -> None:
    for name in PUBLIC_MODULES:
        module = importlib.import_module(name)
        assert module.__all__ == sorted(module.__all__) or name != "mfa_widgets"
        for public in module.__all__:
            assert getattr(module, public) is not None, f"{name}.{public}"
    lazy = set(mfa_widgets._LAZY) - mfa_widgets._DEPRECATED
    assert lazy <= set(mfa_widgets.__all__)


def _notebook_code(path: Path) -> ast.Module:
    cells = json.loads(path.read_text())["cells"]
    source = "\n".join(
        "".join(cell["source"])
        for cell in cells
        if cell["cell_type"] == "code"  # magics are not Python
    )
    lines = [row for row in source.splitlines() if not row.lstrip().startswith(("%", "!"))]
    return ast.parse("\n".join(lines))


NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem)
def test_notebooks_import_only_the_public_modules(notebook: Path) -> None:
    tree = _notebook_code(notebook)
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("mfa_widgets"):
                    assert alias.name in PUBLIC_MODULES, alias.name
                    aliases[alias.asname or alias.name] = alias.name
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("mfa_widgets"):
            assert node.module in PUBLIC_MODULES, f"{notebook.name}: from {node.module} import"
            public = importlib.import_module(node.module).__all__
            for alias in node.names:
                assert alias.name in public, f"{notebook.name}: {node.module}.{alias.name}"
    for node in ast.walk(tree):  # mw.Name: every attribute used is public
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            module = aliases.get(node.value.id)
            if module:
                assert node.attr in importlib.import_module(module).__all__, (
                    f"{notebook.name}: {node.value.id}.{node.attr}"
                )


def test_the_notebooks_are_found() -> None:
    assert len(NOTEBOOKS) >= 4
