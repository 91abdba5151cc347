"""The passkey panel on the sandbox: factors, registering a passkey, passkey MFA on and off."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import ipywidgets as w
import pytest

from mfa_widgets.sandbox import Sandbox, SandboxPool
from mfa_widgets.services.client import MfaClient
from mfa_widgets.services.passkey_authenticator import SoftwareAuthenticator
from mfa_widgets.widgets._common import iter_widgets
from mfa_widgets.widgets.connection import TokenTarget
from mfa_widgets.widgets.passkeys import PasskeyPanel
from tests.widgets.conftest import User, choice_enabled_pool, make_user

_names = itertools.count()


@pytest.fixture(scope="module")
def passkey_pool(sandbox: Sandbox) -> SandboxPool:
    return choice_enabled_pool(sandbox, "widgets-passkeys")


def test_register_a_passkey_and_turn_passkey_mfa_on_and_off(
    sandbox: Sandbox, passkey_pool: SandboxPool, synced_state: Callable[[Any], str]
) -> None:
    user: User = make_user(sandbox, passkey_pool)  # this module's own pool: no name clash
    authenticator = SoftwareAuthenticator("http://localhost:8888")
    panel = PasskeyPanel(user.token_target(), authenticator=authenticator)
    panel.refresh_button.click()
    assert "Authenticator app registered:</b> no" in panel.factors.value
    assert "none registered" in panel.passkeys.value
    panel.register_button.click()
    assert panel.status.kind == "ok", panel.status.message
    assert "passkey" in panel.factors.value
    assert "passkey 1 (localhost)" in panel.passkeys.value
    # Passkey MFA needs another MFA method: refused first, with the hint, the panel still usable.
    panel.passkey_mfa.value = True
    panel.apply_button.click()
    assert panel.status.kind == "error"
    assert "InvalidParameterException" in panel.status.message
    user.client.set_preference(user.token, user.server_state().with_state("sms", "enabled"))
    panel.apply_button.click()
    assert (panel.status.kind, panel.status.message) == ("ok", "Passkey MFA is on.")
    panel.passkey_mfa.value = False
    panel.apply_button.click()
    assert panel.status.message == "Passkey MFA is off."
    assert user.token not in synced_state(panel.widget)
    panel.close()


def test_without_an_authenticator_the_register_button_is_off(
    sandbox: Sandbox, passkey_pool: SandboxPool
) -> None:
    name = f"passkey-totp{next(_names)}"
    sandbox.create_user(passkey_pool, name, email=f"{name}@example.com", totp=True)
    token = sandbox.issue_token(passkey_pool, name)
    panel = PasskeyPanel(TokenTarget(MfaClient.for_sandbox(sandbox), token))
    assert panel.register_button.disabled
    panel.refresh_button.click()
    assert "Authenticator app registered:</b> yes" in panel.factors.value
    # Passkey MFA is a two-state switch: nothing in the panel offers "preferred".
    assert isinstance(panel.passkey_mfa, w.Checkbox)
    options = [
        str(o).lower() for x in iter_widgets(panel.widget) for o in getattr(x, "options", ())
    ]
    assert not any("prefer" in o for o in options)
    panel.close()
