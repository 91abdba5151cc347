"""Every action button is safe to double-click and to click during a call (issue 13 #3).

A browser sends both clicks of a double-click before the kernel has answered the first, so the
kernel runs them one after the other; a click during a call is the same. Each test presses a
button twice (or once more from inside the call it started) against the real sandbox and checks
that the call was made once and the result of the first press is still on show.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

from mfa_widgets.core.preferences import Factor, MfaPreference
from mfa_widgets.sandbox import Sandbox, SandboxPool, SandboxUser
from mfa_widgets.services.client import MfaClient, signin
from mfa_widgets.services.log import MfaLog
from mfa_widgets.widgets.preference_panel import PreferencePanel
from mfa_widgets.widgets.probe import SIGNED_IN, SignInProbe
from mfa_widgets.widgets.state import ProbeStage, TotpStage
from mfa_widgets.widgets.totp import TotpEnrollmentPanel

if TYPE_CHECKING:
    from conftest import User

_names = itertools.count()


def calls(log: MfaLog, operation: str) -> int:
    return int((log.frame["operation"] == operation).sum())


def probe_for(
    sandbox: Sandbox, pool: SandboxPool, preference: MfaPreference | None, **attributes: Any
) -> tuple[SignInProbe, MfaLog, SandboxUser]:
    user = sandbox.create_user(pool, f"dbl{next(_names)}", **attributes)
    if preference is not None:
        MfaClient.for_sandbox(sandbox).admin_set_preference(
            pool.pool_id, user.username, preference
        ).raise_for_error()
    log = MfaLog()
    client = MfaClient.for_sandbox(sandbox, log=log)
    probe = SignInProbe(client, pool.pool_id, pool.client_id, sandbox=sandbox)
    probe.state.username = user.username
    probe.password.value = user.password
    return probe, log, user


def click_again_during(
    monkeypatch: pytest.MonkeyPatch, owner: Any, method: str, button: Any
) -> list[int]:
    """Make ``owner.method`` press ``button`` again while it runs; returns the call counter."""
    real = getattr(owner, method)
    count = [0]

    def during(*args: Any, **kwargs: Any) -> Any:
        count[0] += 1
        button.click()  # the impatient second click, while the first call is in flight
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, method, during)
    return count


@pytest.fixture
def email_probe(sandbox: Sandbox, pool: SandboxPool) -> tuple[SignInProbe, MfaLog, SandboxUser]:
    return probe_for(sandbox, pool, MfaPreference(email="preferred"), email="d@example.com")


def test_double_click_on_sign_in_keeps_the_challenge(
    email_probe: tuple[SignInProbe, MfaLog, SandboxUser],
) -> None:
    probe, log, _user = email_probe
    probe.signin_button.click()
    attempt = probe.attempt
    message = probe.status.message
    probe.signin_button.click()
    assert probe.attempt is attempt is not None
    assert probe.state.stage == ProbeStage.CHALLENGED
    assert probe.state.observed == "EMAIL_OTP"
    assert probe.status.message == message
    assert calls(log, "InitiateAuth") == 1


def test_click_on_sign_in_during_the_call_is_ignored(
    email_probe: tuple[SignInProbe, MfaLog, SandboxUser], monkeypatch: pytest.MonkeyPatch
) -> None:
    probe, log, _user = email_probe
    count = click_again_during(monkeypatch, probe.client, "sign_in", probe.signin_button)
    probe.signin_button.click()
    assert count == [1]
    assert probe.state.observed == "EMAIL_OTP"
    assert calls(log, "InitiateAuth") == 1


@pytest.mark.parametrize("wrong", [False, True])
def test_double_click_on_answer_keeps_the_result(
    sandbox: Sandbox,
    pool: SandboxPool,
    email_probe: tuple[SignInProbe, MfaLog, SandboxUser],
    wrong: bool,
) -> None:
    probe, log, user = email_probe
    probe.signin_button.click()
    code = sandbox.latest_code(user.username, "EMAIL", pool=pool)
    probe.code.value = str((int(code) + 1) % 1_000_000).zfill(6) if wrong else code
    probe.answer_button.click()
    message, kind = probe.status.message, probe.status.kind
    probe.answer_button.click()
    assert (probe.status.message, probe.status.kind) == (message, kind)
    assert calls(log, "RespondToAuthChallenge") == 1
    if wrong:
        assert "wrong code" in probe.verdict.value
        assert probe.state.stage == ProbeStage.CHALLENGED
    else:
        assert message == SIGNED_IN


def test_double_click_on_choose_keeps_the_chosen_factors_challenge(
    sandbox: Sandbox, pool: SandboxPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    probe, log, _user = probe_for(
        sandbox,
        pool,
        MfaPreference(sms="enabled", email="enabled"),
        phone="+15555550122",
        email="c@example.com",
    )
    probe.signin_button.click()
    assert probe.state.observed == "SELECT_MFA_TYPE"
    probe.factor_choice.value = "EMAIL_OTP"
    # the step that answers SELECT_MFA_TYPE (the sign-in conversation's, services.client.signin)
    count = click_again_during(monkeypatch, signin, "_answer_mfa", probe.choose_button)
    probe.choose_button.click()
    message = probe.status.message
    probe.choose_button.click()
    assert count == [1]
    assert probe.state.observed == "EMAIL_OTP"
    assert probe.status.message == message
    assert calls(log, "RespondToAuthChallenge") == 1


def test_double_click_on_set_up_and_verify_in_the_probe(sandbox: Sandbox) -> None:
    on_pool = sandbox.create_pool(name="dbl-on", mfa="ON", factors=("TOTP",))
    probe, log, _user = probe_for(sandbox, on_pool, None)
    probe.signin_button.click()
    assert probe.state.observed == "MFA_SETUP"
    probe.setup_button.click()
    enrollment = probe._enrollment
    probe.setup_button.click()
    assert probe._enrollment is enrollment is not None
    assert calls(log, "AssociateSoftwareToken") == 1
    probe.fill_button.click()
    probe.verify_button.click()
    probe.verify_button.click()
    assert probe.status.message == SIGNED_IN
    assert calls(log, "VerifySoftwareToken") == 1


def test_double_click_on_apply_keeps_applied(user: User, monkeypatch: pytest.MonkeyPatch) -> None:
    panel = PreferencePanel(user.token_target())
    panel.rows[Factor.SMS].enabled.value = True
    count = click_again_during(monkeypatch, user.client, "set_preference", panel.apply_button)
    panel.apply_button.click()
    message = panel.status.message
    assert message.startswith("Applied")
    panel.apply_button.click()
    assert panel.status.message == message
    assert count == [1]
    assert calls(user.log, "SetUserMFAPreference") == 1


def test_double_click_on_associate_and_verify_in_the_totp_panel(
    sandbox: Sandbox, user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    verified: list[bool] = []
    panel = TotpEnrollmentPanel(
        user.token_target(), sandbox=sandbox, on_verified=lambda: verified.append(True)
    )
    count: Callable[[], int] = lambda: calls(user.log, "AssociateSoftwareToken")  # noqa: E731
    panel.associate_button.click()
    secret = panel._enrollment.secret if panel._enrollment else ""
    panel.associate_button.click()
    assert panel._enrollment is not None
    assert panel._enrollment.secret == secret  # the QR code being scanned stays valid
    assert count() == 1
    panel.fill_button.click()
    during = click_again_during(monkeypatch, user.client, "verify_totp", panel.verify_button)
    panel.verify_button.click()
    message = panel.status.message
    panel.verify_button.click()
    assert during == [1]
    assert panel.state.stage == TotpStage.VERIFIED
    assert panel.status.message == message
    assert verified == [True]
