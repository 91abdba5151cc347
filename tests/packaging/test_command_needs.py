"""Every command checks its extras and its output files when its arguments are parsed.

A missing extra or a file that cannot be written is one line (exit 2) before any call is made:
the endpoint given is a closed port, so a command that called anything first would say so
instead. Each case runs in a fresh interpreter where the extra's modules cannot be imported, as
tests/packaging/test_extras.py does.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from mfa_widgets.commands.main import INTERNAL_ERROR, SUBCOMMANDS
from mfa_widgets.core.extras import EXTRAS


def _closed_endpoint() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def _run(blocked: tuple[str, ...], argv: list[str]) -> subprocess.CompletedProcess[str]:
    code = (
        "import sys\n"
        f"for name in {list(blocked)!r}: sys.modules[name] = None\n"
        "from mfa_widgets.commands.main import main\n"
        f"raise SystemExit(main({argv!r}))"
    )
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )


def _one_line(done: subprocess.CompletedProcess[str], command: str) -> str:
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"mfa-widgets {command}: error: ")
    assert done.returncode == 2
    return lines[0]


POOL = ["--user-pool-id", "us-east-1_Abcdefghi"]


@pytest.mark.parametrize(
    ("blocked", "argv", "extra"),
    [
        (("moto",), ["classroom"], "sandbox"),
        (("waitress",), ["classroom", "--learners", "2"], "sandbox"),
        (("pyarrow",), ["audit", *POOL, "--parquet", "{tmp}/out.parquet"], "parquet"),
        (("moto",), ["explore"], "sandbox"),
        (("jupyterlab",), ["lab", "--dir", "{tmp}", "--port", "0"], "demo"),
        (("voila",), ["dashboard", "--dir", "{tmp}", "--port", "0"], "demo"),
        (("flask",), ["sandbox", "--json"], "sandbox"),
        (("moto",), ["impact", *POOL, "--set", "mfa=ON", "--rehearse"], "sandbox"),
        (("moto",), ["conformance", "--target", "moto"], "sandbox"),
    ],
)
def test_a_missing_extra_is_named_before_any_call(
    blocked: tuple[str, ...], argv: list[str], extra: str, tmp_path: Path
) -> None:
    argv = [a.format(tmp=tmp_path) for a in argv]
    if argv[0] in {"audit", "impact"}:
        argv += ["--endpoint-url", _closed_endpoint(), "--region", "us-east-1"]
    line = _one_line(_run(blocked, argv), argv[0])
    assert line.endswith(f"pip install 'mfa-widgets[{extra}]'")
    assert "connect" not in line
    assert list(tmp_path.iterdir()) == []  # nothing copied, nothing written


def test_explore_on_a_given_endpoint_does_not_need_the_sandbox() -> None:
    done = _run(("moto",), ["explore", "--endpoint-url", _closed_endpoint()])
    line = _one_line(done, "explore")
    assert "extra" not in line
    assert "Nothing answered" in line  # it went on to call the endpoint given


#: One command line per subcommand, with every option that writes a file or needs an extra.
EVERY_COMMAND: dict[str, list[str]] = {
    "cli": ["cli", "--sms", "enabled"],
    "predict": ["predict", "--pool-mfa", "ON", "--pool-factors", "SMS,TOTP"],
    "sandbox": ["sandbox"],
    "explore": ["explore", "--csv", "{tmp}/o.csv", "--log", "{tmp}/o.jsonl"],
    "audit": [
        "audit",
        *POOL,
        "--parquet",
        "{tmp}/a.parquet",
        "--checkpoint",
        "{tmp}/c",
        "--region",
        "us-east-1",
        "--endpoint-url",
        "{closed}",
    ],
    "lab": ["lab", "--dir", "{tmp}/nb", "--port", "0"],
    "dashboard": ["dashboard", "--dir", "{tmp}/nb", "--port", "0"],
    "completion": ["completion", "bash"],
    "classroom": ["classroom"],
    "conformance": ["conformance", "--case", "nothing", "--out", "{tmp}/c.csv"],
    "impact": [
        "impact",
        *POOL,
        "--set",
        "mfa=ON",
        "--rehearse",
        "--csv",
        "{tmp}/i.csv",
        "--region",
        "us-east-1",
        "--endpoint-url",
        "{closed}",
    ],
}


def test_the_table_covers_every_subcommand() -> None:
    assert set(EVERY_COMMAND) == set(SUBCOMMANDS)


@pytest.mark.parametrize("command", sorted(EVERY_COMMAND))
def test_no_command_fails_on_a_missing_extra_with_more_than_one_line(
    command: str, tmp_path: Path
) -> None:
    """With every extra missing at once: exit 0 (needs none), or one line naming an extra."""
    blocked = tuple(module for modules in EXTRAS.values() for module in modules)
    argv = [a.format(tmp=tmp_path, closed=_closed_endpoint()) for a in EVERY_COMMAND[command]]
    done = _run(blocked, argv)
    assert done.returncode != INTERNAL_ERROR, done.stderr
    if done.returncode == 0:
        assert done.stderr == ""
    else:
        assert "pip install 'mfa-widgets[" in _one_line(done, command)


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["audit", *POOL, "--csv", "{tmp}/missing/out.csv"], "does not exist"),
        (["audit", *POOL, "--checkpoint", "{tmp}"], "is a folder"),
        (["audit", *POOL, "--parquet", ""], "empty"),
        (["explore", "--endpoint-url", "{closed}", "--csv", "{tmp}/no/o.csv"], "does not exist"),
        (["explore", "--endpoint-url", "{closed}", "--log", "{tmp}"], "is a folder"),
        (["impact", *POOL, "--set", "mfa=ON", "--csv", "{tmp}/no/i.csv"], "does not exist"),
        (["impact", *POOL, "--set", "mfa=ON", "--from", "{tmp}/audit.jsonl"], "no such file"),
        (["impact", *POOL, "--set", "mfa=ON", "--from", "{tmp}"], "not a file"),
        (["conformance", "--out", "{tmp}/missing/c.csv"], "does not exist"),
    ],
)
def test_a_file_that_cannot_be_written_is_refused_before_any_call(
    argv: list[str], words: str, tmp_path: Path
) -> None:
    argv = [a.format(tmp=tmp_path, closed=_closed_endpoint()) for a in argv]
    if argv[0] in {"audit", "impact"}:
        argv += ["--endpoint-url", _closed_endpoint(), "--region", "us-east-1"]
    done = _run((), argv)
    assert done.returncode == 2
    (line,) = done.stderr.strip().splitlines()[-1:]
    assert words in line
    assert "Nothing answered" not in done.stderr
