"""``make demo`` / ``make dashboard``: what ``python -m mfa_widgets.services.launch`` starts, and where.

The commands are checked without starting a server (``os.execv`` is replaced); starting them for
real was verified by hand (see the README) and the servers themselves are exercised by tests/e2e.
"""

from __future__ import annotations

from typing import Any

import pytest

from mfa_widgets.services import launch


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    calls: list[list[str]] = []

    def fake_execv(path: str, argv: list[str]) -> Any:
        calls.append(argv)

    monkeypatch.setattr(launch.os, "execv", fake_execv)
    monkeypatch.delenv("MFA_WIDGETS_BACKEND", raising=False)
    return calls


def test_demo_starts_jupyterlab_on_the_notebooks_on_loopback(
    started: list[list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert launch.main(["lab", "--port", "18999"]) == 0
    (command,) = started
    assert command[1:3] == ["-m", "jupyterlab"]
    assert "--ServerApp.ip=127.0.0.1" in command
    assert f"--ServerApp.root_dir={launch.NOTEBOOKS}" in command
    assert "--LabApp.extension_manager=readonly" in command
    token = next(a for a in command if a.startswith("--IdentityProvider.token=")).split("=", 1)[1]
    assert len(token) == 32
    printed = capsys.readouterr().out
    assert f"http://127.0.0.1:18999/lab/tree/01-quickstart.ipynb?token={token}" in printed
    assert launch.os.environ["MFA_WIDGETS_BACKEND"] == "sandbox"


def test_dashboard_renders_the_quickstart_in_voila(
    started: list[list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    launch.main(["voila", "--port", "18998"])
    (command,) = started
    assert command[1:3] == ["-m", "voila"]
    assert command[-1] == str(launch.NOTEBOOKS / "01-quickstart.ipynb")
    assert "--Voila.ip=127.0.0.1" in command
    assert "http://127.0.0.1:18998/" in capsys.readouterr().out
    assert (launch.NOTEBOOKS / launch.QUICKSTART).exists()


def test_serving_beyond_loopback_warns(
    started: list[list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    launch.main(["voila", "--host", "0.0.0.0"])  # noqa: S104 - the case under test
    assert "clear text" in capsys.readouterr().out
