"""What ``mfa-widgets dashboard`` shows and prints, read from the real Voila server (no browser).

The quickstart is served as a dashboard: its code is hidden and it has already run, so its text
may not ask the presenter to run or edit cells unless it says that is for JupyterLab. Starting it
prints no Python warnings and no "not trusted" notice (with a fresh Jupyter data folder, as on a
new machine).
"""

from __future__ import annotations

import html
import os
import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.packaging.dashboard_session import dashboard

#: A sentence asking the reader to run cells or to change a cell.
CELL_WORK = re.compile(r"Run All|Run →|\b(chang|edit)\w*\b[^.]*\bcell", re.IGNORECASE)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The rendered dashboard page (fully run) and the file holding the server's output."""
    root = tmp_path_factory.mktemp("dashboard")
    output = root / "output.txt"
    env = {**os.environ, "JUPYTER_DATA_DIR": str(root / "jupyter-data")}
    with dashboard(root / "notebooks", output, env=env) as (base, _):
        page = urllib.request.urlopen(base + "/", timeout=300).read().decode()  # noqa: S310
        yield page, output


def _sentences(page: str) -> list[str]:
    """The page's visible text, sentence by sentence (scripts and styles left out)."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.DOTALL | re.IGNORECASE)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return [" ".join(part.split()) for part in re.split(r"(?<=[.!?])\s+", text) if part.strip()]


def test_the_dashboard_asks_for_cell_work_only_in_jupyterlab(served: tuple[str, Path]) -> None:
    page, _ = served
    sentences = _sentences(page)
    assert any("MFA preferences" in s for s in sentences)  # the notebook's text was rendered
    asking = [s for s in sentences if CELL_WORK.search(s)]
    assert asking, "the page no longer mentions JupyterLab's way of running the notebook"
    assert [s for s in asking if "JupyterLab" not in s] == []


def test_the_dashboard_starts_without_warnings(served: tuple[str, Path]) -> None:
    _, output = served
    lines = output.read_text().splitlines()
    assert any("Voilà is running" in line for line in lines)
    assert [line for line in lines if "Warning:" in line or "not trusted" in line] == []
