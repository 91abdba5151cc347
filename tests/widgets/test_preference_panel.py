"""The preference panel, driven in-process against a real sandbox on 127.0.0.1."""

from __future__ import annotations

import itertools
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
import traitlets
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mfa_widgets.core.errors import HINTS
from mfa_widgets.core.preferences import Factor, FactorState, MfaPreference
from mfa_widgets.core.signin import SignInContext, UserMfaFacts, predict_challenge
from mfa_widgets.sandbox import Sandbox
from mfa_widgets.widgets._common import iter_widgets
from mfa_widgets.widgets.connection import TokenTarget
from mfa_widgets.widgets.preference_panel import PreferencePanel
from mfa_widgets.widgets.state import PreferenceState

if TYPE_CHECKING:
    from conftest import User


ALL_OFF = MfaPreference(sms="disabled", totp="disabled", email="disabled")


def click(checkbox: object) -> None:
    """What a click on a checkbox does: toggle its value (as the browser syncs it)."""
    checkbox.value = not checkbox.value  # type: ignore[attr-defined]


def ticked_preferred(panel: PreferencePanel) -> list[Factor]:
    return [f for f, row in panel.rows.items() if row.preferred.value]


def assert_view_matches(panel: PreferencePanel, expected: MfaPreference) -> None:
    """The model equals ``expected`` and every control shows it."""
    assert panel.state.to_preference() == expected
    assert len(ticked_preferred(panel)) <= 1
    for factor, row in panel.rows.items():
        enabled = factor in expected.enabled
        assert row.enabled.value is enabled
        assert row.preferred.value is (expected.preferred is factor)
        assert row.preferred.disabled is (not enabled)


# -- the model ----------------------------------------------------------------------------------


def test_state_model_round_trips_every_valid_preference() -> None:
    states = list(FactorState)
    for sms, totp, email in itertools.product(states, repeat=3):
        try:
            preference = MfaPreference(sms=sms, totp=totp, email=email)
        except ValueError:
            continue  # two preferred: not a valid preference
        model = PreferenceState()
        model.load(preference)
        assert model.to_preference() == preference
        assert model.changed == frozenset()


def test_state_model_rejects_preferring_a_disabled_factor() -> None:
    model = PreferenceState()
    with pytest.raises(traitlets.TraitError, match="must be enabled before"):
        model.preferred = Factor.SMS
    assert model.preferred is None


def test_state_model_disabling_the_preferred_factor_clears_the_preference() -> None:
    model = PreferenceState(totp_enabled=True, preferred=Factor.TOTP)
    model.totp_enabled = False
    assert model.preferred is None


def test_state_models_do_not_import_ipywidgets() -> None:
    code = "import sys, mfa_widgets.widgets.state; print('ipywidgets' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# -- loading -----------------------------------------------------------------------------------


def test_panel_loads_the_users_state_from_the_server(totp_user: User) -> None:
    totp_user.client.admin_set_preference(
        totp_user.pool.pool_id, totp_user.username, MfaPreference(sms="enabled", totp="preferred")
    ).raise_for_error()
    panel = PreferencePanel(totp_user.token_target())
    expected = MfaPreference(sms="enabled", totp="preferred", email="disabled")
    assert panel.state.loaded == expected
    assert_view_matches(panel, expected)
    assert panel.state.changed == frozenset()
    assert all(row.badge.value == "" for row in panel.rows.values())
    assert panel.apply_button.disabled  # nothing to send yet
    (status,) = [w for w in iter_widgets(panel.widget) if "mfa-status" in w._dom_classes]
    assert "mfa-status-info" in status._dom_classes
    assert "Read from the server" in status.value


# -- single preferred under every click order --------------------------------------------------


def test_single_preferred_under_every_order_of_preferred_clicks(totp_user: User) -> None:
    panel = PreferencePanel(totp_user.token_target())  # TOTP is offered: an app is registered
    for factor in Factor:
        click(panel.rows[factor].enabled)
    for order in itertools.permutations(list(Factor) * 2, 4):
        for factor in order:
            was = panel.state.preferred
            click(panel.rows[factor].preferred)
            wanted = None if was is factor else factor
            assert panel.state.preferred is wanted
            assert ticked_preferred(panel) == ([wanted] if wanted else [])


_CLICKS = st.lists(
    st.tuples(st.sampled_from(list(Factor)), st.sampled_from(["enabled", "preferred"])),
    max_size=12,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(clicks=_CLICKS)
def test_any_click_sequence_matches_the_core_preference_rules(
    reader: User, clicks: list[tuple[Factor, str]]
) -> None:
    panel = PreferencePanel(reader.token_target(), load=False)  # the clicks need no server
    panel.state.load(ALL_OFF)
    expected = ALL_OFF
    for factor, control in clicks:
        row = panel.rows[factor]
        state = expected.state(factor)
        assert state is not None
        if control == "enabled":
            expected = expected.with_state(factor, "disabled" if state.enabled else "enabled")
            click(row.enabled)
        else:
            if row.preferred.disabled:
                continue  # a browser cannot click a disabled checkbox
            expected = (
                expected.with_state(factor, "enabled")
                if state.preferred
                else expected.with_preferred(factor)
            )
            click(row.preferred)
        assert_view_matches(panel, expected)
        changed = {f for f, s in expected.changes_from(ALL_OFF) if s is not None}
        assert panel.state.changed == changed
        assert {f for f, row in panel.rows.items() if row.badge.value} == changed
        assert panel.apply_button.disabled is (not changed)
    panel.close()


def test_preferred_is_disabled_until_its_factor_is_enabled(user: User) -> None:
    panel = PreferencePanel(user.token_target())
    row = panel.rows[Factor.EMAIL]
    assert row.preferred.disabled
    click(row.enabled)
    assert not row.preferred.disabled
    click(row.preferred)
    click(row.enabled)  # disabling the preferred factor clears the preference
    assert panel.state.preferred is None
    assert row.preferred.value is False
    assert row.preferred.disabled


def test_ticking_a_disabled_preferred_box_programmatically_is_refused_in_plain_words(
    user: User,
) -> None:
    panel = PreferencePanel(user.token_target())
    panel.rows[Factor.SMS].preferred.value = True
    assert panel.rows[Factor.SMS].preferred.value is False
    assert panel.state.preferred is None
    assert panel.status.kind == "error"
    assert "Text message (SMS) must be enabled" in panel.status.message


# -- the command and the prediction beside the rows ---------------------------------------------


def test_cli_command_follows_the_clicks_and_never_contains_the_token(user: User) -> None:
    panel = PreferencePanel(user.token_target())
    click(panel.rows[Factor.SMS].enabled)
    click(panel.rows[Factor.SMS].preferred)
    text = panel.cli.value
    assert "set-user-mfa-preference" in text
    assert "--sms-mfa-settings" in text
    assert "Enabled=true,PreferredMfa=true" in text
    assert "--software-token-mfa-settings" not in text  # unchanged factors are not sent
    assert "$ACCESS_TOKEN" in text
    assert user.token not in text


def test_admin_target_renders_the_admin_command(user: User) -> None:
    panel = PreferencePanel(user.admin_target())
    click(panel.rows[Factor.EMAIL].enabled)
    assert "admin-set-user-mfa-preference" in panel.cli.value
    assert f"--username {user.username}" in panel.cli.value
    assert "--email-mfa-settings" in panel.cli.value


def test_prediction_follows_the_clicks(totp_user: User) -> None:
    panel = PreferencePanel(totp_user.token_target(), totp_registered=True)
    assert "Assumes no authenticator" not in panel.prediction.value
    assert panel.pool is not None
    click(panel.rows[Factor.TOTP].enabled)
    click(panel.rows[Factor.TOTP].preferred)
    facts = UserMfaFacts(
        preference=panel.state.to_preference(),
        totp_registered=True,
        has_phone=True,
        has_email=True,
    )
    prediction = predict_challenge(panel.pool, facts, SignInContext())
    assert prediction.challenge == "SOFTWARE_TOKEN_MFA"
    assert "SOFTWARE_TOKEN_MFA" in panel.prediction.value
    assert prediction.rule.split(":")[0][:40].replace("'", "&#x27;") in panel.prediction.value
    click(panel.rows[Factor.TOTP].enabled)  # back to no MFA
    assert "SOFTWARE_TOKEN_MFA" not in panel.prediction.value.split("</b>")[0]


# -- Apply ---------------------------------------------------------------------------------------


def test_apply_sends_only_the_changed_factors_and_shows_the_server_state(totp_user: User) -> None:
    client, pool_id, name = totp_user.client, totp_user.pool.pool_id, totp_user.username
    client.admin_set_preference(pool_id, name, MfaPreference(email="enabled")).raise_for_error()
    panel = PreferencePanel(totp_user.token_target())
    click(panel.rows[Factor.TOTP].enabled)
    click(panel.rows[Factor.TOTP].preferred)
    before = len(totp_user.log)
    panel.apply_button.click()
    write = next(e for e in totp_user.log.events[before:] if e.operation == "SetUserMFAPreference")
    sent = {factor: state for factor, state in write.requested.items() if state is not None}
    assert sent == {"totp": "preferred"}  # SMS and email were not sent
    assert panel.last_result is not None
    request_blocks = {k for k in panel.last_result.request if k.endswith("MfaSettings")}
    assert request_blocks == {"SoftwareTokenMfaSettings"}
    assert write.outcome == "ok"
    server = MfaPreference(sms="disabled", totp="preferred", email="enabled")
    assert totp_user.server_state() == server
    assert panel.state.loaded == server
    assert_view_matches(panel, server)
    assert panel.state.changed == frozenset()
    assert panel.status.kind == "ok"
    assert "Applied" in panel.status.message
    assert panel.apply_button.disabled


def test_apply_shows_what_the_server_read_back_not_what_was_hoped_for(user: User) -> None:
    panel = PreferencePanel(user.token_target())
    click(panel.rows[Factor.SMS].enabled)
    # Someone else changes the user between our read and our write.
    user.client.admin_set_preference(
        user.pool.pool_id, user.username, MfaPreference(email="preferred")
    ).raise_for_error()
    panel.apply()
    server = MfaPreference(sms="enabled", totp="disabled", email="preferred")
    assert user.server_state() == server
    assert panel.state.to_preference() == server
    assert panel.rows[Factor.EMAIL].preferred.value is True
    assert panel.status.kind == "warning"
    assert "reports a different state" in panel.status.message


class _RecordingTarget:
    """Wraps a real target and records what the panel looks like while a write is in flight."""

    def __init__(self, user: User) -> None:
        self._inner = user.token_target()
        self.panel: PreferencePanel | None = None
        self.seen: list[tuple[bool, bool]] = []
        self.writes = 0

    def __getattr__(self, name: str) -> object:
        return getattr(self._inner, name)

    @property
    def label(self) -> str:
        return self._inner.label

    def write(self, preference: MfaPreference, current: MfaPreference | None) -> object:
        self.writes += 1
        assert self.panel is not None
        self.seen.append((self.panel.apply_button.disabled, self.panel.reload_button.disabled))
        self.panel.apply()  # a second click arriving while the first call runs
        return self._inner.write(preference, current)


def test_apply_is_disabled_while_the_call_is_in_flight(user: User) -> None:
    target = _RecordingTarget(user)
    panel = PreferencePanel(target)  # type: ignore[arg-type]
    target.panel = panel
    click(panel.rows[Factor.SMS].enabled)
    assert not panel.apply_button.disabled
    panel.apply_button.click()
    assert target.seen == [(True, True)]
    assert target.writes == 1  # no double submit
    assert panel.status.busy is False
    assert not panel.reload_button.disabled


class _NoFactorsTarget(TokenTarget):
    """A target that cannot read auth factors: whether an app is registered stays unknown."""

    read_factors = None  # type: ignore[assignment]


def test_an_error_is_shown_in_plain_words_and_the_panel_stays_usable(user: User) -> None:
    # Registration unknown (no factors read), so TOTP is offered and only Cognito can refuse.
    panel = PreferencePanel(_NoFactorsTarget(user.client, user.token))
    assert "not available" in panel.factors.value
    click(panel.rows[Factor.TOTP].enabled)  # no authenticator registered yet
    panel.apply_button.click()
    assert panel.status.kind == "error"
    assert "No authenticator app is registered for this user yet" in panel.status.message
    assert HINTS["InvalidParameterException"] not in panel.status.message  # the cause, named
    assert "InvalidParameterException" in panel.status.message
    error_row = user.log.events[-1]
    assert error_row.outcome == "error"
    assert error_row.error_code == "InvalidParameterException"
    # The user's edit is kept (so it can be fixed) and nothing changed on the server.
    assert panel.state.totp_enabled is True
    assert panel.state.changed == {Factor.TOTP}
    assert user.server_state() == ALL_OFF
    assert not panel.apply_button.disabled
    # Fix it and apply again: the panel still works.
    click(panel.rows[Factor.TOTP].enabled)
    click(panel.rows[Factor.SMS].enabled)
    panel.apply_button.click()
    assert panel.status.kind == "ok"
    assert user.server_state() == MfaPreference(sms="enabled", totp="disabled", email="disabled")


def test_an_unusable_token_is_explained_before_any_call(user: User, sandbox: Sandbox) -> None:
    expired = sandbox.issue_token(user.pool, user.username, expires_in=-60)
    user.token = expired
    panel = PreferencePanel(user.token_target())
    assert panel.status.kind == "error"
    assert "ExpiredToken" in panel.status.message
    assert expired not in panel.status.message
    assert panel.state.loaded is None


def test_mark_totp_registered_reloads_and_feeds_the_prediction(user: User) -> None:
    panel = PreferencePanel(_NoFactorsTarget(user.client, user.token))
    assert panel.state.totp_registered is None  # unknown: GetUser does not say
    assert "Assumes no authenticator app is registered" in panel.prediction.value
    user.client.admin_set_preference(
        user.pool.pool_id, user.username, MfaPreference(sms="enabled")
    ).raise_for_error()
    panel.mark_totp_registered()
    assert panel.state.totp_registered is True
    assert "Assumes no authenticator" not in panel.prediction.value
    assert panel.state.loaded == MfaPreference(sms="enabled", totp="disabled", email="disabled")


# -- accessibility --------------------------------------------------------------------------------


def test_every_control_has_an_accessible_name_and_a_stable_class(user: User) -> None:
    panel = PreferencePanel(user.token_target())
    classes = {c for w in iter_widgets(panel.widget) for c in w._dom_classes}  # type: ignore[attr-defined]
    for factor in Factor:
        assert {f"mfa-{factor.key}-enabled", f"mfa-{factor.key}-preferred"} <= classes
        assert panel.rows[factor].label.value == factor.label
    assert {"mfa-apply", "mfa-reload", "mfa-status", "mfa-cli", "mfa-prediction"} <= classes
    names = [
        w.description  # type: ignore[attr-defined]
        for w in iter_widgets(panel.widget)
        if type(w).__name__ in {"Checkbox", "Button"}
    ]
    assert all(names)
    assert len(names) == len(set(names))  # unique: findable by role and name
    assert "Enable SMS" in names
    assert "Prefer TOTP" in names
    assert "Apply" in names
