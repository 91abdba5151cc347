"""The docs site: ``make docs`` (and so ``make test``) builds it strictly, notebooks executed.

The full build runs in ``make docs``; here the configuration is checked, and a build without the
notebooks shows that a broken docstring reference fails it (slow: it renders the API pages).
"""

from __future__ import annotations

import importlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


class _Loader(yaml.SafeLoader):
    """Reads mkdocs.yml, whose ``!relative`` tag names the config's folder."""


_Loader.add_constructor("!relative", lambda loader, node: str(ROOT))


def _config() -> dict[str, object]:
    return yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=_Loader)  # type: ignore[no-any-return]  # noqa: S506


def _jupyter_options() -> dict[str, object]:
    plugins = _config()["plugins"]
    assert isinstance(plugins, list)
    (options,) = [
        p["mkdocs-jupyter"] for p in plugins if isinstance(p, dict) and "mkdocs-jupyter" in p
    ]
    return options  # type: ignore[no-any-return]


def test_the_build_is_strict_and_runs_every_notebook_afresh() -> None:
    assert _config()["strict"] is True
    options = _jupyter_options()
    assert options["execute"] is True
    assert options["allow_errors"] is False
    assert options["cache"] is False
    nav = (ROOT / "mkdocs.yml").read_text()
    for notebook in (ROOT / "notebooks").glob("*.ipynb"):
        assert f"notebooks/{notebook.name}" in nav, notebook.name


def test_make_test_builds_the_docs_and_the_output_is_ignored() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^test:.*\bdocs\b", makefile, flags=re.MULTILINE)
    assert "mkdocs build --strict" in makefile
    assert "site/" in (ROOT / ".gitignore").read_text().splitlines()


def test_every_documented_module_exists() -> None:
    pages = list((ROOT / "docs" / "api").glob("*.md"))
    modules = [m for page in pages for m in re.findall(r"^::: (\S+)$", page.read_text(), re.M)]
    assert modules
    for module in modules:
        importlib.import_module(module)


@pytest.mark.slow
def test_a_broken_docstring_reference_fails_the_build(tmp_path: Path) -> None:
    """Our config, notebooks off, one page naming an object that does not exist."""
    if shutil.which("mkdocs", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("mkdocs is not installed: pip install -e '.[docs]'")
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    text = (ROOT / "mkdocs.yml").read_text()
    text = text.replace("execute: true", "execute: false").replace(
        "docs_dir: docs", f"docs_dir: {docs}"
    )
    text = text.replace("  - docs/hooks.py", f"  - {docs / 'hooks.py'}")
    config = tmp_path / "mkdocs.yml"
    config.write_text(text)
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks")  # the hook reads them from here
    shutil.copy(ROOT / "README.md", tmp_path)  # docs/install.md includes a part of it
    mkdocs = [str(Path(sys.executable).parent / "mkdocs"), "build", "--strict", "-f", str(config)]
    bad_page = docs / "api" / "core.md"
    bad_page.write_text(bad_page.read_text() + "\n::: mfa_widgets.core.no_such_module\n")
    broken = subprocess.run(
        [*mkdocs, "-d", str(tmp_path / "site")], capture_output=True, text=True, timeout=600
    )
    assert broken.returncode != 0
    errors = [line for line in broken.stderr.splitlines() if line.startswith(("ERROR", "WARNING"))]
    assert errors
    # Only the broken reference is reported: everything else in the site builds cleanly.
    assert all("no_such_module" in line or "api/core.md" in line for line in errors), errors
