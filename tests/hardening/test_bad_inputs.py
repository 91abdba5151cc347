"""The bad-input catalog: everything a person can throw at the toolkit, and the answer they get.

One table (:data:`CASES`), one test run per row, against a real sandbox over HTTP. For every case:

* nothing crashes: only the toolkit's own errors (``MfaWidgetsError``) are raised, API calls
  return a result carrying the error, and commands exit with status 2 and one error line;
* the answer names the problem and the fix: each row lists words that must appear in it;
* an API call made through ``MfaClient(log=...)`` leaves an error row in the log and in its
  autosaved JSON Lines file;
* no secret used by the case, or issued by the sandbox, appears in the answer or in the log.

Widget cases are added by the widgets' owners with the same ``Case`` shape.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import pytest

from mfa_widgets import Factor, MfaClient, MfaLog, MfaPreference, predict_challenge
from mfa_widgets.commands.main import main
from mfa_widgets.core.errors import MfaWidgetsError
from mfa_widgets.core.results import CallResult, SignInAttempt
from mfa_widgets.core.signin import PoolMfaConfig
from mfa_widgets.core.tokens import check_access_token
from mfa_widgets.core.totp import totp_code
from mfa_widgets.sandbox import Sandbox, SandboxPool, SandboxUser
from mfa_widgets.services.client import SignIn
from mfa_widgets.services.log import LogEvent
from tests.leakscan import find_leaks

SMS_ON = MfaPreference(sms="enabled")
MB = 1024 * 1024


@dataclass(frozen=True)
class World:
    """Pools, users and tokens shared by the cases (made once for the module)."""

    sandbox: Sandbox
    pool: SandboxPool  # OPTIONAL; SMS, TOTP and email
    no_email_pool: SandboxPool  # OPTIONAL; SMS and TOTP only
    user: SandboxUser  # in pool: phone and email, no authenticator
    other: SandboxUser  # in no_email_pool
    token: str = field(repr=False)
    id_token: str = field(repr=False)
    other_token: str = field(repr=False)


@dataclass
class Ctx:
    """What one case works with: a fresh autosaved log and a client writing to it."""

    world: World
    client: MfaClient
    log: MfaLog
    log_path: Path
    tmp: Path
    closed_port: int
    capsys: pytest.CaptureFixture[str]
    used: list[str] = field(default_factory=list)  # secrets the case itself made up

    @property
    def sandbox(self) -> Sandbox:
        return self.world.sandbox

    def quiet_client(self, **options: Any) -> MfaClient:
        """A client on the sandbox with other timeouts/retries, logging to the case's log."""
        session = boto3.Session(
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            region_name=self.sandbox.region,
        )
        options.setdefault("endpoint_url", self.sandbox.endpoint_url)
        return MfaClient(
            session=session, region=self.sandbox.region, log=self.log, backend="sandbox", **options
        )


@dataclass(frozen=True)
class Case:
    """One bad input: what to do, the words the answer must contain, whether a row is logged."""

    name: str
    act: Callable[[Ctx], str]
    words: tuple[str, ...]
    logged: bool = False
    wire: bool = False  # a dropped connection: only HTTP can show it


# -- how a case gets its answer -----------------------------------------------------------------


def failed(result: CallResult | SignInAttempt) -> str:
    """The error text of a call that must have failed (results never raise)."""
    assert result.error is not None, f"expected an error, got {result!r}"
    return str(result.error)


def raised(action: Callable[[], object]) -> str:
    """The message of the toolkit error ``action`` must raise (anything else fails the test)."""
    with pytest.raises(MfaWidgetsError) as caught:
        action()
    return str(caught.value)


def raised_as_shown(action: Callable[[], object]) -> str:
    """``ErrorType: message`` of the toolkit error ``action`` must raise, as a notebook shows it."""
    with pytest.raises(MfaWidgetsError) as caught:
        action()
    return f"{type(caught.value).__name__}: {caught.value}"


def command(ctx: Ctx, *argv: str) -> str:
    """Run ``mfa-widgets argv``: it must exit 2 with an error line and no traceback."""
    try:
        code = main(list(argv))
    except SystemExit as parsed:  # argparse refused an argument, as the real command exits
        code = int(parsed.code or 0)
    out, err = ctx.capsys.readouterr()
    assert code == 2, (code, out, err)
    assert "Traceback" not in err
    last = err.strip().splitlines()[-1]
    assert last.startswith(f"mfa-widgets {argv[0]}: error: "), err
    return last


def jwt(**claims: Any) -> str:
    """An unsigned JWT shaped like Cognito's."""

    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part({'kid': 'k', 'alg': 'RS256'})}.{part(claims)}.c2lnbmF0dXJl"


def _claims(ctx: Ctx, **changes: Any) -> str:
    claims = {
        "token_use": "access",
        "scope": "aws.cognito.signin.user.admin",
        "exp": int(time.time()) + 3600,
        "iss": f"https://cognito-idp.us-east-1.amazonaws.com/{ctx.world.pool.pool_id}",
        "username": ctx.world.user.username,
        **changes,
    }
    token = jwt(**claims)
    ctx.used.append(token)
    return token


def _sms_challenge(ctx: Ctx) -> SignIn:
    """A fresh SMS_MFA challenge for a new user who prefers SMS."""
    world = ctx.world
    user = world.sandbox.create_user(
        world.pool, f"sms{time.monotonic_ns()}", phone="+15555550101", email=None
    )
    ctx.client.with_log(None).admin_set_preference(
        world.pool.pool_id, user.username, MfaPreference(sms="preferred")
    )
    attempt = ctx.client.with_log(None).sign_in(world.pool.client_id, user.username, user.password)
    assert attempt.challenge == "SMS_MFA", attempt
    return SignIn.of(attempt, ctx.client)  # answered through the logging client


def _wrong_code(ctx: Ctx) -> str:
    attempt = _sms_challenge(ctx)
    right = ctx.sandbox.latest_code(attempt.username)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    ctx.used += [right, wrong]
    return failed(attempt.answer(wrong))


def _expired_session(ctx: Ctx) -> str:
    attempt = _sms_challenge(ctx)
    code = ctx.sandbox.latest_code(attempt.username)
    ctx.used.append(code)
    ctx.sandbox.age_sessions(181)  # challenge sessions last 3 minutes
    return failed(attempt.answer(code))


def _reused_session(ctx: Ctx) -> str:
    attempt = _sms_challenge(ctx)
    code = ctx.sandbox.latest_code(attempt.username)
    ctx.used.append(code)
    assert SignIn.of(attempt, ctx.client.with_log(None)).answer(code).signed_in
    return failed(attempt.answer(code))


def _wrong_password(ctx: Ctx) -> str:
    wrong = "Wrong-Passw0rd-for-alice!"
    ctx.used.append(wrong)
    world = ctx.world
    return failed(ctx.client.sign_in(world.pool.client_id, world.user.username, wrong))


def _faulted(arm: Callable[[Sandbox], object], **client_options: Any) -> Callable[[Ctx], str]:
    """A case whose sandbox misbehaves (see ``Faults``) while the user's preference is read."""

    def act(ctx: Ctx) -> str:
        arm(ctx.sandbox)
        client = ctx.quiet_client(**client_options) if client_options else ctx.client
        return failed(client.admin_get_preference(ctx.world.pool.pool_id, ctx.world.user.username))

    return act


def _unreachable(ctx: Ctx) -> str:
    client = ctx.quiet_client(endpoint_url=f"http://127.0.0.1:{ctx.closed_port}", max_attempts=1)
    return failed(client.admin_get_preference(ctx.world.pool.pool_id, ctx.world.user.username))


def _log_file(ctx: Ctx, name: str, content: bytes) -> Path:
    path = ctx.tmp / name
    path.write_bytes(content)
    return path


def _pasted_token_in_settings(ctx: Ctx) -> str:
    token = ctx.world.token
    return command(ctx, "cli", "--from-cli", f"--sms-mfa-settings Enabled={token}")


def _wrong_authenticator_code(ctx: Ctx) -> str:
    world = ctx.world
    user = world.sandbox.create_user(world.pool, f"totp{time.monotonic_ns()}", email=None)
    token = world.sandbox.sign_in(world.pool, user.username, user.password)["AccessToken"]
    started = ctx.client.with_log(None).associate_totp(access_token=token).raise_for_error()
    right = totp_code(started.data["enrollment"].secret)
    wrong = f"{(int(right) + 500_000) % 1_000_000:06d}"  # far from every code in the window
    ctx.used += [started.data["enrollment"].secret, right, wrong]
    return failed(ctx.client.verify_totp(wrong, access_token=token))


def _explore_unreachable(ctx: Ctx) -> str:
    return command(ctx, "explore", "--endpoint-url", f"http://127.0.0.1:{ctx.closed_port}")


CASES = [
    # -- the preference model and the challenge rules (core) --
    Case(
        "two preferred",
        lambda ctx: raised(lambda: MfaPreference(sms="preferred", totp="preferred")),
        ("SMS and TOTP", "at most one", "set the others to enabled"),
    ),
    Case(
        "preferred but disabled (request block)",
        lambda ctx: raised(
            lambda: MfaPreference.from_request(
                {"SMSMfaSettings": {"Enabled": False, "PreferredMfa": True}}
            )
        ),
        ("preferred but not enabled", "Enabled=true"),
    ),
    Case(
        "unknown factor",
        lambda ctx: raised(lambda: Factor.parse("fax")),
        ("'fax'", "use one of sms, totp, email"),
    ),
    Case(
        "unknown factor state",
        lambda ctx: raised(lambda: MfaPreference(sms="sometimes")),
        ("'sometimes'", "use disabled, enabled, preferred"),
    ),
    Case(
        "predict: unknown pool mode (keyword form)",
        lambda ctx: raised(lambda: predict_challenge(pool_mfa="SOMETIMES")),
        ("'SOMETIMES'", "OFF, OPTIONAL, ON"),
    ),
    Case(
        "predict: keywords mixed with a pool",
        lambda ctx: raised(lambda: predict_challenge(PoolMfaConfig(), pool_mfa="ON")),
        ("not a mix", "either pool and user"),
    ),
    # -- tokens --
    Case(
        "malformed token",
        lambda ctx: raised(lambda: check_access_token("not-a-token")),
        ("not an access token", "1 segment", "AccessToken"),
    ),
    Case(
        "truncated token (cut in the middle)",
        lambda ctx: raised(
            lambda: check_access_token(ctx.world.token[: len(ctx.world.token) // 2])
        ),
        ("not an access token", "AccessToken"),
    ),
    Case(
        "truncated signature, refused by the server",
        lambda ctx: failed(ctx.client.set_preference(ctx.world.token[:-12], SMS_ON)),
        ("NotAuthorizedException", "invalid access token", "sign in again"),
        logged=True,
    ),
    Case(
        "expired token",
        lambda ctx: failed(ctx.client.set_preference(_claims(ctx, exp=1_700_000_000), SMS_ON)),
        ("expired", "sign in again"),
        logged=True,
    ),
    Case(
        "ID token instead of access token",
        lambda ctx: failed(ctx.client.set_preference(ctx.world.id_token, SMS_ON)),
        ("ID token", "AuthenticationResult['AccessToken']"),
        logged=True,
    ),
    Case(
        "token without the admin scope",
        lambda ctx: failed(ctx.client.set_preference(_claims(ctx, scope="openid"), SMS_ON)),
        ("lacks the scope aws.cognito.signin.user.admin", "InitiateAuth"),
        logged=True,
    ),
    Case(
        "10 MB token",
        lambda ctx: failed(ctx.client.set_preference("eyJ" + "A" * (10 * MB) + ".e30.sig", SMS_ON)),
        ("not an access token", "AccessToken"),
        logged=True,
    ),
    # -- preferences Cognito refuses --
    Case(
        "two preferred over the wire",
        lambda ctx: failed(
            ctx.client.call(
                "SetUserMFAPreference",
                AccessToken=ctx.world.token,
                SMSMfaSettings={"Enabled": True, "PreferredMfa": True},
                EmailMfaSettings={"Enabled": True, "PreferredMfa": True},
            )
        ),
        ("InvalidParameterException", "only one factor", 'untick "prefer" on the others'),
        logged=True,
    ),
    Case(
        "preferred but disabled over the wire",
        lambda ctx: failed(
            ctx.client.call(
                "SetUserMFAPreference",
                AccessToken=ctx.world.token,
                SMSMfaSettings={"Enabled": False, "PreferredMfa": True},
            )
        ),
        ("not enabled", 'tick "enabled" for it'),
        logged=True,
    ),
    Case(
        "TOTP before an authenticator is registered",
        lambda ctx: failed(
            ctx.client.set_preference(ctx.world.token, MfaPreference(totp="enabled"))
        ),
        ("software token", "no authenticator app is registered"),
        logged=True,
    ),
    Case(
        "email MFA on a pool that does not offer it",
        lambda ctx: failed(
            ctx.client.admin_set_preference(
                ctx.world.no_email_pool.pool_id,
                ctx.world.other.username,
                MfaPreference(email="preferred"),
            )
        ),
        ("Email MFA is not enabled for this user pool", "the pool does not offer email MFA"),
        logged=True,
    ),
    Case(
        "wrong authenticator code while registering",
        _wrong_authenticator_code,
        ("EnableSoftwareTokenMFAException", "device clock", "current code"),
        logged=True,
    ),
    # -- unknown ids and wrong credentials --
    Case(
        "unknown pool id",
        lambda ctx: failed(ctx.client.admin_get_preference("us-east-1_Nope12345", "alice")),
        ("us-east-1_Nope12345 does not exist", "check the pool id"),
        logged=True,
    ),
    Case(
        "pool configuration of an unknown pool",
        lambda ctx: failed(ctx.client.get_pool_config("us-east-1_Nope12345")),
        ("does not exist", "check the pool id"),
        logged=True,
    ),
    Case(
        "unknown user",
        lambda ctx: failed(ctx.client.admin_get_preference(ctx.world.pool.pool_id, "nobody")),
        ("user does not exist", "check the username"),
        logged=True,
    ),
    Case(
        "unknown app client id",
        lambda ctx: failed(
            ctx.client.sign_in("noSuchClient123", ctx.world.user.username, ctx.world.user.password)
        ),
        ("client does not exist", "client id"),
        logged=True,
    ),
    Case(
        "wrong password",
        _wrong_password,
        ("incorrect username or password", "the username or password is wrong"),
        logged=True,
    ),
    # -- one-time codes and sessions --
    Case("wrong one-time code", _wrong_code, ("invalid code", "latest code"), logged=True),
    Case(
        "expired challenge session",
        _expired_session,
        ("session is expired", "took too long", "start it again"),
        logged=True,
    ),
    Case(
        "reused code and session",
        _reused_session,
        ("invalid session", "already answered", "sign in again"),
        logged=True,
    ),
    # -- the network and the server --
    Case(
        "unreachable endpoint",
        _unreachable,
        ("could not connect", "sandbox is not running", "start it again"),
        logged=True,
    ),
    Case(
        "connection reset",
        _faulted(lambda sandbox: sandbox.faults.reset()),
        ("connection was closed", "retry"),
        logged=True,
        wire=True,
    ),
    Case(
        "kill switch: every connection dropped",
        _faulted(lambda sandbox: sandbox.faults.kill()),
        ("connection was closed", "retry"),
        logged=True,
        wire=True,
    ),
    Case(
        "server error 500 (InternalErrorException)",
        _faulted(lambda sandbox: sandbox.faults.server_error()),
        ("InternalErrorException", "retry"),
        logged=True,
    ),
    Case(
        "502 with an HTML body",
        _faulted(lambda sandbox: sandbox.faults.server_error(status=502, html=True)),
        ("bad gateway", "server error (HTTP 5xx)", "retry later"),
        logged=True,
    ),
    Case(
        "throttling",
        _faulted(lambda sandbox: sandbox.faults.throttle()),
        ("TooManyRequestsException", "rate exceeded", "slow down"),
        logged=True,
    ),
    Case(
        "timeout (stalled server, short read_timeout)",
        _faulted(lambda sandbox: sandbox.faults.stall(5), read_timeout=0.3, max_attempts=1),
        ("read timeout", "raise read_timeout"),
        logged=True,
    ),
    # -- odd text --
    Case(
        "undecodable bytes in a username",
        lambda ctx: raised_as_shown(
            lambda: ctx.client.admin_get_preference(
                ctx.world.pool.pool_id, b"al\xffice".decode("utf-8", "surrogateescape")
            )
        ),
        ("username is not valid Unicode text", "pass the user's name"),
        logged=True,
    ),
    Case(
        "bytes instead of text for a username",
        lambda ctx: raised_as_shown(
            lambda: ctx.client.admin_get_preference(ctx.world.pool.pool_id, b"alice")  # type: ignore[arg-type]
        ),
        ("username must be text", "pass the user's name"),
        logged=True,
    ),
    # -- the event log --
    Case(
        "log event with a bad operation name",
        lambda ctx: raised(lambda: LogEvent("set user mfa")),
        ("not a cognito-idp operation name", "CamelCase"),
    ),
    Case(
        "loading a log that does not exist",
        lambda ctx: raised(lambda: MfaLog.load(ctx.tmp / "missing.jsonl")),
        ("does not exist", "check the path"),
    ),
    Case(
        "loading a log that is not UTF-8",
        lambda ctx: raised(lambda: MfaLog.load(_log_file(ctx, "bin.jsonl", b"\xff\xfe{}\n"))),
        ("not UTF-8", "JSON Lines file the log wrote"),
    ),
    Case(
        "loading a log damaged in the middle",
        lambda ctx: raised(
            lambda: MfaLog.load(_log_file(ctx, "bad.jsonl", b'{"operation": 1}\n{}\n'))
        ),
        ("line 1", "fix or remove the line"),
    ),
    Case(
        "resuming a table file",
        lambda ctx: raised(lambda: MfaLog.load(_log_file(ctx, "t.csv", b"a\n"), resume=True)),
        ("resume needs a JSON Lines log",),
    ),
    # -- the commands --
    Case(
        "cli: garbage shorthand",
        lambda ctx: command(ctx, "cli", "--from-cli", "--sms-mfa-settings Enabled=maybe"),
        ("Enabled must be true or false", "shorthand Enabled=true,PreferredMfa=false"),
    ),
    Case(
        "cli: garbage JSON",
        lambda ctx: command(ctx, "cli", "--from-cli", "--sms-mfa-settings '{\"Enabled\": tru'"),
        ("invalid JSON", 'JSON {"Enabled": true'),
    ),
    Case(
        "cli: unknown state",
        lambda ctx: command(ctx, "cli", "--sms", "sometimes"),
        ("--sms 'sometimes'", "use disabled, enabled, preferred"),
    ),
    Case(
        "cli: two factors preferred",
        lambda ctx: command(ctx, "cli", "--sms", "preferred", "--email", "preferred"),
        ("only one of", "set the others to enabled"),
    ),
    Case(
        "cli: admin variant without pool and user",
        lambda ctx: command(ctx, "cli", "--admin", "--sms", "enabled"),
        ("needs --user-pool-id and --username", "--username alice"),
    ),
    Case(
        "cli: access token pasted into a settings value",
        _pasted_token_in_settings,
        ("Enabled must be true or false", "[token "),
    ),
    Case(
        "predict: unknown pool mode",
        lambda ctx: command(ctx, "predict", "--pool-mfa", "SOMETIMES", "--pool-factors", "SMS"),
        ("'SOMETIMES'", "OFF, OPTIONAL, ON"),
    ),
    Case(
        "predict: unknown factor",
        lambda ctx: command(ctx, "predict", "--pool-mfa", "ON", "--pool-factors", "SMS,FAX"),
        ("'FAX'", "use one of sms, totp, email"),
    ),
    Case(
        "sandbox: port already in use",
        lambda ctx: command(ctx, "sandbox", "--port", str(ctx.sandbox.port)),
        ("in use", "choose another port"),
    ),
    Case(
        "explore: log path is a folder",
        lambda ctx: command(ctx, "explore", "--log", str(ctx.tmp)),
        ("is a folder", "name a file in it"),
    ),
    Case(
        "explore: log file is not a log",
        lambda ctx: command(
            ctx, "explore", "--log", str(_log_file(ctx, "photo.jsonl", b"\x89PNG\r\n\x1a\n\xff"))
        ),
        ("not an MfaLog JSON Lines file", "pass a new file name"),
    ),
    Case(
        "audit: not a pool id",
        lambda ctx: command(ctx, "audit", "--user-pool-id", "mypool"),
        ("doesn't look like a pool id", "eu-west-1_AbCdEf123"),
    ),
    Case(
        "audit: unknown pool",
        lambda ctx: command(ctx, "audit", "--user-pool-id", "us-east-1_Nope12345"),
        ("us-east-1_Nope12345 does not exist", "check the pool id"),
    ),
    Case(
        "audit: unreachable endpoint",
        lambda ctx: command(
            ctx,
            "audit",
            "--user-pool-id",
            ctx.world.pool.pool_id,
            "--endpoint-url",
            f"http://127.0.0.1:{ctx.closed_port}",
        ),
        ("could not connect", "check the endpoint url"),
    ),
    Case(
        "explore: unreachable endpoint",
        _explore_unreachable,
        ("could not connect", "check the endpoint url"),
    ),
]


@pytest.fixture(scope="module")
def world(sandbox: Sandbox) -> World:
    pool = sandbox.create_pool(name="catalog")
    no_email = sandbox.create_pool(name="catalog-no-email", factors=("SMS", "TOTP"))
    user = sandbox.create_user(pool, "alice", phone="+15555550100", email="alice@example.com")
    other = sandbox.create_user(no_email, "bob", phone="+15555550102", email="bob@example.com")
    tokens = sandbox.sign_in(pool, user.username, user.password)
    other_tokens = sandbox.sign_in(no_email, other.username, other.password)
    return World(
        sandbox,
        pool,
        no_email,
        user,
        other,
        tokens["AccessToken"],
        tokens["IdToken"],
        other_tokens["AccessToken"],
    )


@pytest.fixture
def ctx(
    world: World,
    tmp_path: Path,
    closed_port: int,
    capsys: pytest.CaptureFixture[str],
    sandbox_env: None,
    request: pytest.FixtureRequest,
) -> Iterator[Ctx]:
    log_path = tmp_path / "log.jsonl"
    wire = request.node.get_closest_marker("wire") is not None
    with MfaLog(autosave=log_path) as log:
        client = MfaClient.for_sandbox(world.sandbox, log=log, in_process=not wire)
        yield Ctx(world, client, log, log_path, tmp_path, closed_port, capsys)


def test_the_catalog_is_big_enough() -> None:
    assert len({case.name for case in CASES}) == len(CASES) >= 30


@pytest.mark.parametrize(
    "case",
    [pytest.param(case, marks=[pytest.mark.wire] if case.wire else []) for case in CASES],
    ids=[case.name for case in CASES],
)
def test_bad_input_gets_a_clear_answer(case: Case, ctx: Ctx) -> None:
    answer = case.act(ctx)
    ctx.world.sandbox.faults.clear()

    for word in case.words:
        assert word.lower() in answer.lower(), f"{word!r} missing from: {answer}"
    assert "Traceback" not in answer

    saved = ctx.log_path.read_text(encoding="utf-8") if ctx.log_path.exists() else ""
    if case.logged:
        last = ctx.log.events[-1]
        assert last.outcome == "error", last
        assert last.error_code, last
        assert last.error_code in answer
        assert json.loads(saved.splitlines()[-1])["error_code"] == last.error_code

    secrets = [*ctx.used, *ctx.sandbox.issued_secrets()]
    outputs = [answer, saved, repr(ctx.log.events), ctx.log.frame.to_csv()]
    assert find_leaks(outputs, secrets) == []


@pytest.mark.wire  # plain boto3 reaches the endpoint from the environment
def test_the_sandbox_environment_points_plain_boto3_at_the_sandbox(
    sandbox: Sandbox, sandbox_env: None
) -> None:
    """The ``export`` lines ``mfa-widgets sandbox`` prints must not send calls to real AWS."""
    client = boto3.client("cognito-idp")
    assert client.meta.endpoint_url == sandbox.endpoint_url
    assert MfaClient()._client().meta.endpoint_url == sandbox.endpoint_url
    client.list_user_pools(MaxResults=1)
