"""Pool audits and bulk changes against a real sandbox over HTTP on 127.0.0.1.

The large pool (1,000 users in mixed states by default) checks that every user appears exactly
once with the state it was given; a 200-user pool checks interruption and resume; tiny
hand-built pools check each flag. Users are provisioned over HTTP on a few threads, with a spec
per user that the assertions compare against.
"""

from __future__ import annotations

import json
import os
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pandas as pd
import pytest

from mfa_widgets.commands.main import main as cli_main
from mfa_widgets.core.aws_cli import parse_cli_args
from mfa_widgets.core.preferences import Factor, MfaPreference
from mfa_widgets.core.signin import PoolMfaConfig
from mfa_widgets.sandbox import Sandbox, SandboxPool
from mfa_widgets.services.audit import FLAGS, AuditedUser, AuditError, PoolAudit, assess, audit_pool
from mfa_widgets.services.bulk import (
    apply_authenticator_reset,
    apply_bulk_change,
    plan_authenticator_reset,
    plan_bulk_change,
)
from mfa_widgets.services.client import MfaClient
from mfa_widgets.services.log import MfaLog
from mfa_widgets.services.pacing import run_bounded

# 1,000 users keep this file near a minute on a shared 2-core machine (the sandbox answers an
# AdminGetUser in 5-12 ms); set MFA_WIDGETS_AUDIT_USERS=3000 for a larger run.
BIG = int(os.environ.get("MFA_WIDGETS_AUDIT_USERS", "1000"))
MEDIUM = 200


@dataclass(frozen=True)
class Spec:
    """How a provisioned user was set up, and what the audit must therefore report."""

    username: str
    phone: bool
    email: bool
    preference: MfaPreference | None
    confirmed: bool
    disabled: bool
    challenge: str  # in an OPTIONAL pool offering SMS, TOTP and email (admin-only recovery)


def spec_of(i: int) -> Spec:
    kind = i % 8
    phone = kind in (0, 1, 3, 6, 7)
    email = kind in (0, 1, 2, 4, 6, 7)
    preference, challenge = {
        0: (MfaPreference(sms="preferred"), "SMS_MFA"),
        1: (MfaPreference(sms="enabled", email="enabled"), "SELECT_MFA_TYPE"),
        2: (MfaPreference(email="enabled"), "EMAIL_OTP"),
    }.get(kind, (None, "NONE"))
    return Spec(
        username=f"user-{i:05d}",
        phone=phone,
        email=email,
        preference=preference,
        confirmed=i % 10 == 9,
        disabled=i % 25 == 24,
        challenge=challenge,
    )


def provision(sandbox: Sandbox, pool: SandboxPool, specs: list[Spec]) -> None:
    """Create the users over HTTP, four requests in flight (bulk-provisioning for tests)."""
    cognito = sandbox.in_process_client()

    def create(spec: Spec) -> None:
        attributes = []
        if spec.phone:
            attributes.append({"Name": "phone_number", "Value": "+15555550100"})
        if spec.email:
            attributes.append({"Name": "email", "Value": f"{spec.username}@example.com"})
        where = {"UserPoolId": pool.pool_id, "Username": spec.username}
        cognito.admin_create_user(**where, UserAttributes=attributes, MessageAction="SUPPRESS")
        if spec.preference is not None:
            cognito.admin_set_user_mfa_preference(**where, **spec.preference.to_request())
        if spec.confirmed:
            cognito.admin_set_user_password(**where, Password="Audit-Passw0rd!", Permanent=True)
        if spec.disabled:
            cognito.admin_disable_user(**where)

    with ThreadPoolExecutor(4) as workers:
        list(workers.map(create, specs))


def mixed_pool(sandbox: Sandbox, name: str, count: int) -> tuple[SandboxPool, list[Spec]]:
    pool = sandbox.create_pool(name=name, mfa="OPTIONAL")
    specs = [spec_of(i) for i in range(count)]
    provision(sandbox, pool, specs)
    return pool, specs


@pytest.fixture(scope="module")
def big_pool(sandbox: Sandbox) -> tuple[SandboxPool, list[Spec]]:
    return mixed_pool(sandbox, "audit-big", BIG)


@pytest.fixture(scope="module")
def medium_pool(sandbox: Sandbox) -> tuple[SandboxPool, list[Spec]]:
    return mixed_pool(sandbox, "audit-medium", MEDIUM)


@pytest.fixture(scope="module")
def client(sandbox: Sandbox) -> MfaClient:
    return MfaClient.for_sandbox(sandbox, in_process=True)


@pytest.fixture(scope="module")
def medium_audit(client: MfaClient, medium_pool: tuple[SandboxPool, list[Spec]]) -> PoolAudit:
    """One uninterrupted audit of the medium pool: what every resumed run must equal."""
    return audit_pool(client, medium_pool[0].pool_id, read_rate=0)


def audit_quickly(client: MfaClient, pool_id: str, **options: Any) -> PoolAudit:
    """Against the sandbox the quotas don't apply: no client-side pacing."""
    return audit_pool(client, pool_id, read_rate=0, list_rate=0, **options)


# -- the large pool: every user exactly once ---------------------------------------------------


def test_every_user_appears_exactly_once_with_the_state_it_was_given(
    client: MfaClient, big_pool: tuple[SandboxPool, list[Spec]]
) -> None:
    pool, specs = big_pool
    seen: list[int] = []
    audit = audit_quickly(client, pool.pool_id, progress=lambda done, total: seen.append(done))
    frame = audit.frame.set_index("username", verify_integrity=True)  # raises on a duplicate

    assert audit.complete
    assert audit.read_now == BIG
    assert sorted(frame.index) == sorted(s.username for s in specs)
    assert seen[-1] == BIG
    for spec in specs:
        row = frame.loc[spec.username]
        state = spec.preference or MfaPreference()
        enabled = ",".join(f.name for f in Factor if f in state.enabled) or "none"
        preferred = row["preferred_factor"]
        assert row["enabled_factors"] == enabled
        assert (None if pd.isna(preferred) else preferred) == (
            state.preferred.name if state.preferred else None
        )
        assert (row["has_phone"], row["has_email"]) == (spec.phone, spec.email)
        assert row["status"] == ("CONFIRMED" if spec.confirmed else "FORCE_CHANGE_PASSWORD")
        assert bool(row["enabled"]) is not spec.disabled
        assert row["challenge"] == spec.challenge
    counts = audit.summary().challenges.set_index("challenge")["users"].to_dict()
    assert counts == dict(Counter(s.challenge for s in specs))


# -- interruption and resume -----------------------------------------------------------------


def interrupted_audit(client: MfaClient, pool_id: str, checkpoint: Path, after: int) -> PoolAudit:
    """An audit of ``pool_id`` into ``checkpoint``, stopped once ``after`` users are read."""
    stop = threading.Event()

    def progress(done: int, _total: int | None) -> None:
        if done >= after:
            stop.set()

    return audit_quickly(client, pool_id, checkpoint=checkpoint, progress=progress, stop=stop)


def user_records(path: Path) -> list[str]:
    lines = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return [line["user"]["username"] for line in lines if line["record"] == "user"]


def test_an_interrupted_audit_resumes_to_the_same_result(
    client: MfaClient,
    medium_pool: tuple[SandboxPool, list[Spec]],
    medium_audit: PoolAudit,
    tmp_path: Path,
) -> None:
    checkpoint = tmp_path / "audit.jsonl"
    first = interrupted_audit(client, medium_pool[0].pool_id, checkpoint, after=MEDIUM // 2)
    assert not first.complete
    assert MEDIUM // 2 <= len(first.users) < MEDIUM

    second = audit_quickly(client, medium_pool[0].pool_id, checkpoint=checkpoint)

    assert second.complete
    assert second.resumed == first.read_now
    assert first.read_now + second.read_now == MEDIUM  # nobody read twice
    assert second.frame.equals(medium_audit.frame)
    names = user_records(checkpoint)
    assert len(names) == len(set(names)) == MEDIUM


def test_a_finished_checkpoint_answers_without_calls(
    client: MfaClient, medium_pool: tuple[SandboxPool, list[Spec]], tmp_path: Path
) -> None:
    checkpoint = tmp_path / "audit.jsonl"
    audit_quickly(client, medium_pool[0].pool_id, checkpoint=checkpoint)
    log = MfaLog()
    again = audit_quickly(client.with_log(log), medium_pool[0].pool_id, checkpoint=checkpoint)
    assert again.complete
    assert (again.read_now, again.resumed, len(log)) == (0, MEDIUM, 0)


def test_a_crash_mid_record_and_a_refused_token_still_resume_exactly(
    client: MfaClient,
    medium_pool: tuple[SandboxPool, list[Spec]],
    medium_audit: PoolAudit,
    tmp_path: Path,
) -> None:
    checkpoint = tmp_path / "audit.jsonl"
    first = interrupted_audit(client, medium_pool[0].pool_id, checkpoint, after=90)
    records = [json.loads(line) for line in checkpoint.read_text().splitlines()]
    assert any(r["record"] == "page" and r["next"] for r in records)
    for record in records:  # the saved pagination token has expired meanwhile
        if record["record"] == "page":
            record["next"] = "expired-token"
    lines = "".join(json.dumps(r) + "\n" for r in records)
    checkpoint.write_text(lines + '{"record": "user", "user": {"usern')  # killed mid-write

    with pytest.warns(RuntimeWarning, match="listing again from the first page"):
        second = audit_quickly(client, medium_pool[0].pool_id, checkpoint=checkpoint)

    assert second.complete
    assert first.read_now + second.read_now == MEDIUM
    assert second.frame.equals(medium_audit.frame)


def test_a_checkpoint_of_another_pool_is_refused(
    client: MfaClient,
    medium_pool: tuple[SandboxPool, list[Spec]],
    sandbox: Sandbox,
    tmp_path: Path,
) -> None:
    checkpoint = tmp_path / "audit.jsonl"
    other = sandbox.create_pool(name="audit-other")
    audit_quickly(client, other.pool_id, checkpoint=checkpoint)
    with pytest.raises(AuditError, match="checkpoint of an audit of pool"):
        audit_quickly(client, medium_pool[0].pool_id, checkpoint=checkpoint)


# -- flags on hand-built users -----------------------------------------------------------------


def flags_of(audit: PoolAudit, username: str) -> set[str]:
    row = audit.frame.set_index("username").loc[username]
    return {flag.name for flag in FLAGS if row[flag.name]}


def challenge_of(audit: PoolAudit, username: str) -> str:
    return str(audit.frame.set_index("username").loc[username, "challenge"])


def test_required_pool_flags_users_challenged_with_an_empty_list(
    client: MfaClient, sandbox: Sandbox
) -> None:
    pool = sandbox.create_pool(name="flags-on", mfa="ON", recovery="verified_phone_number")
    sandbox.create_user(pool, "phone-only", phone="+15555550100")
    sandbox.create_user(pool, "email-only", email="e@example.com")
    sandbox.create_user(pool, "set-up-sms", phone="+15555550100", email="s@example.com")
    client.admin_set_preference(pool.pool_id, "set-up-sms", MfaPreference(sms="preferred"))

    audit = audit_quickly(client, pool.pool_id)

    # the only contact attribute is the recovery channel: no usable factor
    assert flags_of(audit, "phone-only") == {"cannot_sign_in"}
    assert challenge_of(audit, "phone-only") == "ERROR"
    assert flags_of(audit, "email-only") == {"empty_list_but_challenged"}
    assert challenge_of(audit, "email-only") == "EMAIL_OTP"
    assert flags_of(audit, "set-up-sms") == {"preferred_is_recovery_channel"}
    assert challenge_of(audit, "set-up-sms") == "SMS_MFA"


def test_optional_pool_flags_choice_and_factors_the_pool_or_user_cannot_use(
    client: MfaClient, sandbox: Sandbox
) -> None:
    pool = sandbox.create_pool(name="flags-optional", mfa="OPTIONAL")
    cognito = sandbox.in_process_client()
    sandbox.create_user(pool, "chooser", phone="+15555550100", email="c@example.com")
    sandbox.create_user(pool, "email-fan", email="f@example.com")
    sandbox.create_user(pool, "lost-phone", phone="+15555550100")
    sandbox.create_user(pool, "clean", phone="+15555550100")
    both = MfaPreference(sms="enabled", email="enabled")
    client.admin_set_preference(pool.pool_id, "chooser", both).raise_for_error()
    client.admin_set_preference(pool.pool_id, "email-fan", MfaPreference(email="preferred"))
    client.admin_set_preference(pool.pool_id, "lost-phone", MfaPreference(sms="enabled"))
    client.admin_set_preference(pool.pool_id, "clean", MfaPreference(sms="preferred"))
    cognito.admin_delete_user_attributes(
        UserPoolId=pool.pool_id, Username="lost-phone", UserAttributeNames=["phone_number"]
    )
    cognito.set_user_pool_mfa_config(  # the pool stops offering email MFA
        UserPoolId=pool.pool_id,
        MfaConfiguration="OPTIONAL",
        SoftwareTokenMfaConfiguration={"Enabled": True},
        SmsMfaConfiguration={
            "SmsAuthenticationMessage": "Your code is {####}",
            "SmsConfiguration": {"SnsCallerArn": "arn:aws:iam::123456789012:role/sms"},
        },
    )

    audit = audit_quickly(client, pool.pool_id)

    assert flags_of(audit, "chooser") == {
        "several_enabled_none_preferred",
        "enabled_factor_unusable",  # email is enabled, but the pool no longer offers it
    }
    assert flags_of(audit, "email-fan") == {"preferred_not_offered", "enabled_factor_unusable"}
    assert challenge_of(audit, "email-fan") == "NONE"
    assert flags_of(audit, "lost-phone") == {"enabled_factor_unusable"}
    assert flags_of(audit, "clean") == set()
    assert challenge_of(audit, "clean") == "SMS_MFA"
    assert audit.select(flag="preferred_not_offered") == ["email-fan"]
    assert audit.select(challenge="SMS_MFA") == ["chooser", "clean"]

    cognito.set_user_pool_mfa_config(UserPoolId=pool.pool_id, MfaConfiguration="OFF")
    off = audit_quickly(client, pool.pool_id)
    assert "mfa_off_factors_ignored" in flags_of(off, "clean")
    assert set(off.frame["challenge"].astype(str)) == {"NONE"}


def test_legacy_sms_and_a_failed_read_are_reported_not_guessed() -> None:
    pool = PoolMfaConfig(mode="ON", factors=frozenset())
    legacy = assess(AuditedUser("old", has_phone=True, legacy_sms=True), pool)
    assert legacy["legacy_sms_mfa"]
    failed = assess(AuditedUser("gone", read_error="UserNotFoundException: gone"), pool)
    assert failed["challenge"] is None
    assert not any(failed[flag.name] for flag in FLAGS)


@pytest.mark.wire  # a client made from a session and an endpoint URL
def test_a_failed_read_is_one_row_and_a_throttled_read_is_retried(
    sandbox: Sandbox, client: MfaClient
) -> None:
    pool = sandbox.create_pool(name="flaky")
    for name in ("a", "b", "c"):
        sandbox.create_user(pool, name, email=f"{name}@example.com")
    sandbox.faults.inject("AdminGetUser", "UserNotFoundException", "User does not exist.")
    missing = audit_quickly(client, pool.pool_id, workers=1)
    assert missing.complete
    assert missing.frame["read_error"].notna().sum() == 1
    assert missing.summary().challenges.set_index("challenge").loc["(read failed)", "users"] == 1

    adaptive = MfaClient(
        session=boto3.Session("testing", "testing", region_name=sandbox.region),
        endpoint_url=sandbox.endpoint_url,
        retry_mode="adaptive",
    )
    sandbox.faults.inject("AdminGetUser", "TooManyRequestsException", "Rate exceeded")
    retried = audit_quickly(adaptive, pool.pool_id, workers=1)
    assert retried.frame["read_error"].isna().all()


def test_bad_arguments_are_named(client: MfaClient, tmp_path: Path) -> None:
    with pytest.raises(AuditError, match="doesn't look like a pool id"):
        audit_pool(client, "not-a-pool")
    with pytest.raises(AuditError, match="page_size"):
        audit_pool(client, "us-east-1_abc", page_size=61)
    with pytest.raises(AuditError, match="does not exist; create it"):
        audit_pool(client, "us-east-1_abc", checkpoint=tmp_path / "missing" / "audit.jsonl")


# -- the command ---------------------------------------------------------------------------


@pytest.mark.wire  # the command, in another process, calls the endpoint
def test_the_command_audits_with_the_standard_credential_chain(
    sandbox: Sandbox,
    medium_pool: tuple[SandboxPool, list[Spec]],
    medium_audit: PoolAudit,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Credentials and Region from the environment, as `mfa-widgets sandbox` prints them; the
    # sandbox accepts any credentials. The endpoint is given explicitly.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", sandbox.region)
    table = tmp_path / "audit.csv"
    pool_id = medium_pool[0].pool_id
    code = cli_main(
        [
            *("audit", "--user-pool-id", pool_id, "--endpoint-url", sandbox.endpoint_url),
            *("--csv", str(table), "--read-rate", "0"),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert f"{MEDIUM} users" in out
    assert "SELECT_MFA_TYPE" in out
    written = pd.read_csv(table)
    assert sorted(written["username"]) == sorted(medium_audit.frame["username"])


# -- bulk changes ----------------------------------------------------------------------------


@pytest.fixture
def bulk_pool(sandbox: Sandbox, client: MfaClient) -> tuple[SandboxPool, PoolAudit]:
    pool = sandbox.create_pool(name="bulk", mfa="OPTIONAL")
    for i in range(6):
        sandbox.create_user(pool, f"both-{i}", phone="+15555550100", email=f"b{i}@example.com")
        client.admin_set_preference(
            pool.pool_id, f"both-{i}", MfaPreference(sms="enabled", email="enabled")
        )
    sandbox.create_user(pool, "no-phone", email="n@example.com")
    client.admin_set_preference(pool.pool_id, "no-phone", MfaPreference(email="enabled"))
    sandbox.create_user(pool, "already", phone="+15555550100")
    client.admin_set_preference(pool.pool_id, "already", MfaPreference(sms="preferred"))
    return pool, audit_quickly(client, pool.pool_id)


def test_a_bulk_change_previews_exact_calls_and_sends_nothing_without_confirmation(
    client: MfaClient, sandbox: Sandbox, bulk_pool: tuple[SandboxPool, PoolAudit]
) -> None:
    pool, audit = bulk_pool
    chosen = [*audit.select(flag="several_enabled_none_preferred"), "no-phone", "already"]
    plan = plan_bulk_change(audit, chosen, {"sms": "preferred"})

    assert len(plan.to_send) == 7  # "already" is in the target state
    first = plan.to_send[0]
    assert first.request == {
        "UserPoolId": pool.pool_id,
        "Username": "both-0",
        "SMSMfaSettings": {"Enabled": True, "PreferredMfa": True},
    }
    assert (first.challenge_before, first.challenge_after) == ("SELECT_MFA_TYPE", "SMS_MFA")
    parsed = parse_cli_args(first.cli.split(" ", 2)[2])  # the CLI command says the same
    assert (parsed.user_pool_id, parsed.username) == (pool.pool_id, "both-0")
    assert parsed.preference == first.change
    assert len(plan.cli_script().splitlines()) == 7
    no_phone = plan.frame().set_index("username").loc["no-phone"]
    assert "without a phone_number" in no_phone["warnings"]

    log = MfaLog()
    report = apply_bulk_change(client, plan, log=log)
    assert report.dry_run
    assert report.counts() == {"dry-run": 7, "unchanged": 1}
    assert len(log) == 0
    untouched = sandbox.in_process_client().admin_get_user(
        UserPoolId=pool.pool_id, Username="both-0"
    )
    assert "PreferredMfaSetting" not in untouched or not untouched["PreferredMfaSetting"]


def test_a_confirmed_bulk_change_applies_logs_and_reports_each_user(
    client: MfaClient, sandbox: Sandbox, bulk_pool: tuple[SandboxPool, PoolAudit]
) -> None:
    pool, audit = bulk_pool
    names = [u.username for u in audit.users]
    plan = plan_bulk_change(audit, names, MfaPreference(sms="preferred"))
    log = MfaLog()
    done: list[int] = []

    report = apply_bulk_change(
        client, plan, confirm=True, log=log, progress=lambda n, total: done.append(n)
    )

    outcomes = {o.username: o for o in report.outcomes}
    assert report.counts() == {"applied": 6, "error": 1, "unchanged": 1}
    assert outcomes["no-phone"].error_code == "InvalidParameterException"
    assert all(outcomes[f"both-{i}"].as_expected for i in range(6))
    assert sorted(e.username for e in log.events) == sorted(n for n in names if n != "already")
    assert {e.operation for e in log.events} == {"AdminSetUserMFAPreference"}
    assert sorted(done) == list(range(1, 8))
    cognito = sandbox.in_process_client()
    for i in range(6):
        state = cognito.admin_get_user(UserPoolId=pool.pool_id, Username=f"both-{i}")
        assert state["PreferredMfaSetting"] == "SMS_MFA"
    assert report.frame().set_index("username").loc["no-phone", "outcome"] == "error"


def test_a_bulk_plan_refuses_unknown_users_and_empty_targets(
    bulk_pool: tuple[SandboxPool, PoolAudit],
) -> None:
    _, audit = bulk_pool
    with pytest.raises(AuditError, match="not in the audit"):
        plan_bulk_change(audit, ["nobody"], {"sms": "enabled"})
    with pytest.raises(AuditError, match="leaves every factor unchanged"):
        plan_bulk_change(audit, ["already"], MfaPreference())


def test_every_flag_has_a_meaning_a_source_and_its_own_column() -> None:
    assert all(flag.meaning and flag.source for flag in FLAGS)
    assert len({flag.name for flag in FLAGS}) == len(FLAGS)


def test_a_stopped_bulk_change_reports_the_users_it_did_not_reach(
    client: MfaClient, bulk_pool: tuple[SandboxPool, PoolAudit]
) -> None:
    _, audit = bulk_pool
    plan = plan_bulk_change(
        audit, audit.select(flag="several_enabled_none_preferred"), {"sms": "preferred"}
    )
    stop = threading.Event()
    report = apply_bulk_change(
        client, plan, confirm=True, workers=1, progress=lambda done, _: stop.set(), stop=stop
    )
    counts = report.counts()
    assert counts["applied"] >= 1
    assert counts["applied"] + counts["not-run"] == 6
    assert len(report.log) == counts["applied"]


# -- the bounded runner both jobs share --------------------------------------------------------


def test_the_runner_pulls_items_lazily_and_never_queues_more_than_its_depth() -> None:
    pulled: list[int] = []
    finished: list[int] = []

    def items() -> Iterator[int]:
        for i in range(50):
            pulled.append(i)
            assert len(pulled) - len(finished) <= 4 + 1  # depth 4, plus the one being pulled
            yield i

    ran = run_bounded(
        lambda i: i * i, items(), workers=2, queue_depth=4, on_done=lambda i, r: finished.append(r)
    )
    assert ran == 50
    assert sorted(finished) == [i * i for i in range(50)]


def test_the_runner_stops_on_the_first_failure_and_raises_it() -> None:
    started: list[int] = []

    def work(i: int) -> None:
        started.append(i)
        if i == 3:
            raise ValueError("boom at 3")

    with pytest.raises(ValueError, match="boom at 3"):
        run_bounded(work, range(1000), workers=1, queue_depth=1)
    assert len(started) < 10


# -- auth factors: a registered-but-disabled authenticator, and resets that strand a user ------


def test_the_audit_sees_a_disabled_authenticator_and_users_a_reset_would_strand(
    client: MfaClient, sandbox: Sandbox
) -> None:
    pool = sandbox.create_pool(name="factors-on", mfa="ON", recovery="admin_only")
    # registered, never enabled: AdminGetUser alone reads "no TOTP"
    users = [
        sandbox.create_user(pool, "app-only", totp=True),
        sandbox.create_user(pool, "app-and-phone", phone="+15555550100", totp=True),
        sandbox.create_user(pool, "phone-only", phone="+15555550100"),
        sandbox.create_user(pool, "app-enabled", email="a@example.com", totp=True),
    ]
    enabled = MfaPreference(totp="preferred")
    client.admin_set_preference(pool.pool_id, "app-enabled", enabled).raise_for_error()

    audit = audit_quickly(client, pool.pool_id)
    frame = audit.frame.set_index("username")

    assert frame.loc["app-only", "totp"] == "disabled"
    assert bool(frame.loc["app-only", "totp_registered"])
    assert "SOFTWARE_TOKEN" in str(frame.loc["app-only", "auth_factors"]).split(",")
    assert not bool(frame.loc["phone-only", "totp_registered"])
    # the disabled authenticator still decides the challenge in a required pool, as it does
    # when Cognito answers the password step
    cognito = sandbox.in_process_client()
    for user in users:
        first = cognito.initiate_auth(
            ClientId=pool.client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": user.username, "PASSWORD": user.password},
        )
        assert challenge_of(audit, user.username) == first["ChallengeName"], user.username
    assert "no_way_back_after_reset" in flags_of(audit, "app-only")
    assert "no_way_back_after_reset" not in flags_of(audit, "app-and-phone")
    assert "no_way_back_after_reset" not in flags_of(audit, "phone-only")
    assert "no_way_back_after_reset" not in flags_of(audit, "app-enabled")  # email MFA left
    assert audit.select(flag="no_way_back_after_reset") == ["app-only"]


def test_a_failed_factors_read_falls_back_to_enabled_totp_and_says_why() -> None:
    user = AuditedUser("u", preference=MfaPreference("disabled", "enabled", "disabled"))
    denied = user.with_factors(
        _failed("AdminGetUserAuthFactors", "AccessDeniedException", "not allowed")
    )
    assert denied.auth_factors is None
    assert denied.factors_error == "AccessDeniedException: not allowed"
    assert denied.totp_registered  # enabled implies registered
    assert AuditedUser.from_json(json.loads(json.dumps(denied.to_json()))) == denied
    read = AuditedUser("v").with_factors(_factors(("PASSWORD", "SOFTWARE_TOKEN")))
    assert read.totp_registered
    assert AuditedUser.from_json(json.loads(json.dumps(read.to_json()))) == read


def _failed(operation: str, code: str, message: str) -> Any:
    from mfa_widgets.core.errors import CognitoError
    from mfa_widgets.core.results import CallResult

    return CallResult(operation, {}, 1.0, error=CognitoError(code, message, operation))


def _factors(factors: tuple[str, ...]) -> Any:
    from mfa_widgets.core.results import CallResult

    return CallResult("AdminGetUserAuthFactors", {}, 1.0, data={"factors": factors})


# -- bulk authenticator resets -------------------------------------------------------------------


@pytest.fixture
def reset_pool(sandbox: Sandbox, client: MfaClient) -> tuple[SandboxPool, list[Any], PoolAudit]:
    pool = sandbox.create_pool(name="bulk-reset", mfa="ON", recovery="admin_only")
    users = [
        sandbox.create_user(pool, "app-phone", phone="+15555550100", totp=True),
        sandbox.create_user(pool, "app-email", email="r@example.com", totp=True),
        sandbox.create_user(pool, "app-only", totp=True),
        sandbox.create_user(pool, "no-app", phone="+15555550100"),
    ]
    client.admin_set_preference(pool.pool_id, "app-phone", MfaPreference(totp="preferred"))
    return pool, users, audit_quickly(client, pool.pool_id)


def first_challenge(sandbox: Sandbox, pool: SandboxPool, user: Any) -> str:
    answer = sandbox.in_process_client().initiate_auth(
        ClientId=pool.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": user.username, "PASSWORD": user.password},
    )
    return str(answer.get("ChallengeName") or "NONE")


def registered(sandbox: Sandbox, pool: SandboxPool, username: str) -> bool:
    factors = sandbox.in_process_client().admin_get_user_auth_factors(
        UserPoolId=pool.pool_id, Username=username
    )
    return "SOFTWARE_TOKEN" in factors["ConfiguredUserAuthFactors"]


def test_an_authenticator_reset_previews_exact_calls_and_sends_nothing_unconfirmed(
    client: MfaClient, sandbox: Sandbox, reset_pool: tuple[SandboxPool, list[Any], PoolAudit]
) -> None:
    import botocore.session
    from botocore import xform_name

    pool, users, audit = reset_pool
    plan = plan_authenticator_reset(audit, [u.username for u in users])

    assert [r.username for r in plan.to_send] == ["app-phone", "app-email", "app-only"]
    assert plan.calls()[0] == {
        "operation": "AdminDeleteSoftwareToken",
        "params": {"UserPoolId": pool.pool_id, "Username": "app-phone"},
    }
    # the CLI command names the operation and the members botocore's model gives it
    model = botocore.session.get_session().get_service_model("cognito-idp")
    shape = model.operation_model("AdminDeleteSoftwareToken").input_shape
    for reset, line in zip(plan.to_send, plan.cli_script().splitlines(), strict=True):
        words = line.split()
        assert words[:3] == ["aws", "cognito-idp", xform_name("AdminDeleteSoftwareToken", "-")]
        options = dict(zip(words[3::2], words[4::2], strict=True))
        assert {xform_name(m, "-") for m in shape.members} == {o[2:] for o in options}
        assert options == {"--user-pool-id": pool.pool_id, "--username": reset.username}
    frame = plan.frame().set_index("username")
    assert not frame.loc["no-app", "registered"]
    assert frame.loc["app-only", "registered"]
    assert "no factor left" in frame.loc["app-only", "warnings"]
    assert "no factor left" not in frame.loc["app-phone", "warnings"]
    for reset in plan.resets:  # before: what Cognito asks now
        user = next(u for u in users if u.username == reset.username)
        assert reset.challenge_before == first_challenge(sandbox, pool, user)

    log = MfaLog()
    dry = apply_authenticator_reset(client, plan, log=log)
    assert dry.dry_run
    assert dry.counts() == {"dry-run": 3, "unchanged": 1}
    assert len(log) == 0
    assert all(registered(sandbox, pool, r.username) for r in plan.to_send)


def test_a_confirmed_authenticator_reset_applies_and_the_next_sign_in_is_as_predicted(
    client: MfaClient, sandbox: Sandbox, reset_pool: tuple[SandboxPool, list[Any], PoolAudit]
) -> None:
    pool, users, audit = reset_pool
    plan = plan_authenticator_reset(audit, [u.username for u in users])
    log = MfaLog()
    done: list[int] = []

    report = apply_authenticator_reset(
        client, plan, confirm=True, log=log, progress=lambda n, _total: done.append(n)
    )

    outcomes = {o.username: o for o in report.outcomes}
    assert report.counts() == {"applied": 3, "unchanged": 1}
    assert all(outcomes[r.username].as_expected for r in plan.to_send)
    assert sorted(e.username for e in log.events) == sorted(r.username for r in plan.to_send)
    assert {e.operation for e in log.events} == {"AdminDeleteSoftwareToken"}
    assert sorted(done) == [1, 2, 3]
    for reset in plan.resets:
        user = next(u for u in users if u.username == reset.username)
        assert not registered(sandbox, pool, reset.username)
        assert first_challenge(sandbox, pool, user) == reset.challenge_after, reset.username
    assert report.frame().set_index("username").loc["app-only", "outcome"] == "applied"


def test_a_reset_plan_refuses_unknown_users(
    reset_pool: tuple[SandboxPool, list[Any], PoolAudit],
) -> None:
    _, _, audit = reset_pool
    with pytest.raises(AuditError, match="not in the audit"):
        plan_authenticator_reset(audit, ["nobody"])
    with pytest.raises(AuditError, match="no user is selected"):
        plan_authenticator_reset(audit, [])


def test_resets_are_paced_at_the_user_resource_update_quota(
    client: MfaClient, sandbox: Sandbox
) -> None:
    from mfa_widgets.core.quotas import category_of
    from mfa_widgets.services.pacing import QUOTAS

    assert category_of("AdminDeleteSoftwareToken") == "UserResourceUpdate"
    pool = sandbox.create_pool(name="reset-paced", mfa="OPTIONAL")
    names = [sandbox.create_user(pool, f"paced-{i}", totp=True).username for i in range(12)]
    plan = plan_authenticator_reset(audit_quickly(client, pool.pool_id), names)
    rate = 8.0  # a scaled-down quota: the run takes over a second, so pacing is what passes it
    guard = sandbox.faults.enforce_quotas({**QUOTAS, "UserResourceUpdate": rate})
    try:
        report = apply_authenticator_reset(client, plan, confirm=True, write_rate=rate)
    finally:
        sandbox.faults.clear()
    assert report.counts() == {"applied": 12}
    assert guard.admitted["UserResourceUpdate"] == 12
    assert guard.total_throttled == 0
