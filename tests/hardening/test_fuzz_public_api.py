"""Every public function, fed wrong types, empty, huge and odd values (hypothesis).

For each public entry point (the names in ``mfa_widgets.__all__``, the public methods of
``MfaClient`` and ``MfaLog``, the ``Sandbox`` constructor, the audit/bulk/explore entry points,
tokens, TOTP and AWS CLI parsing) a valid call is the baseline; one argument at a time is replaced
by a generated odd value. The call must then either

* raise an error of the toolkit's hierarchy (``MfaWidgetsError``), or
* return normally, and when the value does not even have a type the parameter accepts (by its
  annotation), return a result that carries an error: a meaningless value is never accepted
  silently.

Anything else (``AttributeError``, ``TypeError``, ``KeyError``, ``OverflowError``, a botocore
exception, ...) fails the test. Calls that reach Cognito go to the real sandbox over HTTP.
"""

from __future__ import annotations

import collections.abc
import enum
import inspect
import itertools
import math
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mfa_widgets
from mfa_widgets import (
    ChoicePool,
    ChoiceUser,
    Explorer,
    Factor,
    FactorState,
    MfaClient,
    MfaLog,
    MfaPreference,
    MfaWidgetsError,
    PoolChange,
    PoolMfaConfig,
    PoolSignIn,
    SignInContext,
    SoftwareAuthenticator,
    UserMfaFacts,
    apply_authenticator_reset,
    apply_bulk_change,
    audit_pool,
    challenge_matrix,
    default_scenarios,
    explain,
    fix_plans,
    impact,
    inspect_token,
    load_audit,
    matrix_html,
    outcomes_frame,
    plan_authenticator_reset,
    plan_bulk_change,
    predict_challenge,
    predict_sign_in,
    predict_user_auth,
    rehearse,
)
from mfa_widgets.core import aws_cli, totp
from mfa_widgets.core.results import CallResult, SignInAttempt
from mfa_widgets.core.tokens import TokenInfo, check_access_token
from mfa_widgets.sandbox import Sandbox, SandboxPool, SandboxUser
from mfa_widgets.services.client import SignIn
from mfa_widgets.services.log import LogEvent

#: Odd values of every kind: wrong types, empty, huge, non-finite, control characters.
ODD = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0, -1, 10**30, -(10**30)]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([math.nan, math.inf, -math.inf, -0.0, 1e308]),
    st.text(max_size=12),
    st.sampled_from(["", " ", "\x00", "a\nb", "x" * 100_000, "é" * 300, "\ud800", "None", "-5"]),
    st.binary(max_size=8),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.builds(object),
    st.just(Path("/nonexistent/folder/file")),
)


def fits(value: Any, hint: Any) -> bool:
    """Whether ``value`` has a type ``hint`` accepts (enum parameters also take their names)."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is Any or hint is object:
        return True
    if origin in (typing.Union, types.UnionType):
        return any(fits(value, arg) for arg in args)
    if hint is type(None) or hint is None:
        return value is None
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return (
            isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
        )
    if hint is str:
        return isinstance(value, str)
    if origin is typing.Literal:
        return value in args
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return isinstance(value, (hint, str))
    if isinstance(hint, type) and getattr(hint, "_is_protocol", False):
        return True
    if origin in (collections.abc.Callable,):
        return callable(value)
    if origin is not None and isinstance(origin, type):
        return isinstance(value, origin) and not isinstance(value, (str, bytes))
    if isinstance(hint, type):
        return isinstance(value, hint)
    return True


@dataclass(frozen=True)
class Target:
    """A public callable and a valid call of it (``make(world) -> (callable, kwargs)``)."""

    name: str
    make: Callable[[World], tuple[Callable[..., Any], dict[str, Any]]]
    skip: tuple[str, ...] = ()  # parameters not fuzzed (e.g. one that would run a long sweep)
    #: parameters documented to take more than their annotation says (``sms=True``,
    #: ``factors=None``): only the error hierarchy is checked for them.
    lenient: tuple[str, ...] = ()


@dataclass(repr=False)  # no token or password in a failure report
class World:
    sandbox: Sandbox
    pool: SandboxPool
    user: SandboxUser
    token: str
    client: MfaClient
    tmp: Path

    def attempt(self) -> SignIn:
        return self.client.sign_in(self.pool.client_id, self.user.username, self.user.password)


def _audit(w: World) -> Any:
    return audit_pool(w.client, w.pool.pool_id, read_rate=0, list_rate=0)


def _saved_audit(w: World) -> Path:
    path = w.tmp / "audit.jsonl"
    if not path.exists():
        audit_pool(w.client, w.pool.pool_id, read_rate=0, list_rate=0, checkpoint=path)
    return path


def _plan(w: World) -> Any:
    return plan_bulk_change(_audit(w), [w.user.username], {"email": "enabled"})


def _impact(w: World) -> Any:
    return _audit(w).impact({"mfa": "ON"})


def _method(name: str, **kwargs: Any) -> Target:
    return Target(f"MfaClient.{name}", lambda w: (getattr(w.client, name), _fill(w, kwargs)))


def _fill(w: World, kwargs: dict[str, Any]) -> dict[str, Any]:
    """Resolve ``lambda w: ...`` placeholders in a baseline."""
    return {
        k: v(w) if callable(v) and getattr(v, "__name__", "") == "<lambda>" else v
        for k, v in kwargs.items()
    }


POOL = lambda w: w.pool.pool_id  # noqa: E731
USER = lambda w: w.user.username  # noqa: E731
TOKEN = lambda w: w.token  # noqa: E731

TARGETS = [
    Target(
        "conformance.run",
        lambda w: (
            mfa_widgets.conformance.run,
            {"target": "moto", "cases": [mfa_widgets.conformance.load_corpus()[0]]},
        ),
    ),
    # -- core (pure) --
    Target(
        "MfaPreference",
        lambda w: (MfaPreference, {"sms": "enabled", "totp": None, "email": "disabled"}),
        lenient=("sms", "totp", "email"),
    ),
    Target("Factor.parse", lambda w: (Factor.parse, {"text": "sms"})),
    Target("FactorState.parse", lambda w: (FactorState.parse, {"value": "enabled"})),
    Target(
        "PoolMfaConfig",
        lambda w: (
            PoolMfaConfig,
            {
                "mode": "ON",
                "factors": "SMS",
                "tier": "PLUS",
                "recovery": "email",
                "device_remembering": False,
            },
        ),
        lenient=("factors",),
    ),
    Target(
        "UserMfaFacts",
        lambda w: (
            UserMfaFacts,
            {
                "preference": MfaPreference(sms="preferred"),
                "totp_registered": False,
                "has_phone": True,
                "has_email": False,
            },
        ),
    ),
    Target(
        "SignInContext", lambda w: (SignInContext, {"remembered_device": False, "adaptive": "none"})
    ),
    Target(
        "predict_challenge",
        lambda w: (
            predict_challenge,
            {
                "pool": PoolMfaConfig(),
                "user": UserMfaFacts(MfaPreference()),
                "context": SignInContext(),
            },
        ),
    ),
    Target(
        "explain",
        lambda w: (explain, {"prediction": predict_challenge(pool_mfa="ON", enabled="SMS")}),
    ),
    Target("inspect_token", lambda w: (inspect_token, {"token": w.token, "now": 0.0})),
    Target("check_access_token", lambda w: (check_access_token, {"token": w.token, "now": None})),
    Target("totp_code", lambda w: (totp.totp_code, {"secret": "JBSWY3DPEHPK3PXP", "at": 0.0})),
    Target(
        "verify_totp",
        lambda w: (
            totp.verify_totp,
            {"secret": "JBSWY3DPEHPK3PXP", "code": "123456", "at": 0.0, "window": 1},
        ),
        lenient=("code",),  # any code that is not 6 digits is simply not valid: False
    ),
    Target(
        "parse_settings",
        lambda w: (aws_cli.parse_settings, {"factor": "sms", "text": "Enabled=true"}),
    ),
    Target(
        "parse_cli_args",
        lambda w: (aws_cli.parse_cli_args, {"args": "--sms-mfa-settings Enabled=true"}),
    ),
    Target(
        "parse_cli_input_json",
        lambda w: (aws_cli.parse_cli_input_json, {"text": '{"SMSMfaSettings": {"Enabled": true}}'}),
    ),
    Target(
        "parse_cli_input_yaml",
        lambda w: (aws_cli.parse_cli_input_yaml, {"text": "SMSMfaSettings:\n  Enabled: true\n"}),
    ),
    Target(
        "render_cli",
        lambda w: (
            aws_cli.render_cli,
            {
                "preference": MfaPreference(sms="enabled"),
                "user_pool_id": "us-east-1_a",
                "username": "alice",
                "syntax": "shorthand",
                "multiline": True,
            },
        ),
    ),
    # -- the client --
    Target(
        "MfaClient",
        lambda w: (
            MfaClient,
            {
                "region": "us-east-1",
                "endpoint_url": w.sandbox.endpoint_url,
                "profile": None,
                "log": None,
                "backend": "sandbox",
                "retry_mode": "standard",
                "max_attempts": 1,
                "connect_timeout": 1.0,
                "read_timeout": 2.0,
            },
        ),
    ),
    _method("call", operation="ListUserPools", MaxResults=1),
    _method("get_preference", access_token=TOKEN),
    _method(
        "set_preference",
        access_token=TOKEN,
        preference=MfaPreference(email="enabled"),
        current=None,
    ),
    _method("admin_get_preference", user_pool_id=POOL, username=USER),
    _method(
        "admin_set_preference",
        user_pool_id=POOL,
        username=USER,
        preference=MfaPreference(email="enabled"),
        current=None,
    ),
    _method("list_users", user_pool_id=POOL, limit=5, pagination_token=None),
    _method("get_pool_config", user_pool_id=POOL),
    _method("associate_totp", access_token=TOKEN, session=None, username=""),
    _method("verify_totp", code="123456", access_token=TOKEN, session=None, device_name="phone"),
    _method(
        "sign_in",
        client_id=lambda w: w.pool.client_id,
        username=USER,
        password=lambda w: w.user.password,
        flow="password",
        user_pool_id=None,
        client_secret=None,
        predicted=None,
    ),
    Target(
        "SignIn.answer", lambda w: (w.attempt().answer, {"answer": "123456", "predicted": None})
    ),
    Target(
        "SignIn.choose",
        lambda w: (w.attempt().choose, {"option": "SMS_MFA", "password": None, "predicted": None}),
    ),
    Target(
        "SignIn.set_up", lambda w: (w.attempt().set_up, {"session": "x" * 20, "predicted": None})
    ),
    _method("with_log", log=None),
    # -- services --
    Target(
        "predict_sign_in",
        lambda w: (
            predict_sign_in,
            {
                "client": w.client,
                "user_pool_id": w.pool.pool_id,
                "username": w.user.username,
                "context": None,
                "totp_known": False,
            },
        ),
    ),
    Target(
        "audit_pool",
        lambda w: (
            audit_pool,
            {
                "client": w.client,
                "user_pool_id": w.pool.pool_id,
                "checkpoint": None,
                "workers": 2,
                "read_rate": 0,
                "list_rate": 0,
                "page_size": 60,
                "progress": None,
                "stop": None,
            },
        ),
    ),
    Target(
        "PoolChange",
        lambda w: (
            PoolChange,
            {
                "mfa": "ON",
                "offer": frozenset({"EMAIL"}),
                "withdraw": frozenset({"SMS"}),
                "tier": "PLUS",
                "allow_flows": frozenset({"USER_AUTH"}),
                "deny_flows": frozenset(),
                "allow_first": frozenset(),
                "withdraw_first": frozenset(),
            },
        ),
        # documented to take text ("SMS,EMAIL") as well as sets of names
        lenient=("offer", "withdraw", "allow_flows", "deny_flows", "allow_first", "withdraw_first"),
    ),
    Target(
        "PoolSignIn",
        lambda w: (
            PoolSignIn,
            {
                "mfa": PoolMfaConfig("ON", "SMS"),
                "passkey_mfa": False,
                "first_factors": frozenset({"PASSWORD"}),
                "flows": frozenset({"USER_PASSWORD_AUTH"}),
            },
        ),
        lenient=("first_factors", "flows"),
    ),
    Target(
        "impact",
        lambda w: (
            impact,
            {
                "audit_or_pool": _audit(w),
                "change": {"mfa": "ON", "withdraw": "SMS"},
                "client": None,
                "today": None,
                "client_id": None,
                "progress": None,
            },
        ),
        lenient=("change",),  # a PoolChange or its keywords
    ),
    Target("load_audit", lambda w: (load_audit, {"path": _saved_audit(w)})),
    Target("fix_plans", lambda w: (fix_plans, {"found": _impact(w)})),
    Target(
        "rehearse",
        lambda w: (
            rehearse,
            {
                "impact": _impact(w),
                "sandbox_client": w.client,
                "sample": 1,
                "seed": 0,
                "workers": 1,
                "write_rate": 0,
                "auth_rate": 0,
                "progress": None,
                "stop": None,
                "keep": False,
                "prefix": "fuzz",
            },
        ),
    ),
    Target(
        "plan_bulk_change",
        lambda w: (
            plan_bulk_change,
            {"audit": _audit(w), "usernames": [w.user.username], "target": {"email": "enabled"}},
        ),
    ),
    Target(
        "apply_bulk_change",
        lambda w: (
            apply_bulk_change,
            {
                "client": w.client,
                "plan": _plan(w),
                "confirm": False,
                "log": None,
                "write_rate": 0,
                "workers": 1,
                "progress": None,
                "stop": None,
            },
        ),
    ),
    Target(
        "plan_authenticator_reset",
        lambda w: (plan_authenticator_reset, {"audit": _audit(w), "usernames": [w.user.username]}),
    ),
    Target(
        "apply_authenticator_reset",
        lambda w: (
            apply_authenticator_reset,
            {
                "client": w.client,
                "plan": plan_authenticator_reset(_audit(w), [w.user.username]),
                "confirm": False,
                "log": None,
                "write_rate": 0,
                "workers": 1,
                "progress": None,
                "stop": None,
            },
        ),
    ),
    Target(
        "ChoicePool",
        lambda w: (
            ChoicePool,
            {"mfa": PoolMfaConfig(), "first_factors": "PASSWORD", "passkey_mfa": False},
        ),
        lenient=("first_factors",),  # text such as "PASSWORD,WEB_AUTHN" is accepted (documented)
    ),
    Target(
        "ChoiceUser",
        lambda w: (
            ChoiceUser,
            {"mfa": UserMfaFacts(MfaPreference()), "has_passkey": False, "passkey_mfa": False},
        ),
    ),
    Target(
        "predict_user_auth",
        lambda w: (
            predict_user_auth,
            {
                "pool": ChoicePool(),
                "user": ChoiceUser(),
                "preferred": "PASSWORD",
                "context": SignInContext(),
            },
        ),
    ),
    Target(
        "SoftwareAuthenticator", lambda w: (SoftwareAuthenticator, {"origin": "http://localhost"})
    ),
    Target(
        "Explorer",
        lambda w: (
            Explorer,
            {
                "client": w.client,
                "provisioner": None,
                "log": None,
                "workers": 1,
                "write_rate": 0,
                "auth_rate": 0,
            },
        ),
    ),
    Target(
        "default_scenarios",
        lambda w: (
            default_scenarios,
            {
                "modes": ["ON"],
                "pool_factors": ["SMS"],
                "attributes": [(True, True)],
                "flows": True,
                "passkey_mfa": True,
                "remembered_device": True,
                "preferences": [MfaPreference(totp="enabled")],
            },
        ),
        lenient=("pool_factors",),  # None: a pool offering no factor (documented)
    ),
    Target("challenge_matrix", lambda w: (challenge_matrix, {"log_or_frame": MfaLog()})),
    Target("outcomes_frame", lambda w: (outcomes_frame, {"outcomes": []})),
    Target("matrix_html", lambda w: (matrix_html, {"matrix": challenge_matrix(MfaLog())})),
    Target(
        "PoolChange.parse",
        lambda w: (PoolChange.parse, {"settings": ["mfa=ON"], "withdraw": ["SMS"]}),
        lenient=("settings", "withdraw"),  # None: no setting, nothing withdrawn
    ),
    # -- the log --
    Target("MfaLog", lambda w: (MfaLog, {"autosave": None, "secrets": (), "fsync": False})),
    Target(
        "MfaLog.append",
        lambda w: (MfaLog().append, {"event": {"operation": "GetUser", "outcome": "ok"}}),
    ),
    Target("MfaLog.add_secret", lambda w: (MfaLog().add_secret, {"secret": "Passw0rd!"})),
    Target(
        "MfaLog.load",
        lambda w: (
            MfaLog.load,
            {"path": _saved_log(w), "resume": False, "secrets": (), "fsync": False},
        ),
    ),
    Target("MfaLog.to_jsonl", lambda w: (MfaLog().to_jsonl, {"path": w.tmp / "out.jsonl"})),
    Target("MfaLog.subscribe", lambda w: (MfaLog().subscribe, {"callback": print})),
    Target("MfaLog.read_frame", lambda w: (MfaLog.read_frame, {"path": _saved_table(w)})),
    Target("MfaLog.to_csv", lambda w: (_filled_log().to_csv, {"path": w.tmp / "out.csv"})),
    Target(
        "LogEvent",
        lambda w: (LogEvent, {"operation": "GetUser", "username": "u", "timestamp": _NOW}),
        lenient=("username",),  # any text is a username (stringified, scrubbed)
    ),
    # -- the sandbox: the constructor (starting one per example would be slow), and the helpers
    # of the running one --
    Target("Sandbox", lambda w: (Sandbox, {"port": 0, "region": "us-east-1", "account_id": None})),
    Target(
        "Sandbox.create_pool",
        lambda w: (w.sandbox.create_pool, {"name": "fuzz", "mfa": "OPTIONAL", "factors": ["SMS"]}),
        lenient=("factors",),
    ),
    Target(
        "Sandbox.create_user",
        lambda w: (
            w.sandbox.create_user,
            {"pool": w.pool, "username": _fresh_name(), "phone": None, "email": None},
        ),
    ),
    Target(
        "Sandbox.sign_in",
        lambda w: (
            w.sandbox.sign_in,
            {"pool": w.pool, "username": w.user.username, "password": w.user.password},
        ),
    ),
    Target(
        "Sandbox.issue_token",
        lambda w: (w.sandbox.issue_token, {"pool": w.pool, "username": w.user.username}),
    ),
    Target(
        "Sandbox.totp_code",
        lambda w: (w.sandbox.totp_code, {"pool": w.pool, "username": _totp_user(w)}),
    ),
]

_names = itertools.count()
_NOW = datetime.now(timezone.utc)


def _totp_user(w: World) -> str:
    """A user with a registered authenticator (made once)."""
    if not any(
        u["Username"] == "fuzz-totp"
        for u in w.sandbox.in_process_client().list_users(UserPoolId=w.pool.pool_id)["Users"]
    ):
        w.sandbox.create_user(w.pool, "fuzz-totp", totp=True)
    return "fuzz-totp"


def _fresh_name() -> str:
    return f"fuzz-{next(_names)}"


def _filled_log() -> MfaLog:
    log = MfaLog()
    log.append({"operation": "GetUser", "outcome": "ok", "username": "=1+1"})
    return log


def _saved_table(w: World) -> Path:
    path = w.tmp / "saved.csv"
    if not path.exists():
        _filled_log().to_csv(path)
    return path


def _saved_log(w: World) -> Path:
    path = w.tmp / "saved.jsonl"
    if not path.exists():
        log = MfaLog()
        log.append({"operation": "GetUser", "outcome": "ok"})
        log.to_jsonl(path)
    return path


def test_every_public_name_is_fuzzed() -> None:
    """A new public name must be added to TARGETS (widgets and exceptions excepted)."""
    covered = {t.name.split(".")[0] for t in TARGETS}
    errors = {
        name
        for name in mfa_widgets.__all__
        if isinstance(getattr(mfa_widgets, name), type)
        and issubclass(getattr(mfa_widgets, name), BaseException)
    }
    not_functions = {"__version__", "Prediction", *errors}
    widgets = {"Lab", "demo", "plot_matrix", "plot_summary"}  # drawn/checked in tests/widgets
    # Each example would start a classroom process or run the lab's exercises end to end: their
    # bad arguments are checked in tests/classroom instead.
    servers = {"Classroom", "simulate_learner"}
    missing = set(mfa_widgets.__all__) - covered - not_functions - widgets - servers
    assert missing == set()


@pytest.fixture(scope="module")
def world(sandbox: Sandbox, tmp_path_factory: pytest.TempPathFactory) -> World:
    pool = sandbox.create_pool(name="fuzz-pool")
    user = sandbox.create_user(pool, "fuzzed", phone="+15555550123", email="f@example.com")
    token = sandbox.sign_in(pool, user.username, user.password)["AccessToken"]
    client = MfaClient.for_sandbox(sandbox, in_process=True)
    return World(sandbox, pool, user, token, client, tmp_path_factory.mktemp("fuzz"))


@pytest.fixture(autouse=True)
def _in_scratch_folder(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """Generated relative paths ("0", "a\\nb") land in a temporary folder, never the work tree."""
    monkeypatch.chdir(world.tmp)


def _hints(function: Callable[..., Any]) -> dict[str, Any]:
    subject = function.__init__ if inspect.isclass(function) else function  # type: ignore[misc]
    try:
        return typing.get_type_hints(subject)
    except Exception:  # an annotation that cannot be resolved here: judge nothing by type
        return {}


def _carries_error(result: Any) -> bool:
    if isinstance(result, TokenInfo):
        return bool(result.problems)
    return isinstance(result, (CallResult, SignInAttempt)) and result.error is not None


@pytest.mark.parametrize("target", TARGETS, ids=[t.name for t in TARGETS])
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_odd_values_get_the_toolkits_error_or_a_result_with_one(
    target: Target, world: World, data: st.DataObject
) -> None:
    function, baseline = target.make(world)
    fuzzed = [name for name in baseline if name not in target.skip]
    name = data.draw(st.sampled_from(fuzzed), label="parameter")
    value = data.draw(ODD, label="value")
    hint = _hints(function).get(name, Any)
    try:
        result = function(**{**baseline, name: value})
    except MfaWidgetsError:
        return
    except Exception as error:  # anything else is a crash a person would see as a traceback
        pytest.fail(
            f"{target.name}({name}={value!r:.60}) raised {type(error).__name__}: {error!s:.300}"
        )
    if isinstance(result, MfaLog):
        result.close()
    if name not in target.lenient and not fits(value, hint):
        assert _carries_error(result), (
            f"{target.name} silently accepted {name}={value!r:.60} (annotated {hint})"
        )
