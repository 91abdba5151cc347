"""The sign-in probe, driven in-process against a real sandbox: every challenge to the end."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import Any

import pytest

from mfa_widgets.core.errors import HINTS
from mfa_widgets.core.preferences import MfaPreference
from mfa_widgets.sandbox import Sandbox, SandboxPool, SandboxUser
from mfa_widgets.services.client import MfaClient
from mfa_widgets.services.log import MfaLog
from mfa_widgets.widgets.probe import SIGNED_IN, SignInProbe
from mfa_widgets.widgets.state import ProbeStage

_names = itertools.count()


@pytest.fixture(scope="module")
def on_pool(sandbox: Sandbox) -> SandboxPool:
    """MFA required, authenticator app only: users without one get MFA_SETUP."""
    return sandbox.create_pool(name="probe-on", mfa="ON", factors=("TOTP",))


def new_user(
    sandbox: Sandbox, pool: SandboxPool, preference: MfaPreference | None = None, **kwargs: Any
) -> SandboxUser:
    user = sandbox.create_user(pool, f"probe{next(_names)}", **kwargs)
    if preference is not None:
        client = MfaClient.for_sandbox(sandbox)
        client.admin_set_preference(pool.pool_id, user.username, preference).raise_for_error()
    return user


def make_probe(sandbox: Sandbox, pool: SandboxPool) -> tuple[SignInProbe, MfaLog]:
    log = MfaLog()
    client = MfaClient.for_sandbox(sandbox, log=log)
    return SignInProbe(client, pool.pool_id, pool.client_id, sandbox=sandbox), log


#: The operations of a sign-in step (reads such as AdminGetUserAuthFactors are not steps).
SIGN_IN_STEPS = ("InitiateAuth", "RespondToAuthChallenge")


def sign_in_rows(log: MfaLog) -> list[tuple[str, str, str]]:
    frame = log.frame
    steps = frame[frame["operation"].astype(str).isin(SIGN_IN_STEPS)]
    return [
        (str(r.operation), str(r.predicted_challenge), str(r.observed_challenge))
        for r in steps.itertuples()
    ]


def test_sms_challenge_is_predicted_and_answered_from_the_outbox(
    sandbox: Sandbox, pool: SandboxPool
) -> None:
    user = new_user(sandbox, pool, MfaPreference(sms="preferred"), phone="+15555550123")
    probe, log = make_probe(sandbox, pool)
    probe.state.username = user.username
    probe.password.value = user.password  # what the browser syncs on Enter
    probe.signin_button.click()
    assert probe.state.observed == probe.state.predicted == "SMS_MFA"
    assert "mfa-probe-agree" in probe.verdict._dom_classes
    assert "SMS_MFA" in probe.observed.value
    assert "SMS_MFA" in probe.predicted.value
    assert "Rule:" in probe.explanation.value
    assert probe.state.delivery.startswith("code sent by SMS")
    assert probe.answer_button.layout.display == ""
    probe.fill_button.click()
    assert probe.code.value == sandbox.latest_code(user.username, "SMS", pool=pool)
    probe.answer_button.click()
    assert probe.status.message == SIGNED_IN
    assert probe.state.stage == ProbeStage.SIGNED_IN
    assert probe.tokens is not None
    assert probe.tokens.access_token
    assert probe.code.value == ""
    assert sign_in_rows(log) == [
        ("InitiateAuth", "SMS_MFA", "SMS_MFA"),
        ("RespondToAuthChallenge", "NONE", "NONE"),
    ]


def test_wrong_code_shows_the_hint_and_the_challenge_can_be_retried(
    sandbox: Sandbox, pool: SandboxPool
) -> None:
    user = new_user(sandbox, pool, MfaPreference(email="preferred"), email="w@example.com")
    probe, log = make_probe(sandbox, pool)
    probe.sign_in(user.username, user.password)
    assert probe.state.observed == "EMAIL_OTP"
    real = sandbox.latest_code(user.username, "EMAIL", pool=pool)
    probe.code.value = "000000" if real != "000000" else "111111"
    probe.answer_button.click()
    assert HINTS["CodeMismatchException"] in probe.status.message
    assert probe.status.kind == "error"
    assert probe.state.stage == ProbeStage.CHALLENGED  # still answerable
    assert probe.state.observed == "ERROR"
    assert not probe.answer_button.disabled
    probe.fill_button.click()
    probe.answer_button.click()
    assert probe.status.message == SIGNED_IN
    assert [row[2] for row in sign_in_rows(log)] == ["EMAIL_OTP", "ERROR", "NONE"]


def test_select_mfa_type_then_choose_a_factor(sandbox: Sandbox, pool: SandboxPool) -> None:
    user = new_user(
        sandbox,
        pool,
        MfaPreference(sms="enabled", email="enabled"),
        phone="+15555550124",
        email="s@example.com",
    )
    probe, log = make_probe(sandbox, pool)
    probe.sign_in(user.username, user.password)
    assert probe.state.observed == probe.state.predicted == "SELECT_MFA_TYPE"
    assert set(probe.factor_choice.options) == {"SMS_MFA", "EMAIL_OTP"}
    assert probe.choose_row.layout.display == ""
    probe.factor_choice.value = "SMS_MFA"
    probe.choose_button.click()
    assert probe.state.observed == probe.state.predicted == "SMS_MFA"
    assert probe.choose_row.layout.display == "none"
    probe.fill_button.click()
    probe.answer_button.click()
    assert probe.status.message == SIGNED_IN
    assert sign_in_rows(log)[1] == ("RespondToAuthChallenge", "SMS_MFA", "SMS_MFA")


def test_totp_challenge_with_the_current_authenticator_code(
    sandbox: Sandbox, pool: SandboxPool
) -> None:
    user = new_user(sandbox, pool, MfaPreference(totp="preferred"), totp=True)
    probe, _log = make_probe(sandbox, pool)
    probe.sign_in(user.username, user.password)
    assert probe.state.observed == probe.state.predicted == "SOFTWARE_TOKEN_MFA"
    assert probe.fill_button.description == "Fill current TOTP code"
    probe.fill_button.click()
    assert re.fullmatch(r"\d{6}", probe.code.value)
    probe.answer_button.click()
    assert probe.status.message == SIGNED_IN


def test_mfa_setup_registers_an_authenticator_and_finishes_the_sign_in(
    sandbox: Sandbox, on_pool: SandboxPool, synced_state: Callable[[Any], str]
) -> None:
    user = new_user(sandbox, on_pool)
    probe, log = make_probe(sandbox, on_pool)
    signed_in: list[Any] = []
    probe.on_signed_in = signed_in.append
    probe.sign_in(user.username, user.password)
    assert probe.state.observed == probe.state.predicted == "MFA_SETUP"
    assert probe.state.options == ("SOFTWARE_TOKEN_MFA",)
    assert probe.setup_button.layout.display == ""
    probe.setup_button.click()
    assert probe.qr.value.startswith("<svg")
    assert probe.state.stage == ProbeStage.SETTING_UP
    probe.fill_button.click()
    code = probe.code.value
    probe.verify_button.click()
    assert probe.status.message == SIGNED_IN
    assert probe.qr.value == ""
    assert len(signed_in) == 1
    state = synced_state(probe.widget)
    assert code not in state
    assert user.password not in state
    assert probe.tokens is not None
    assert probe.tokens.access_token not in state
    operations = list(log.frame["operation"].astype(str))
    assert operations[-3:] == [
        "AssociateSoftwareToken",
        "VerifySoftwareToken",
        "RespondToAuthChallenge",
    ]
    # The authenticator is now registered: the next sign-in asks for its code, and the probe
    # predicts it although AdminGetUser still lists no TOTP (it remembers the set-up).
    probe.sign_in(user.username, user.password)
    assert probe.state.observed == probe.state.predicted == "SOFTWARE_TOKEN_MFA"


def test_password_is_scrubbed_from_synced_state_and_forgotten_after_the_attempt(
    sandbox: Sandbox, pool: SandboxPool, synced_state: Callable[[Any], str]
) -> None:
    user = new_user(sandbox, pool)
    probe, _log = make_probe(sandbox, pool)
    probe.username.value = user.username
    probe.password.value = user.password
    assert probe.password.value == ""
    assert "kernel memory only" in probe.password.placeholder
    assert user.password not in synced_state(probe.widget)
    probe.signin_button.click()
    # No MFA for this user in an OPTIONAL pool: tokens at once, as predicted.
    assert probe.state.observed == probe.state.predicted == "NONE"
    assert probe.status.message == SIGNED_IN
    assert probe.password.placeholder == ""
    assert not probe.state.password_held
    probe.signin_button.click()  # a second click (double-click) keeps the result on show
    assert probe.status.message == SIGNED_IN
    probe.reset_button.click()
    probe.signin_button.click()  # the password was used once and forgotten
    assert "password" in probe.status.message
    assert probe.status.kind == "error"


def test_wrong_password_fails_in_plain_words_and_the_probe_stays_usable(
    sandbox: Sandbox, pool: SandboxPool
) -> None:
    user = new_user(sandbox, pool)
    probe, log = make_probe(sandbox, pool)
    probe.sign_in(user.username, "Wrong-password-1!")
    assert probe.state.stage == ProbeStage.FAILED
    assert "username or password is wrong" in probe.status.message  # not the token hint
    assert "access token" not in probe.status.message
    assert "Wrong-password-1!" not in log.frame.to_csv()
    probe.sign_in(user.username, user.password)
    assert probe.status.message == SIGNED_IN


def test_demo_password_button_uses_a_known_password(sandbox: Sandbox, pool: SandboxPool) -> None:
    user = new_user(sandbox, pool)
    log = MfaLog()
    probe = SignInProbe(
        MfaClient.for_sandbox(sandbox, log=log),
        pool.pool_id,
        pool.client_id,
        passwords={user.username: user.password},
        username=user.username,
    )
    assert probe.demo_password.layout.display == ""
    assert probe.fill_button.layout.display == "none"  # no sandbox given: no code filling
    probe.demo_password.click()
    assert probe.state.password_held
    probe.signin_button.click()
    assert probe.status.message == SIGNED_IN
    probe.close()
    assert probe.tokens is None
