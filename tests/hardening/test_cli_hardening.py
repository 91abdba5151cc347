"""``mfa-widgets``: a mistake is one error line and exit status 2, never a traceback.

Most runs are in-process (``mfa_widgets.commands.main.main(argv)``); a few are real
``python -m mfa_widgets`` subprocesses. A hypothesis test feeds every option of every subcommand
odd values. Commands that would talk to Cognito point at a closed port or the session sandbox;
``sandbox`` is only run with ports argparse must refuse (a valid one would serve forever).
"""

from __future__ import annotations

import argparse
import os
import socket
import string
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mfa_widgets.commands.main import SUBCOMMANDS, build_parser, main
from mfa_widgets.sandbox import Sandbox, SandboxPool

#: Exit statuses a person may see: success, "stopped early / disagreement", their mistake.
ALLOWED_EXITS = {0, 1, 2}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``mfa-widgets argv`` in-process: (exit status, stdout, stderr); argparse exits count."""
    try:
        code = main(list(argv))
    except SystemExit as exit_:  # argparse's own usage errors
        code = exit_.code if isinstance(exit_.code, int) else 2
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(command: str, err: str) -> str:
    """The error line of a failed run: last line of stderr, naming the command."""
    assert "Traceback" not in err, err
    last = err.strip().splitlines()[-1]
    assert last.startswith(f"mfa-widgets {command}: error: "), err
    return last


@pytest.fixture
def closed_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def aws_env(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Sandbox:
    """A person's environment pointing at the sandbox, with no AWS config files, in tmp_path."""
    for name, value in sandbox.environment().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.chdir(tmp_path)
    return sandbox


@pytest.fixture
def audit_pool_id(aws_env: Sandbox) -> str:
    pool: SandboxPool = aws_env.create_pool(name="cli-audit")
    aws_env.create_user(pool, "cli-user")
    return pool.pool_id


# -- the examples of the issue, and more of each -------------------------------------------------


@pytest.mark.parametrize("port", ["99999", "-1", "65536", "http", "1e3", "", "8080.5"])
def test_sandbox_bad_port_is_one_error(capsys: pytest.CaptureFixture[str], port: str) -> None:
    code, _, err = run(capsys, "sandbox", "--port", port)
    assert code == 2
    assert "--port" in one_error_line("sandbox", err)


@pytest.mark.parametrize("rate", ["-5", "nan", "NaN", "inf", "-inf", "fast", "", "-0.5"])
def test_audit_read_rate_that_means_nothing_is_refused(
    capsys: pytest.CaptureFixture[str], rate: str
) -> None:
    code, _, err = run(capsys, "audit", "--user-pool-id", "us-east-1_a", "--read-rate", rate)
    assert code == 2
    assert "--read-rate" in one_error_line("audit", err)


@pytest.mark.parametrize(
    ("command", "extra"), [("audit", ["--user-pool-id", "us-east-1_a"]), ("explore", [])]
)
@pytest.mark.parametrize("workers", ["0", "-3", "two", "1.5", "100000"])
def test_worker_counts_that_mean_nothing_are_refused(
    capsys: pytest.CaptureFixture[str], command: str, extra: list[str], workers: str
) -> None:
    code, _, err = run(capsys, command, *extra, "--workers", workers)
    assert code == 2
    assert "--workers" in one_error_line(command, err)


@pytest.mark.usefixtures("aws_env")
@pytest.mark.parametrize(
    ("options", "words"),
    [
        (["--profile", "nosuch"], ("nosuch", "list-profiles")),
        (["--region", "mars-1"], ("region", "us-east-1")),
        (["--endpoint-url", "localhost:5000"], ("endpoint_url", "http")),
    ],
)
def test_audit_configuration_mistakes_are_one_line(
    capsys: pytest.CaptureFixture[str], options: list[str], words: tuple[str, ...]
) -> None:
    code, _, err = run(capsys, "audit", "--user-pool-id", "us-east-1_abc", *options)
    assert code == 2
    line = one_error_line("audit", err)
    for word in words:
        assert word in line


@pytest.mark.parametrize("output", ["--csv", "--parquet"])
def test_audit_output_in_a_missing_folder_is_one_line(
    capsys: pytest.CaptureFixture[str], audit_pool_id: str, tmp_path: Path, output: str
) -> None:
    target = tmp_path / "no" / "such" / "folder" / "users.out"
    code, _, err = run(
        capsys, "audit", "--user-pool-id", audit_pool_id, "--read-rate", "0", output, str(target)
    )
    assert code == 2
    line = one_error_line("audit", err)
    assert "folder" in line
    assert "folder must exist" in line


def test_audit_checkpoint_in_a_missing_folder_is_one_line(
    capsys: pytest.CaptureFixture[str], audit_pool_id: str, tmp_path: Path
) -> None:
    checkpoint = tmp_path / "missing" / "audit.jsonl"
    code, _, err = run(
        capsys, "audit", "--user-pool-id", audit_pool_id, "--checkpoint", str(checkpoint)
    )
    assert code == 2
    assert "missing" in one_error_line("audit", err)


@pytest.mark.parametrize(
    ("options", "words"),
    [
        (["--log", "/no/such/folder/log.jsonl"], ("log",)),
        (["--endpoint-url", "not a url"], ("endpoint_url",)),
        (["--region", "moon", "--endpoint-url", "http://127.0.0.1:1"], ("region",)),
    ],
)
def test_explore_mistakes_are_one_line(
    capsys: pytest.CaptureFixture[str],
    aws_env: Sandbox,
    options: list[str],
    words: tuple[str, ...],
) -> None:
    code, _, err = run(capsys, "explore", "--endpoint-url", aws_env.endpoint_url, *options)
    assert code == 2
    line = one_error_line("explore", err)
    for word in words:
        assert word in line


def test_explore_log_that_is_not_a_log_is_left_intact(
    capsys: pytest.CaptureFixture[str], aws_env: Sandbox, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("keep me\nno newline at the end")
    code, _, err = run(
        capsys, "explore", "--endpoint-url", aws_env.endpoint_url, "--log", str(notes)
    )
    assert code == 2
    assert "not an MfaLog" in one_error_line("explore", err)
    assert notes.read_text() == "keep me\nno newline at the end"


def test_an_unexpected_bug_is_still_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug (not a user's mistake) gets exit 70 and one line; MFA_WIDGETS_DEBUG shows it."""
    import mfa_widgets.commands.predict as predict

    def broken(args: argparse.Namespace) -> int:
        raise KeyError("boom")

    monkeypatch.setattr(predict, "run", broken)
    monkeypatch.delenv("MFA_WIDGETS_DEBUG", raising=False)
    code = main(["predict", "--pool-mfa", "ON", "--pool-factors", "SMS"])
    err = capsys.readouterr().err
    assert code == 70
    assert "Traceback" not in err
    assert "internal error: KeyError" in err
    monkeypatch.setenv("MFA_WIDGETS_DEBUG", "1")
    with pytest.raises(KeyError):
        main(["predict", "--pool-mfa", "ON", "--pool-factors", "SMS"])


# -- real processes ------------------------------------------------------------------------------


def _python_m(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mfa_widgets", *argv],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        check=False,
    )


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        yield s.getsockname()[1]


def test_real_process_port_in_use(busy_port: int) -> None:
    done = _python_m("sandbox", "--port", str(busy_port))
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    # werkzeug prints its own note first; the last line is ours
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("mfa-widgets sandbox: error: "), done.stderr
    assert str(busy_port) in last


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (("sandbox", "--port", "99999"), "--port"),
        (("audit", "--user-pool-id", "us-east-1_a", "--read-rate", "nan"), "--read-rate"),
        (("audit", "--user-pool-id", "us-east-1_a", "--profile", "nosuch"), "nosuch"),
    ],
)
def test_real_process_mistakes(argv: tuple[str, ...], words: str, tmp_path: Path) -> None:
    done = _python_m(*argv, env={"AWS_CONFIG_FILE": str(tmp_path / "none")})
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert words in done.stderr.strip().splitlines()[-1]


# -- every option of every subcommand, fed odd values -------------------------------------------


def _options(command: str) -> list[argparse.Action]:
    parser = build_parser([command])
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    # --endpoint-url stays pinned to a closed port: an empty one would mean real AWS (or, for
    # explore, a full sweep on a fresh sandbox).
    skipped = {"help", "endpoint_url"}
    return [a for a in sub.choices[command]._actions if a.option_strings and a.dest not in skipped]


ODD_TEXT = st.one_of(
    st.sampled_from(
        ["", " ", "-1", "0", "nan", "inf", "1e400", "None", "x" * 5000, "é", "\t", "--", "a b"]
    ),
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
)


#: Subcommands that serve until interrupted (or replace the process with Jupyter): their
#: options are checked with values argparse must refuse, never fuzzed into a running server.
SERVING = {"sandbox", "classroom", "lab", "dashboard"}


# (a subcommand with positional arguments only, such as `completion`, has no option to fuzz)
@pytest.mark.parametrize(
    "command", sorted(name for name in set(SUBCOMMANDS) - SERVING if _options(name))
)
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_odd_option_values_never_give_a_traceback(
    command: str,
    closed_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    data: st.DataObject,
) -> None:
    monkeypatch.chdir(tmp_path)  # generated file names land here
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    options = _options(command)
    chosen = data.draw(st.lists(st.sampled_from(options), min_size=1, max_size=3, unique_by=id))
    argv = [command]
    if command in ("audit", "explore"):
        argv += ["--endpoint-url", closed_url]  # nothing reaches a real service
    if command == "audit":
        argv += ["--user-pool-id", "us-east-1_fuzz", "--region", "us-east-1"]
    if command == "predict":
        argv += ["--pool-mfa", "ON", "--pool-factors", "SMS"]
    for action in chosen:
        argv.append(action.option_strings[-1])
        if action.nargs != 0:
            argv.append(data.draw(ODD_TEXT, label=action.option_strings[-1]))
    code, _, err = run(capsys, *argv)
    assert code in ALLOWED_EXITS, (argv, code, err)
    assert "Traceback" not in err, (argv, err)
    if code == 2:
        assert err.strip().splitlines()[-1].startswith(f"mfa-widgets {command}: error: "), err


@settings(max_examples=30, deadline=None)
@given(
    port=st.one_of(
        st.integers(max_value=-1),
        st.integers(min_value=65536),
        # never a number: a valid port would start a server that runs until interrupted
        st.text(alphabet=string.ascii_letters + ".,:/ ", max_size=8),
    )
)
def test_sandbox_ports_argparse_must_refuse(port: int | str) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["sandbox", "--port", str(port)])
    assert exit_.value.code == 2
