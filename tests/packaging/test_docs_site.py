"""The docs site: ``make docs`` (and so ``make test``) builds it strictly, notebooks executed.

The full build runs in ``make docs``; here the configuration is checked, and builds without running
the notebooks (slow: they render the API pages) show that every ``#anchor`` link of the site names
an anchor of its page, that the widget script's version is pinned, and that a broken docstring
reference or anchor fails the build.
"""

from __future__ import annotations

import importlib
import json
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


def _project(tmp_path: Path) -> tuple[Path, list[str]]:
    """A copy of the docs project in ``tmp_path`` (notebooks not run): its docs, build command."""
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
    return docs, [*mkdocs, "-d", str(tmp_path / "site")]


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site as ``make docs`` builds it, but the notebooks are not run (their widget state is
    given, as a run leaves it, to the quickstart)."""
    tmp_path = tmp_path_factory.mktemp("docs")
    _, build = _project(tmp_path)
    quickstart = tmp_path / "notebooks" / "01-quickstart.ipynb"
    notebook = json.loads(quickstart.read_text())
    state = {"state": {}, "version_major": 2, "version_minor": 0}
    notebook["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": state}
    quickstart.write_text(json.dumps(notebook))
    done = subprocess.run(build, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return tmp_path / "site"


@pytest.mark.slow
def test_every_anchor_link_of_the_site_names_an_anchor_of_its_page(built_site: Path) -> None:
    pages = list(built_site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        text = page.read_text()
        ids = set(re.findall(r'\bid="([^"]+)"', text))
        links = set(re.findall(r'href="#([^"]+)"', text))
        assert links - ids == set(), page.relative_to(built_site)


@pytest.mark.slow
def test_a_notebook_heading_with_inline_code_has_its_code_in_its_contents_link(
    built_site: Path,
) -> None:
    page = (built_site / "notebooks" / "04-training-lab" / "index.html").read_text()
    # "## Exercise 1 — make this user get `SELECT_MFA_TYPE`": the page's table of contents.
    contents = [tag for tag in re.findall(r"<a [^>]*>", page) if "md-nav__link" in tag]
    assert any('href="#exercise-1-make-this-user-get-select_mfa_type"' in a for a in contents)


@pytest.mark.slow
def test_the_widget_script_is_the_version_range_the_installed_ipywidgets_declares(
    built_site: Path,
) -> None:
    from ipywidgets._version import __html_manager_version__

    page = (built_site / "notebooks" / "01-quickstart" / "index.html").read_text()
    versions = set(re.findall(r"@jupyter-widgets/html-manager@([^/'\"]+)/", page))
    assert versions == {__html_manager_version__}


def _broken_build(build: list[str]) -> list[str]:
    """Run ``build``, which must fail; return the errors and warnings it printed."""
    broken = subprocess.run(build, capture_output=True, text=True, timeout=600)
    assert broken.returncode != 0
    return [line for line in broken.stderr.splitlines() if line.startswith(("ERROR", "WARNING"))]


@pytest.mark.slow
def test_a_broken_docstring_reference_fails_the_build(tmp_path: Path) -> None:
    """Our config, notebooks off, one page naming an object that does not exist."""
    docs, build = _project(tmp_path)
    bad_page = docs / "api" / "core.md"
    bad_page.write_text(bad_page.read_text() + "\n::: mfa_widgets.core.no_such_module\n")
    errors = _broken_build(build)
    assert errors
    # Only the broken reference is reported: everything else in the site builds cleanly.
    assert all("no_such_module" in line or "api/core.md" in line for line in errors), errors


@pytest.mark.slow
def test_a_link_to_an_anchor_not_on_its_page_fails_the_build(tmp_path: Path) -> None:
    """Raw HTML, which mkdocs' own link check does not read, as a contents link would be."""
    docs, build = _project(tmp_path)
    install = docs / "install.md"
    install.write_text(install.read_text() + '\n<a href="#no-such-heading">nowhere</a>\n')
    errors = _broken_build(build)
    assert errors == [
        "WARNING -  install.md links to #no-such-heading, which is no anchor on that page"
    ]
