"""The log's entry points and the command line: bad input is one clear error, secrets never echoed.

Instances from the issue: ``MfaLog.append(operation=None)`` logged as "None"; a bad timestamp raised
a plain ``ValueError``; ``MfaLog.load`` of a corrupt Parquet file raised pyarrow's ``ArrowInvalid``;
``mfa-widgets cli --username <token>`` printed the token; a password given as an option's value
was quoted back in the parse error. Each comes with more of its kind.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mfa_widgets import MfaLog
from mfa_widgets.commands.main import main
from mfa_widgets.services.log import LogEventError, LogFileError

JWT = "eyJraWQiOiJhIiwiYWxnIjoiUlMyNTYifQ.eyJzdWIiOiJ4In0.c2lnbmF0dXJlc2lnbmF0dXJlc2ln"
PASSWORD = "Sup3r-Secret-Passw0rd!"


@pytest.mark.parametrize(
    ("event", "words"),
    [
        ({"operation": None}, "operation is missing"),
        ({}, "operation"),
        ({"operation": "GetUser", "timestamp": "bad"}, "ISO 8601"),
        ({"operation": "GetUser", "timestamp": "2026-13-45T99:00"}, "ISO 8601"),
        ({"operation": "GetUser", "timestamp": ""}, "ISO 8601"),
        ({"operation": "GetUser", "timestamp": "2026-01-01T00:00"}, "timezone-aware"),
        ({"operation": "GetUser", "timestamp": 12}, "timezone-aware"),
    ],
)
def test_a_bad_event_is_one_clear_error_and_nothing_is_logged(
    event: dict[str, object], words: str
) -> None:
    log = MfaLog()
    with pytest.raises(LogEventError, match=words):
        log.append(event)
    assert len(log.events) == 0


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("corrupt.parquet", b"PAR1 not really parquet"),
        ("empty.parquet", b""),
        ("binary.csv", b"\xff\xfe\x00\x81 not text"),
        ("ragged.csv", b'timestamp,operation\n"open quote,GetUser\n'),
        ("empty.csv", b""),
    ],
)
def test_loading_a_corrupt_table_is_a_log_file_error(
    tmp_path: Path, name: str, content: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(LogFileError, match=str(path.name)):
        MfaLog.load(path)
    with pytest.raises(LogFileError):
        MfaLog.read_frame(path)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 2
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    "username", [JWT, PASSWORD, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "a" * 20 + "9" * 20]
)
def test_cli_refuses_a_secret_as_the_username_without_printing_it(
    capsys: pytest.CaptureFixture[str], username: str
) -> None:
    code, out, err = _run(
        capsys, "cli", "--sms", "on", "--user-pool-id", "us-east-1_abc", "--username", username
    )
    assert code == 2
    assert "--username looks like a token or password" in err
    assert username not in out + err


@pytest.mark.parametrize(
    "argv",
    [
        ("sandbox", "--port", PASSWORD),
        ("sandbox", f"--port={PASSWORD}"),
        ("audit", "--user-pool-id", "us-east-1_a", "--read-rate", PASSWORD),
        ("cli", "--format", PASSWORD),
        ("cli", "--sms", PASSWORD),
        ("cli", "--sms", "on", "--webauthn", PASSWORD),
        ("completion", PASSWORD),
        ("predict", "--pool-mfa", PASSWORD),
    ],
)
def test_a_password_typed_as_an_option_value_is_never_quoted_back(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
) -> None:
    code, out, err = _run(capsys, *argv)
    assert code == 2
    assert PASSWORD not in out + err
    assert "error" in err


def test_a_mistyped_plain_value_is_still_named_in_a_command_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Only argparse's echo and secret-shaped values are hidden; the choices stay readable."""
    code, _, err = _run(capsys, "cli", "--format", "yaml")
    assert code == 2
    assert "'boto3'" in err
