"""Messages that name what happened (issue 26): an empty code, a reused authenticator code, and
one name per sign-in factor in every panel. Driven in-process against a real sandbox.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest

from mfa_widgets.core.factor_names import describe_auth_factors
from mfa_widgets.core.preferences import MfaPreference
from mfa_widgets.sandbox import Sandbox, SandboxPool, SandboxUser
from mfa_widgets.services.client import MfaClient
from mfa_widgets.services.log import MfaLog
from mfa_widgets.widgets.authenticator_reset import AuthenticatorResetPanel
from mfa_widgets.widgets.connection import AdminTarget, TokenTarget
from mfa_widgets.widgets.passkeys import PasskeyPanel
from mfa_widgets.widgets.probe import SIGNED_IN, SignInProbe

_names = itertools.count()
ENTER_THE_CODE = "Enter the code first"


def probe_for(sandbox: Sandbox, pool: SandboxPool) -> tuple[SignInProbe, MfaLog]:
    log = MfaLog()
    client = MfaClient.for_sandbox(sandbox, log=log)
    return SignInProbe(client, pool.pool_id, pool.client_id, sandbox=sandbox), log


def user_in(sandbox: Sandbox, pool: SandboxPool, **kwargs: Any) -> SandboxUser:
    return sandbox.create_user(pool, f"messages{next(_names)}", **kwargs)


@pytest.fixture(scope="module")
def on_pool(sandbox: Sandbox) -> SandboxPool:
    """MFA required, authenticator app only: a user without one sets it up at sign-in."""
    return sandbox.create_pool(name="messages-on", mfa="ON", factors=("TOTP",))


def test_an_empty_code_says_enter_the_code_and_sends_nothing(
    sandbox: Sandbox, pool: SandboxPool
) -> None:
    user = user_in(sandbox, pool, email="e@example.com")
    preference = MfaPreference(email="preferred")
    MfaClient.for_sandbox(sandbox).admin_set_preference(pool.pool_id, user.username, preference)
    probe, log = probe_for(sandbox, pool)
    probe.sign_in(user.username, user.password)
    assert probe.state.observed == "EMAIL_OTP"
    before = len(log)
    probe.code.value = "   "
    probe.answer_button.click()
    assert probe.status.kind == "error"
    assert ENTER_THE_CODE in probe.status.message
    assert "press Answer" in probe.status.message
    assert "wrong" not in probe.status.message.lower()
    assert len(log) == before  # nothing was sent
    probe.fill_button.click()
    probe.answer_button.click()
    assert probe.status.message == SIGNED_IN


def test_a_totp_code_reused_right_after_verify_says_it_was_already_used(
    sandbox: Sandbox, on_pool: SandboxPool
) -> None:
    user = user_in(sandbox, on_pool)
    probe, _log = probe_for(sandbox, on_pool)
    probe.sign_in(user.username, user.password)
    assert probe.state.observed == "MFA_SETUP"
    probe.setup_button.click()
    probe.fill_button.click()
    used = probe.code.value
    assert re.fullmatch(r"\d{6}", used)
    probe.verify_button.click()
    assert probe.status.message == SIGNED_IN
    probe.sign_in(user.username, user.password)
    assert probe.state.observed == "SOFTWARE_TOKEN_MFA"
    probe.code.value = used  # the code the app still shows, typed again
    probe.answer_button.click()
    assert probe.status.kind == "error"
    assert "already used" in probe.status.message
    assert "ExpiredCodeException" in probe.status.message
    assert "wrong" not in probe.status.message.lower()
    assert probe.state.problem == "that code was already used — wait for the next one"
    probe.fill_button.click()  # the next code of the app signs in
    probe.answer_button.click()
    assert probe.status.message == SIGNED_IN


def test_a_wrong_totp_code_is_still_a_wrong_code(sandbox: Sandbox, pool: SandboxPool) -> None:
    user = user_in(sandbox, pool, totp=True)
    preference = MfaPreference(totp="preferred")
    MfaClient.for_sandbox(sandbox).admin_set_preference(pool.pool_id, user.username, preference)
    probe, _log = probe_for(sandbox, pool)
    probe.sign_in(user.username, user.password)
    probe.fill_button.click()
    right = probe.code.value
    probe.code.value = f"{(int(right) + 1) % 10**6:06d}"
    probe.answer_button.click()
    assert "CodeMismatchException" in probe.status.message


def test_every_panel_names_a_factor_the_same_way(sandbox: Sandbox, pool: SandboxPool) -> None:
    name = f"names{next(_names)}"
    sandbox.create_user(pool, name, email=f"{name}@example.com", totp=True)
    client = MfaClient.for_sandbox(sandbox)
    factors = client.admin_get_auth_factors(pool.pool_id, name).data["factors"]
    words = describe_auth_factors(factors)
    assert "email code (EMAIL_OTP)" in words
    passkeys = PasskeyPanel(TokenTarget(client, sandbox.issue_token(pool, name)))
    reset = AuthenticatorResetPanel(AdminTarget(client, pool.pool_id, name))
    try:
        passkeys.refresh_button.click()
        reset.refresh_button.click()
        for panel in (passkeys, reset):
            assert f"<b>Can sign in with:</b> {words}" in panel.factors.value
        assert passkeys.factors.value == reset.factors.value
    finally:
        passkeys.close()
        reset.close()
