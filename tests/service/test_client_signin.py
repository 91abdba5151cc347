"""One sign-in conversation: ``MfaClient.sign_in`` returns a ``SignIn`` for every flow.

Each flow is walked to its tokens through the step's own ``answer``/``choose``/``set_up``; the old
method names still work for one release and say what replaces them.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from mfa_widgets import MfaClient, MfaLog, MfaPreference, SignIn
from mfa_widgets.core.errors import ArgumentTypeError, InvalidArgumentError
from mfa_widgets.sandbox import Sandbox, SandboxPool, SandboxUser
from mfa_widgets.services.srp import SrpProof
from tests.service.shapes import enable_choice_sign_in


@pytest.fixture
def user(pool: SandboxPool, make_user: Callable[..., SandboxUser]) -> SandboxUser:
    return make_user(pool)


@pytest.fixture
def choice_pool(sandbox: Sandbox, make_pool: Callable[..., SandboxPool]) -> SandboxPool:
    pool = make_pool(mfa="OPTIONAL", factors=("SMS", "TOTP", "EMAIL"))
    enable_choice_sign_in(sandbox.in_process_client(), pool, ["PASSWORD", "EMAIL_OTP"])
    return pool


def test_every_flow_is_one_conversation_to_the_tokens(
    sandbox: Sandbox, choice_pool: SandboxPool, make_user: Callable[..., SandboxUser]
) -> None:
    user = make_user(choice_pool)
    client = MfaClient.for_sandbox(sandbox, log=MfaLog(), in_process=True)
    client.admin_set_preference(
        choice_pool.pool_id, user.username, MfaPreference(sms="preferred")
    ).raise_for_error()

    def code() -> str:
        return sandbox.latest_code(user.username, "SMS", choice_pool)

    password = client.sign_in(choice_pool.client_id, user.username, user.password)
    assert isinstance(password, SignIn)
    assert password.challenge == "SMS_MFA"
    assert password.answer(code()).signed_in

    proof = SrpProof(choice_pool.pool_id, choice_pool.client_id, user.username, user.password)
    srp = client.sign_in(choice_pool.client_id, user.username, srp=proof)
    assert srp.challenge == "PASSWORD_VERIFIER", srp.error
    verified = srp.answer(proof)
    assert verified.challenge == "SMS_MFA", verified.error
    assert verified.answer(code()).signed_in

    choice = client.sign_in(choice_pool.client_id, user.username, flow="choice")
    assert choice.challenge == "SELECT_CHALLENGE"
    chosen = choice.choose("PASSWORD", password=user.password)
    assert chosen.challenge == "SMS_MFA", chosen.error
    done = chosen.answer(code())
    assert done.signed_in
    assert isinstance(done, SignIn)


def test_a_step_is_never_changed_so_a_second_answer_is_refused(
    sandbox: Sandbox, client: MfaClient, pool: SandboxPool, user: SandboxUser
) -> None:
    client.admin_set_preference(
        pool.pool_id, user.username, MfaPreference(sms="preferred")
    ).raise_for_error()
    step = client.sign_in(pool.client_id, user.username, user.password)
    code = sandbox.latest_code(user.username, "SMS")
    assert step.answer(code).signed_in
    assert step.challenge == "SMS_MFA"  # the step itself is as it was
    again = step.answer(code)
    assert again.error is not None  # Cognito refuses a spent session


def test_bad_flows_and_answers_are_one_line_errors(
    client: MfaClient, pool: SandboxPool, user: SandboxUser
) -> None:
    with pytest.raises(InvalidArgumentError, match=r"flow 'magic' .*is not a sign-in flow"):
        client.sign_in(pool.client_id, user.username, user.password, flow="magic")
    step = client.sign_in(pool.client_id, user.username, user.password)
    assert step.signed_in  # no MFA: tokens at once
    lone = SignIn(user.username, "InitiateAuth", 0.0, challenge="SMS_MFA")
    with pytest.raises(InvalidArgumentError, match="no client"):
        lone.answer("123456")
    verifier = SignIn(
        user.username, "InitiateAuth", 0.0, challenge="PASSWORD_VERIFIER", client=client
    )
    with pytest.raises(ArgumentTypeError, match="SrpProof"):
        verifier.answer("123456")


def test_the_old_names_warn_and_still_answer(
    sandbox: Sandbox, choice_pool: SandboxPool, make_user: Callable[..., SandboxUser]
) -> None:
    user = make_user(choice_pool)
    client = MfaClient.for_sandbox(sandbox, in_process=True)
    with pytest.warns(DeprecationWarning, match=r"sign_in\(client_id, username, flow=\"choice\""):
        first = client.sign_in_choice(choice_pool.client_id, user.username)
    with pytest.warns(DeprecationWarning, match=r"step.choose\(factor\)"):
        emailed = client.select_challenge(first, "EMAIL_OTP")
    with pytest.warns(DeprecationWarning, match=r"step.answer\(code\)"):
        done = client.answer_code(emailed, sandbox.latest_code(user.username, "EMAIL", choice_pool))
    assert done.signed_in
    client.admin_set_preference(
        choice_pool.pool_id, user.username, MfaPreference(sms="preferred")
    ).raise_for_error()
    step = client.sign_in(choice_pool.client_id, user.username, user.password)
    with pytest.warns(DeprecationWarning, match=r"step.answer\(answer\)"):
        done = client.answer_challenge(step, sandbox.latest_code(user.username, "SMS", choice_pool))
    assert done.signed_in
