"""Drive ``mfa-widgets dashboard`` (Voila) as a presenter would, in Debian's Chromium.

Used by tests/packaging/test_voila_kernels.py and benchmarks/bench_voila.py. Kernels are counted
from the process list: the ``ipykernel_launcher`` children of the Voila server (Voila has no
kernel-listing API).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]
#: What "usable" means: the dashboard is drawn and the last cell (the connection panel) ran.
USABLE = ".mfa-token-status"


def free_port() -> int:
    """A free loopback port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def kernel_pids(server: int) -> set[int]:
    """Process ids of the kernels the server process started (its ipykernel children)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:  # the process ended meanwhile
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == server and b"ipykernel" in command:
            found.add(int(entry.name))
    return found


def cpu_seconds(pid: int) -> float:
    """CPU time used so far by process ``pid`` (user + system), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_idle(pids: set[int], quiet: float = 2.0, timeout: float = 300) -> None:
    """Wait until none of ``pids`` used CPU for ``quiet`` seconds (a preheated kernel is done)."""
    deadline = time.monotonic() + timeout
    last = {pid: cpu_seconds(pid) for pid in pids}
    still = time.monotonic()
    while time.monotonic() - still < quiet:
        if time.monotonic() > deadline:
            raise TimeoutError(f"kernels {sorted(pids)} still busy after {timeout:.0f} s")
        time.sleep(0.5)
        now = {pid: cpu_seconds(pid) for pid in pids}
        if any(now[p] - last[p] > 0.02 for p in pids):
            still = time.monotonic()
        last = now


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> float:
    """Poll ``condition`` until true; returns the seconds waited. Raises after ``timeout``."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise TimeoutError(f"{what} within {timeout:.0f} s")
        time.sleep(0.25)
    return time.monotonic() - start


@contextmanager
def dashboard(
    folder: Path, log: Path, *options: str, env: dict[str, str] | None = None
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``mfa-widgets dashboard`` on a free port; yields the base URL and the server process.

    The command replaces itself with Voila (``execv``), so the process is Voila's. Its stdout
    and stderr go to ``log``; ``env`` replaces the environment when given.
    """
    port = free_port()
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "mfa_widgets", "dashboard", "--dir", str(folder),
             "--port", str(port), *options],
            stdout=output,
            stderr=subprocess.STDOUT,
            env=env,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:

            def up() -> bool:
                if server.poll() is not None:
                    raise RuntimeError(f"voila exited: {log.read_text()[-2000:]}")
                try:
                    urllib.request.urlopen(f"{base}/voila/static/favicon.ico", timeout=2)  # noqa: S310
                except OSError:
                    return False
                return True

            wait_until(up, 120, "voila did not answer")
            yield base, server
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Debian Chromium browser (playwright), every non-loopback request aborted."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def open_dashboard(
    page: Any, base: str, timeout_ms: float = 240_000, usable: str = USABLE
) -> float:
    """Navigate to the dashboard; return the seconds until ``usable`` (a selector) is visible."""
    start = time.perf_counter()
    page.goto(base + "/", wait_until="commit")
    page.locator(usable).first.wait_for(state="visible", timeout=timeout_ms)
    return time.perf_counter() - start


#: In the page, once usable: when the ``load`` event ended (Voila's scripts ran) and now.
_PHASES = """() => {
    const navigation = performance.getEntriesByType('navigation')[0];
    return {load: navigation.loadEventEnd, now: performance.now(),
            views: document.querySelectorAll('.jupyter-widgets').length};
}"""


def page_phases(page: Any) -> dict[str, float]:
    """Where a visit's time went, read in the page once it is usable.

    ``scripts_s``: navigation to the ``load`` event (the HTML and Voila's own scripts);
    ``widgets_s``: from there to now (lab extensions, kernel connection, widget models and
    views); ``views``: widget views in the page.
    """
    found = page.evaluate(_PHASES)
    return {
        "scripts_s": round(found["load"] / 1000, 3),
        "widgets_s": round((found["now"] - found["load"]) / 1000, 3),
        "views": found["views"],
    }


def reload_dashboard(page: Any, timeout_ms: float = 240_000) -> float:
    """Reload the page; return the seconds until it is usable again."""
    start = time.perf_counter()
    page.reload(wait_until="commit")
    page.locator(USABLE).first.wait_for(state="visible", timeout=timeout_ms)
    return time.perf_counter() - start
