"""Hints name the actual cause in the audience's words (issue 13 #7)."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

import pytest

from mfa_widgets.core.errors import CognitoError
from mfa_widgets.core.preferences import Factor, MfaPreference
from mfa_widgets.core.totp import totp_code
from mfa_widgets.sandbox import Sandbox, SandboxPool
from mfa_widgets.services.client import MfaClient
from mfa_widgets.widgets._common import describe_error
from mfa_widgets.widgets.connection import AdminTarget
from mfa_widgets.widgets.dashboard import demo
from mfa_widgets.widgets.preference_panel import PreferencePanel
from mfa_widgets.widgets.probe import SignInProbe

if TYPE_CHECKING:
    from conftest import User

_names = itertools.count()
_PYTHON_WORDS = ("totp_registered", "=True", "pass ", "()", "None")


def test_sms_for_a_user_without_a_phone_names_the_missing_phone(
    sandbox: Sandbox, pool: SandboxPool
) -> None:
    user = sandbox.create_user(pool, f"hint{next(_names)}", email="h@example.com")
    client = MfaClient.for_sandbox(sandbox)
    panel = PreferencePanel(AdminTarget(client, pool.pool_id, user.username))
    panel.rows[Factor.SMS].enabled.value = True
    panel.apply_button.click()
    assert panel.status.kind == "error"
    assert "no phone number" in panel.status.message


def test_a_wrong_password_is_not_explained_as_an_expired_token(
    sandbox: Sandbox, pool: SandboxPool
) -> None:
    user = sandbox.create_user(pool, f"hint{next(_names)}")
    probe = SignInProbe(MfaClient.for_sandbox(sandbox), pool.pool_id, pool.client_id)
    probe.sign_in(user.username, "Not-it-1!")
    assert "username or password is wrong" in probe.status.message
    assert "token" not in probe.status.message.split("(")[0]


@pytest.mark.parametrize(
    ("message", "cause"),
    [
        ("Incorrect username or password.", "username or password is wrong"),
        ("Access Token has expired", "sign-in has expired"),
        ("Invalid session for the user, session is expired.", "took too long"),
        ("Password attempts exceeded", "Too many wrong passwords"),
        ("User is disabled.", "user is disabled"),
    ],
)
def test_each_not_authorized_cause_gets_its_own_hint(message: str, cause: str) -> None:
    """Cognito's messages for NotAuthorizedException (API reference) each name one cause."""
    text = describe_error(CognitoError("NotAuthorizedException", message, "InitiateAuth"))
    assert cause in text
    others = {"username or password is wrong", "sign-in has expired", "took too long"} - {cause}
    assert not [o for o in others if o in text]


def test_prefer_totp_is_offered_only_once_an_authenticator_is_registered(user: User) -> None:
    panel = PreferencePanel(user.token_target(), totp_registered=False)
    totp = panel.rows[Factor.TOTP]
    assert totp.enabled.disabled
    assert totp.preferred.disabled
    assert totp.enabled.tooltip == "Register an authenticator app first"
    panel.state.totp_enabled = True  # even set in code, it is not offered
    assert not panel.state.totp_enabled
    assert "SELECT_MFA_TYPE" not in panel.prediction.value
    secret = user.client.associate_totp(access_token=user.token).data["enrollment"].secret
    user.client.verify_totp(totp_code(secret), access_token=user.token).raise_for_error()
    panel.mark_totp_registered()
    assert not totp.enabled.disabled
    totp.enabled.value = True
    assert not totp.preferred.disabled


def test_the_dashboard_never_talks_python_to_its_audience(sandbox: Sandbox) -> None:
    dashboard = demo(sandbox, user="bob")
    try:
        for panel in (dashboard.preferences,):
            assert panel is not None
            text = panel.prediction.value + panel.status.message
            assert not [w for w in _PYTHON_WORDS if w in text], text
        assert dashboard.preferences is not None
        assert dashboard.preferences.rows[Factor.TOTP].enabled.disabled  # bob has no app
        dashboard.switch_user("carol")  # carol has one
        assert dashboard.preferences is not None
        assert not dashboard.preferences.rows[Factor.TOTP].enabled.disabled
    finally:
        dashboard.close()


def test_admin_preference_for_totp_without_an_app_names_the_missing_app(
    sandbox: Sandbox, pool: SandboxPool
) -> None:
    user = sandbox.create_user(pool, f"hint{next(_names)}", email="t@example.com")
    client = MfaClient.for_sandbox(sandbox)
    result = client.admin_set_preference(pool.pool_id, user.username, MfaPreference(totp="enabled"))
    assert result.error is not None
    assert "No authenticator app is registered" in describe_error(result.error)
