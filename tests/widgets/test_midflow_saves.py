"""Secrets never in synced state, not even for a moment (issue 13 #1).

Every flow that shows or takes a secret is saved as a notebook *with widget state* (what
JupyterLab's ``saveState``, nbclient and papermill write) after each of its steps, and the file is
searched by the normalising leak scan. The codes are typed the way a browser sends them: as custom
messages from the front end.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as w
import nbformat
import pytest
from ipywidgets.widgets.widget import _instances  # the kernel's live widgets by model id

from mfa_widgets.core.preferences import MfaPreference
from mfa_widgets.sandbox import Sandbox, SandboxPool
from mfa_widgets.services.client import MfaClient
from mfa_widgets.services.log import MfaLog
from mfa_widgets.widgets.probe import SIGNED_IN, SignInProbe
from mfa_widgets.widgets.secret_box import CodeBox, SecretView
from mfa_widgets.widgets.state import TotpStage
from mfa_widgets.widgets.totp import TotpEnrollmentPanel
from tests.leakscan import find_leaks

if TYPE_CHECKING:
    from conftest import User

_names = itertools.count()


def _entries(state: dict[str, Any]) -> dict[str, str]:
    """Each widget's saved entry (model and state) in a manager state, as JSON, by model id."""
    return {key: json.dumps(entry, default=repr, sort_keys=True) for key, entry in state.items()}


@pytest.fixture
def widgets_before() -> dict[str, str]:
    """The kernel's widgets before the test: earlier tests leave thousands in the session."""
    return _entries(w.Widget.get_manager_state(drop_defaults=False)["state"])


class Saver:
    """Saves the kernel's widget state into a notebook after each named step.

    Each save holds every widget made since the test began (``before`` is what the kernel held
    then); the last one adds the widgets from before whose state the test changed. Leaving out
    the untouched thousands that earlier tests leave in the session loses nothing (they cannot
    hold a secret the test made) and saves a minute per test.
    """

    def __init__(self, folder: Path, root: Any, before: dict[str, str]) -> None:
        self.folder = folder
        self.root = root
        self.before = before
        self.paths: dict[str, Path] = {}

    def save(self, step: str, widgets: list[Any] | None = None) -> Path:
        nb = nbformat.v4.new_notebook()
        cell = nbformat.v4.new_code_cell("panel")
        bundle = self.root._repr_mimebundle_()
        cell.outputs = [nbformat.v4.new_output("display_data", data=bundle)]
        nb.cells = [cell]
        if widgets is None:  # the widgets made during the test
            widgets = [made for key, made in list(_instances.items()) if key not in self.before]
        state = w.Widget.get_manager_state(drop_defaults=False, widgets=widgets)
        assert self.root.widget.model_id in state["state"]  # the panel is saved
        nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": state}
        path = self.folder / f"{len(self.paths):02d}-{step}.ipynb"
        path.write_text(json.dumps(nbformat.from_dict(nb), default=repr))
        self.paths[step] = path
        return path

    def assert_clean(self, secrets: list[str]) -> None:
        assert all(secrets), "a secret of the flow is missing: the test would prove nothing"
        now = _entries(w.Widget.get_manager_state(drop_defaults=False)["state"])
        changed = [key for key, entry in now.items() if self.before.get(key, entry) != entry]
        everything = [*changed, *(key for key in now if key not in self.before)]
        self.save("older-widgets-changed", [_instances[key] for key in everything])
        leaks = find_leaks(list(self.paths.values()), secrets)
        assert leaks == [], f"saved at {list(self.paths)}: {leaks}"


def type_into(box: CodeBox, text: str, *, enter: bool = False) -> None:
    """What the browser sends while someone types ``text`` (and maybe presses Enter)."""
    for end in range(1, len(text) + 1):
        box._handle_custom_msg({"kind": "typed", "value": text[:end]}, [])
    if enter:
        box._handle_custom_msg({"kind": "submit"}, [])


def spaced(code: str) -> str:
    return f"{code[:3]} {code[3:]}"


def test_totp_enrolment_saved_at_every_step(
    sandbox: Sandbox, user: User, tmp_path: Path, widgets_before: dict[str, str]
) -> None:
    panel = TotpEnrollmentPanel(user.token_target(), sandbox=sandbox)
    saver = Saver(tmp_path, panel, widgets_before)
    panel.associate_button.click()
    assert panel._enrollment is not None
    secret = panel._enrollment.secret
    assert panel.qr.showing
    saver.save("associated-qr-shown")
    panel.show_secret.value = True
    assert secret[:4] in panel.secret.value  # on show, in kernel memory
    saver.save("secret-shown")
    code = sandbox.totp_code(user.pool, user.username)
    type_into(panel.code, spaced(code))  # typed as authenticator apps show it: "123 456"
    assert panel.code.value == spaced(code)
    saver.save("code-typed")
    panel.fill_button.click()
    saver.save("code-filled")
    type_into(panel.code, spaced(panel.code.value), enter=True)  # Enter verifies
    assert panel.state.stage == TotpStage.VERIFIED, panel.status.message
    saver.save("verified")
    saver.assert_clean([secret, code])


@pytest.mark.parametrize("channel", ["EMAIL", "SMS"])
def test_sign_in_with_a_delivered_code_saved_at_every_step(
    sandbox: Sandbox,
    pool: SandboxPool,
    tmp_path: Path,
    channel: str,
    widgets_before: dict[str, str],
) -> None:
    user = sandbox.create_user(
        pool, f"saves{next(_names)}", phone="+15555550111", email="s@example.com"
    )
    preference = MfaPreference(**{channel.lower(): "preferred"})
    MfaClient.for_sandbox(sandbox, in_process=True).admin_set_preference(
        pool.pool_id, user.username, preference
    ).raise_for_error()
    log = MfaLog()
    probe = SignInProbe(
        MfaClient.for_sandbox(sandbox, log=log, in_process=True),
        pool.pool_id,
        pool.client_id,
        sandbox=sandbox,
    )
    saver = Saver(tmp_path, probe, widgets_before)
    probe.state.username = user.username
    probe.password.value = user.password  # what the browser syncs on Enter
    saver.save("password-entered")
    probe.signin_button.click()
    assert probe.state.stage == "challenged"
    saver.save("challenged")
    code = sandbox.latest_code(user.username, channel, pool=pool)
    type_into(probe.code, spaced(code))
    saver.save("code-typed")
    probe.fill_button.click()
    assert probe.code.value == code
    saver.save("code-filled")
    probe.answer_button.click()
    assert probe.status.message == SIGNED_IN
    saver.save("signed-in")
    tokens = probe.tokens
    assert tokens is not None
    saver.assert_clean([user.password, code, tokens.access_token, tokens.refresh_token])


def test_mfa_setup_in_the_probe_saved_at_every_step(
    sandbox: Sandbox, tmp_path: Path, widgets_before: dict[str, str]
) -> None:
    pool = sandbox.create_pool(name="saves-on", mfa="ON", factors=("TOTP",))
    user = sandbox.create_user(pool, f"saves{next(_names)}")
    probe = SignInProbe(
        MfaClient.for_sandbox(sandbox, in_process=True),
        pool.pool_id,
        pool.client_id,
        sandbox=sandbox,
    )
    saver = Saver(tmp_path, probe, widgets_before)
    probe.sign_in(user.username, user.password)
    assert probe.state.observed == "MFA_SETUP"
    saver.save("challenged")
    probe.setup_button.click()
    assert probe._enrollment is not None
    secret = probe._enrollment.secret
    assert probe.qr.showing
    saver.save("qr-shown")
    probe.fill_button.click()
    code = probe.code.value
    saver.save("code-filled")
    type_into(probe.code, spaced(code), enter=True)  # Enter verifies the set-up
    assert probe.status.message == SIGNED_IN
    saver.save("signed-in")
    saver.assert_clean([secret, code, user.password])


def test_secret_widgets_have_no_value_in_their_state() -> None:
    view, box = SecretView(), CodeBox()
    sent: list[Any] = []

    def record(content: Any, buffers: Any = None) -> None:
        sent.append(content)

    view.send = box.send = record
    view.show(svg="<svg>QRXYZ</svg>", text="ABCD EFGH")
    type_into(box, "654 321")
    box.value = "111222"
    for widget in (view, box):
        state = json.dumps(widget.get_state(), default=repr)
        assert "ABCD" not in state
        assert "QRXYZ" not in state
        assert "654" not in state
        assert "111222" not in state
    assert {"kind": "fill", "value": "111222"} in sent  # the code reached the view by message
    assert box.take() == "111222"
    assert box.value == ""
    assert sent[-1] == {"kind": "clear"}
    # A view rendered later (a reload) asks for what is on show and gets it again.
    view._handle_custom_msg({"kind": "ready"}, [])
    assert sent[-1]["text"] == "ABCD EFGH"
    view.clear()
    assert not view.showing
    assert sent[-1] == {"kind": "show"}
