"""MfaClient's SRP sign-in (PASSWORD_SRP, PASSWORD_VERIFIER) on a real sandbox: results, log."""

from __future__ import annotations

from collections.abc import Callable

from mfa_widgets import MfaClient, MfaLog, MfaPreference
from mfa_widgets.sandbox import Sandbox, SandboxPool, SandboxUser
from mfa_widgets.services.srp import SrpProof
from tests.leakscan import find_leaks
from tests.service.shapes import enable_choice_sign_in


def test_password_srp_signs_in_through_the_client_and_logs_no_secret(
    sandbox: Sandbox,
    make_pool: Callable[..., SandboxPool],
    make_user: Callable[..., SandboxUser],
) -> None:
    pool = make_pool(mfa="OPTIONAL", factors=("SMS", "TOTP"))
    enable_choice_sign_in(sandbox.in_process_client(), pool, ["PASSWORD", "EMAIL_OTP"])
    user = make_user(pool)
    log = MfaLog()
    client = MfaClient.for_sandbox(sandbox, log=log, in_process=True)
    client.admin_set_preference(
        pool.pool_id, user.username, MfaPreference(sms="preferred")
    ).raise_for_error()
    proof = SrpProof(pool.pool_id, pool.client_id, user.username, user.password)
    started = client.sign_in(
        pool.client_id, user.username, flow="choice", preferred="PASSWORD_SRP", srp=proof
    )
    assert started.challenge == "PASSWORD_VERIFIER", started.error
    assert {"SALT", "SRP_B", "SECRET_BLOCK"} <= set(started.srp_parameters)
    assert "SRP_B" not in repr(started)
    answered = started.answer(proof)
    assert answered.challenge == "SMS_MFA", answered.error
    rows = log.frame[log.frame["operation"].isin(["InitiateAuth", "RespondToAuthChallenge"])]
    assert list(rows["first_factor"]) == ["PASSWORD_SRP", "PASSWORD_SRP"]
    assert list(rows["observed_challenge"]) == ["PASSWORD_VERIFIER", "SMS_MFA"]
    # A proof of another password: a result with the error, a log row, the secret nowhere.
    wrong = SrpProof(pool.pool_id, pool.client_id, user.username, user.password + "!")
    retry = client.sign_in(
        pool.client_id, user.username, flow="choice", preferred="PASSWORD_SRP", srp=wrong
    )
    refused = retry.answer(wrong)
    assert refused.error is not None
    assert refused.error.code == "NotAuthorizedException"
    assert log.events[-1].error_code == "NotAuthorizedException"
    # Not an SRP challenge: explained, nothing sent.
    before = len(log)
    odd = answered.answer(proof)
    assert odd.error is not None
    assert "not an SRP challenge" in odd.error.message
    assert "step.answer(code)" in str(odd.error)  # the hint says what to use instead
    assert len(log) == before
    texts = [log.frame.to_csv(), repr(started), repr(answered), repr(refused), repr(proof)]
    assert find_leaks(texts, [user.password, user.password + "!", started.session]) == []
