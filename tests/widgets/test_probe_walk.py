"""A sign-in walked from the probe's buttons to the client's call and back: one module per layer.

The probe's sign-in and answer buttons are clicked in-process (``Sandbox.in_process_client``)
with a profiler on, and every function of the package that runs is noted. Sign-in logic may run
in one module per layer: the probe (widgets), the conversation (services.client.signin), the
rules (core.signin, a package) and the sandbox's machine (sandbox.cognito.signin, a package).
Everything else that runs is plumbing every call shares; of the client façade only its plumbing
may run (its sign-in methods are gone to the conversation).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import pytest

from mfa_widgets.core.preferences import MfaPreference
from mfa_widgets.sandbox import Sandbox, SandboxPool
from mfa_widgets.services.client import MfaClient
from mfa_widgets.services.log import MfaLog
from mfa_widgets.widgets.probe import SIGNED_IN, SignInProbe

#: The one module (or package) of each layer where sign-in logic lives.
SIGN_IN_HOMES = {
    "widgets": ("mfa_widgets.widgets.probe",),
    # audit.predict_sign_in reads the pool and the user for the probe's prediction (sign-in
    # button only): the one sign-in function outside the conversation, left in the audit because
    # it needs the client façade, which the conversation's module must not import (no cycles).
    "services": ("mfa_widgets.services.client.signin", "mfa_widgets.services.audit"),
    "core": ("mfa_widgets.core.signin",),
}
#: Modules every call or panel shares (not sign-in logic), per layer.
SHARED = {
    "widgets": (
        "mfa_widgets.widgets._common",
        "mfa_widgets.widgets.clicks",
        "mfa_widgets.widgets.markup",
        "mfa_widgets.widgets.secret_box",
        "mfa_widgets.widgets.state",
        "mfa_widgets.widgets.theme",
    ),
    "services": (
        "mfa_widgets.services.call_trace",
        "mfa_widgets.services.client.checks",
        "mfa_widgets.services.client.mfa_client",
        "mfa_widgets.services.client.responses",
        "mfa_widgets.services.client.translate",
        "mfa_widgets.services.log",
    ),
    "core": (
        "mfa_widgets.core.errors",
        "mfa_widgets.core.signin.labels",
        "mfa_widgets.core.loopback",
        "mfa_widgets.core.outcomes",
        "mfa_widgets.core.preferences",
        "mfa_widgets.core.redaction",
        "mfa_widgets.core.results",
        "mfa_widgets.core.string_enum",
        "mfa_widgets.core.tokens",
        "mfa_widgets.core.totp",
        "mfa_widgets.core.validation",
    ),
}
#: What of the client façade a sign-in may use: sending, logging, refusing bad arguments, and
#: the reads the probe's prediction needs (the pool's configuration and the user's facts).
FACADE_PLUMBING = frozenset(
    {
        "_append_to_log",
        "_call",
        "_check_token",
        "_client",
        "_finish",
        "_read_user",
        "_refusing",
        "_send",
        "admin_get_auth_factors",
        "admin_get_preference",
        "backend",
        "get_pool_config",
        "sign_in",
        "<genexpr>",
    }
)


def _walk(click: Callable[[], Any]) -> set[tuple[str, str]]:
    """The (module, function) pairs of the package that run during ``click()``."""
    seen: set[tuple[str, str]] = set()

    def note(frame: Any, event: str, _arg: Any) -> None:
        if event == "call":
            module = frame.f_globals.get("__name__", "")
            if module.startswith("mfa_widgets."):
                seen.add((module, frame.f_code.co_name))

    sys.setprofile(note)  # this thread only: an in-process click runs in it, start to end
    try:
        click()
    finally:
        sys.setprofile(None)
    return seen


def _within(module: str, homes: tuple[str, ...]) -> bool:
    return any(module == home or module.startswith(home + ".") for home in homes)


@pytest.fixture
def walked(sandbox: Sandbox) -> dict[str, set[tuple[str, str]]]:
    pool: SandboxPool = sandbox.create_pool(name="walk", mfa="ON", factors=("SMS",))
    user = sandbox.create_user(pool, "walker", phone="+15555550123")
    admin = MfaClient.for_sandbox(sandbox, in_process=True)
    admin.admin_set_preference(pool.pool_id, user.username, MfaPreference(sms="preferred"))
    client = MfaClient.for_sandbox(sandbox, MfaLog(), in_process=True)
    probe = SignInProbe(client, pool.pool_id, pool.client_id, sandbox=sandbox)
    probe.state.username = user.username
    probe.password.value = user.password
    sign_in = _walk(probe.signin_button.click)
    probe.code.value = sandbox.latest_code(user.username, "SMS", pool=pool)
    answer = _walk(probe.answer_button.click)
    assert probe.status.message == SIGNED_IN
    probe.close()
    return {"sign-in button": sign_in, "answer button": answer}


@pytest.mark.parametrize("layer", sorted(SIGN_IN_HOMES))
def test_sign_in_logic_runs_in_one_module_of_the_layer(
    walked: dict[str, set[tuple[str, str]]], layer: str
) -> None:
    prefix = f"mfa_widgets.{layer}."
    for button, seen in walked.items():
        modules = {module for module, _ in seen if module.startswith(prefix)}
        homes = (*SIGN_IN_HOMES[layer], *SHARED[layer])
        strays = {module for module in modules if not _within(module, homes)}
        assert strays == set(), button


def test_of_the_client_facade_only_its_plumbing_runs(
    walked: dict[str, set[tuple[str, str]]],
) -> None:
    for button, seen in walked.items():
        used = {f for module, f in seen if module == "mfa_widgets.services.client.mfa_client"}
        assert used <= FACADE_PLUMBING, (button, used - FACADE_PLUMBING)


def test_the_sign_in_homes_do_run(walked: dict[str, set[tuple[str, str]]]) -> None:
    sign_in = {module for module, _ in walked["sign-in button"]}
    answer = {module for module, _ in walked["answer button"]}
    assert "mfa_widgets.widgets.probe" in sign_in & answer
    assert "mfa_widgets.services.client.signin" in sign_in & answer
    assert any(module.startswith("mfa_widgets.core.signin.") for module in sign_in)
    assert any(module.startswith("mfa_widgets.sandbox.cognito.signin.") for module in answer)
