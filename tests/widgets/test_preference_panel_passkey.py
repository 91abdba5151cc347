"""The preference panel's passkey MFA row and configured sign-in factors, on a real sandbox."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as w
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mfa_widgets import MfaClient
from mfa_widgets.core.preferences import WEBAUTHN_REQUEST_KEY, Factor, FactorState, MfaPreference
from mfa_widgets.core.results import CallResult
from mfa_widgets.core.totp import totp_code
from mfa_widgets.widgets._common import iter_widgets
from mfa_widgets.widgets.connection import AdminTarget, TokenTarget
from mfa_widgets.widgets.preference_panel import (
    PASSKEY_HINT,
    PASSKEY_UNKNOWN_HINT,
    PreferencePanel,
)
from mfa_widgets.widgets.state import PreferenceState

if TYPE_CHECKING:
    from conftest import User


def test_the_passkey_row_has_no_prefer_control_and_starts_unknown(user: User) -> None:
    panel = PreferencePanel(user.token_target())
    row = panel.passkey_row
    boxes = [x for x in row.widgets if isinstance(x, w.Checkbox)]
    assert boxes == [row.enabled]
    assert not any("prefer" in str(getattr(x, "description", "")).lower() for x in row.widgets)
    # Every "Prefer ..." box in the whole panel belongs to one of the three factor rows.
    prefer = [
        x
        for x in iter_widgets(panel.widget)
        if isinstance(x, w.Checkbox) and "prefer" in x.description.lower()
    ]
    assert sorted(id(x) for x in prefer) == sorted(id(r.preferred) for r in panel.rows.values())
    # Unknown until set here: unticked, the hint says why, nothing pending.
    assert panel.state.passkey_mfa is None
    assert row.enabled.value is False
    assert PASSKEY_UNKNOWN_HINT in row.hint.value
    assert panel.apply_button.disabled
    assert "web-authn" not in panel.copy_cli.text
    panel.close()


def test_ticking_passkey_mfa_updates_the_command_and_apply_sends_web_authn_settings(
    user: User,
) -> None:
    panel = PreferencePanel(user.token_target())
    panel.passkey_row.enabled.value = True
    assert panel.state.passkey_changed
    assert "changed" in panel.passkey_row.badge.value
    assert not panel.apply_button.disabled
    assert "--web-authn-mfa-settings Enabled=true" in panel.copy_cli.text
    panel.apply_button.click()
    # The pool has no WebAuthnConfiguration (and the user no other MFA method): refused.
    result = panel.last_result
    assert result is not None
    assert result.error is not None
    assert result.request[WEBAUTHN_REQUEST_KEY] == {"Enabled": True}
    assert panel.status.kind == "error"
    assert result.error.code in panel.status.message
    assert result.error.message in panel.status.message
    assert user.token not in panel.status.message
    # Still usable: the edit is kept, the buttons work, and SMS alone applies.
    assert panel.passkey_row.enabled.value is True
    assert not panel.apply_button.disabled
    assert not panel.reload_button.disabled
    panel.passkey_row.enabled.value = False
    panel.rows[Factor.SMS].enabled.value = True
    panel.apply_button.click()
    assert panel.status.kind in ("ok", "warning"), panel.status.message
    assert user.server_state().state(Factor.SMS) is FactorState.ENABLED
    panel.close()


def _passkey_mfa_applied(user: User, name: str) -> tuple[User, PreferencePanel]:
    """A user (SMS on) of a passkey-MFA pool, with passkey MFA turned on in an admin panel."""
    from tests.service.shapes import enable_choice_sign_in
    from tests.widgets.conftest import make_user

    pool = user.sandbox.create_pool(name=name, mfa="OPTIONAL")
    enable_choice_sign_in(user.sandbox.client(), pool, ["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"])
    other = make_user(user.sandbox, pool)
    other.client.set_preference(other.token, MfaPreference(sms="enabled"))
    panel = PreferencePanel(other.admin_target())
    panel.passkey_row.enabled.value = True
    panel.apply_button.click()
    assert panel.status.kind == "ok", panel.status.message
    assert panel.state.passkey_mfa is True
    return other, panel


def test_an_accepted_passkey_setting_becomes_known_and_survives_a_reload(user: User) -> None:
    _, panel = _passkey_mfa_applied(user, "widgets-passkey-row")
    assert not panel.state.passkey_changed
    assert PASSKEY_HINT in panel.passkey_row.hint.value
    assert "admin-set-user-mfa-preference" in panel.copy_cli.text
    panel.reload_button.click()
    assert panel.passkey_row.enabled.value is True
    assert panel.apply_button.disabled
    panel.close()


def test_the_factors_line_lists_password_and_software_token_once_registered(user: User) -> None:
    panel = PreferencePanel(user.token_target())
    assert "PASSWORD" in panel.factors.value
    assert "SOFTWARE_TOKEN" not in panel.factors.value
    enrollment = user.client.associate_totp(access_token=user.token).raise_for_error()
    secret = enrollment.data["enrollment"].secret
    user.client.verify_totp(totp_code(secret), access_token=user.token).raise_for_error()
    panel.mark_totp_registered()
    assert "PASSWORD" in panel.factors.value
    assert "SOFTWARE_TOKEN" in panel.factors.value
    assert "authenticator app" in panel.factors.value
    assert secret not in panel.factors.value
    panel.close()


def test_the_factors_line_reads_through_an_admin_target(totp_user: User) -> None:
    panel = PreferencePanel(totp_user.admin_target())
    assert "PASSWORD" in panel.factors.value
    assert "SOFTWARE_TOKEN" in panel.factors.value
    ops = set(totp_user.log.frame["operation"])
    assert "AdminGetUserAuthFactors" in ops
    panel.close()


class _StaleFactorsTarget(TokenTarget):
    """Reads the preference with a good token but the factors with a rejected one (real call)."""

    def read_factors(self) -> CallResult:
        return self.client.get_auth_factors("x" + self.access_token[1:])


def test_a_failed_factors_read_is_a_note_and_never_breaks_the_panel(user: User) -> None:
    panel = PreferencePanel(_StaleFactorsTarget(user.client, user.token))
    assert "could not be read" in panel.factors.value
    assert panel.status.kind == "info", panel.status.message
    panel.rows[Factor.EMAIL].enabled.value = True
    panel.apply_button.click()
    assert panel.status.kind in ("ok", "warning"), panel.status.message
    assert user.token not in panel.factors.value
    panel.close()


@given(
    known=st.sampled_from([None, True, False]),
    clicks=st.lists(st.booleans(), max_size=6),
)
def test_state_model_pending_passkey_is_the_last_click_when_it_differs(
    known: bool | None, clicks: list[bool]
) -> None:
    model = PreferenceState()
    model.load(MfaPreference(sms="disabled", totp="disabled", email="disabled", webauthn=known))
    assert model.passkey_mfa is known
    for click in clicks:
        model.passkey_mfa = click
    final = clicks[-1] if clicks else known
    expected = None if final == known else final
    assert model.pending().webauthn == expected
    assert model.passkey_changed is (expected is not None)
    # A read that does not report passkey MFA keeps what is known.
    model.load(MfaPreference(sms="enabled", totp="disabled", email="disabled"))
    assert model.passkey_mfa is known


def _targets(user: User) -> dict[str, TokenTarget | AdminTarget]:
    return {"token": user.token_target(), "admin": user.admin_target()}


@pytest.mark.parametrize("kind", ["token", "admin"])
def test_prefer_totp_is_offered_only_once_the_factors_list_an_authenticator(
    user: User, kind: str
) -> None:
    panel = PreferencePanel(_targets(user)[kind])
    totp = panel.rows[Factor.TOTP]
    # The factors read answers "registered?" (no SOFTWARE_TOKEN): neither box can be ticked.
    assert panel.state.totp_registered is False
    assert totp.enabled.disabled
    assert totp.preferred.disabled
    assert "Register an authenticator" in str(totp.enabled.tooltip)
    secret = user.client.associate_totp(access_token=user.token).data["enrollment"].secret
    user.client.verify_totp(totp_code(secret), access_token=user.token).raise_for_error()
    panel.reload_button.click()  # nothing told the panel: the read alone must find it
    assert "SOFTWARE_TOKEN" in panel.factors.value
    assert panel.state.totp_registered is True
    assert not totp.enabled.disabled
    totp.enabled.value = True
    assert not totp.preferred.disabled
    totp.preferred.value = True
    panel.apply_button.click()
    assert panel.status.kind == "ok", panel.status.message
    assert user.server_state().preferred is Factor.TOTP
    panel.close()


def test_an_authenticator_reset_elsewhere_takes_prefer_totp_away(totp_user: User) -> None:
    totp_user.client.admin_set_preference(
        totp_user.pool.pool_id, totp_user.username, MfaPreference(totp="preferred")
    ).raise_for_error()
    panel = PreferencePanel(totp_user.token_target())
    totp = panel.rows[Factor.TOTP]
    assert totp.preferred.value is True
    assert not totp.enabled.disabled
    # The admin panel (another client on the same log) resets the authenticator.
    other = MfaClient.for_sandbox(totp_user.sandbox, log=totp_user.log)
    other.admin_reset_totp(totp_user.pool.pool_id, totp_user.username).raise_for_error()
    # Followed without a click: the preference, the factors line and the TOTP row.
    assert panel.state.totp_registered is False
    assert "SOFTWARE_TOKEN" not in panel.factors.value
    assert totp.enabled.value is False
    assert totp.preferred.value is False
    assert totp.enabled.disabled
    assert totp.preferred.disabled
    assert panel.apply_button.disabled
    panel.close()


def test_a_write_elsewhere_makes_a_known_passkey_setting_unknown_again(user: User) -> None:
    other, panel = _passkey_mfa_applied(user, "widgets-passkey-follow")
    # Someone else turns passkey MFA off; the log cannot say what they sent about it.
    other.client.admin_set_preference(
        other.pool.pool_id, other.username, MfaPreference(email="enabled", webauthn=False)
    ).raise_for_error()
    assert panel.state.passkey_mfa is None
    assert PASSKEY_UNKNOWN_HINT in panel.passkey_row.hint.value
    assert panel.rows[Factor.EMAIL].enabled.value is True  # the rest was re-read
    assert panel.apply_button.disabled
    panel.close()


def test_the_factors_read_puts_no_secret_in_the_log_the_widgets_or_the_results(
    user: User, synced_state: Callable[[Any], str]
) -> None:
    from tests.leakscan import find_leaks

    secret = user.client.associate_totp(access_token=user.token).data["enrollment"].secret
    code = totp_code(secret)
    user.client.verify_totp(code, access_token=user.token).raise_for_error()
    panels = [PreferencePanel(target) for target in _targets(user).values()]
    stale = PreferencePanel(_StaleFactorsTarget(user.client, user.token))  # a failed read too
    for panel in (*panels, stale):
        panel.reload_button.click()
    reads = user.log.frame[
        user.log.frame["operation"].isin(["GetUserAuthFactors", "AdminGetUserAuthFactors"])
    ]
    assert set(reads["outcome"]) == {"ok", "error"}
    sources = [user.log.frame.to_csv(), repr(user.log.frame.to_dict("records"))]
    for panel in (*panels, stale):
        sources += [synced_state(panel.widget), repr(panel.last_result), panel.status.message]
        sources += [repr(panel.state.trait_values())]
    bad = "x" + user.token[1:]
    assert find_leaks(sources, [user.token, bad, secret, code]) == []
    for panel in (*panels, stale):
        panel.close()
