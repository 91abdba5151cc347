"""``mfa-widgets lab`` / ``mfa-widgets dashboard`` (and so ``make demo`` / ``make dashboard``).

The commands are checked without starting a server (``os.execv`` is replaced); the servers
themselves are started for real by tests/e2e and tests/packaging/test_voila_kernels.py.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from mfa_widgets.commands.main import main
from mfa_widgets.core.errors import MfaWidgetsError
from mfa_widgets.services import launch
from mfa_widgets.services.ports import settle_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    calls: list[list[str]] = []

    def fake_execv(path: str, argv: list[str]) -> Any:
        calls.append(argv)

    monkeypatch.setattr(launch.os, "execv", fake_execv)
    return calls


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.glob("*.ipynb")}


def test_lab_copies_the_notebooks_to_the_working_folder_and_serves_it(
    started: list[list[str]], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "work"
    port = settle_port("127.0.0.1", 0)
    assert main(["lab", "--port", str(port), "--dir", str(folder)]) == 0
    (command,) = started
    assert command[1:3] == ["-m", "jupyterlab"]
    assert "--ServerApp.ip=127.0.0.1" in command
    assert f"--ServerApp.root_dir={folder.resolve()}" in command
    assert "--LabApp.extension_manager=readonly" in command
    assert _digests(folder) == _digests(launch.packaged_notebooks())
    token = next(a for a in command if a.startswith("--IdentityProvider.token=")).split("=", 1)[1]
    assert len(token) == 32
    printed = capsys.readouterr().out
    assert f"http://127.0.0.1:{port}/lab/tree/01-quickstart.ipynb?token={token}" in printed
    assert f"copied 01-quickstart.ipynb to {folder.resolve()}" in printed


def test_a_notebook_the_user_changed_is_kept(started: list[list[str]], tmp_path: Path) -> None:
    launch.working_copy(tmp_path)
    mine = tmp_path / launch.QUICKSTART
    mine.write_text('{"my": "work"}')
    (tmp_path / "02-challenge-explorer.ipynb").unlink()
    copies = launch.working_copy(tmp_path)
    assert [p.name for p in copies.copied] == ["02-challenge-explorer.ipynb"]
    assert copies.kept == [mine]
    assert mine.read_text() == '{"my": "work"}'


def test_the_clone_serves_its_own_notebooks_without_copying() -> None:
    assert launch.packaged_notebooks() == ROOT / "notebooks"
    assert launch.working_copy(ROOT / "notebooks") == launch.NotebookCopies()


def test_a_folder_inside_the_package_is_refused(tmp_path: Path) -> None:
    with pytest.raises(MfaWidgetsError, match="inside the installed package; choose a folder"):
        launch.working_copy(launch.PACKAGE / "notebooks", source=ROOT / "notebooks")


def test_a_folder_that_cannot_be_made_is_one_clear_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert main(["lab", "--port", "0", "--dir", str(blocker / "sub")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("mfa-widgets lab: error: cannot create")
    assert "--dir" in err


def test_dashboard_renders_the_quickstart_in_voila_preheated_and_culled(
    started: list[list[str]], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    port = settle_port("127.0.0.1", 0)
    main(["dashboard", "--port", str(port), "--dir", str(tmp_path)])
    (command,) = started
    assert command[1:3] == ["-m", "voila"]
    assert command[-1] == str(tmp_path.resolve() / launch.QUICKSTART)
    assert "--Voila.ip=127.0.0.1" in command
    assert "--VoilaConfiguration.preheat_kernel=True" in command
    assert any(a.startswith("--MappingKernelManager.cull_idle_timeout=") for a in command)
    assert f"http://127.0.0.1:{port}/" in capsys.readouterr().out


def test_serving_beyond_loopback_warns(
    started: list[list[str]], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    main(["dashboard", "--host", "0.0.0.0", "--port", "0", "--dir", str(tmp_path)])  # noqa: S104
    assert "clear text" in capsys.readouterr().out


def test_the_makefile_starts_the_servers_through_the_commands() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert "mfa-widgets lab " in makefile
    assert "mfa-widgets dashboard " in makefile
    assert (
        "MFA_WIDGETS_BACKEND" not in (ROOT / "mfa_widgets" / "services" / "launch.py").read_text()
    )


def test_dashboard_preheat_and_culling_can_be_changed(
    started: list[list[str]], tmp_path: Path
) -> None:
    main(["dashboard", "--no-preheat", "--cull-idle", "0", "--port", "0", "--dir", str(tmp_path)])
    (command,) = started
    assert "--VoilaConfiguration.preheat_kernel=False" in command
    assert "--MappingKernelManager.cull_idle_timeout=0" in command
    manager = "mfa_widgets.services.voila_kernels.DashboardKernelManager"
    assert f"--VoilaConfiguration.multi_kernel_manager_class={manager}" in command


def test_the_toolkits_jupyterlab_asks_nothing_about_news(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real server from ``prepare("lab")``: its news setting defaults to off (no toast)."""
    import json
    import socket
    import subprocess
    import time
    import urllib.request

    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    monkeypatch.setenv("JUPYTERLAB_SETTINGS_DIR", str(tmp_path / "user-settings"))  # a new user
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    prepared = launch.prepare("lab", "127.0.0.1", port, tmp_path / "work")
    token = prepared.url.split("token=")[1]
    plugin = "@jupyterlab/apputils-extension:notification"
    url = f"http://127.0.0.1:{port}/lab/api/settings/{plugin}?token={token}"
    log = (tmp_path / "lab.log").open("wb")
    server = subprocess.Popen(prepared.command, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as answer:
                    settings = json.load(answer)
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "lab.log").read_text()
                assert time.monotonic() < deadline, "jupyter lab did not answer"
                time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    defaults = {k: v.get("default") for k, v in settings["schema"]["properties"].items()}
    assert defaults["fetchNews"] == "false"  # "none" asks with a toast
    assert defaults["checkForUpdates"] is False
    assert settings["settings"] == {}  # a default: the user's own choice would still win
