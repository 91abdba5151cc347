"""The files a package user reads: LICENSE, CHANGELOG, CONTRIBUTING, README, the metadata."""

from __future__ import annotations

import re
from pathlib import Path

import tomllib

import mfa_widgets

ROOT = Path(__file__).resolve().parents[2]
PROSE = ("README.md", "CHANGELOG.md", "CONTRIBUTING.md", "pyproject.toml")
#: Hosts the project may link to: real third-party pages. The project's own repository, package
#: page and docs host do not exist yet, so no link may point at them (no invented URLs).
REAL_HOSTS = {"keepachangelog.com", "semver.org", "github.com/iterative/shtab"}


def _project() -> dict[str, object]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]  # type: ignore[no-any-return]


def test_license_file_is_mit_for_the_developers() -> None:
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License")
    assert "mfa_widgets developers" in text
    assert _project()["license"] == "MIT"


def test_changelog_follows_keep_a_changelog_and_knows_this_version() -> None:
    text = (ROOT / "CHANGELOG.md").read_text()
    assert "keepachangelog.com" in text
    headings = re.findall(r"^## \[([^\]]+)\]", text, flags=re.MULTILINE)
    assert headings[0] == "Unreleased"
    assert mfa_widgets.__version__ in headings
    for heading in re.findall(r"^### (.+)$", text, flags=re.MULTILINE):
        assert heading in {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}


def test_contributing_says_how_to_run_test_benchmark_and_release() -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text()
    for section in ("## Set up and run", "## Test", "## Benchmark", "## Release"):
        assert section in text
    makefile = (ROOT / "Makefile").read_text()
    for target in set(re.findall(r"(?:^|`)make (\w+)", text, flags=re.MULTILINE)):
        assert re.search(rf"^{target}:", makefile, flags=re.MULTILINE), target


def test_no_link_points_at_an_invented_address() -> None:
    for name in PROSE:
        for url in re.findall(r"https?://[^\s)\"'>\]]+", (ROOT / name).read_text()):
            assert any(host in url for host in REAL_HOSTS), f"{name}: {url}"
    assert "urls" not in _project()


def test_readme_images_exist_and_have_alt_text() -> None:
    readme = (ROOT / "README.md").read_text()
    images = re.findall(r"!\[([^\]]*)\]\(([^)]+)\)", readme)
    assert images
    for alt, path in images:
        assert len(alt.split()) >= 3, path  # PyPI shows the alt text until paths are absolute
        assert (ROOT / path).is_file(), path


def test_readme_has_a_pip_install_section_beside_the_make_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    assert readme.index("## Install with pip") < readme.index("make demo")
    extras = set(_project()["optional-dependencies"])  # type: ignore[arg-type]
    for extra in re.findall(r'pip install "mfa-widgets\[([a-z,]+)\]"', readme):
        assert set(extra.split(",")) <= extras, extra


def test_what_jupyter_and_the_lab_command_write_in_a_clone_is_ignored() -> None:
    """Jupyter's autosaves and ``mfa-widgets lab``'s default folder never show in git status."""
    import subprocess

    paths = [
        "notebooks/.ipynb_checkpoints/01-quickstart-checkpoint.ipynb",
        "docs/.ipynb_checkpoints/x.ipynb",
        "mfa-widgets-notebooks/01-quickstart.ipynb",
    ]
    done = subprocess.run(
        ["git", "check-ignore", "--no-index", *paths],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.stdout.split() == paths
