"""JupyterHub: two users sign in with Chromium, their servers join the class, the board sees both.

Runs with ``make test-hub`` (``MFA_TEST_HUB=1``): it starts JupyterHub
(``hub/jupyterhub_config.py``: dummy authenticator, local spawner, all on 127.0.0.1) and two
JupyterLab servers, which takes minutes on a busy machine. Each user's kernel runs ``Lab()``
with no link: the hub put their join link in the environment.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from mfa_widgets.sandbox.classroom.app import Classroom
from mfa_widgets.widgets import Board
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, _free_port, _wait_for

ROOT = Path(__file__).resolve().parents[2]
USERS = ("alice", "bob")
JOIN = (
    "from mfa_widgets import Lab\n"
    "lab = Lab()\n"
    "print('learner', lab.classroom.learner)\n"
    "lab.exercise(1)\n"
    "print(lab.check(1))\n"
)
# Run code in a new kernel of the signed-in user's server, over the Jupyter server's own API.
RUN_IN_KERNEL = """
async ([base, code]) => {
  const xsrf = (document.cookie.split('; ').find(c => c.startsWith('_xsrf=')) || '').slice(6);
  const headers = {'X-XSRFToken': decodeURIComponent(xsrf), 'Content-Type': 'application/json'};
  const made = await fetch(base + 'api/kernels', {method: 'POST', headers, body: '{}'});
  if (!made.ok) return 'kernel not started: HTTP ' + made.status;
  const kernel = await made.json();
  const ws = new WebSocket(
    location.origin.replace('http', 'ws') + base + 'api/kernels/' + kernel.id + '/channels');
  const id = 'join-' + Date.now();
  return await new Promise((resolve) => {
    let out = '';
    ws.onopen = () => ws.send(JSON.stringify({
      header: {msg_id: id, msg_type: 'execute_request', username: '', session: id,
               version: '5.3', date: new Date().toISOString()},
      parent_header: {}, metadata: {}, channel: 'shell', buffers: [],
      content: {code, silent: false, store_history: false, user_expressions: {},
                allow_stdin: false, stop_on_error: true}}));
    ws.onmessage = (event) => {
      const message = JSON.parse(event.data);
      if (message.parent_header.msg_id !== id) return;
      if (message.msg_type === 'stream') out += message.content.text;
      const content = message.content;
      if (message.msg_type === 'error') out += content.ename + ': ' + content.evalue;
      if (message.msg_type === 'status' && message.content.execution_state === 'idle') {
        ws.close(); resolve(out);
      }
    };
    ws.onerror = () => resolve(out + ' (websocket error)');
  });
}
"""

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        os.environ.get("MFA_TEST_HUB") != "1", reason="JupyterHub test: run `make test-hub`"
    ),
]


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[tuple[str, Classroom]]:
    for needed in ("jupyterhub", "configurable-http-proxy"):
        if shutil.which(needed) is None and not Path(sys.executable).with_name(needed).exists():
            pytest.fail(f"{needed} is missing: `make test-hub` installs it")
    port = _free_port()
    with Classroom(state_dir=tmp_path / "class") as room:
        env = {
            **os.environ,
            "MFA_WIDGETS_TRAINER": room.trainer_link,
            "MFA_HUB_PORT": str(port),
            "MFA_HUB_API_PORT": str(_free_port()),
            "MFA_HUB_PROXY_API_PORT": str(_free_port()),
            "MFA_HUB_STATE": str(tmp_path / "hub"),
            "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
        }
        hub_binary = Path(sys.executable).with_name("jupyterhub")
        config = ROOT / "hub" / "jupyterhub_config.py"
        process = subprocess.Popen(
            [str(hub_binary), "-f", str(config)], cwd=tmp_path, env=env, start_new_session=True
        )
        try:
            _wait_for(f"http://127.0.0.1:{port}/hub/health", process, "JupyterHub", timeout=180)
            yield f"http://127.0.0.1:{port}", room
        finally:
            process.terminate()
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, 9)
                process.wait(timeout=10)


def test_two_hub_users_sign_in_join_the_class_and_appear_on_the_board(
    hub: tuple[str, Classroom],
) -> None:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make chromium` installs it")
    url, room = hub
    shown = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for user in USERS:
            page = browser.new_context().new_page()
            page.goto(f"{url}/hub/login")
            page.fill("input[name=username]", user)
            page.fill("input[name=password]", "any")
            page.click("#login_submit")
            page.wait_for_url(f"**/user/{user}/lab**", timeout=240_000)
            shown[user] = page.evaluate(RUN_IN_KERNEL, [f"/user/{user}/", JOIN])
        browser.close()
    for user in USERS:
        assert f"learner {user}" in shown[user], shown[user]
        assert "NOT YET" in shown[user], shown[user]
    board = Board(room.trainer_link, refresh=0)
    try:
        assert set(board.data["learners"]) == set(USERS)
        for user in USERS:
            [row] = [r for r in board.data["rows"] if r["learner"] == user]
            assert (row["exercise"], row["attempts"]) == (1, 1)
        assert board.table.value.count("not yet (1 check, ") == 2
    finally:
        board.close()
