"""The connection panel: backends, the token held in kernel memory only, token findings."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from mfa_widgets.core.redaction import redact_token
from mfa_widgets.sandbox import Sandbox
from mfa_widgets.widgets._common import iter_widgets
from mfa_widgets.widgets.connection import TOKEN_RECEIVED, ConnectionPanel
from mfa_widgets.widgets.preference_panel import PreferencePanel
from mfa_widgets.widgets.state import Backend

if TYPE_CHECKING:
    from conftest import User


def test_a_typed_token_moves_to_kernel_memory_and_leaves_the_synced_state(
    sandbox: Sandbox, user: User, synced_state: Callable[[Any], str]
) -> None:
    panel = ConnectionPanel(sandbox)
    panel.token_box.value = user.token  # what the browser syncs on Enter / blur
    assert panel.token_box.value == ""
    assert panel.token_box.placeholder == TOKEN_RECEIVED
    assert panel.access_token == user.token
    assert user.token not in json.dumps(panel.token_box.get_state(), default=repr)
    assert user.token not in synced_state(panel.widget)
    assert not any(user.token in str(v) for v in panel.state.trait_values().values())
    assert redact_token(user.token) in panel.token_status.value
    assert "The token looks usable" in panel.token_status.value
    assert "mfa-token-ok" in panel.token_status._dom_classes


def test_the_password_box_syncs_only_on_enter_or_blur(sandbox: Sandbox) -> None:
    panel = ConnectionPanel(sandbox)
    assert panel.token_box.continuous_update is False
    assert type(panel.token_box).__name__ == "Password"


def test_a_token_handed_in_programmatically_drives_a_preference_panel(
    sandbox: Sandbox, user: User
) -> None:
    connection = ConnectionPanel(sandbox, log=user.log)
    info = connection.use_token(user.token)
    assert info.ok
    assert info.username == user.username
    panel = PreferencePanel(connection.token_target())
    assert panel.state.loaded is not None
    assert panel.status.kind == "info"
    (title,) = [w for w in iter_widgets(panel.widget) if "mfa-header" in w._dom_classes]
    assert user.username in title.value
    assert any(e.operation == "GetUser" for e in user.log.events)


def test_token_findings_are_shown_in_plain_words(
    sandbox: Sandbox, user: User, synced_state: Callable[[Any], str]
) -> None:
    panel = ConnectionPanel(sandbox)
    expired = sandbox.issue_token(user.pool, user.username, expires_in=-120)
    panel.use_token(expired)
    assert any("expired" in f for f in panel.state.token_findings)
    assert "mfa-token-problem" in panel.token_status._dom_classes
    assert expired not in panel.token_status.value

    no_scope = sandbox.issue_token(user.pool, user.username, scope=None)
    panel.use_token(no_scope)
    assert any("aws.cognito.signin.user.admin" in f for f in panel.state.token_findings)

    panel.use_token("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    assert any("TOTP secret" in f for f in panel.state.token_findings)
    assert "JBSWY3DPEHPK3PXP" not in synced_state(panel.widget)

    panel.forget_token()
    assert panel.state.token_findings == ()
    assert "No access token yet" in panel.token_status.value


def test_a_region_mismatch_is_reported_for_real_cognito(sandbox: Sandbox, user: User) -> None:
    panel = ConnectionPanel(backend=Backend.COGNITO, region="eu-west-1")
    panel.use_token(user.token)  # issued by a pool in us-east-1
    assert any(
        "issued in us-east-1" in f and "uses eu-west-1" in f for f in panel.state.token_findings
    )
    panel.state.region = "us-east-1"
    assert panel.state.token_findings == ()


def test_the_sandbox_backend_produces_a_sandbox_client(sandbox: Sandbox) -> None:
    panel = ConnectionPanel(sandbox)
    panel.connect()
    assert panel.client.backend == "sandbox"
    assert panel.status.kind == "ok"
    assert "sandbox" in panel.status.message


def test_a_sandbox_the_panel_started_is_stopped_when_it_closes(user: User) -> None:
    panel = ConnectionPanel()
    panel.use_token(user.token)
    panel.connect()
    started = panel.sandbox
    assert started is not None
    assert started.running
    assert panel.client.backend == "sandbox"
    panel.close()
    assert not started.running
    assert panel.access_token == ""


def test_closing_leaves_a_sandbox_it_was_given_running(sandbox: Sandbox) -> None:
    panel = ConnectionPanel(sandbox)
    panel.connect()
    panel.close()
    assert sandbox.running


def test_real_cognito_fields_show_only_for_that_backend(sandbox: Sandbox) -> None:
    panel = ConnectionPanel(sandbox)
    fields = next(
        w
        for w in iter_widgets(panel.widget)
        if any("mfa-region" in c._dom_classes for c in getattr(w, "children", ()))
    )
    assert fields.layout.display == "none"
    panel.state.backend = Backend.COGNITO
    assert fields.layout.display == ""


def test_real_cognito_settings_build_a_client_for_that_endpoint(
    sandbox: Sandbox, user: User
) -> None:
    # "Real Cognito" pointed at the loopback sandbox: token calls are unsigned, so this is the
    # exact path a real pool takes, without leaving 127.0.0.1.
    panel = ConnectionPanel(
        backend=Backend.COGNITO, region=sandbox.region, endpoint_url=sandbox.endpoint_url
    )
    # the log labels an endpoint by the host and port calls really go to
    host_port = sandbox.endpoint_url.removeprefix("http://")
    assert panel.client.backend == f"endpoint:{host_port}"
    panel.use_token(user.token)
    result = panel.token_target().read()
    assert result.ok, result.error


def test_changing_the_backend_settings_makes_a_new_client(sandbox: Sandbox) -> None:
    panel = ConnectionPanel(sandbox)
    first = panel.client
    assert panel.client is first
    panel.state.backend = Backend.COGNITO
    panel.state.region = sandbox.region
    panel.state.endpoint_url = sandbox.endpoint_url
    assert panel.client is not first


def test_a_bad_profile_is_an_error_in_plain_words_and_the_panel_stays_usable(
    sandbox: Sandbox,
) -> None:
    panel = ConnectionPanel(sandbox, backend=Backend.COGNITO, profile="no-such-profile-here")
    panel.connect()
    assert panel.status.kind == "error"
    assert "no-such-profile-here" in panel.status.message
    assert "aws configure list-profiles" in panel.status.message
    assert panel.status.busy is False
    panel.state.backend = Backend.SANDBOX
    panel.connect()
    assert panel.status.kind == "ok"


def test_controls_have_names_and_classes(sandbox: Sandbox) -> None:
    panel = ConnectionPanel(sandbox)
    classes = {c for w in iter_widgets(panel.widget) for c in w._dom_classes}
    assert {"mfa-backend", "mfa-token", "mfa-token-status", "mfa-connect", "mfa-status"} <= classes
    assert panel.token_box.description == "Access token"
