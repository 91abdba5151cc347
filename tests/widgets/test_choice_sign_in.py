"""The USER_AUTH sign-in probe on the sandbox: choose, answer a code, use a passkey."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest

from mfa_widgets.sandbox import Sandbox, SandboxPool
from mfa_widgets.services.client import MfaClient
from mfa_widgets.services.log import MfaLog
from mfa_widgets.services.passkey_authenticator import SoftwareAuthenticator
from mfa_widgets.widgets.choice_sign_in import ChoiceSignInPanel
from tests.service.shapes import enable_choice_sign_in

_names = itertools.count()


@pytest.fixture(scope="module")
def choice_pool(sandbox: Sandbox) -> SandboxPool:
    pool = sandbox.create_pool(name="widgets-choice", mfa="OPTIONAL")
    enable_choice_sign_in(sandbox.client(), pool, ["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"])
    return pool


def _panel(sandbox: Sandbox, pool: SandboxPool, **extra: Any) -> tuple[ChoiceSignInPanel, Any]:
    user = sandbox.create_user(pool, f"choice{next(_names)}", email="c@example.com")
    log = MfaLog()
    panel = ChoiceSignInPanel(
        MfaClient.for_sandbox(sandbox, log=log),
        pool.client_id,
        codes=lambda name, channel: sandbox.latest_code(name, channel, pool),
        **extra,
    )
    panel.username.value = user.username
    return panel, user


def test_select_challenge_then_password(
    sandbox: Sandbox, choice_pool: SandboxPool, synced_state: Callable[[Any], str]
) -> None:
    panel, user = _panel(sandbox, choice_pool)
    panel.start_button.click()
    assert "SELECT_CHALLENGE" in panel.step.value
    assert list(panel.choices.options) == ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"]
    panel.choices.value = "PASSWORD"
    panel.password.value = user.password
    panel.choose_button.click()
    assert panel.status.message == "Signed in."
    assert panel.password.value == ""
    assert user.password not in synced_state(panel.widget)
    panel.close()


def test_email_code_and_passkey(sandbox: Sandbox, choice_pool: SandboxPool) -> None:
    authenticator = SoftwareAuthenticator("http://localhost:8888")
    panel, user = _panel(sandbox, choice_pool, authenticator=authenticator)
    panel.preferred.value = "EMAIL_OTP"
    panel.start_button.click()
    assert "EMAIL_OTP" in panel.step.value
    panel.code_button.click()  # the code comes from the sandbox's outbox
    assert panel.status.message == "Signed in."
    token = sandbox.issue_token(choice_pool, user.username)
    assert panel.client.register_passkey(token, authenticator).ok
    panel.preferred.value = "WEB_AUTHN"
    panel.start_button.click()
    assert "WEB_AUTHN" in panel.step.value
    panel.passkey_button.click()
    assert panel.status.message == "Signed in."
    panel.close()


def test_answering_without_a_challenge_is_an_error_not_an_exception(
    sandbox: Sandbox, choice_pool: SandboxPool
) -> None:
    panel, _ = _panel(sandbox, choice_pool)
    panel.code_button.click()
    assert panel.status.kind == "error"
    assert "Start a sign-in first" in panel.status.message
    panel.close()
