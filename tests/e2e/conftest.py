"""Real-browser fixtures: Voila and JupyterLab on 127.0.0.1, driven by Debian chromium.

Browser tests skip only outside CI when chromium is missing; with ``CI=true`` a missing browser
is an error. Every non-loopback request is aborted (Voila asks a CDN for a stylesheet).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.steps import NOT_LOOPBACK

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

pytestmark = pytest.mark.e2e


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(url: str, proc: subprocess.Popen[bytes], what: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - loopback test server
            return
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(f"{what} exited with code {proc.returncode}") from None
            if time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not start within {timeout} s") from None
            time.sleep(0.2)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Launch Debian's chromium (``playwright install`` cannot download browsers here)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing in CI: `make test` installs it as root")
        pytest.skip(f"{CHROMIUM} missing: apt-get install -y chromium")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def voila_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Voila serving ``notebooks/`` on a free loopback port."""
    port = _free_port()
    log = (tmp_path_factory.mktemp("voila") / "voila.log").open("wb")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "voila",
            "--no-browser",
            f"--port={port}",
            "--Voila.ip=127.0.0.1",
            f"--Voila.root_dir={NOTEBOOKS}",
            "--show_tracebacks=True",
            "--VoilaConfiguration.file_allowlist=['.*']",
            str(NOTEBOOKS),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "MFA_WIDGETS_BACKEND": "sandbox"},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{base}/voila/static/favicon.ico", proc, "voila")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=15)
        log.close()


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """JupyterLab on a copy of ``notebooks/`` (so saving never touches the committed files)."""
    work = tmp_path_factory.mktemp("lab")
    root = work / "notebooks"
    root.mkdir()
    for notebook in NOTEBOOKS.glob("*.ipynb"):
        (root / notebook.name).write_bytes(notebook.read_bytes())
    settings = work / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    widget_settings = work / "settings" / "@jupyter-widgets" / "jupyterlab-manager"
    widget_settings.mkdir(parents=True)
    (widget_settings / "plugin.jupyterlab-settings").write_text(json.dumps({"saveState": True}))
    port = _free_port()
    config = work / "jupyter_server_test_config.py"
    config.write_text(
        "from jupyterlab.galata import configure_jupyter_server\n"
        "configure_jupyter_server(c)\n"
        "c.ServerApp.ip = '127.0.0.1'\n"
        f"c.ServerApp.port = {port}\n"
        f"c.ServerApp.root_dir = {str(root)!r}\n"
        "c.ServerApp.allow_root = True\n"
        "c.LabApp.news_url = None\n"
        "c.LabApp.check_for_updates_class = 'jupyterlab.NeverCheckForUpdate'\n"
        "c.LabApp.extension_manager = 'readonly'\n"
        # Notebook 7 (served by the same server at /notebooks/...) exposes its app for tests.
        "c.JupyterNotebookApp.expose_app_in_browser = True\n"
    )
    log = (work / "lab.log").open("wb")
    env = {
        **os.environ,
        "JUPYTERLAB_SETTINGS_DIR": str(work / "settings"),
        "MFA_WIDGETS_BACKEND": "sandbox",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", f"--config={config}", "--no-browser"],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        cwd=work,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{base}/api", proc, "jupyter lab")
        yield {"base": base, "root": root}
    finally:
        proc.terminate()
        proc.wait(timeout=15)
        log.close()


@pytest.fixture
def offline_page(page: Any) -> Any:
    """A page whose non-loopback requests fail at once."""
    page.route(NOT_LOOPBACK, lambda route: route.abort())
    page.set_default_timeout(30_000)
    return page
