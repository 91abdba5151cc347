"""The demo dashboard: builds on a sandbox, switches users, closes, and leaks no secret."""

from __future__ import annotations

import json
import re

import ipywidgets as w
from ipywidgets.embed import embed_data

from mfa_widgets.core.preferences import Factor
from mfa_widgets.sandbox import Sandbox
from mfa_widgets.services.log import MfaLog
from mfa_widgets.widgets._common import iter_widgets
from mfa_widgets.widgets.dashboard import TAB_TITLES, Dashboard, demo
from mfa_widgets.widgets.probe import SIGNED_IN


def tab_titles(dashboard: Dashboard) -> list[str]:
    return [dashboard.tabs.get_title(i) for i in range(len(dashboard.tabs.children))]


def test_demo_builds_every_tab_and_switches_user(sandbox: Sandbox) -> None:
    log = MfaLog()
    dashboard = demo(sandbox, log=log)
    try:
        assert tab_titles(dashboard) == list(TAB_TITLES)
        assert dashboard.log is log
        assert dashboard.client.log is log
        assert dashboard.sandbox is sandbox
        assert dashboard.preferences is not None
        assert "alice" in dashboard.preferences.target.label
        assert dashboard.preferences.state.has_phone
        assert dashboard.probe.state.username == "alice"
        assert dashboard.admin.state.username == "alice"
        assert dashboard.status.kind == "ok"
        bundle = dashboard._repr_mimebundle_()
        assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == (
            dashboard.widget.model_id
        )
        old_panel = dashboard.preferences
        dashboard.user_picker.value = "bob"
        assert dashboard.preferences is not old_panel
        assert "bob" in dashboard.preferences.target.label
        assert not dashboard.preferences.state.has_phone
        assert dashboard.tabs.children[0] is dashboard.preferences.widget
        assert old_panel.widget.comm is None  # the replaced panel was closed
        assert "GetUser" in dashboard.log_view.table.value
        # The Admin tab reads its user only once it is on screen, and follows the picker.
        assert dashboard.admin.preferences is None
        dashboard.tabs.selected_index = TAB_TITLES.index("Admin")
        assert dashboard.admin.preferences is not None
        assert "bob" in dashboard.admin.preferences.target.label
        dashboard.user_picker.value = "carol"
        assert "carol" in dashboard.admin.preferences.target.label
    finally:
        dashboard.close()
    assert sandbox.running  # not started by demo(), so not stopped by close()
    assert all(widget.comm is None for widget in iter_widgets(dashboard.widget))


def test_demo_starts_and_stops_its_own_sandbox() -> None:
    dashboard = demo()
    try:
        assert dashboard.sandbox.running
    finally:
        dashboard.close()
    assert not dashboard.sandbox.running


def test_saved_widget_state_holds_no_secret_after_a_full_session(sandbox: Sandbox) -> None:
    dashboard = demo(sandbox, user="alice")
    try:
        secrets: list[str] = [u.password for u in dashboard.setup.users.values()]
        secrets.append(dashboard._access_token)
        # Preferences: enable SMS and email (so the probe gets SELECT_MFA_TYPE).
        for factor in (Factor.SMS, Factor.EMAIL):
            dashboard.preferences.rows[factor].enabled.value = True  # type: ignore[union-attr]
        dashboard.preferences.apply_button.click()  # type: ignore[union-attr]
        # Authenticator tab: register an app.
        totp = dashboard.totp
        assert totp is not None
        totp.associate_button.click()
        assert totp._enrollment is not None
        secrets.append(totp._enrollment.secret)
        totp.show_secret.value = True
        totp.fill_button.click()
        secrets.append(totp.code.value)
        totp.verify_button.click()
        assert totp.status.kind == "ok"
        # Probe: typed password, factor choice, code from the outbox.
        probe = dashboard.probe
        probe.password.value = dashboard.setup.users["alice"].password
        probe.signin_button.click()
        assert probe.state.observed == "SELECT_MFA_TYPE"
        probe.factor_choice.value = "EMAIL_OTP"
        probe.choose_button.click()
        probe.fill_button.click()
        secrets.append(probe.code.value)
        probe.answer_button.click()
        assert probe.status.message == SIGNED_IN
        assert probe.tokens is not None
        secrets += [probe.tokens.access_token, probe.tokens.id_token, probe.tokens.refresh_token]
        saved = json.dumps(w.Widget.get_manager_state(drop_defaults=False))
        embedded = json.dumps(embed_data(views=[dashboard.widget]))
        for secret in filter(None, secrets):
            pattern = re.escape(secret)
            if secret.isdigit():  # a one-time code: not as part of a longer number
                pattern = rf"(?<!\d){pattern}(?!\d)"
            assert not re.search(pattern, saved), "a secret reached the widget manager state"
            assert not re.search(pattern, embedded), "a secret reached the embedded state"
        log_text = dashboard.log.frame.to_csv()
        assert not any(s in log_text for s in filter(None, secrets))
    finally:
        dashboard.close()
