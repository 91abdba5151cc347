"""Long work you can watch, and a debug trace of the calls an admin can turn on.

The terminal cases run the real command with its stderr on a pseudo-terminal (what a person's
terminal is to it) and, for comparison, on a pipe (a log file, CI): a bar with the rate and the
time left on the first, nothing on the second.
"""

from __future__ import annotations

import fcntl
import logging
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable

import pytest

from mfa_widgets import MfaClient, MfaPreference
from mfa_widgets.sandbox import Sandbox, SandboxPool, SandboxUser
from mfa_widgets.services.audit import audit_pool
from mfa_widgets.services.call_trace import LOGGER
from mfa_widgets.services.explore import Explorer, default_scenarios
from mfa_widgets.services.progress import ProgressBar, progress_for, watched

pytestmark = pytest.mark.wire  # the real command, in another process, calls the sandbox's port


def _audit_command(sandbox: Sandbox, pool: SandboxPool) -> list[str]:
    return [
        sys.executable,
        "-m",
        "mfa_widgets",
        "audit",
        "--user-pool-id",
        pool.pool_id,
        "--endpoint-url",
        sandbox.endpoint_url,
        "--region",
        sandbox.region,
        "--read-rate",
        "0",
    ]


def _env() -> dict[str, str]:
    return {**os.environ, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


def _terminal() -> tuple[int, int]:
    """A pseudo-terminal of 100 x 30, as a person's terminal window (a new one has no size)."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    return leader, follower


def _read_all(fd: int, process: subprocess.Popen[bytes]) -> str:
    chunks: list[bytes] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        elif process.poll() is not None:
            break
    return b"".join(chunks).decode(errors="replace")


@pytest.fixture
def audited_pool(
    make_pool: Callable[..., SandboxPool], make_user: Callable[..., SandboxUser]
) -> SandboxPool:
    pool = make_pool()
    for _ in range(6):
        make_user(pool)
    return pool


def test_an_audit_on_a_terminal_shows_a_bar_with_rate_and_time_left(
    sandbox: Sandbox, audited_pool: SandboxPool
) -> None:
    leader, follower = _terminal()
    process = subprocess.Popen(
        _audit_command(sandbox, audited_pool),
        stdout=subprocess.DEVNULL,
        stderr=follower,
        env=_env(),
    )
    os.close(follower)
    try:
        shown = _read_all(leader, process)
        assert process.wait(timeout=60) == 0
    finally:
        os.close(leader)
    assert "audit:" in shown
    assert "6/6" in shown  # the count against Cognito's estimate
    assert "user/s" in shown  # the rate
    assert "<00:00" in shown  # the time left (none, at the end)


def test_an_audit_into_a_pipe_prints_no_bar(sandbox: Sandbox, audited_pool: SandboxPool) -> None:
    done = subprocess.run(
        _audit_command(sandbox, audited_pool),
        capture_output=True,
        text=True,
        env=_env(),
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert "6 users" in done.stdout


def test_a_bar_on_a_terminal_counts_rate_and_time_left() -> None:
    leader, follower = _terminal()
    with os.fdopen(follower, "w") as terminal:
        assert watched(terminal)
        with ProgressBar("changes", "user", file=terminal) as bar:
            for done in range(1, 11):
                bar(done, 10)
    chunks = []
    while select.select([leader], [], [], 0.2)[0]:
        try:
            chunks.append(os.read(leader, 65536))
        except OSError:  # EIO: the terminal's other end is closed and everything was read
            break
    os.close(leader)
    text = b"".join(chunks).decode()
    assert "changes: 100%" in text
    assert "10/10" in text
    assert "user/s" in text


def test_a_kernels_output_counts_as_watched_and_a_pipe_does_not() -> None:
    kernel_stream = type("OutStream", (), {"__module__": "ipykernel.iostream"})()
    assert watched(kernel_stream)  # type: ignore[arg-type]
    read, write = os.pipe()
    with os.fdopen(write, "w") as pipe:
        assert not watched(pipe)
    os.close(read)


def test_no_progress_argument_means_a_bar_only_when_watched_and_false_means_none() -> None:
    assert progress_for(None, "audit", "user") == (None, None)  # pytest's stderr is no terminal
    assert progress_for(False, "audit", "user") == (None, None)
    mine = print
    assert progress_for(mine, "audit", "user") == (mine, None)


def test_long_jobs_accept_false_and_their_callbacks_still_run(
    client: MfaClient, audited_pool: SandboxPool
) -> None:
    seen: list[tuple[int, object]] = []
    audit = audit_pool(client, audited_pool.pool_id, read_rate=0, progress=False)
    assert audit.complete
    audit_pool(client, audited_pool.pool_id, read_rate=0, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1][0] == 6
    explored: list[int] = []
    Explorer(client, workers=2).run(
        scenarios=default_scenarios()[:2], progress=lambda d, t: explored.append(d)
    )
    assert explored[-1] == 2


# -- the debug trace --------------------------------------------------------------------------


def test_every_call_is_one_debug_record_without_a_secret(
    caplog: pytest.LogCaptureFixture,
    sandbox: Sandbox,
    client: MfaClient,
    pool: SandboxPool,
    make_user: Callable[..., SandboxUser],
) -> None:
    user = make_user(pool)
    caplog.set_level(logging.DEBUG, logger="mfa_widgets")
    attempt = client.sign_in(pool.client_id, user.username, user.password)
    tokens = sandbox.sign_in(pool, user.username, user.password)
    token = tokens["AccessToken"]
    enrollment = client.associate_totp(access_token=token)
    secret = enrollment.data["enrollment"].secret
    client.verify_totp("123456", access_token=token)
    client.set_preference(token, MfaPreference(sms="preferred"))
    records = [r for r in caplog.records if r.name == LOGGER.name]
    operations = [r.getMessage().split(" ", 1)[0] for r in records]
    assert operations == [
        "InitiateAuth",
        "AssociateSoftwareToken",
        "VerifySoftwareToken",
        "SetUserMFAPreference",
        "GetUser",
    ]
    assert all(r.levelno == logging.DEBUG for r in records)
    text = "\n".join(r.getMessage() for r in records)
    for value in (user.password, token, secret, "123456", attempt.session or "no-session"):
        assert value not in text
    assert "<redacted>" in text or "REDACTED" in text.upper()
    assert "sandbox" in text


def test_the_trace_is_off_by_default() -> None:
    code = (
        "import logging, sys\n"
        "logging.basicConfig(stream=sys.stdout)\n"  # an application's default setup: WARNING
        "from mfa_widgets import MfaClient\n"
        "from mfa_widgets.sandbox import Sandbox\n"
        "with Sandbox() as s:\n"
        "    MfaClient.for_sandbox(s).call('ListUserPools', MaxResults=1)\n"
        "print('done')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.stdout == "done\n"
    assert done.stderr == ""
