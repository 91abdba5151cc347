"""The impact of a pool change against a real sandbox over HTTP: predicted vs signed in, read-only.

The generated test builds a sandbox pool and a mix of users (hypothesis), audits it, predicts the
impact of each kind of change, then applies the change to that pool and signs every user in:
the challenge each user gets must be the one predicted. Other tests: a saved audit gives the
same impact as a live one; the feature only reads the audited pool (a boto3 event hook records
every operation sent); the rehearsal copies users into its own world and agrees, marking the
stand-ins; the command line.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

import mfa_widgets as mw
from mfa_widgets.commands.main import main as cli_main
from mfa_widgets.core.pool_change import PoolChange, PoolChangeError
from mfa_widgets.core.posture import AuditedUser
from mfa_widgets.core.preferences import Factor, FactorState, MfaPreference
from mfa_widgets.core.signin import PoolMfaConfig
from mfa_widgets.core.signin.labels import observed_label
from mfa_widgets.sandbox import Sandbox
from mfa_widgets.sandbox.in_process import answer_in_process
from mfa_widgets.services.audit import PoolAudit, audit_pool
from mfa_widgets.services.client import MfaClient
from mfa_widgets.services.impact import fix_plans, impact, load_audit
from mfa_widgets.services.rehearsal import change_pool, first_step, rehearse
from tests.impact_kinds import KINDS

NOTHING = MfaPreference(FactorState.DISABLED, FactorState.DISABLED, FactorState.DISABLED)
pools = st.builds(
    PoolMfaConfig,
    mode=st.sampled_from(["OFF", "OPTIONAL", "ON"]),
    factors=st.frozensets(st.sampled_from(list(Factor)), min_size=1),
    tier=st.sampled_from(["ESSENTIALS", "PLUS", "LITE"]),
    recovery=st.sampled_from(["admin_only", "verified_email", "verified_phone_number"]),
).filter(lambda pool: not (pool.tier.value == "LITE" and Factor.EMAIL in pool.factors))
people = st.lists(
    st.tuples(
        st.booleans(),  # phone
        st.booleans(),  # email
        st.booleans(),  # authenticator
        st.lists(st.sampled_from(["disabled", "enabled"]), min_size=3, max_size=3),
        st.sampled_from([None, *Factor]),  # preferred
    ),
    min_size=1,
    max_size=5,
)


def build(sandbox: Sandbox, pool: PoolMfaConfig, mix: list[Any]) -> tuple[Any, dict[str, str]]:
    """A sandbox pool shaped like ``pool`` with the users of ``mix``; their passwords."""
    made = sandbox.create_pool(
        name="impact",
        mfa=pool.mode.value,
        factors=tuple(f.name for f in pool.factors),
        tier=pool.tier.value,
        recovery=pool.recovery.value,
    )
    client = MfaClient.for_sandbox(sandbox, in_process=True)
    passwords = {}
    for number, (phone, email, totp, states, preferred) in enumerate(mix):
        user = sandbox.create_user(
            made,
            f"person{number}",
            phone=f"+1555555{number:04d}" if phone else None,
            email=f"person{number}@example.com" if email else None,
            totp=totp,
        )
        passwords[user.username] = user.password
        wanted = MfaPreference(*states)
        if preferred is not None:
            wanted = wanted.with_state(preferred, FactorState.PREFERRED)
        change = wanted.changes_from(NOTHING)
        if not change.is_empty:  # Cognito may refuse (no attribute): the audit reads what stuck
            client.admin_set_preference(made.pool_id, user.username, change, current=NOTHING)
    return made, passwords


@pytest.mark.parametrize("kind", KINDS, ids=[json.dumps(k) for k in KINDS])
def test_predicted_impact_is_what_signing_in_observes(
    sandbox: Sandbox, kind: dict[str, str]
) -> None:
    @settings(
        max_examples=3,
        deadline=None,
        database=None,
        phases=(Phase.explicit, Phase.generate),  # no shrinking: each example builds a pool
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(pool=pools, mix=people)
    def check(pool: PoolMfaConfig, mix: list[Any]) -> None:
        try:
            change = PoolChange(**kind)  # type: ignore[arg-type]
            change.apply(pool)
        except PoolChangeError:
            assume(False)
        made, passwords = build(sandbox, pool, mix)
        client = MfaClient.for_sandbox(sandbox, in_process=True)
        found = audit_pool(client, made.pool_id, read_rate=0, list_rate=0).impact(change)
        change_pool(client, made.pool_id, made.client_id, found.after)
        frame = found.frame.set_index("username")
        for name, password in passwords.items():
            attempt = first_step(
                client, made.pool_id, made.client_id, name, password, found.after.password_flow
            )
            row = frame.loc[name]
            observed = (observed_label(attempt), ",".join(attempt.options))
            assert observed == (row["challenge_after"], row["options_after"]), (
                f"{name}: {found.change.describe()} on {pool}: predicted "
                f"{row['challenge_after']} ({row['rule_after']}), observed {observed}"
            )

    check()


@pytest.fixture
def mixed_pool(sandbox: Sandbox) -> tuple[Any, dict[str, str]]:
    """An OPTIONAL pool (SMS, TOTP, email) with users in several states."""
    mix = [
        (True, False, False, ["disabled"] * 3, Factor.SMS),
        (False, True, False, ["disabled", "disabled", "enabled"], None),
        (True, True, True, ["disabled"] * 3, Factor.TOTP),
        (False, False, False, ["disabled"] * 3, None),
        (True, True, False, ["enabled", "disabled", "enabled"], None),
        (True, True, False, ["disabled"] * 3, Factor.SMS),
    ]
    return build(sandbox, PoolMfaConfig("OPTIONAL", "SMS,TOTP,EMAIL"), mix)


class _CallLog:
    """Every operation a boto3 client sends (a ``before-call`` event hook)."""

    def __init__(self, client: Any) -> None:
        self.operations: list[str] = []
        client.meta.events.register("before-call.cognito-idp.*", self._record)

    def _record(self, model: Any, **_: Any) -> None:
        self.operations.append(model.name)


def _recorded_client(sandbox: Sandbox) -> tuple[MfaClient, _CallLog]:
    boto = boto3.client(
        "cognito-idp",
        region_name=sandbox.region,
        endpoint_url=sandbox.endpoint_url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    answer_in_process(boto, sandbox.wsgi_app)  # not a wire test
    return MfaClient(client=boto, region=sandbox.region, backend="real"), _CallLog(boto)


def _is_read(operation: str) -> bool:
    return operation.startswith(("Get", "List", "Describe", "AdminGet"))


def test_the_audited_pool_only_sees_reads(sandbox: Sandbox, mixed_pool: Any) -> None:
    made, _ = mixed_pool
    real, real_log = _recorded_client(sandbox)
    stand_in, stand_in_log = _recorded_client(sandbox)
    before = real.get_pool_config(made.pool_id).data["pool"]
    found = impact(
        made.pool_id,
        {"mfa": "ON", "withdraw": "SMS"},
        client=real,
        client_id=made.client_id,
        read_rate=0,
        list_rate=0,
    )
    fix_plans(found)
    done = rehearse(found, stand_in, write_rate=0, auth_rate=0)
    assert done.agreement == 1.0
    assert real_log.operations, "the witness saw nothing: it would pass anything"
    assert {"ListUsers", "AdminGetUser", "DescribeUserPoolClient"} <= set(real_log.operations)
    writes = sorted({op for op in real_log.operations if not _is_read(op)})
    assert writes == [], f"the audited pool received writes: {writes}"
    # The witness can fail: the rehearsal's own world was written to.
    assert any(not _is_read(op) for op in stand_in_log.operations)
    assert real.get_pool_config(made.pool_id).data["pool"] == before


def test_a_saved_audit_gives_the_same_impact(
    sandbox: Sandbox, mixed_pool: Any, tmp_path: Path
) -> None:
    made, _ = mixed_pool
    client = MfaClient.for_sandbox(sandbox, in_process=True)
    saved = tmp_path / "audit.jsonl"
    live = audit_pool(client, made.pool_id, checkpoint=saved, read_rate=0, list_rate=0)
    change = {"mfa": "ON", "withdraw": "SMS"}
    from_file = mw.impact(saved, change)
    assert from_file.frame.equals(live.impact(change).frame)
    assert load_audit(str(saved)).pool == live.pool
    frame = from_file.frame
    assert str(frame["verdict"].dtype) == "category"
    assert frame["verdict"].cat.ordered
    assert frame["attention"].dtype == bool
    table = from_file.transitions()
    assert table.loc["all", "all"] == len(frame) == 6
    first = from_file.attention()
    assert list(first["verdict"]) == sorted(first["verdict"])  # most urgent first


def test_fix_plans_are_dry_runs_that_fix(sandbox: Sandbox, mixed_pool: Any) -> None:
    made, _ = mixed_pool
    client = MfaClient.for_sandbox(sandbox, in_process=True)
    found = audit_pool(client, made.pool_id, read_rate=0, list_rate=0).impact({"withdraw": "SMS"})
    plans = fix_plans(found)
    assert set(plans) == {"EMAIL"}  # SMS-preferred users with an email get email preferred
    plan = plans["EMAIL"]
    fixed = found.frame.set_index("username").loc[[c.username for c in plan.changes]]
    assert set(fixed["verdict"]) <= {"no longer challenged", "cannot sign in without help"}
    assert all(c.challenge_after == "EMAIL_OTP" for c in plan.changes)
    assert "admin-set-user-mfa-preference" in plan.cli_script()


def test_rehearsal_marks_stand_ins_and_samples(sandbox: Sandbox) -> None:
    """A hand-made audit: a passkey, an authenticator, a legacy SMS user, a disabled user."""
    sms = MfaPreference(sms="preferred").merged_onto(NOTHING)
    users = (
        AuditedUser("a", status="CONFIRMED", has_phone=True, preference=sms),
        AuditedUser(
            "b",
            status="CONFIRMED",
            has_email=True,
            preference=MfaPreference(totp="preferred").merged_onto(NOTHING),
            auth_factors=("PASSWORD", "SOFTWARE_TOKEN", "WEB_AUTHN"),
        ),
        AuditedUser("c", status="FORCE_CHANGE_PASSWORD", has_phone=True, legacy_sms=True),
        AuditedUser("d", status="CONFIRMED", enabled=False, has_email=True),
        AuditedUser("e", read_error="UserNotFoundException: gone"),
    )
    audit = PoolAudit("us-east-1_Example", PoolMfaConfig("OPTIONAL", "SMS,TOTP,EMAIL"), users, True)
    found = audit.impact({"mfa": "ON", "offer": "PASSKEY"})
    progress: list[tuple[int, int]] = []
    done = rehearse(
        found,
        MfaClient.for_sandbox(sandbox, in_process=True),
        progress=lambda d, t: progress.append((d, t)),
    )
    marks = {u.username: u.stand_in for u in done.users}
    assert set(marks) == {"a", "b", "c", "d"}  # the unread user is not rehearsed
    assert marks["a"] == ""
    assert marks["b"] == "authenticator secret, passkey"
    assert "legacy SMS setting not copied" in marks["c"]
    assert "FORCE_CHANGE_PASSWORD" in marks["c"]
    assert "disabled user copied as enabled" in marks["d"]
    assert done.agreement == 1.0, done.frame().to_string()
    assert progress[-1] == (8, 8)
    sample = rehearse(
        found, MfaClient.for_sandbox(sandbox, in_process=True), sample=1, write_rate=0
    )
    assert sample.sampled
    assert len(sample.users) == 1
    attention = set(found.attention()["username"])
    assert not attention or sample.users[0].username in attention
    assert "secret" not in repr(done).lower().replace("authenticator secret", "")


def test_command_line(sandbox: Sandbox, mixed_pool: Any, tmp_path: Path, capsys: Any) -> None:
    made, _ = mixed_pool
    saved = tmp_path / "audit.jsonl"
    audit_pool(
        MfaClient.for_sandbox(sandbox, in_process=True), made.pool_id, checkpoint=saved, read_rate=0
    )
    csv = tmp_path / "impact.csv"
    code = cli_main(
        [
            "impact",
            "--pool-id",
            made.pool_id,
            "--set",
            "mfa=ON",
            "--withdraw",
            "SMS",
            "--from",
            str(saved),
            "--csv",
            str(csv),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "change: MFA ON; withdraw SMS" in out
    assert "today" in out
    assert csv.read_text().startswith("username,challenge_today")
    assert cli_main(["impact", "--pool-id", made.pool_id, "--set", "mfa=maybe"]) == 2
    assert "OFF, OPTIONAL, ON" in capsys.readouterr().err


def test_the_benchmark_harness_at_a_tiny_size(tmp_path: Path) -> None:
    """bench_impact's saved audit reads back whole (make bench is not in make test)."""
    from benchmarks.bench_impact import CHANGE, write_saved_audit

    path = tmp_path / "audit.jsonl"
    write_saved_audit(path, 300)
    found = mw.impact(path, CHANGE)
    assert len(found.frame) == 300
    assert found.audit.complete
    assert found.frame["verdict"].isin(["not read"]).sum() == 1  # user 0 (every 997th)
