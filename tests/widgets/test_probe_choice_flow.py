"""The sign-in probe's choice-based flow (``USER_AUTH``) and SRP flow, in-process on the sandbox.

The choice flow was a second panel (``ChoiceSignInPanel``); these tests hold the one probe to the
defects that panel had: a wrong code ended the sign-in, double clicks answered twice, typed secrets
sat in widget state, "123 456" was refused, old option buttons stayed, an empty code was sent.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest

from mfa_widgets.sandbox import Sandbox, SandboxPool, SandboxUser
from mfa_widgets.services.client import MfaClient, signin
from mfa_widgets.services.log import MfaLog
from mfa_widgets.services.passkey_authenticator import SoftwareAuthenticator
from mfa_widgets.widgets.probe import SIGNED_IN, SignInProbe
from mfa_widgets.widgets.state import ProbeStage, SignInFlow, StatusKind
from tests.widgets.conftest import choice_enabled_pool

_names = itertools.count()


@pytest.fixture(scope="module")
def choice_pool(sandbox: Sandbox) -> SandboxPool:
    return choice_enabled_pool(sandbox, "widgets-choice")


def choice_probe(
    sandbox: Sandbox, pool: SandboxPool, *, preferred: str = "", **extra: Any
) -> tuple[SignInProbe, SandboxUser, MfaLog]:
    """A fresh user (with an email) and the probe on the choice flow, its code source the outbox."""
    user = sandbox.create_user(pool, f"choice{next(_names)}", email="c@example.com")
    log = MfaLog()
    probe = SignInProbe(
        MfaClient.for_sandbox(sandbox, log=log, in_process=True),  # not a wire test
        pool.pool_id,
        pool.client_id,
        flow="choice",
        preferred=preferred,
        codes=lambda name, channel: sandbox.latest_code(name, channel, pool),
        **extra,
    )
    probe.username.value = user.username
    return probe, user, log


def answers(log: MfaLog) -> int:
    return int((log.frame["operation"] == "RespondToAuthChallenge").sum())


def email_code(sandbox: Sandbox, pool: SandboxPool, user: SandboxUser) -> str:
    return str(sandbox.latest_code(user.username, "EMAIL", pool))


def test_select_challenge_then_password_clears_the_options(
    sandbox: Sandbox, choice_pool: SandboxPool, synced_state: Callable[[Any], str]
) -> None:
    probe, user, _ = choice_probe(sandbox, choice_pool)
    probe.password.value = user.password  # held for the PASSWORD choice
    probe.signin_button.click()
    assert probe.state.observed == "SELECT_CHALLENGE"
    assert list(probe.state.options) == ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"]
    assert list(probe.factor_choice.options) == ["PASSWORD", "EMAIL_OTP"]  # SRP: the SRP flow
    probe.factor_choice.value = "PASSWORD"
    probe.choose_button.click()
    assert probe.status.message == SIGNED_IN
    assert probe.tokens is not None
    assert list(probe.factor_choice.options) == []  # the old option buttons are gone
    assert probe.choose_row.layout.display == "none"
    assert probe.password.value == ""
    assert user.password not in synced_state(probe.widget)
    probe.close()


def test_email_code_then_passkey(sandbox: Sandbox, choice_pool: SandboxPool) -> None:
    authenticator = SoftwareAuthenticator("http://localhost:8888")
    probe, user, _ = choice_probe(
        sandbox, choice_pool, preferred="EMAIL_OTP", authenticator=authenticator
    )
    probe.signin_button.click()
    assert probe.state.observed == "EMAIL_OTP"
    assert probe.code_row.layout.display == ""
    probe.fill_button.click()  # the code from the outbox
    probe.answer_button.click()
    assert probe.status.message == SIGNED_IN
    token = sandbox.issue_token(choice_pool, user.username)
    assert probe.client.register_passkey(token, authenticator).ok
    probe.state.preferred = "WEB_AUTHN"
    probe.signin_button.click()
    assert probe.state.observed == "WEB_AUTHN"
    assert probe.passkey_button.layout.display == ""
    probe.passkey_button.click()
    assert probe.status.message == SIGNED_IN
    assert probe.passkey_button.layout.display == "none"
    probe.close()


def test_a_wrong_email_code_leaves_the_challenge_open(
    sandbox: Sandbox, choice_pool: SandboxPool
) -> None:
    probe, user, _ = choice_probe(sandbox, choice_pool, preferred="EMAIL_OTP")
    probe.signin_button.click()
    code = email_code(sandbox, choice_pool, user)
    probe.answer(str((int(code) + 1) % 10 ** len(code)).zfill(len(code)))
    assert probe.status.kind == StatusKind.ERROR
    assert probe.state.stage == ProbeStage.CHALLENGED
    assert "still open" in probe.state.explanation
    assert probe.code_row.layout.display == ""  # the code box stays for the next try
    probe.answer(code)
    assert probe.status.message == SIGNED_IN
    probe.close()


def test_a_code_with_a_space_is_accepted(sandbox: Sandbox, choice_pool: SandboxPool) -> None:
    probe, user, _ = choice_probe(sandbox, choice_pool, preferred="EMAIL_OTP")
    probe.signin_button.click()
    code = email_code(sandbox, choice_pool, user)
    half = len(code) // 2
    probe.code.value = f"{code[:half]} {code[half:]}"  # as an email shows it: "123 456"
    probe.answer_button.click()
    assert probe.status.message == SIGNED_IN
    probe.close()


def test_an_empty_code_says_enter_the_code(sandbox: Sandbox, choice_pool: SandboxPool) -> None:
    probe, _, log = choice_probe(sandbox, choice_pool, preferred="EMAIL_OTP")
    probe.signin_button.click()
    probe.answer_button.click()
    assert probe.status.kind == StatusKind.ERROR
    assert "Enter the code" in probe.status.message
    assert answers(log) == 0  # nothing was sent
    assert probe.state.stage == ProbeStage.CHALLENGED
    probe.close()


def test_double_clicks_answer_once(sandbox: Sandbox, choice_pool: SandboxPool) -> None:
    """A second "Choose", "Answer" or "Sign in" after the step was answered changes nothing."""
    probe, user, log = choice_probe(sandbox, choice_pool)
    probe.signin_button.click()
    probe.signin_button.click()  # a repeated click keeps the choice just received
    assert int((log.frame["operation"] == "InitiateAuth").sum()) == 1
    probe.factor_choice.value = "EMAIL_OTP"
    probe.choose_button.click()
    probe.choose_button.click()  # the double click's second half
    assert answers(log) == 1
    assert probe.state.observed == "EMAIL_OTP"
    assert probe.status.kind == StatusKind.INFO
    probe.answer(email_code(sandbox, choice_pool, user))
    probe.answer_button.click()
    probe.passkey_button.click()
    assert answers(log) == 2
    assert probe.status.message == SIGNED_IN
    probe.close()


@pytest.mark.parametrize(
    ("preferred", "private", "button"),
    [
        ("", "_select", "choose_button"),
        ("EMAIL_OTP", "_answer_code", "answer_button"),
        ("WEB_AUTHN", "_answer_passkey", "passkey_button"),
    ],
)
def test_a_click_during_the_call_is_dropped(
    sandbox: Sandbox,
    choice_pool: SandboxPool,
    monkeypatch: pytest.MonkeyPatch,
    preferred: str,
    private: str,
    button: str,
) -> None:
    authenticator = SoftwareAuthenticator("http://localhost:8888")
    probe, user, log = choice_probe(
        sandbox, choice_pool, preferred=preferred, authenticator=authenticator
    )
    if preferred == "WEB_AUTHN":
        token = sandbox.issue_token(choice_pool, user.username)
        assert probe.client.register_passkey(token, authenticator).ok
    probe.signin_button.click()
    if preferred == "":
        probe.factor_choice.value = "EMAIL_OTP"
    elif preferred == "EMAIL_OTP":
        probe.code.value = email_code(sandbox, choice_pool, user)
    real = getattr(signin, private)  # the conversation's step (services.client.signin)
    pressed = getattr(probe, button)

    def during(*args: Any, **kwargs: Any) -> Any:
        pressed.click()  # the impatient second click, while the first call is in flight
        return real(*args, **kwargs)

    monkeypatch.setattr(signin, private, during)
    pressed.click()
    assert answers(log) == 1
    assert probe.status.kind != StatusKind.ERROR
    assert "Start a sign-in first" not in probe.status.message
    probe.close()


def test_no_password_and_no_unsent_code_in_widget_state(
    sandbox: Sandbox, choice_pool: SandboxPool, synced_state: Callable[[Any], str]
) -> None:
    probe, user, _ = choice_probe(sandbox, choice_pool, preferred="EMAIL_OTP")
    probe.password.value = user.password  # typed, not used by an email-code sign-in
    probe.signin_button.click()
    code = email_code(sandbox, choice_pool, user)
    probe.code.value = code  # typed, not yet sent
    state = synced_state(probe.widget)
    assert user.password not in state
    assert code not in state
    probe.close()


def test_the_srp_flow_signs_in_without_sending_the_password(
    sandbox: Sandbox, choice_pool: SandboxPool
) -> None:
    probe, user, log = choice_probe(sandbox, choice_pool)
    probe.state.flow = SignInFlow.SRP
    assert probe.preferred.layout.display == "none"
    probe.password.value = user.password
    probe.signin_button.click()
    assert probe.status.message == SIGNED_IN
    assert user.password not in log.frame.to_json()
    probe.close()


def test_the_choice_panel_is_a_deprecated_name_for_the_probe(
    sandbox: Sandbox, choice_pool: SandboxPool
) -> None:
    from mfa_widgets.widgets.choice_sign_in import ChoiceSignInPanel

    client = MfaClient.for_sandbox(sandbox, in_process=True)
    with pytest.warns(DeprecationWarning, match="SignInProbe"):
        panel = ChoiceSignInPanel(client, choice_pool.client_id, user_pool_id=choice_pool.pool_id)
    assert isinstance(panel, SignInProbe)
    assert panel.state.flow == SignInFlow.CHOICE
    panel.close()
