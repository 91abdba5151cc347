"""Issue 12, second half: the Python API forgives mistakes and keeps results.

One section per class of fault. Each holds the instances the issue lists and more of the same
class; every test talks to the real session sandbox over HTTP where a call is involved, and uses
real files (``/dev/full`` stands in for a full disk).

Every assertion expects the toolkit's base class :class:`MfaWidgetsError` (plus, where useful,
the built-in base a caller may already catch), so the file also runs against the code before the
fix, where these tests fail.
"""

from __future__ import annotations

import base64
import json
import math
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mfa_widgets import (
    MfaClient,
    MfaLog,
    MfaPreference,
    MfaWidgetsError,
    PoolMfaConfig,
    SignInContext,
    UserMfaFacts,
    apply_authenticator_reset,
    apply_bulk_change,
    audit_pool,
    inspect_token,
    plan_authenticator_reset,
    plan_bulk_change,
    predict_challenge,
)
from mfa_widgets.core.redaction import SECRET_KEYS, scrub_secrets
from mfa_widgets.sandbox import Sandbox, SandboxPool, SandboxUser
from mfa_widgets.services.explore import Explorer
from tests.leakscan import find_leaks

FULL_DISK = Path("/dev/full")
needs_dev_full = pytest.mark.skipif(not FULL_DISK.exists(), reason="no /dev/full here")


def refused(action: Callable[[], object], *words: str) -> str:
    """The message of the toolkit error ``action`` raises; it must contain ``words``."""
    with pytest.raises(MfaWidgetsError) as caught:
        action()
    message = str(caught.value)
    for word in words:
        assert word.lower() in message.lower(), (word, message)
    return message


def jwt(**claims: Any) -> str:
    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part({'kid': 'k', 'alg': 'RS256'})}.{part(claims)}.c2lnbmF0dXJl"


@pytest.fixture
def pool(make_pool: Callable[..., SandboxPool]) -> SandboxPool:
    return make_pool()


@pytest.fixture
def user(make_user: Callable[..., SandboxUser], pool: SandboxPool) -> SandboxUser:
    return make_user(pool)


@pytest.fixture
def token(
    signed_in: Callable[[SandboxPool, SandboxUser], str], pool: SandboxPool, user: Any
) -> str:
    return signed_in(pool, user)


# -- class 1: a user's mistake raises the toolkit's error, naming the problem and the fix --------


def test_set_preference_with_none_names_the_argument(client: MfaClient, token: str) -> None:
    message = refused(lambda: client.set_preference(token, None), "preference", "MfaPreference(")  # type: ignore[arg-type]
    assert token not in message


@pytest.mark.parametrize(
    "call",
    [
        lambda c, t, p, u: c.set_preference(t, "sms"),
        lambda c, t, p, u: c.set_preference(t, {"sms": "enabled"}),
        lambda c, t, p, u: c.set_preference(t, MfaPreference(sms="enabled"), current="sms"),
        lambda c, t, p, u: c.admin_set_preference(p.pool_id, u.username, None),
        lambda c, t, p, u: c.get_preference(None),
        lambda c, t, p, u: c.get_preference(12345),
        lambda c, t, p, u: c.admin_get_preference(None, u.username),
        lambda c, t, p, u: c.admin_get_preference(p.pool_id, ["alice"]),
        lambda c, t, p, u: c.list_users(p.pool_id, limit=0),
        lambda c, t, p, u: c.list_users(p.pool_id, limit=61),
        lambda c, t, p, u: c.list_users(p.pool_id, limit="10"),
        lambda c, t, p, u: c.get_pool_config(42),
        lambda c, t, p, u: c.associate_totp(),
        lambda c, t, p, u: c.verify_totp(123456, access_token=t),
        lambda c, t, p, u: c.verify_totp("123456"),
        lambda c, t, p, u: c.sign_in(None, u.username, u.password),
        lambda c, t, p, u: c.sign_in(p.client_id, u.username, None),
        lambda c, t, p, u: c.sign_in(p.client_id, "x" * 129, u.password),
        lambda c, t, p, u: c.sign_in(p.client_id, u.username, u.password, predicted=3),
        lambda c, t, p, u: c.sign_in(p.client_id, u.username, u.password, flow="magic"),
        lambda c, t, p, u: c.sign_in(p.client_id, u.username, flow="srp"),
        lambda c, t, p, u: c.sign_in(p.client_id, u.username, flow="srp", srp="proof"),
        lambda c, t, p, u: c.call("NoSuchOperation"),
        lambda c, t, p, u: c.call("admin_get_user", UserPoolId=p.pool_id, Username=u.username),
        lambda c, t, p, u: c.call(None),
        lambda c, t, p, u: c.with_log("log.jsonl"),
    ],
    ids=lambda _: "call",
)
def test_client_methods_refuse_meaningless_arguments(
    call: Callable[..., object],
    client: MfaClient,
    token: str,
    pool: SandboxPool,
    user: SandboxUser,
) -> None:
    message = refused(lambda: call(client, token, pool, user))
    assert token not in message
    assert user.password not in message


def test_a_refused_client_call_leaves_an_error_row(
    sandbox: Sandbox, pool: SandboxPool, tmp_path: Path
) -> None:
    with MfaLog(autosave=tmp_path / "log.jsonl") as log:
        client = MfaClient.for_sandbox(sandbox, log=log, in_process=True)
        refused(lambda: client.admin_set_preference(pool.pool_id, "alice", None))  # type: ignore[arg-type]
    row = log.events[-1]
    assert (row.operation, row.outcome, row.username) == (
        "AdminSetUserMFAPreference",
        "error",
        "alice",
    )
    assert "nothing was sent" in (row.note or "")
    assert json.loads((tmp_path / "log.jsonl").read_text().splitlines()[-1])["outcome"] == "error"


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ({"profile": "nosuch"}, ("nosuch", "list-profiles")),
        ({"profile": 7}, ("profile",)),
        ({"region": "mars-1"}, ("region", "us-east-1")),
        ({"region": ""}, ("region",)),
        ({"endpoint_url": "127.0.0.1:5000"}, ("endpoint_url", "http")),
        ({"endpoint_url": "ftp://example.com"}, ("endpoint_url",)),
        ({"retry_mode": "fast"}, ("retry_mode", "adaptive")),
        ({"max_attempts": -1}, ("max_attempts",)),
        ({"max_attempts": 2.5}, ("max_attempts",)),
        ({"connect_timeout": 0}, ("connect_timeout",)),
        ({"read_timeout": math.nan}, ("read_timeout",)),
        ({"read_timeout": math.inf}, ("read_timeout",)),
        ({"session": "default"}, ("session", "boto3.Session")),
        ({"log": "calls.jsonl"}, ("log", "MfaLog")),
    ],
)
def test_client_options_are_checked_when_the_client_is_made(
    options: dict[str, Any], words: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/aws-config")
    refused(lambda: MfaClient(**options), *words)


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ({"region": "mars-1"}, ("region", "us-east-1")),
        ({"region": "US-EAST-1"}, ("region",)),
        ({"region": None}, ("region",)),
        ({"port": 70000}, ("port", "65535")),
        ({"port": -1}, ("port",)),
        ({"port": "8080"}, ("port",)),
        ({"account_id": "me"}, ("account_id", "12 digits")),
    ],
)
def test_sandbox_constructor_checks_its_arguments(
    options: dict[str, Any], words: tuple[str, ...]
) -> None:
    refused(lambda: Sandbox(**options), *words)


def test_core_types_refuse_what_they_cannot_mean() -> None:
    refused(lambda: UserMfaFacts("sms"), "preference", "MfaPreference")  # type: ignore[arg-type]
    refused(lambda: UserMfaFacts(MfaPreference(), has_phone="no"), "has_phone")  # type: ignore[arg-type]
    refused(lambda: SignInContext(remembered_device="yes"), "remembered_device")  # type: ignore[arg-type]
    refused(lambda: SignInContext(adaptive="maybe"), "adaptive")  # type: ignore[arg-type]
    refused(lambda: PoolMfaConfig(factors=5), "factors")  # type: ignore[arg-type]
    refused(lambda: PoolMfaConfig(device_remembering="off"), "device_remembering")  # type: ignore[arg-type]
    refused(lambda: predict_challenge("ON", "user"), "PoolMfaConfig")  # type: ignore[arg-type]
    refused(lambda: inspect_token(12345), "token", "text")  # type: ignore[arg-type]
    refused(lambda: inspect_token("a.b.c", now="yesterday"), "now")  # type: ignore[arg-type]


# -- class 2: a meaningless value is never silently accepted ----------------------------------


@pytest.mark.parametrize("blank", ["", " ", "\t"])
@pytest.mark.parametrize("factor", ["sms", "totp", "email"])
def test_blank_factor_state_is_refused(factor: str, blank: str) -> None:
    refused(lambda: MfaPreference(**{factor: blank}), "empty", "unchanged")


@pytest.mark.parametrize("value", [0, 1, 2.5, [], {}, b"enabled", object()])
def test_factor_state_of_a_wrong_type_is_refused(value: object) -> None:
    refused(lambda: MfaPreference(sms=value), "state")  # type: ignore[arg-type]


def test_predict_challenge_needs_facts() -> None:
    refused(lambda: predict_challenge(), "pool", "user")
    refused(lambda: predict_challenge(pool_mfa="ON", phones=True), "phones", "phone")
    refused(lambda: predict_challenge(pool_mfa="ON", phone="no"), "phone")
    refused(lambda: predict_challenge(context=SignInContext()), "pool")


@pytest.mark.parametrize(
    "exp", [1e300, 10**400, -(10**30), 253402300800, "soon", [1], {"at": 1}, 1e308 * 10]
)
def test_inspect_token_reports_an_absurd_exp_as_a_problem(exp: object) -> None:
    payload = json.dumps({"token_use": "access", "exp": exp}).replace("Infinity", "1e999")
    body = base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")
    token = f"eyJhbGciOiJub25lIn0.{body}.c2ln"
    info = inspect_token(token)
    assert info.exp is None
    assert info.expires_at is None
    assert info.problems
    assert info.problems[0].code == "malformed"
    assert "exp" in info.problems[0].message


@pytest.mark.parametrize("rate", [-5, -0.001, math.nan, math.inf, "fast", None, True])
def test_rates_that_mean_nothing_are_refused(
    rate: object, sandbox: Sandbox, pool: SandboxPool
) -> None:
    client = MfaClient.for_sandbox(sandbox, in_process=True)
    refused(lambda: audit_pool(client, pool.pool_id, read_rate=rate), "read_rate")  # type: ignore[arg-type]
    refused(lambda: audit_pool(client, pool.pool_id, list_rate=rate), "list_rate")  # type: ignore[arg-type]
    refused(lambda: Explorer(client, write_rate=rate), "write_rate")  # type: ignore[arg-type]
    refused(lambda: Explorer(client, auth_rate=rate), "auth_rate")  # type: ignore[arg-type]


# None is meaningful: size the pool from the quota and the round trip.
@pytest.mark.parametrize("workers", [0, -1, 1.5, "4", 10**6])
def test_worker_counts_that_mean_nothing_are_refused(
    workers: object, sandbox: Sandbox, pool: SandboxPool
) -> None:
    client = MfaClient.for_sandbox(sandbox, in_process=True)
    refused(lambda: audit_pool(client, pool.pool_id, workers=workers), "workers")  # type: ignore[arg-type]
    refused(lambda: Explorer(client, workers=workers), "workers")  # type: ignore[arg-type]


# -- class 3: changing users needs confirm=True exactly ----------------------------------------


@pytest.fixture
def bulk(
    sandbox: Sandbox, make_pool: Callable[..., SandboxPool], make_user: Callable[..., SandboxUser]
) -> Any:
    pool = make_pool()
    users = [make_user(pool) for _ in range(3)]
    client = MfaClient.for_sandbox(sandbox, in_process=True)
    audit = audit_pool(client, pool.pool_id, read_rate=0, list_rate=0)
    plan = plan_bulk_change(audit, [u.username for u in users], {"sms": "preferred"})
    return client, pool, users, plan


def _states(client: MfaClient, pool: SandboxPool, users: list[SandboxUser]) -> list[Any]:
    return [client.admin_get_preference(pool.pool_id, u.username).state for u in users]


@pytest.mark.parametrize("confirm", ["no", "yes", "False", 1, 0, None, [True], "True"])
def test_bulk_change_without_confirm_true_sends_nothing(bulk: Any, confirm: object) -> None:
    client, pool, users, plan = bulk
    before = _states(client, pool, users)
    refused(lambda: apply_bulk_change(client, plan, confirm=confirm), "confirm=True")  # type: ignore[arg-type]
    assert _states(client, pool, users) == before


def test_bulk_change_dry_run_and_confirmed_run(bulk: Any) -> None:
    client, pool, users, plan = bulk
    dry = apply_bulk_change(client, plan)
    assert dry.dry_run
    assert set(dry.counts()) == {"dry-run"}
    done = apply_bulk_change(client, plan, confirm=True)
    assert done.counts() == {"applied": 3}
    assert all(s is not None and s.preferred is not None for s in _states(client, pool, users))


def test_bulk_plan_refuses_meaningless_input(bulk: Any) -> None:
    client, pool, users, plan = bulk
    audit = audit_pool(client, pool.pool_id, read_rate=0, list_rate=0)
    refused(lambda: plan_bulk_change(audit, users[0].username, {"sms": "enabled"}), "usernames")
    refused(lambda: plan_bulk_change(audit, [], {"sms": "enabled"}), "no user")
    refused(lambda: plan_bulk_change(audit, [users[0].username], {"smss": "enabled"}), "smss")
    refused(lambda: plan_bulk_change(audit, [users[0].username], "sms"), "target")  # type: ignore[arg-type]
    refused(lambda: plan_bulk_change("audit", [users[0].username], {"sms": "on"}), "audit")  # type: ignore[arg-type]
    refused(lambda: apply_bulk_change(client, plan, confirm=True, workers=0), "workers")
    refused(lambda: apply_bulk_change(client, plan, confirm=True, write_rate=-1), "write_rate")
    refused(lambda: apply_bulk_change(client, "plan", confirm=True), "plan")  # type: ignore[arg-type]
    assert _states(client, pool, users)[0].preferred is None  # none of it sent anything


@pytest.fixture
def resets(
    sandbox: Sandbox, make_pool: Callable[..., SandboxPool], make_user: Callable[..., SandboxUser]
) -> Any:
    pool = make_pool()
    users = [make_user(pool, totp=True) for _ in range(3)]
    client = MfaClient.for_sandbox(sandbox, in_process=True)
    audit = audit_pool(client, pool.pool_id, read_rate=0, list_rate=0)
    plan = plan_authenticator_reset(audit, [u.username for u in users])
    return client, pool, users, plan


def _registered(client: MfaClient, pool: SandboxPool, users: list[SandboxUser]) -> list[Any]:
    return [client.admin_get_auth_factors(pool.pool_id, u.username).data for u in users]


@pytest.mark.parametrize("confirm", ["no", "yes", "False", 1, 0, None, [True], "True"])
def test_authenticator_reset_without_confirm_true_sends_nothing(
    resets: Any, confirm: object
) -> None:
    client, pool, users, plan = resets
    refused(lambda: apply_authenticator_reset(client, plan, confirm=confirm), "confirm=True")  # type: ignore[arg-type]
    assert all(d["totp_registered"] for d in _registered(client, pool, users))


def test_authenticator_reset_refuses_meaningless_input(resets: Any) -> None:
    client, pool, users, plan = resets
    audit = audit_pool(client, pool.pool_id, read_rate=0, list_rate=0)
    refused(lambda: plan_authenticator_reset(audit, users[0].username), "usernames")
    refused(lambda: plan_authenticator_reset("audit", [users[0].username]), "audit")  # type: ignore[arg-type]
    refused(lambda: apply_authenticator_reset(client, plan, confirm=True, workers=0), "workers")
    refused(lambda: apply_authenticator_reset(client, plan, confirm=True, write_rate=-1), "rate")
    bulk_plan = plan_bulk_change(audit, [users[0].username], {"sms": "preferred"})
    refused(lambda: apply_authenticator_reset(client, bulk_plan, confirm=True), "ResetPlan")  # type: ignore[arg-type]
    assert all(d["totp_registered"] for d in _registered(client, pool, users))


# -- class 4: a write that worked is reported as applied, whatever fails after it ---------------


def test_reset_read_back_failure_reports_applied_with_the_failure(
    resets: Any, sandbox: Sandbox
) -> None:
    client, pool, users, plan = resets
    sandbox.faults.server_error("AdminGetUserAuthFactors")  # every read-back fails
    report = apply_authenticator_reset(client, plan, confirm=True)
    sandbox.faults.clear()
    assert report.counts() == {"applied": 3}
    frame = report.frame()
    assert frame["warning"].str.contains("InternalErrorException").all()
    assert frame["error_code"].isna().all()
    assert frame["as_expected"].isna().all()  # unknown, not guessed
    assert not any(d["totp_registered"] for d in _registered(client, pool, users))


def test_bulk_read_back_failure_reports_applied_with_the_failure(
    bulk: Any, sandbox: Sandbox
) -> None:
    client, pool, users, plan = bulk
    sandbox.faults.server_error("AdminGetUser")  # every read-back fails, writes still work
    report = apply_bulk_change(client, plan, confirm=True)
    sandbox.faults.clear()
    assert report.counts() == {"applied": 3}
    frame = report.frame()
    assert frame["warning"].str.contains("InternalErrorException").all()
    assert frame["error_code"].isna().all()
    assert all(s is not None and s.preferred is not None for s in _states(client, pool, users))


def test_set_preference_read_back_failure_is_a_warning(
    sandbox: Sandbox, pool: SandboxPool, user: SandboxUser, token: str
) -> None:
    client = MfaClient.for_sandbox(sandbox, in_process=True)
    sandbox.faults.server_error("GetUser")
    result = client.set_preference(token, MfaPreference(sms="enabled"))
    sandbox.faults.clear()
    assert result.ok
    assert result.warnings
    assert "applied" in result.warnings[0]
    state = client.admin_get_preference(pool.pool_id, user.username).state
    assert state is not None
    assert state.sms is not None
    assert state.sms.enabled


@needs_dev_full
def test_full_disk_while_logging_keeps_the_admin_write(
    sandbox: Sandbox, pool: SandboxPool, user: SandboxUser
) -> None:
    log = MfaLog(autosave=FULL_DISK)
    client = MfaClient.for_sandbox(sandbox, log=log, in_process=True)
    result = client.admin_set_preference(
        pool.pool_id, user.username, MfaPreference(sms="preferred")
    )
    assert result.ok
    assert result.state is not None
    assert result.state.preferred is not None
    assert any("No space left" in w for w in result.warnings), result.warnings
    assert len(log) == 1  # the row is kept in memory
    log.close()


@needs_dev_full
def test_full_disk_while_logging_keeps_every_kind_of_result(
    sandbox: Sandbox, pool: SandboxPool, user: SandboxUser, token: str
) -> None:
    log = MfaLog(autosave=FULL_DISK)
    client = MfaClient.for_sandbox(sandbox, log=log, in_process=True)
    attempt = client.sign_in(pool.client_id, user.username, user.password)
    assert attempt.signed_in
    assert attempt.warnings
    read = client.get_preference(token)
    assert read.ok
    assert read.state is not None
    assert read.warnings
    wrote = client.set_preference(token, MfaPreference(email="enabled"))
    assert wrote.ok
    assert wrote.warnings
    listed = client.list_users(pool.pool_id)
    assert listed.ok
    assert listed.warnings
    failed = client.admin_get_preference(pool.pool_id, "nobody-here")
    assert failed.error is not None
    assert failed.warnings
    assert len(log) == 5
    log.close()


@needs_dev_full
def test_full_disk_raises_the_toolkit_error_from_the_log_itself() -> None:
    log = MfaLog(autosave=FULL_DISK)
    with pytest.raises(MfaWidgetsError) as caught:
        log.append({"operation": "GetUser", "outcome": "ok"})
    assert isinstance(caught.value, OSError)
    assert "to_jsonl" in str(caught.value)
    assert len(log) == 1
    log.close()


# -- class 5: redaction by key, never letter by letter, secret-shaped free text -----------------


_PASSWORD_CALLS: list[tuple[str, Callable[[SandboxPool, SandboxUser, str], dict[str, Any]]]] = [
    (
        "AdminCreateUser",
        lambda p, u, s: {
            "UserPoolId": p.pool_id,
            "Username": f"n{time.monotonic_ns()}",
            "TemporaryPassword": s,
        },
    ),
    (
        "AdminSetUserPassword",
        lambda p, u, s: {
            "UserPoolId": p.pool_id,
            "Username": u.username,
            "Password": s,
            "Permanent": True,
        },
    ),
    (
        "SignUp",
        lambda p, u, s: {
            "ClientId": p.client_id,
            "Username": f"s{time.monotonic_ns()}",
            "Password": s,
        },
    ),
    (
        "InitiateAuth",
        lambda p, u, s: {
            "ClientId": p.client_id,
            "AuthFlow": "REFRESH_TOKEN_AUTH",
            "AuthParameters": {"REFRESH_TOKEN": s},
        },
    ),
    (
        "InitiateAuth",
        lambda p, u, s: {
            "ClientId": p.client_id,
            "AuthFlow": "USER_PASSWORD_AUTH",
            "AuthParameters": {"USERNAME": u.username, "PASSWORD": s},
        },
    ),
    ("GetTokensFromRefreshToken", lambda p, u, s: {"ClientId": p.client_id, "RefreshToken": s}),
    ("RevokeToken", lambda p, u, s: {"ClientId": p.client_id, "Token": s}),
    (
        "ConfirmForgotPassword",
        lambda p, u, s: {
            "ClientId": p.client_id,
            "Username": u.username,
            "ConfirmationCode": "12345678",
            "Password": s,
        },
    ),
]


@pytest.mark.parametrize(
    ("operation", "params"), _PASSWORD_CALLS, ids=[o for o, _ in _PASSWORD_CALLS]
)
@pytest.mark.parametrize("secret", ["Str0ng-Passw0rd!x", "x", "hunter2", "abc123XYZ+/="])
def test_call_never_shows_a_password_or_token(
    operation: str,
    params: Callable[..., dict[str, Any]],
    secret: str,
    sandbox: Sandbox,
    pool: SandboxPool,
    user: SandboxUser,
    tmp_path: Path,
) -> None:
    with MfaLog(autosave=tmp_path / "log.jsonl") as log:
        result = MfaClient.for_sandbox(sandbox, log=log, in_process=True).call(
            operation, **params(pool, user, secret)
        )
    shown = [repr(result), str(result.error), repr(log.events), log.frame.to_csv()]
    shown.append((tmp_path / "log.jsonl").read_text())
    assert find_leaks(shown, [secret] if len(secret) >= 6 else []) == []
    assert secret not in repr(result.request)


def _where_each_secret_key_goes() -> list[tuple[str, str, dict[str, Any]]]:
    """For every secret key: an operation of botocore's model that takes it, and a request.

    A top-level member of some operation's input is sent there; a key of the ``AuthParameters``
    map (``PASSWORD``, ``REFRESH_TOKEN``, ...) is sent inside it. The value is a number, which
    botocore refuses and quotes in its message.
    """
    model = botocore.session.get_session().get_service_model("cognito-idp")
    found = []
    for key in sorted(SECRET_KEYS):
        operation = next(
            (
                name
                for name in model.operation_names
                if model.operation_model(name).input_shape is not None
                and key in model.operation_model(name).input_shape.members
            ),
            None,
        )
        if operation is None:
            found.append(
                (
                    key,
                    "InitiateAuth",
                    {
                        "AuthFlow": "USER_PASSWORD_AUTH",
                        "ClientId": "c",
                        "AuthParameters": {key: 987654321},
                    },
                )
            )
        else:
            found.append((key, operation, {key: 987654321}))
    return found


@pytest.mark.parametrize(
    ("key", "operation", "params"),
    _where_each_secret_key_goes(),
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_secret_values_of_the_wrong_type_are_hidden_in_botocore_messages(
    key: str, operation: str, params: dict[str, Any], sandbox: Sandbox
) -> None:
    """botocore quotes a value of the wrong type; a secret one is hidden by its key."""
    result = MfaClient.for_sandbox(sandbox, in_process=True).call(operation, **params)
    assert result.error is not None
    assert "987654321" not in repr(result)
    assert "987654321" not in str(result.error)


def test_a_one_character_password_does_not_mangle_messages(
    sandbox: Sandbox, pool: SandboxPool, user: SandboxUser
) -> None:
    client = MfaClient.for_sandbox(sandbox, in_process=True)
    attempt = client.sign_in(pool.client_id, user.username, "e")
    assert attempt.error is not None
    assert "[redacted]" not in attempt.error.message
    result = client.call(
        "AdminSetUserPassword",
        UserPoolId=pool.pool_id,
        Username=user.username,
        Password="s",
        Permanent=True,
    )
    assert result.error is not None
    assert "[redacted]" not in str(result.error)


@given(
    secret=st.text(min_size=1, max_size=5),
    message=st.text(max_size=200),
)
@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
def test_short_secrets_never_change_a_message(secret: str, message: str) -> None:
    assert scrub_secrets(message, [secret]) == scrub_secrets(message)


@given(secret=st.text(alphabet=st.characters(codec="ascii"), min_size=6, max_size=40))
def test_long_secrets_are_always_scrubbed(secret: str) -> None:
    text = f"Invalid value {secret} for user"
    assert secret not in scrub_secrets(text, [secret]).replace("[redacted]", "\0")


@pytest.mark.parametrize(
    "typed",
    [
        jwt(token_use="access", sub="abc"),
        "Correct-Horse-9!",
        "Passw0rd#2024",
        "Tr0ub4dor&3",
        "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc",
    ],
)
def test_secret_shaped_username_is_not_logged_as_is(
    typed: str, sandbox: Sandbox, pool: SandboxPool, tmp_path: Path
) -> None:
    with MfaLog(autosave=tmp_path / "log.jsonl") as log:
        MfaClient.for_sandbox(sandbox, log=log, in_process=True).sign_in(
            pool.client_id, typed, "Some-Passw0rd!"
        )
    assert log.events[-1].username is not None
    assert find_leaks([repr(log.events), log.frame.to_csv(), tmp_path / "log.jsonl"], [typed]) == []


@pytest.mark.parametrize(
    "name", ["alice", "j.smith-2", "alice@example.com", "Bob_Jones", "+15555550100", "user0042"]
)
def test_ordinary_usernames_are_logged_as_typed(name: str) -> None:
    log = MfaLog()
    log.append({"operation": "InitiateAuth", "username": name, "outcome": "error"})
    assert log.events[-1].username == name


# -- class 6: the log never destroys a file it did not write ------------------------------------

_FOREIGN = {
    "notes.txt": "my notes\nlast line without a newline",
    "data.csv": "a,b\n1,2",
    "page.html": "<html><body>hi</body></html>",
    "config.json": '{"region": "eu-west-1"}',
    "other.jsonl": '{"not": "an event"}\n',
    "binary.bin": "\x00\x01\x02 binary",
}


@pytest.fixture(params=sorted(_FOREIGN))
def foreign(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / request.param
    path.write_text(_FOREIGN[request.param], encoding="utf-8")
    return path


def _untouched(path: Path) -> bool:
    return path.read_text(encoding="utf-8") == _FOREIGN[path.name]


def test_autosave_refuses_a_file_it_did_not_write(foreign: Path) -> None:
    refused(lambda: MfaLog(autosave=foreign), "not an MfaLog", "new file name")
    assert _untouched(foreign)


def test_resume_refuses_a_file_it_did_not_write(foreign: Path) -> None:
    with pytest.raises(MfaWidgetsError):
        MfaLog.load(foreign, resume=True)
    assert _untouched(foreign)


@pytest.mark.parametrize("export", ["to_jsonl", "to_csv", "to_parquet"])
def test_exports_refuse_to_overwrite_a_file_they_did_not_write(foreign: Path, export: str) -> None:
    log = MfaLog()
    log.append({"operation": "GetUser", "outcome": "ok"})
    refused(
        lambda: getattr(log, export)(foreign),
        "left untouched" if export != "to_jsonl" else "not an MfaLog",
    )
    assert _untouched(foreign)


@pytest.mark.parametrize("export", ["to_jsonl", "to_csv", "to_parquet"])
def test_exports_replace_their_own_earlier_export(tmp_path: Path, export: str) -> None:
    log = MfaLog()
    log.append({"operation": "GetUser", "outcome": "ok"})
    path = tmp_path / f"log.{export[3:]}"
    getattr(log, export)(path)
    log.append({"operation": "GetUser", "outcome": "error"})
    getattr(log, export)(path)
    assert len(MfaLog.load(path)) == 2


def test_autosave_appends_to_its_own_log_and_refuses_folders(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    with MfaLog(autosave=path) as log:
        log.append({"operation": "GetUser", "outcome": "ok"})
    with MfaLog(autosave=path) as log:
        log.append({"operation": "GetUser", "outcome": "ok"})
    assert len(path.read_text().splitlines()) == 2
    refused(lambda: MfaLog(autosave=tmp_path), "folder")
    refused(lambda: MfaLog(autosave=tmp_path / "missing" / "log.jsonl"), "folder")
    refused(lambda: MfaLog(autosave=42), "autosave")  # type: ignore[arg-type]
    refused(lambda: MfaLog(autosave="bad\x00name"), "autosave")
