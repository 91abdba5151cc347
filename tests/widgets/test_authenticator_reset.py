"""Resetting a lost authenticator from the admin panel: confirm first, then see the next sign-in."""

from __future__ import annotations

import itertools

import pytest

from mfa_widgets.sandbox import Sandbox, SandboxPool
from mfa_widgets.services.client import MfaClient
from mfa_widgets.widgets.authenticator_reset import AuthenticatorResetPanel
from mfa_widgets.widgets.connection import AdminTarget

_names = itertools.count()


@pytest.fixture(scope="module")
def required_pool(sandbox: Sandbox) -> SandboxPool:
    return sandbox.create_pool(name="widgets-reset", mfa="ON", factors=("SMS", "TOTP"))


def test_reset_asks_first_then_the_next_sign_in_uses_what_is_left(
    sandbox: Sandbox, required_pool: SandboxPool
) -> None:
    user = sandbox.create_user(
        required_pool, f"reset{next(_names)}", phone="+15555550100", totp=True
    )
    client = MfaClient.for_sandbox(sandbox)
    panel = AuthenticatorResetPanel(AdminTarget(client, required_pool.pool_id, user.username))
    panel.refresh_button.click()
    assert "Authenticator app registered:</b> yes" in panel.factors.value
    assert "SELECT_MFA_TYPE" in panel.next_sign_in.value  # TOTP and SMS to choose from
    panel.reset_button.click()
    assert panel.confirming
    panel.cancel_button.click()
    assert not panel.confirming
    still = client.admin_get_auth_factors(required_pool.pool_id, user.username)
    assert still.data["totp_registered"]  # cancelled: nothing changed
    panel.reset_button.click()
    panel.confirm_button.click()
    assert (panel.status.kind, panel.status.message) == ("ok", "The authenticator app was reset.")
    assert "Authenticator app registered:</b> no" in panel.factors.value
    assert "SMS_MFA" in panel.next_sign_in.value
    observed = client.sign_in(required_pool.client_id, user.username, user.password)
    assert observed.challenge == "SMS_MFA"  # predicted and observed agree
    panel.close()


def test_an_unknown_user_is_an_error_in_the_status_line(
    sandbox: Sandbox, required_pool: SandboxPool
) -> None:
    client = MfaClient.for_sandbox(sandbox)
    panel = AuthenticatorResetPanel(AdminTarget(client, required_pool.pool_id, "nobody"))
    panel.reset_button.click()
    panel.confirm_button.click()
    assert panel.status.kind == "error"
    assert "UserNotFoundException" in panel.status.message
    panel.close()
