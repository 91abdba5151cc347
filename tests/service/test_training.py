"""The training lab: each check fails before the exercise is solved and passes after.

The solutions below use only the public API a learner uses in ``04-training-lab.ipynb``; the
checks judge the user's state and the challenge the sandbox returns at sign-in.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import mfa_widgets as mw
from mfa_widgets.sandbox import Sandbox
from mfa_widgets.training import EXERCISES, CheckResult, Exercise, Lab, LabError


@pytest.fixture
def lab(sandbox: Sandbox) -> Iterator[Lab]:
    with Lab(sandbox) as running:
        yield running


def _add_email(lab: Lab, task: Exercise) -> None:
    lab.client.call(
        "AdminUpdateUserAttributes",
        UserPoolId=task.pool_id,
        Username=task.username,
        UserAttributes=[
            {"Name": "email", "Value": f"{task.username}@example.com"},
            {"Name": "email_verified", "Value": "true"},
        ],
    ).raise_for_error()


def _register_totp(lab: Lab, number: int) -> str:
    token = lab.access_token(number)
    lab.client.associate_totp(access_token=token).raise_for_error()
    lab.client.verify_totp(lab.authenticator_code(number), access_token=token).raise_for_error()
    return token


@pytest.mark.parametrize("number", sorted(EXERCISES))
def test_a_fresh_exercise_is_not_solved(lab: Lab, number: int) -> None:
    task = lab.exercise(number)
    result = lab.check(number, why="B")
    assert not result.passed
    assert not result
    assert task.username in {"maria", "tom", "dana", "lee"}
    assert "NOT YET" in str(result)


def test_exercise_1_passes_with_two_factors_enabled_and_none_preferred(lab: Lab) -> None:
    task = lab.exercise(1)
    wanted = mw.MfaPreference(sms="enabled", email="enabled")
    lab.client.admin_set_preference(task.pool_id, task.username, wanted).raise_for_error()
    result = lab.check(1)
    assert result.passed, result.message
    assert result.observed == "SELECT_MFA_TYPE"
    assert "SMS_MFA, EMAIL_OTP" in result.message


def test_exercise_1_fails_when_a_factor_is_preferred(lab: Lab) -> None:
    task = lab.exercise(1)
    wanted = mw.MfaPreference(sms="preferred", email="enabled")
    lab.client.admin_set_preference(task.pool_id, task.username, wanted).raise_for_error()
    result = lab.check(1)
    assert not result.passed
    assert result.observed == "SMS_MFA"
    assert "SMS_MFA, not SELECT_MFA_TYPE" in result.message


def test_exercise_2_passes_after_registering_and_preferring_totp(lab: Lab) -> None:
    lab.exercise(2)
    token = _register_totp(lab, 2)
    lab.client.set_preference(token, mw.MfaPreference(totp="preferred")).raise_for_error()
    result = lab.check(2)
    assert result.passed, result.message
    assert result.observed == "SOFTWARE_TOKEN_MFA"


def test_exercise_2_fails_when_totp_is_only_enabled(lab: Lab) -> None:
    lab.exercise(2)
    token = _register_totp(lab, 2)
    lab.client.set_preference(token, mw.MfaPreference(totp="enabled")).raise_for_error()
    result = lab.check(2)
    assert not result.passed
    assert "No factor is preferred yet" in result.message


def test_exercise_3_needs_the_right_reason(lab: Lab) -> None:
    lab.exercise(3)
    assert "Answer the question first" in lab.check(3).message
    assert "'A' is not it" in lab.check(3, why="A").message
    assert lab.sign_in(3).challenge == "SMS_MFA"  # the puzzle itself: no settings, still SMS


def test_exercise_3_passes_with_email_preferred_and_the_phone_kept(lab: Lab) -> None:
    task = lab.exercise(3)
    _add_email(lab, task)
    wanted = mw.MfaPreference(email="preferred")
    lab.client.admin_set_preference(task.pool_id, task.username, wanted).raise_for_error()
    result = lab.check(3, why=" b ")
    assert result.passed, result.message
    assert result.observed == "EMAIL_OTP"


def test_exercise_3_fails_when_the_phone_number_is_removed(lab: Lab) -> None:
    task = lab.exercise(3)
    _add_email(lab, task)
    lab.client.admin_set_preference(
        task.pool_id, task.username, mw.MfaPreference(email="preferred")
    ).raise_for_error()
    lab.client.call(
        "AdminDeleteUserAttributes",
        UserPoolId=task.pool_id,
        Username=task.username,
        UserAttributeNames=["phone_number"],
    ).raise_for_error()
    result = lab.check(3, why="B")
    assert not result.passed
    assert "phone number is gone" in result.message


def test_exercise_4_starts_with_a_registered_authenticator_and_no_set_up_in_the_log(
    lab: Lab,
) -> None:
    task = lab.exercise(4)
    factors = lab.client.admin_get_auth_factors(task.pool_id, task.username)
    assert factors.data["totp_registered"]
    assert lab.sign_in(4).challenge == "SOFTWARE_TOKEN_MFA"
    operations = set(lab.log.frame["operation"].astype(str))
    assert not operations & {"AssociateSoftwareToken", "VerifySoftwareToken"}


def test_exercise_4_passes_after_resetting_the_authenticator(lab: Lab) -> None:
    task = lab.exercise(4)
    lab.client.admin_reset_totp(task.pool_id, task.username).raise_for_error()
    result = lab.check(4)
    assert result.passed, result.message
    assert result.observed == "EMAIL_OTP"


def test_exercise_4_fails_when_totp_is_only_disabled(lab: Lab) -> None:
    task = lab.exercise(4)
    off = mw.MfaPreference(totp="disabled")
    lab.client.admin_set_preference(task.pool_id, task.username, off).raise_for_error()
    result = lab.check(4)
    assert not result.passed
    assert "still registered" in result.message
    # the registered app is still offered, as the rules predict from the auth factors
    prediction, _ = mw.predict_sign_in(lab.client, task.pool_id, task.username)
    assert prediction is not None
    assert result.observed == prediction.challenge != "EMAIL_OTP"


def test_setting_an_exercise_up_again_starts_over(lab: Lab) -> None:
    task = lab.exercise(1)
    wanted = mw.MfaPreference(sms="enabled", email="enabled")
    lab.client.admin_set_preference(task.pool_id, task.username, wanted).raise_for_error()
    assert lab.check(1).passed
    lab.exercise(1)
    assert not lab.check(1).passed


def test_bad_exercise_numbers_say_what_to_do(lab: Lab) -> None:
    with pytest.raises(LabError, match=r"no exercise 9: choose one of \[1, 2, 3, 4\]"):
        lab.exercise(9)
    with pytest.raises(LabError, match=r"run lab.exercise\(2\) first"):
        lab.check(2)


def test_a_lab_without_a_sandbox_starts_and_stops_its_own() -> None:
    lab = Lab()
    assert lab.sandbox.running
    lab.exercise(1)
    lab.close()
    assert not lab.sandbox.running


def test_passwords_and_tokens_stay_out_of_reprs_and_the_log(lab: Lab) -> None:
    task = lab.exercise(2)
    token = _register_totp(lab, 2)
    lab.check(2)
    password = lab._users[2].password
    shown = [repr(lab), str(task), task._repr_html_(), lab.log.frame.to_csv()]
    assert not [text for text in shown if password in text or token in text]


def test_check_results_render_in_plain_words() -> None:
    passed = CheckResult(True, "maria now gets SELECT_MFA_TYPE.", "SELECT_MFA_TYPE")
    failed = CheckResult(False, "Sign-in gives NONE.<b>", "NONE")
    assert str(passed) == "PASSED: maria now gets SELECT_MFA_TYPE."
    assert "✔ PASSED" in passed._repr_html_()
    assert "&lt;b&gt;" in failed._repr_html_()
    assert bool(passed)
    assert not bool(failed)
