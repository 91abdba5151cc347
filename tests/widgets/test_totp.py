"""The authenticator (TOTP) registration panel against the sandbox."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from mfa_widgets.core.errors import HINTS
from mfa_widgets.core.preferences import Factor, MfaPreference
from mfa_widgets.core.totp import totp_code
from mfa_widgets.sandbox import Sandbox
from mfa_widgets.widgets._common import iter_widgets
from mfa_widgets.widgets.preference_panel import PreferencePanel
from mfa_widgets.widgets.state import TotpStage
from mfa_widgets.widgets.totp import TotpEnrollmentPanel

if TYPE_CHECKING:
    from conftest import User


def shown_secret(panel: TotpEnrollmentPanel) -> str:
    """The secret as the panel shows it after "Show secret" (spaces between groups removed)."""
    found = re.search(r"<code[^>]*>([A-Z2-7 =]+)</code>", panel.secret.value)
    assert found, panel.secret.value
    return found.group(1).replace(" ", "")


def test_associate_shows_a_qr_code_and_the_secret_only_on_request(
    sandbox: Sandbox, user: User
) -> None:
    panel = TotpEnrollmentPanel(user.token_target(), sandbox=sandbox)
    assert panel.verify_button.disabled
    assert panel.code.disabled
    panel.associate_button.click()
    assert panel.state.stage == TotpStage.ASSOCIATED
    assert panel.qr.value.startswith("<svg")
    assert panel.secret.value == ""  # hidden until asked for
    assert not panel.verify_button.disabled
    panel.show_secret.value = True
    secret = shown_secret(panel)
    # The shown secret is the one the sandbox registered: both give the same code now.
    assert totp_code(secret) == sandbox.totp_code(user.pool, user.username)
    panel.show_secret.value = False
    assert panel.secret.value == ""
    # What a notebook saves as the cell's output holds no part of the QR code or the secret.
    bundle = json.dumps(panel._repr_mimebundle_())
    assert secret[:8] not in bundle
    assert "svg" not in bundle
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_verify_registers_the_app_clears_every_secret_and_lets_totp_be_enabled(
    sandbox: Sandbox, user: User, synced_state: Callable[[Any], str]
) -> None:
    preferences = PreferencePanel(user.token_target())
    panel = TotpEnrollmentPanel(
        user.token_target(), sandbox=sandbox, on_verified=preferences.mark_totp_registered
    )
    panel.associate()
    panel.show_secret.value = True
    secret = shown_secret(panel)
    panel.fill_button.click()
    code = panel.code.value
    assert re.fullmatch(r"\d{6}", code)
    panel.verify_button.click()
    assert panel.state.stage == TotpStage.VERIFIED, panel.status.message
    assert panel.status.kind == "ok"
    assert (panel.qr.value, panel.secret.value, panel.code.value) == ("", "", "")
    assert panel.state.show_secret is False
    state = synced_state(panel.widget)
    assert secret not in state
    assert code not in state
    assert "<svg" not in state
    frame_text = user.log.frame.to_csv()
    assert secret not in frame_text
    # The preference panel was told, and TOTP can now be enabled and preferred.
    assert preferences.state.totp_registered is True
    preferences.rows[Factor.TOTP].enabled.value = True
    preferences.rows[Factor.TOTP].preferred.value = True
    preferences.apply()
    assert preferences.status.kind == "ok", preferences.status.message
    assert user.server_state() == MfaPreference(sms="disabled", totp="preferred", email="disabled")


def test_a_wrong_code_is_explained_and_the_registration_stays_open(
    sandbox: Sandbox, user: User
) -> None:
    panel = TotpEnrollmentPanel(user.token_target(), sandbox=sandbox)
    panel.associate()
    right = sandbox.totp_code(user.pool, user.username)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    panel.code.value = wrong
    panel.verify_button.click()
    assert panel.status.kind == "error"
    assert panel.state.stage == TotpStage.ASSOCIATED
    assert panel.code.value == ""  # the typed code does not stay in synced state
    assert wrong not in panel.status.message
    error = user.log.events[-1]
    assert error.operation == "VerifySoftwareToken"
    assert HINTS[str(error.error_code)] in panel.status.message
    # Still usable: the right code now works.
    panel.code.value = sandbox.totp_code(user.pool, user.username)
    panel.verify()
    assert panel.state.stage == TotpStage.VERIFIED


def test_verify_without_a_code_asks_for_one(sandbox: Sandbox, user: User) -> None:
    panel = TotpEnrollmentPanel(user.token_target(), sandbox=sandbox)
    panel.associate()
    before = len(user.log)
    panel.verify_button.click()
    assert panel.status.kind == "error"
    assert "Enter the code first" in panel.status.message
    assert len(user.log) == before  # nothing was sent


def test_cancel_and_close_clear_the_qr_code_and_the_secret(
    sandbox: Sandbox, user: User, synced_state: Callable[[Any], str]
) -> None:
    panel = TotpEnrollmentPanel(user.token_target(), sandbox=sandbox)
    panel.associate()
    panel.show_secret.value = True
    secret = shown_secret(panel)
    panel.cancel_button.click()
    assert panel.state.stage == TotpStage.IDLE
    assert (panel.qr.value, panel.secret.value) == ("", "")
    assert secret not in synced_state(panel.widget)

    panel.associate()
    assert panel.qr.value
    widgets = list(iter_widgets(panel.widget))
    panel.close()
    assert (panel.qr.value, panel.secret.value) == ("", "")
    assert all(w.comm is None for w in widgets)  # closed: gone from the widget manager


def test_an_error_from_associate_is_shown_and_the_panel_stays_usable(
    sandbox: Sandbox, user: User
) -> None:
    expired = sandbox.issue_token(user.pool, user.username, expires_in=-60)
    user.token = expired
    panel = TotpEnrollmentPanel(user.token_target(), sandbox=sandbox)
    panel.associate_button.click()
    assert panel.status.kind == "error"
    assert "ExpiredToken" in panel.status.message
    assert panel.state.stage == TotpStage.IDLE
    assert not panel.associate_button.disabled


def test_the_fill_button_is_offered_only_on_the_sandbox(sandbox: Sandbox, user: User) -> None:
    assert TotpEnrollmentPanel(user.token_target()).fill_button.layout.display == "none"
    assert (
        TotpEnrollmentPanel(user.token_target(), sandbox=sandbox).fill_button.layout.display == ""
    )


def test_controls_have_names_and_classes(user: User) -> None:
    panel = TotpEnrollmentPanel(user.token_target())
    classes = {c for w in iter_widgets(panel.widget) for c in w._dom_classes}
    expected = {"associate", "qr", "show-secret", "secret", "code", "verify", "cancel", "fill"}
    assert {f"mfa-totp-{name}" for name in expected} <= classes
    assert panel.associate_button.description == "Associate"
    assert panel.show_secret.description == "Show secret"
