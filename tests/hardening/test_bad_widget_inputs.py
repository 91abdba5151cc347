"""The bad-input catalog, widget side: a person clicks and types the wrong thing.

One row per bad input, driven through the widgets' own controls (values and ``Button.click()``,
as the browser sends them) against a real sandbox. For every row:

* the panel's status line names the problem and the fix (the row's words), in the error colour;
* where a call reached Cognito, the log's last row is that error;
* no secret (password, token, code, TOTP secret) is in the status line or the synced widget state;
* the widget stays usable: the row's recovery step, done right, then succeeds.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from mfa_widgets import MfaClient, MfaLog, MfaPreference
from mfa_widgets.sandbox import Sandbox, SandboxPool, SandboxUser
from mfa_widgets.widgets import (
    AdminPanel,
    ConnectionPanel,
    PreferencePanel,
    SignInProbe,
    TokenTarget,
    TotpEnrollmentPanel,
)
from mfa_widgets.widgets._common import iter_widgets
from tests.leakscan import find_leaks

_names = itertools.count()


@dataclass
class Scene:
    """One user, a logged client, and the secrets a row used (for the leak check)."""

    sandbox: Sandbox
    pool: SandboxPool
    user: SandboxUser
    client: MfaClient
    log: MfaLog
    token: str = field(repr=False)
    used: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class WidgetCase:
    """Do the wrong thing (returns the panel), words the status must hold, then recover."""

    name: str
    act: Callable[[Scene], Any]
    words: tuple[str, ...]
    recover: Callable[[Scene, Any], bool]
    logged: bool = True


@pytest.fixture(scope="module")
def pool(sandbox: Sandbox) -> SandboxPool:
    return sandbox.create_pool(name="bad-widget-inputs", mfa="OPTIONAL")


@pytest.fixture
def scene(sandbox: Sandbox, pool: SandboxPool) -> Scene:
    user = sandbox.create_user(
        pool, f"w{next(_names)}", phone="+15555550100", email="w@example.com"
    )
    log = MfaLog()
    token = sandbox.issue_token(pool, user.username)
    return Scene(
        sandbox, pool, user, MfaClient.for_sandbox(sandbox, log=log, in_process=True), log, token
    )


# -- the rows ------------------------------------------------------------------------------------


class _NoFactorsTarget(TokenTarget):
    """A target that cannot read auth factors, so the panel cannot know about registration."""

    read_factors = None  # type: ignore[assignment]


def _totp_before_registration(scene: Scene) -> PreferencePanel:
    # With the factors read, the panel does not offer TOTP at all (tests/widgets); without it,
    # only Cognito can refuse, and the refusal must be explained.
    panel = PreferencePanel(_NoFactorsTarget(scene.client, scene.token))
    panel.rows[_factor("TOTP")].enabled.value = True
    panel.apply_button.click()
    return panel


def _fix_by_choosing_sms(scene: Scene, panel: PreferencePanel) -> bool:
    panel.rows[_factor("TOTP")].enabled.value = False
    panel.rows[_factor("SMS")].enabled.value = True
    panel.rows[_factor("SMS")].preferred.value = True
    panel.apply_button.click()
    return panel.status.kind == "ok" and panel.state.preferred == _factor("SMS")


def _pasted(token: Callable[[Scene], str]) -> Callable[[Scene], ConnectionPanel]:
    def act(scene: Scene) -> ConnectionPanel:
        pasted = token(scene)
        scene.used.append(pasted)
        panel = ConnectionPanel(scene.sandbox, log=scene.log)
        panel.token_box.value = pasted  # what pressing Enter in the box sends
        return panel

    return act


def _then_a_good_token(scene: Scene, panel: ConnectionPanel) -> bool:
    panel.token_box.value = scene.token
    return panel.access_token == scene.token and not panel.state.token_findings


def _wrong_password(scene: Scene) -> SignInProbe:
    probe = SignInProbe(scene.client, scene.pool.pool_id, scene.pool.client_id)
    wrong = "Not-the-passw0rd!"
    scene.used.append(wrong)
    probe.username.value = scene.user.username
    probe.password.value = wrong
    probe.signin_button.click()
    return probe


def _then_the_right_password(scene: Scene, probe: SignInProbe) -> bool:
    probe.username.value = scene.user.username
    probe.password.value = scene.user.password
    probe.signin_button.click()
    return probe.tokens is not None


def _wrong_sms_code(scene: Scene) -> SignInProbe:
    scene.client.admin_set_preference(
        scene.pool.pool_id, scene.user.username, MfaPreference(sms="preferred")
    ).raise_for_error()
    probe = SignInProbe(
        scene.client, scene.pool.pool_id, scene.pool.client_id, sandbox=scene.sandbox
    )
    probe.username.value = scene.user.username
    probe.password.value = scene.user.password
    probe.signin_button.click()
    right = scene.sandbox.latest_code(scene.user.username, "SMS")
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    scene.used += [right, wrong]
    probe.code.value = wrong
    probe.answer_button.click()
    return probe


def _then_the_delivered_code(scene: Scene, probe: SignInProbe) -> bool:
    probe.fill_button.click()
    probe.answer_button.click()
    return probe.tokens is not None


def _wrong_authenticator_code(scene: Scene) -> TotpEnrollmentPanel:
    panel = TotpEnrollmentPanel(TokenTarget(scene.client, scene.token), sandbox=scene.sandbox)
    panel.associate_button.click()
    right = scene.sandbox.totp_code(scene.pool, scene.user.username)
    wrong = f"{(int(right) + 500_000) % 1_000_000:06d}"
    scene.used += [right, wrong]
    panel.code.value = wrong
    panel.verify_button.click()
    return panel


def _then_the_current_code(scene: Scene, panel: TotpEnrollmentPanel) -> bool:
    panel.fill_current_code()
    panel.verify_button.click()
    return panel.state.stage == "verified"


def _unknown_user(scene: Scene) -> AdminPanel:
    panel = AdminPanel(scene.client, user_pool_id=scene.pool.pool_id)
    panel.username_box.value = "nobody-by-this-name"
    panel.open_button.click()
    return panel


def _then_a_real_user(scene: Scene, panel: AdminPanel) -> bool:
    panel.username_box.value = scene.user.username
    panel.open_button.click()
    return panel.status.kind != "error" and panel.preferences is not None


def _empty_username(scene: Scene) -> SignInProbe:
    probe = SignInProbe(scene.client, scene.pool.pool_id, scene.pool.client_id)
    probe.password.value = scene.user.password
    probe.signin_button.click()
    return probe


def _factor(name: str) -> Any:
    from mfa_widgets import Factor

    return Factor.parse(name)


def _expired(scene: Scene) -> str:
    return scene.sandbox.issue_token(scene.pool, scene.user.username, expires_in=-90)


def _scopeless(scene: Scene) -> str:
    return scene.sandbox.issue_token(scene.pool, scene.user.username, scope=None)


CASES = [
    WidgetCase(
        "preference panel: TOTP enabled before an authenticator is registered",
        _totp_before_registration,
        ("software token", "no authenticator app is registered"),
        _fix_by_choosing_sms,
    ),
    WidgetCase(
        "connection panel: an expired access token",
        _pasted(_expired),
        ("expired", "sign in again"),
        _then_a_good_token,
        logged=False,
    ),
    WidgetCase(
        "connection panel: a token without the admin scope",
        _pasted(_scopeless),
        ("aws.cognito.signin.user.admin",),
        _then_a_good_token,
        logged=False,
    ),
    WidgetCase(
        "connection panel: text that is not a token at all",
        _pasted(lambda scene: "this is not a token " + str(time.time_ns())),
        ("jwt",),
        _then_a_good_token,
        logged=False,
    ),
    WidgetCase(
        "sign-in probe: a wrong password",
        _wrong_password,
        ("NotAuthorizedException", "password"),
        _then_the_right_password,
    ),
    WidgetCase(
        "sign-in probe: a wrong SMS code",
        _wrong_sms_code,
        ("CodeMismatchException", "code"),
        _then_the_delivered_code,
    ),
    WidgetCase(
        "sign-in probe: no username typed",
        _empty_username,
        ("username",),
        _then_the_right_password,
        logged=False,
    ),
    WidgetCase(
        "TOTP enrollment: a wrong authenticator code",
        _wrong_authenticator_code,
        ("code",),
        _then_the_current_code,
    ),
    WidgetCase(
        "admin panel: a user who does not exist",
        _unknown_user,
        ("UserNotFoundException", "username"),
        _then_a_real_user,
    ),
]


def _status_text(panel: Any) -> str:
    status = panel.status
    if isinstance(panel, ConnectionPanel):
        return " ".join([status.message, *panel.state.token_findings])
    return str(status.message)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_widget_input_is_explained_and_the_widget_recovers(
    case: WidgetCase, scene: Scene
) -> None:
    panel = case.act(scene)
    try:
        answer = _status_text(panel)
        for word in case.words:
            assert word.lower() in answer.lower(), f"{word!r} missing from: {answer}"
        if not isinstance(panel, ConnectionPanel):
            assert panel.status.kind == "error", answer
        if case.logged:
            last = scene.log.events[-1]
            assert last.outcome == "error", last
        synced = json.dumps([w.get_state() for w in iter_widgets(panel.widget)], default=repr)
        secrets = [*scene.used, scene.user.password, scene.token, *scene.sandbox.issued_secrets()]
        assert find_leaks([answer, synced, scene.log.frame.to_csv()], secrets) == []
        assert case.recover(scene, panel), _status_text(panel)
    finally:
        panel.close()
