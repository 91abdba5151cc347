"""``mfa-widgets dashboard`` in Chromium: preheated kernels, no kernel left behind by a reload.

A real Voila from the real command, a real browser, kernels counted in the process list (the
``ipykernel`` children of the Voila server). Time to a usable dashboard is measured in
benchmarks/bench_voila.py, not here.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import pytest

from mfa_widgets.services.launch import VOILA_SKIPPED_EXTENSIONS
from tests.packaging.dashboard_session import (
    dashboard,
    kernel_pids,
    open_dashboard,
    reload_dashboard,
    wait_idle,
    wait_until,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
NOT_LOOPBACK = re.compile(r"^https?://(?!127\.0\.0\.1|localhost)")
#: The lab extension a page request loads from.
_EXTENSION = re.compile(r"/voila/labextensions/((?:@[^/]+/)?[^/]+)/")
#: Seconds an unconnected kernel may idle before it is culled, in this test's server.
CULL_IDLE = 4


@pytest.fixture(scope="module")
def chrome(browser: Any) -> Any:
    """The browser tests' session Chromium (pytest-playwright's, launched by tests/e2e/conftest.py).

    A second ``sync_playwright()`` inside the same session would be refused ("Sync API inside the
    asyncio loop"), so these tests share the one the other browser tests use.
    """
    return browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    work = tmp_path_factory.mktemp("dashboard")
    log = work / "voila.log"
    with dashboard(work / "notebooks", log, "--cull-idle", str(CULL_IDLE)) as (base, process):
        yield base, process.pid
    print(log.read_text(errors="replace")[-3000:])  # shown by pytest when a test failed


def _settles_at(server: int, count: int, timeout: float = 180) -> set[int]:
    wait_until(lambda: len(kernel_pids(server)) == count, timeout, f"not {count} kernels")
    return kernel_pids(server)


def test_a_preheated_kernel_waits_and_reloads_leave_no_kernel_behind(
    chrome: Any, server: tuple[str, int]
) -> None:
    base, pid = server
    (pooled,) = _settles_at(pid, 1)  # the preheated kernel, before anyone visits
    page = chrome.new_page()
    page.route(NOT_LOOPBACK, lambda route: route.abort())
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    open_dashboard(page, base)
    extensions = {m.group(1) for m in map(_EXTENSION.search, requested) if m}
    assert {"anywidget", "@jupyter-widgets/jupyterlab-manager"} <= extensions
    assert not extensions & set(VOILA_SKIPPED_EXTENSIONS)  # they fail in Voila: not loaded
    in_use = _settles_at(pid, 2)  # the visitor's (the preheated one) + the refilled pool
    assert pooled in in_use
    seen = set(in_use)
    for _ in range(3):
        wait_idle(kernel_pids(pid))  # the next visitor's kernel is heated, as in a real session
        reload_dashboard(page)
        kernels = _settles_at(pid, 2)  # the old page's kernel was shut down
        seen |= kernels
    assert len(seen) == 5  # a fresh kernel per visit, each gone when its page went
    page.close(run_before_unload=True)
    _settles_at(pid, 1)


def test_a_vanished_page_is_culled_but_the_pool_is_kept(
    chrome: Any, server: tuple[str, int]
) -> None:
    base, pid = server
    (pooled,) = _settles_at(pid, 1)
    page = chrome.new_page()
    page.route(NOT_LOOPBACK, lambda route: route.abort())
    open_dashboard(page, base)
    (refill,) = _settles_at(pid, 2) - {pooled}  # the visitor got the preheated kernel
    time.sleep(CULL_IDLE * 2)  # the page stays connected for a while: its kernel is not culled
    assert kernel_pids(pid) == {pooled, refill}
    page.close(run_before_unload=False)  # a crashed tab: no shutdown request
    assert _settles_at(pid, 1, timeout=CULL_IDLE * 10 + 120) == {refill}
    time.sleep(CULL_IDLE * 2)  # the pool's kernel idles past the cull timeout, and stays
    assert kernel_pids(pid) == {refill}
