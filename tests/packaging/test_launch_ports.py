"""The address printed is the address served: every server command, started for real.

With its port taken by another program, each command (and ``make demo`` / ``make dashboard``)
stops at once with one line naming the port and how to choose another, and prints no URL. With
``--port 0`` JupyterLab is given a free port first and the URL printed answers.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COMMAND = [sys.executable, "-m", "mfa_widgets"]


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A port another program listens on (a plain socket, as a second Jupyter would)."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield int(holder.getsockname()[1])


def _run(argv: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run to the end; a server that starts anyway is stopped after 60 s (and the test fails)."""
    process = subprocess.Popen(
        argv,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGTERM)
        out, err = process.communicate()
        pytest.fail(f"{argv} kept running on a taken port: {out[-500:]}")
    return subprocess.CompletedProcess(argv, process.returncode, out, err)


def _assert_refused(done: subprocess.CompletedProcess[str], port: int, name: str) -> None:
    lines = [line for line in done.stderr.splitlines() if line.startswith("mfa-widgets")]
    assert lines == [line for line in done.stderr.splitlines() if not line.startswith("make")]
    (line,) = lines
    assert line.startswith(f"mfa-widgets {name}: error: ")
    assert str(port) in line
    assert "in use" in line
    assert "--port" in line
    assert f":{port}" not in done.stdout  # no URL of a port someone else serves


@pytest.mark.parametrize(
    ("name", "extra"),
    [
        ("lab", ["--dir", "{tmp}"]),
        ("dashboard", ["--dir", "{tmp}"]),
        ("sandbox", []),
        ("classroom", []),
    ],
)
def test_a_command_refuses_a_taken_port_in_one_line(
    name: str, extra: list[str], taken_port: int, tmp_path: Path
) -> None:
    argv = [*COMMAND, name, "--port", str(taken_port), *(a.format(tmp=tmp_path) for a in extra)]
    done = _run(argv)
    assert done.returncode == 2, done.stderr
    _assert_refused(done, taken_port, name)
    assert not list(tmp_path.glob("*.ipynb"))  # refused before anything was copied


@pytest.mark.parametrize(("target", "name"), [("demo", "lab"), ("dashboard", "dashboard")])
def test_make_refuses_a_taken_port_in_one_line(target: str, name: str, taken_port: int) -> None:
    # -o: take the installed venv as it is (no pip run from a test)
    done = _run(
        [
            "make",
            "--no-print-directory",
            "-o",
            ".venv/.installed-demo",
            target,
            f"PORT={taken_port}",
            f"BIN={Path(sys.executable).parent}",
        ],
        cwd=ROOT,
    )
    assert done.returncode != 0
    _assert_refused(done, taken_port, name)


def test_lab_on_port_zero_prints_the_url_it_serves(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [*COMMAND, "lab", "--port", "0", "--dir", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    try:
        assert process.stdout is not None
        url = ""
        deadline = time.monotonic() + 60
        while not url and time.monotonic() < deadline:
            found = re.search(r"open (http://\S+)", process.stdout.readline())
            url = found.group(1) if found else ""
        assert re.match(r"http://127\.0\.0\.1:[1-9]\d*/lab/tree/01-quickstart\.ipynb\?token=", url)
        status = 0
        while not status and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 - loopback
                    status = answer.status
            except OSError:
                time.sleep(0.5)
        assert status == 200
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
