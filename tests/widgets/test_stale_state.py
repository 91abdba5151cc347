"""Stale and mixed state (issue 13 #6): panels follow the user's state, a user switch ends the
previous user's sign-in, SELECT_MFA_TYPE has a default, and a code typed "123 456" is accepted.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from mfa_widgets.core.preferences import Factor, MfaPreference
from mfa_widgets.sandbox import Sandbox, SandboxPool
from mfa_widgets.services.client import MfaClient
from mfa_widgets.services.log import MfaLog
from mfa_widgets.widgets.connection import AdminTarget
from mfa_widgets.widgets.dashboard import demo
from mfa_widgets.widgets.preference_panel import PreferencePanel
from mfa_widgets.widgets.probe import SIGNED_IN, SignInProbe
from mfa_widgets.widgets.state import ProbeStage

if TYPE_CHECKING:
    from conftest import User

_names = itertools.count()


def test_a_change_through_the_client_shows_up_in_the_panel(user: User) -> None:
    panel = PreferencePanel(user.token_target())
    assert panel.state.preferred is None
    user.client.admin_set_preference(
        user.pool.pool_id, user.username, MfaPreference(sms="preferred")
    ).raise_for_error()
    assert panel.state.preferred is Factor.SMS
    assert panel.state.loaded == user.server_state()
    assert not panel.state.changed


def test_a_change_in_another_panel_shows_up_and_other_users_are_left_alone(
    sandbox: Sandbox, user: User
) -> None:
    mine = PreferencePanel(user.token_target())
    admin = PreferencePanel(AdminTarget(user.client, user.pool.pool_id, user.username))
    other_user = sandbox.create_user(user.pool, f"stale{next(_names)}", email="o@example.com")
    other = PreferencePanel(AdminTarget(user.client, user.pool.pool_id, other_user.username))
    admin.rows[Factor.EMAIL].enabled.value = True
    admin.rows[Factor.EMAIL].preferred.value = True
    admin.apply_button.click()
    assert admin.status.message.startswith("Applied")
    assert mine.state.preferred is Factor.EMAIL
    assert other.state.preferred is None
    assert other.status.message.startswith("Read from the server")


def test_edits_in_progress_are_not_overwritten_by_a_change_elsewhere(user: User) -> None:
    panel = PreferencePanel(user.token_target())
    panel.rows[Factor.SMS].enabled.value = True  # an edit not applied yet
    user.client.admin_set_preference(
        user.pool.pool_id, user.username, MfaPreference(email="enabled")
    ).raise_for_error()
    assert panel.state.is_enabled(Factor.SMS)
    assert panel.status.kind == "warning"
    assert "changed elsewhere" in panel.status.message
    panel.reload_button.click()
    assert panel.state.loaded == user.server_state()


def _probe(sandbox: Sandbox, pool: SandboxPool) -> tuple[SignInProbe, MfaLog]:
    log = MfaLog()
    client = MfaClient.for_sandbox(sandbox, log=log)
    return SignInProbe(client, pool.pool_id, pool.client_id, sandbox=sandbox), log


def test_switching_the_demo_user_during_a_challenge_resets_it(sandbox: Sandbox) -> None:
    dashboard = demo(sandbox, user="alice")
    try:
        pool = dashboard.setup.pool
        dashboard.client.admin_set_preference(
            pool.pool_id, "alice", MfaPreference(email="preferred")
        ).raise_for_error()
        probe = dashboard.probe
        probe.use_known_password()
        probe.signin_button.click()
        assert probe.state.stage == ProbeStage.CHALLENGED
        dashboard.switch_user("bob")
        assert probe.attempt is None
        assert probe.state.stage == ProbeStage.IDLE
        assert probe.state.username == "bob"
        probe.answer("123456")  # nothing is answered for alice any more
        assert "sign in first" in probe.status.message
        respond = dashboard.log.frame["operation"] == "RespondToAuthChallenge"
        assert not respond.any()
    finally:
        dashboard.close()


def test_select_mfa_type_has_a_default_and_choose_sends_it(
    sandbox: Sandbox, pool: SandboxPool
) -> None:
    user = sandbox.create_user(
        pool, f"stale{next(_names)}", phone="+15555550133", email="s@example.com"
    )
    MfaClient.for_sandbox(sandbox).admin_set_preference(
        pool.pool_id, user.username, MfaPreference(sms="enabled", email="enabled")
    ).raise_for_error()
    probe, _log = _probe(sandbox, pool)
    probe.sign_in(user.username, user.password)
    assert probe.state.observed == "SELECT_MFA_TYPE"
    default = probe.state.options[0]
    assert probe.factor_choice.value == default
    probe.choose_button.click()  # nothing picked by hand
    assert probe.state.observed == default
    assert "sign in first" not in probe.status.message


def test_a_code_typed_with_a_space_is_accepted(sandbox: Sandbox, pool: SandboxPool) -> None:
    user = sandbox.create_user(pool, f"stale{next(_names)}", email="c@example.com")
    MfaClient.for_sandbox(sandbox).admin_set_preference(
        pool.pool_id, user.username, MfaPreference(email="preferred")
    ).raise_for_error()
    probe, _log = _probe(sandbox, pool)
    probe.sign_in(user.username, user.password)
    code = sandbox.latest_code(user.username, "EMAIL", pool=pool)
    probe.code._handle_custom_msg({"kind": "typed", "value": f" {code[:3]} {code[3:]} "}, [])
    probe.answer_button.click()
    assert probe.status.message == SIGNED_IN
