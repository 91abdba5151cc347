"""The ``mfa-widgets cli`` subcommand, run in-process through the real dispatcher."""

from __future__ import annotations

import json
import re

import pytest

from mfa_widgets import FactorState, MfaPreference
from mfa_widgets.commands.main import main
from mfa_widgets.core.aws_cli import parse_cli_args, parse_cli_input_json, render_skeleton

D, E, P = FactorState.DISABLED, FactorState.ENABLED, FactorState.PREFERRED
POOL = "us-east-1_AbCdEf123"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["cli", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_default_output_is_the_aws_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--sms", "preferred", "--totp", "enabled")
    assert (code, err) == (0, "")
    assert out == (
        "aws cognito-idp set-user-mfa-preference \\\n"
        '    --access-token "$ACCESS_TOKEN" \\\n'
        "    --sms-mfa-settings Enabled=true,PreferredMfa=true \\\n"
        "    --software-token-mfa-settings Enabled=true,PreferredMfa=false\n"
    )


def test_admin_variant_in_json_syntax(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--email", "preferred", "--sms", "off", "--user-pool-id", POOL, "--username", "bob"]
    code, out, _ = run(capsys, *args, "--syntax", "json")
    assert code == 0
    request = parse_cli_args(out)
    assert request.preference == MfaPreference(sms=D, email=P)
    assert (request.user_pool_id, request.username) == (POOL, "bob")
    assert '--email-mfa-settings \'{"Enabled":true,"PreferredMfa":true}\'' in out


def test_json_format_is_an_input_document(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--totp", "preferred", "--format", "json")
    assert code == 0
    assert parse_cli_input_json(out).preference == MfaPreference(totp=P)


def test_boto3_format(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--totp", "disabled", "--format", "boto3")
    assert code == 0
    assert "client.set_user_mfa_preference(" in out
    assert 'SoftwareTokenMfaSettings={"Enabled": False, "PreferredMfa": False},' in out


@pytest.mark.parametrize("admin", [[], ["--admin"]])
def test_skeleton_format_needs_no_preference(
    capsys: pytest.CaptureFixture[str], admin: list[str]
) -> None:
    code, out, _ = run(capsys, "--format", "skeleton", *admin)
    assert code == 0
    assert out == render_skeleton(admin=bool(admin)) + "\n"


def test_placeholder_can_be_changed(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "--sms", "enabled", "--access-token-placeholder", "$(cat token.txt)")
    assert "--access-token $(cat token.txt)" in out


def test_from_cli_is_overridden_by_flags_and_never_echoes_the_token(
    capsys: pytest.CaptureFixture[str],
) -> None:
    token = "eyJhbGciOiJub25lIn0.eyJzZWNyZXQiOiJ5ZXMifQ.c2ln"
    pasted = f"aws cognito-idp set-user-mfa-preference --access-token {token} "
    pasted += "--sms-mfa-settings Enabled=true,PreferredMfa=true --email-mfa-settings Enabled=true"
    code, out, err = run(capsys, "--from-cli", pasted, "--totp", "preferred")
    assert code == 0
    assert token not in out + err
    assert parse_cli_args(out).preference == MfaPreference(sms=E, totp=P, email=E)
    assert err == (
        "note: EmailMfaSettings leaves out PreferredMfa: read as false here; Cognito may "
        "instead keep the user's current value\n"
    )


def test_from_cli_admin_command_stays_admin(capsys: pytest.CaptureFixture[str]) -> None:
    pasted = f"admin-set-user-mfa-preference --user-pool-id {POOL} --username amy "
    pasted += "--sms-mfa-settings Enabled=false"
    code, out, _ = run(capsys, "--from-cli", pasted, "--format", "json")
    assert code == 0
    assert json.loads(out) == {
        "SMSMfaSettings": {"Enabled": False, "PreferredMfa": False},
        "Username": "amy",
        "UserPoolId": POOL,
    }


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--sms", "maybe"], "--sms 'maybe': use disabled, enabled, preferred (or on/off)"),
        (["--sms", "preferred", "--email", "preferred"], "only one of --sms, --totp, --email"),
        ([], "nothing to set: give at least one of --sms, --totp, --email"),
        (["--sms", "on", "--admin"], "needs --user-pool-id and --username"),
        (["--sms", "on", "--username", "bob"], "needs --user-pool-id and --username"),
        (
            ["--sms", "on", "--user-pool-id", "x", "--username", "b"],
            "user pool id 'x' is malformed",
        ),
        (["--from-cli", "--sms-mfa-settings Enabled=yes"], "Enabled must be true or false"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], args: list[str], said: str
) -> None:
    code, out, err = run(capsys, *args)
    assert code == 2
    assert out == ""
    assert re.fullmatch(r"mfa-widgets cli: error: [^\n]+\n", err)
    assert said in err


def test_unknown_format_is_refused_by_argparse(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["cli", "--sms", "on", "--format", "yaml"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: (the value given)" in err  # what was typed is never quoted back
    assert "'yaml'" not in err
    assert "'boto3'" in err
