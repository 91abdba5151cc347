"""``mfa-widgets predict``: plain and JSON output, and one-line errors for bad values."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mfa_widgets.commands.main import main


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["predict", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_plain_output_names_challenge_options_rule_source(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = _run(
        capsys, "--pool-mfa", "ON", "--pool-factors", "SMS,TOTP", "--enabled", "SMS,TOTP", "--phone"
    )
    assert (code, err) == (0, "")
    assert "Result:     SELECT_MFA_TYPE" in out
    assert "Options:    SMS_MFA, SOFTWARE_TOKEN_MFA" in out
    assert "so Cognito asks the user to choose" in out
    assert "Source:     MFA guide, runtime logic step 4.5 (decision table row 8)" in out
    assert "Documented: yes" in out


def test_plain_output_for_tokens(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--pool-mfa", "off", "--pool-factors", "none")
    assert code == 0
    assert "Result:     tokens issued (no MFA challenge)" in out


def test_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        capsys,
        "--pool-mfa", "OPTIONAL",
        "--pool-factors", "SMS,TOTP",
        "--enabled", "SMS",
        "--json",
    )  # fmt: skip
    data = json.loads(out)
    assert code == 0
    assert data["outcome"] == "challenge"
    assert data["challenge"] == "SMS_MFA"
    assert data["options"] == []
    assert data["documented"] is False  # row 5 is our inference
    assert data["row"] == 5
    assert data["source"].startswith("inferred")


def test_no_phone_overrides_the_implied_attribute(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _run(
        capsys,
        "--pool-mfa", "ON",
        "--pool-factors", "SMS,TOTP",
        "--preferred", "SMS",
        "--no-phone",
        "--json",
    )  # fmt: skip
    data = json.loads(out)
    assert data["challenge"] == "MFA_SETUP"
    assert "SMS is preferred, but the user has no phone_number attribute" in data["rule"]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        pytest.param(
            ["--pool-mfa", "OFF", "--pool-factors", "SMS"],
            {"challenge": None, "outcome": "tokens"},
            id="tokens-have-null-challenge",
        ),
        pytest.param(
            ["--pool-mfa", "optional", "--pool-factors", "SMS", "--tier", "plus",
             "--adaptive", "block"],
            {"outcome": "error", "error_code": "NotAuthorizedException", "challenge": None},
            id="error-outcome",
        ),
        pytest.param(
            ["--pool-mfa", "ON", "--pool-factors", "SMS,TOTP", "--preferred", "TOTP"],
            {"challenge": "SOFTWARE_TOKEN_MFA", "row": 3},
            id="preferred-implies-enabled",
        ),
        pytest.param(
            ["--pool-mfa", "ON", "--pool-factors", "TOTP", "--preferred", "TOTP",
             "--remembered-device"],
            {"challenge": "DEVICE_SRP_AUTH"},
            id="remembered-device-implies-device-remembering",
        ),
        pytest.param(
            ["--pool-mfa", "ON", "--pool-factors", "TOTP", "--preferred", "TOTP",
             "--remembered-device", "--no-device-remembering"],
            {"challenge": "SOFTWARE_TOKEN_MFA"},
            id="remembered-device-without-device-remembering",
        ),
    ],
)  # fmt: skip
def test_json_fields(
    capsys: pytest.CaptureFixture[str], argv: list[str], expected: dict[str, object]
) -> None:
    code, out, _ = _run(capsys, *argv, "--json")
    assert code == 0
    data = json.loads(out)
    assert {key: data[key] for key in expected} == expected


@pytest.mark.parametrize(
    ("argv", "accepted"),
    [
        (["--preferred", "FOO"], "or none for no preferred factor"),
        (["--enabled", "SMS,FAX"], "use one of sms, totp, email"),
        (["--tier", "GOLD"], "use one of LITE, ESSENTIALS, PLUS"),
        (["--recovery", "carrier-pigeon"], "email, phone, admin"),
        (["--adaptive", "panic"], "none, allow, optional_mfa, require_mfa, block"),
        (["--pool-mfa", "SOMETIMES"], "use one of OFF, OPTIONAL, ON"),  # the last one given wins
    ],
)
def test_bad_values_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], accepted: str
) -> None:
    code, out, err = _run(capsys, "--pool-mfa", "ON", "--pool-factors", "SMS,TOTP", *argv)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("mfa-widgets predict: error: ")
    assert accepted in err


def test_console_script_prints_json() -> None:
    script = Path(sys.executable).parent / "mfa-widgets"
    result = subprocess.run(
        [str(script), "predict", "--pool-mfa", "ON", "--pool-factors", "SMS,EMAIL",
         "--phone", "--email", "--recovery", "email", "--json"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["challenge"] == "SMS_MFA"
    assert data["row"] == 12
    assert data["documented"] is True
