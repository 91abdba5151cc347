"""The table of served operations, walked over the wire, and password reset as Cognito does it."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mfa_widgets.sandbox.cognito.app import HANDLERS
from mfa_widgets.sandbox.cognito.operations import MOTO_REVIEWED, Treatment, table
from mfa_widgets.sandbox.cognito.service_model import operation_names
from tests.service.test_sandbox_wire import error_code, post

ROWS = table(HANDLERS)
NOT_SERVED = {"UnsupportedOperationException", "UnknownOperationException"}


def test_every_cognito_operation_has_exactly_one_row():
    assert [row.operation for row in ROWS] == sorted(operation_names())
    assert set(MOTO_REVIEWED) <= operation_names(), "a reviewed name is not an operation"
    assert set(HANDLERS) <= operation_names(), "a handler is not an operation"
    assert not set(MOTO_REVIEWED) & set(HANDLERS), "an operation is both emulated and moto"


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.operation)
def test_every_row_over_the_wire(sandbox, pool, row):
    status, _, document = post(sandbox.endpoint_url, row.operation, {})
    code = error_code(document)
    assert status < 500, document
    if row.treatment is Treatment.REFUSED:
        assert (status, code) == (400, "UnsupportedOperationException")
        assert row.operation in document["message"]
        assert "not emulated" in document["message"]
    else:
        assert code not in NOT_SERVED, document


def test_forgot_password_in_an_admin_only_pool_is_refused(
    sandbox, cognito, make_pool, make_user, error_of
):
    pool = make_pool(recovery="admin_only")
    user = make_user(pool)
    assert error_of(cognito.forgot_password, ClientId=pool.client_id, Username=user.username) == (
        "NotAuthorizedException",
        "Contact administrator to reset password.",
    )
    assert (
        error_of(
            cognito.confirm_forgot_password,
            ClientId=pool.client_id,
            Username=user.username,
            ConfirmationCode="123456",
            Password="Made-up-Passw0rd!",
        )[0]
        == "CodeMismatchException"
    )
    assert sandbox.sign_in(pool, user.username, user.password)["AccessToken"]


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(made_up=st.text(st.characters(min_codepoint=48, max_codepoint=57), min_size=1, max_size=8))
def test_a_made_up_reset_code_never_resets_the_password(
    sandbox, cognito, make_pool, make_user, error_of, made_up
):
    pool = make_pool(recovery="verified_email")
    user = make_user(pool)
    sent = cognito.forgot_password(ClientId=pool.client_id, Username=user.username)
    assert sent["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    real = sandbox.latest_code(user.username, "EMAIL", pool)
    if made_up == real:
        return
    code, _ = error_of(
        cognito.confirm_forgot_password,
        ClientId=pool.client_id,
        Username=user.username,
        ConfirmationCode=made_up,
        Password="Made-up-Passw0rd!",
    )
    assert code == "CodeMismatchException"
    assert sandbox.sign_in(pool, user.username, user.password)["AccessToken"]


def test_the_sent_reset_code_works_once(sandbox, cognito, make_pool, make_user, error_of):
    pool = make_pool(recovery="verified_phone_number")
    user = make_user(pool)
    cognito.forgot_password(ClientId=pool.client_id, Username=user.username)
    real = sandbox.latest_code(user.username, "SMS", pool)
    reset = {"ClientId": pool.client_id, "Username": user.username, "ConfirmationCode": real}
    cognito.confirm_forgot_password(**reset, Password="New-Passw0rd-1!")
    assert error_of(cognito.confirm_forgot_password, **reset, Password="Other-Passw0rd-2!")[0] == (
        "CodeMismatchException"
    )
    assert sandbox.sign_in(pool, user.username, "New-Passw0rd-1!")["AccessToken"]


def test_reset_codes_expire_after_an_hour(sandbox, cognito, make_pool, make_user, error_of):
    pool = make_pool(recovery="verified_email")
    user = make_user(pool)
    cognito.forgot_password(ClientId=pool.client_id, Username=user.username)
    real = sandbox.latest_code(user.username, "EMAIL", pool)
    sandbox.state.clock.advance(3601)
    assert (
        error_of(
            cognito.confirm_forgot_password,
            ClientId=pool.client_id,
            Username=user.username,
            ConfirmationCode=real,
            Password="New-Passw0rd-1!",
        )[0]
        == "ExpiredCodeException"
    )
