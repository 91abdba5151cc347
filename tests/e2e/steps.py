"""What the browser tests do on the quickstart's dashboard, shared by the Voila and Lab tests.

Selectors are the panels' stable CSS classes (``mfa-…``) and accessible names ("Enable SMS",
"Prefer email", "Apply"), scoped to the dashboard because the quickstart also shows a second
preference panel for another user.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
from playwright.sync_api import expect

#: Requests the browser must never make (Voila asks a CDN for a stylesheet): aborted at once.
NOT_LOOPBACK = re.compile(r"^https?://(?!127\.0\.0\.1|localhost)")
#: Where browser screenshots go (gitignored); `make screenshots` copies them into docs/.
SCREENSHOTS = Path(
    os.environ.get("MFA_SCREENSHOTS", Path(__file__).resolve().parents[2] / "build" / "screenshots")
)
#: The first render runs ``mw.demo()`` (a sandbox start, about 6 s) after the kernel starts.
FIRST_RENDER_MS = 90_000


def expired_access_token(username: str = "alice", minutes_ago: int = 90) -> str:
    """A well-formed Cognito-style access token that expired ``minutes_ago`` minutes ago.

    The panels inspect tokens locally (no signature check), so an unsigned token is enough to
    show the "expired" finding; nothing sends it anywhere.
    """

    def part(data: dict[str, Any]) -> str:
        raw = json.dumps(data, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    now = int(time.time())
    claims = {
        "sub": "7d3f6a2e-0000-4000-8000-e2e000000001",
        "iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_E2eExpired",
        "client_id": "e2eclient0000000000000000",
        "token_use": "access",
        "scope": "aws.cognito.signin.user.admin",
        "auth_time": now - 60 * (minutes_ago + 60),
        "iat": now - 60 * (minutes_ago + 60),
        "exp": now - 60 * minutes_ago,
        "jti": "e2e-expired-" + os.urandom(8).hex(),
        "username": username,
    }
    header = {"kid": "e2e", "alg": "RS256"}
    signature = base64.urlsafe_b64encode(os.urandom(32)).rstrip(b"=").decode()
    return f"{part(header)}.{part(claims)}.{signature}"


def screenshot(target: Any, name: str) -> Path:
    """Save a screenshot of a page or locator as ``build/screenshots/<name>.png``.

    Tests never write into docs/: ``make screenshots`` copies these there for the README.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    if hasattr(target, "scroll_into_view_if_needed"):  # a locator: let a scrolling page settle
        target.scroll_into_view_if_needed()
        target.page.wait_for_timeout(300)
    target.screenshot(path=str(path))
    return path


def preferences(scope: Any) -> Any:
    """The dashboard's own preference panel (the Preferences tab, first in the page)."""
    return scope.locator(".mfa-dashboard .mfa-preference-panel").first


def choose_sms_then_email(panel: Any) -> None:
    """Prefer SMS, then prefer email: SMS must be un-ticked (one preferred factor at most)."""
    prefer_sms = panel.get_by_role("checkbox", name="Prefer SMS")
    prefer_email = panel.get_by_role("checkbox", name="Prefer email")
    expect(prefer_sms).to_be_disabled()  # a factor must be enabled before it can be preferred
    expect(panel.get_by_role("checkbox", name="Prefer TOTP")).to_be_disabled()
    panel.get_by_role("checkbox", name="Enable SMS").check()
    prefer_sms.check()
    expect(panel.locator(".mfa-prediction")).to_contain_text("SMS_MFA")
    panel.get_by_role("checkbox", name="Enable email").check()
    prefer_email.check()
    expect(prefer_email).to_be_checked()
    expect(prefer_sms).not_to_be_checked()
    expect(panel.get_by_role("checkbox", name="Enable SMS")).to_be_checked()
    expect(panel.locator(".mfa-prediction")).to_contain_text("EMAIL_OTP")
    expect(panel.locator(".mfa-cli")).to_contain_text("--email-mfa-settings")


def apply(panel: Any, *, double: bool = False) -> None:
    """Press Apply (or double-click it) and wait for the state read back from the server.

    A double-click must apply once and keep saying so: the second click must not replace
    "Applied…" with "Nothing to apply" (issue 13 #3).
    """
    button = panel.get_by_role("button", name="Apply")
    if double:
        button.dblclick()
    else:
        button.click()
    status = panel.locator(".mfa-status")
    expect(status).to_contain_text("Applied", timeout=20_000)
    expect(status).to_contain_text("Email message preferred")
    if double:
        panel.page.wait_for_timeout(1000)  # let a second click, if one got through, land
        expect(status).to_contain_text("Applied")
        expect(status).not_to_contain_text("Nothing to apply")


def stays(status: Any, text: str) -> None:
    """``status`` shows ``text``, and still does after a second click had time to land."""
    expect(status).to_contain_text(text, timeout=20_000)
    status.page.wait_for_timeout(1000)
    expect(status).to_contain_text(text)


def open_tab(page: Any, title: str) -> None:
    """Show one of the dashboard's tabs and wait until its panel is built.

    A tab's panel is built in the kernel when the tab is first shown; until then the tab holds
    a "Loading…" placeholder.
    """
    page.locator(".mfa-dashboard").get_by_role("tab", name=title).click()
    loading = page.locator(".mfa-dashboard .mfa-tab-loading").filter(visible=True)
    expect(loading).to_have_count(0, timeout=30_000)


def log_rows(page: Any) -> Any:
    """The rows of the dashboard's log table (newest first)."""
    return page.locator(".mfa-dashboard .mfa-log-table tbody tr")


def sign_in_with_probe(page: Any) -> Any:
    """Sign alice in from the probe tab; returns the probe panel."""
    open_tab(page, "Sign-in probe")
    probe = page.locator(".mfa-dashboard .mfa-probe-panel")
    probe.get_by_role("button", name="Use demo password").click()
    expect(probe.locator(".mfa-status")).to_contain_text("Demo password ready")
    probe.get_by_role("button", name="Sign in").click()
    expect(probe.locator(".mfa-probe-observed")).to_contain_text("EMAIL_OTP", timeout=20_000)
    expect(probe.locator(".mfa-probe-predicted")).to_contain_text("EMAIL_OTP")
    expect(probe.locator(".mfa-probe-verdict")).to_contain_text("as predicted")
    return probe


QUICKSTART = "01-quickstart.ipynb"
#: True once the open notebook's kernel is idle (JupyterLab and Notebook 7 expose the app).
KERNEL_IDLE = """() => {
    const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
    const kernel = w && w.sessionContext && w.sessionContext.session
        && w.sessionContext.session.kernel;
    return kernel && kernel.status === 'idle';
}"""


def open_in_voila(page: Any, base: str, notebook: str = QUICKSTART) -> None:
    """Render ``notebook`` in Voila and wait until every cell ran (the connection panel shows)."""
    page.route(NOT_LOOPBACK, lambda route: route.abort())
    page.set_default_timeout(30_000)
    page.goto(f"{base}/voila/render/{notebook}", timeout=FIRST_RENDER_MS)
    expect(page.locator(".mfa-dashboard")).to_be_visible(timeout=FIRST_RENDER_MS)
    expect(page.locator(".mfa-token-status")).to_be_visible(timeout=FIRST_RENDER_MS)


#: Every code cell of the open notebook has run (an execution count; a queued or running cell has
#: none in JupyterLab 4 and Notebook 7) and the kernel is idle.
ALL_CELLS_RAN = (
    """() => {
    const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
    const cells = w && w.content && w.content.model && w.content.model.cells;
    if (!cells) { return false; }
    for (const cell of cells) {
        if (cell.type === 'code' && cell.executionCount === null) { return false; }
    }
    return ("""
    + KERNEL_IDLE
    + """)();
}"""
)


def run_in_jupyter(page: Any, url: str, ready: str = ".mfa-token-status") -> None:
    """Open a notebook in JupyterLab or Notebook 7 at ``url``, run all cells, wait for ``ready``.

    ``ready`` is a selector the notebook's last widget shows (the quickstart's connection panel).
    It returns once every cell has run: a later cell that reads the server again would otherwise
    put a box the test has just ticked back to the server's value.
    """
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_function(KERNEL_IDLE, timeout=FIRST_RENDER_MS)
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    expect(page.locator(ready).first).to_be_visible(timeout=FIRST_RENDER_MS)
    page.wait_for_function(ALL_CELLS_RAN, timeout=FIRST_RENDER_MS)


#: WCAG AA for normal text.
AA = 4.5
#: Every visible text below ``selector``: its WCAG contrast ratio over its composited background.
CONTRAST = """(selector) => {
  const parse = (text) => {
    const m = /rgba?\\(([^)]+)\\)/.exec(text || '');
    if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const blend = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a), g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a), a: 1});
  const channel = (v) => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  const lum = (c) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  const background = (el) => {
    const chain = [];
    for (let e = el; e; e = e.parentElement) chain.push(e);
    let bg = {r: 255, g: 255, b: 255, a: 1};
    for (const e of chain.reverse()) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) bg = blend(c, bg);
    }
    return bg;
  };
  const out = [];
  for (const root of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent.trim();
      const el = node.parentElement;
      if (!text || !el || el.closest('svg') || !el.getClientRects().length) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || style.opacity === '0') continue;
      const bg = background(el);
      const fg = blend(parse(style.color), bg);
      const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
      const where = typeof el.className === 'string' && el.className ? el.className : el.tagName;
      out.push({text: text.slice(0, 50), ratio: (hi + 0.05) / (lo + 0.05),
                where: where.slice(0, 60), disabled: !!el.closest(':disabled, .mod-disabled')});
    }
  }
  return out;
}"""


def set_theme(page: Any, theme: str) -> None:
    """Switch JupyterLab or Notebook 7 to ``theme`` and wait until the page shows it."""
    page.evaluate(
        "(t) => window.jupyterapp.commands.execute('apputils:change-theme', {theme: t})", theme
    )
    page.wait_for_function(
        "(light) => document.body.dataset.jpThemeLight === light",
        arg="false" if "Dark" in theme else "true",
    )


#: Elements below ``selector`` whose content is wider than their box (a cut label, a clipped
#: input), and the root when it is wider than the window.
CLIPPED = """(selector) => {
  const out = [];
  for (const el of document.querySelectorAll(selector + ' *')) {
    if (!el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    const scrolls = /(auto|scroll)/.test(style.overflowX);
    if (el.tagName === 'INPUT' && el.type === 'text' && el.value) {
      if (el.scrollWidth > el.clientWidth + 1) out.push('input ' + (el.value || '').slice(0, 30));
    } else if (!scrolls && el.scrollWidth > el.clientWidth + 1 && style.overflowX === 'hidden') {
      out.push((el.className || el.tagName).toString().slice(0, 60) + ': ' +
               (el.textContent || '').trim().slice(0, 30));
    }
  }
  for (const root of document.querySelectorAll(selector)) {
    if (root.getBoundingClientRect().right > window.innerWidth + 1) out.push(selector + ' wider');
  }
  return out;
}"""


#: Run code on the open notebook's kernel (not in a cell: nothing enters the notebook); its
#: printed output.
RUN_ON_KERNEL = """async (code) => {
    const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
    let text = '';
    const future = kernel.requestExecute({code, silent: false, store_history: false});
    future.onIOPub = (msg) => {
        if (msg.header.msg_type === 'stream') { text += msg.content.text; }
    };
    await future.done;
    return text;
}"""


def saved_with_widget_state(path: Path, timeout: float = 20) -> nbformat.NotebookNode:
    """``path`` read back once JupyterLab saved it with widget state (``saveState`` is on)."""
    deadline = time.monotonic() + timeout
    while True:
        notebook = nbformat.read(path, as_version=4)
        if "widgets" in notebook.metadata:
            return notebook
        if time.monotonic() > deadline:
            raise AssertionError(f"{path.name} was saved without widget state")
        time.sleep(0.2)


class Saves:
    """Saves the open notebook and keeps a copy of each saved file under its step name."""

    def __init__(self, page: Any, path: Path, folder: Path) -> None:
        self.page, self.path, self.folder = page, path, folder
        self.copies: list[Path] = []

    def save(self, step: str) -> None:
        before = self.path.stat().st_mtime_ns
        self.page.evaluate("window.jupyterapp.commands.execute('docmanager:save')")
        deadline = time.monotonic() + 20
        while True:
            if self.path.stat().st_mtime_ns != before:
                notebook = nbformat.read(self.path, as_version=4)
                if "widgets" in notebook.metadata:
                    break
            if time.monotonic() > deadline:
                raise AssertionError(f"{step}: the notebook was not saved with widget state")
            time.sleep(0.2)
        copy = self.folder / f"{len(self.copies):02d}-{step}.ipynb"
        shutil.copy(self.path, copy)
        self.copies.append(copy)

    def leaks(self, *also: str) -> list[str]:
        """The secrets found in the saved copies: every secret the kernel's sandboxes and
        classrooms issued (the notebook tests' probe, run on the kernel), and ``also``."""
        from tests.leakscan import find_leaks
        from tests.notebooks.test_notebooks import PROBE

        issued = json.loads(self.page.evaluate(RUN_ON_KERNEL, PROBE))
        assert len(issued) > 5, f"only {len(issued)} secrets found: the probe cannot be trusted"
        return find_leaks(self.copies, [*issued, *also])


#: True once every code cell of the open notebook ran (no "[*]" or "[ ]" prompt left).
ALL_CELLS_RAN = """() => {
    const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')];
    return prompts.length > 0 && prompts.every((p) => /\\[\\d+\\]/.test(p.textContent));
}"""


#: Elements below each ``selector`` root that reach past the right edge of the root's output area
#: (or of the window, in Voila), as "class Npx"; none when it fits. Inside a scrolling box (a
#: wide table in a narrow window) they scroll and are not counted.
PAST_OUTPUT = """(selector) => {
    const out = [];
    for (const root of document.querySelectorAll(selector)) {
        const area = root.closest('.jp-OutputArea-output');
        const edge = (area ? area.getBoundingClientRect().right : window.innerWidth) + 1;
        const scrolled = (el) => {
            for (let up = el.parentElement; up && up !== root; up = up.parentElement) {
                if (/(auto|scroll)/.test(getComputedStyle(up).overflowX)) return true;
            }
            return false;
        };
        const past = [];
        for (const el of [root, ...root.querySelectorAll('*')]) {
            const box = el.getBoundingClientRect();
            if (box.width && box.right > edge && !scrolled(el) && !past.includes(el.parentElement))
                past.push(el);
        }
        out.push(...past.map((el) => `${el.className || el.tagName}`.slice(0, 60) + ' ' +
            Math.round(el.getBoundingClientRect().right - edge) + 'px'));
    }
    return out;
}"""


#: The window widths every panel must hold at: narrow (a laptop half screen), medium, wide.
WIDTHS = (760, 1024, 1400)


@dataclass
class OpenNotebook:
    """A notebook opened in JupyterLab after Run All: its page, console messages and saves."""

    page: Any
    console: list[str]
    saves: Saves


@contextlib.contextmanager
def open_notebook(
    browser: Any, lab_server: dict[str, Any], name: str, ready: str, saves_folder: Path
) -> Iterator[OpenNotebook]:
    """Open ``name`` in JupyterLab at 1400 px, Run All, wait until every cell ran; close after.

    ``ready`` is a selector of the notebook's last widget; the console is recorded from the
    start (a closed widget logs "widget model not found").
    """
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.set_default_timeout(30_000)
        console: list[str] = []
        page.on("console", lambda message: console.append(message.text))
        run_in_jupyter(page, f"{lab_server['base']}/lab/tree/{name}?reset", ready=ready)
        page.wait_for_function(ALL_CELLS_RAN, timeout=180_000)
        yield OpenNotebook(page, console, Saves(page, lab_server["root"] / name, saves_folder))
    finally:
        page.close()


def below_aa(page: Any, selector: str) -> list[dict[str, Any]]:
    """The texts below ``selector`` under WCAG AA (disabled controls are exempt, WCAG 1.4.3).

    Fails when too little text was measured (the panels did not render).
    """
    measured = page.evaluate(CONTRAST, selector)
    assert len(measured) > 30, f"too little text measured under {selector}: nothing rendered"
    return [m for m in measured if m["ratio"] < AA and not m["disabled"]]


def layout_problems(page: Any, selector: str, width: int) -> dict[str, list[str]]:
    """At ``width`` px: what is cut below ``selector``, and what reaches past its output area."""
    page.set_viewport_size({"width": width, "height": 1000})
    page.wait_for_timeout(500)
    return {
        "cut": page.evaluate(CLIPPED, selector),
        "past the output": page.evaluate(PAST_OUTPUT, selector),
    }
