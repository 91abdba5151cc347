"""The secret-leak scan: a realistic session, then every output searched for every secret it used.

The session signs users in through each MFA factor (SMS, email, authenticator app), registers an
authenticator, answers right and wrong codes, writes preferences with tokens and with the admin
API, runs the ``cli``, ``predict``, ``audit`` and ``explore`` commands, and saves the log as JSON
Lines, CSV and Parquet. Then the repr and str of every result and error, the command output and
the saved files are searched (:func:`tests.leakscan.find_leaks`) for the tokens, passwords, TOTP
secrets, one-time codes and challenge sessions the run used. Zero hits are allowed.

(``mfa-widgets sandbox`` prints the demo users' generated passwords on purpose, so it is not
scanned; executed notebooks are scanned by ``tests/notebooks`` with the same ``find_leaks``.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from mfa_widgets import MfaClient, MfaLog, MfaPreference
from mfa_widgets.commands.main import main
from mfa_widgets.core.results import SignInAttempt
from mfa_widgets.core.totp import totp_code
from mfa_widgets.sandbox import Sandbox
from tests.leakscan import find_leaks


class Session:
    """Runs the session and keeps what it produced and which secrets it handled."""

    def __init__(self, sandbox: Sandbox, client: MfaClient) -> None:
        self.sandbox = sandbox
        self.client = client
        self.results: list[Any] = []
        self.secrets: list[str] = []

    def keep(self, result: Any) -> Any:
        self.results.append(result)
        if isinstance(result, SignInAttempt):
            self.secrets.append(result.session)
            if result.tokens is not None:
                tokens = result.tokens
                self.secrets += [tokens.access_token, tokens.id_token, tokens.refresh_token]
        return result

    def answer_with_outbox(self, attempt: SignInAttempt, channel: str) -> SignInAttempt:
        code = self.sandbox.latest_code(attempt.username, channel)
        wrong = f"{(int(code) + 1) % 1_000_000:06d}"
        self.secrets += [code, wrong]
        assert not self.keep(attempt.answer(wrong)).ok
        # a wrong code keeps the session open; the right one finishes the sign-in
        done = self.keep(attempt.answer(code))
        assert done.signed_in, done
        return done


def _run_session(sandbox: Sandbox, client: MfaClient, pool: Any) -> Session:
    run = Session(sandbox, client)
    alice = sandbox.create_user(pool, "leak-alice", phone="+15555550111", email="a@example.com")
    bob = sandbox.create_user(pool, "leak-bob", phone=None, email="b@example.com")
    carol = sandbox.create_user(pool, "leak-carol", phone=None, email="c@example.com")
    run.secrets += [alice.password, bob.password, carol.password]

    # SMS: preferred with the admin API, sign in, answer a wrong then the right code
    run.keep(
        client.admin_set_preference(pool.pool_id, alice.username, MfaPreference(sms="preferred"))
    )
    attempt = run.keep(client.sign_in(pool.client_id, alice.username, alice.password))
    assert attempt.challenge == "SMS_MFA"
    tokens = run.answer_with_outbox(attempt, "SMS").tokens
    assert tokens is not None
    run.keep(client.get_preference(tokens.access_token))
    run.keep(client.set_preference(tokens.access_token, MfaPreference(sms="enabled")))
    wrong_password = "Not-Alices-Passw0rd!"
    run.secrets.append(wrong_password)
    run.keep(client.sign_in(pool.client_id, alice.username, wrong_password))

    # TOTP: bob signs in, registers an authenticator, prefers it, signs in with a code
    first = run.keep(client.sign_in(pool.client_id, bob.username, bob.password))
    assert first.tokens is not None
    token = first.tokens.access_token
    enrollment = run.keep(client.associate_totp(access_token=token)).data["enrollment"]
    run.secrets.append(enrollment.secret)
    run.results.append(enrollment)
    code = totp_code(enrollment.secret)
    run.secrets.append(code)
    run.keep(client.verify_totp(code, access_token=token))
    run.keep(client.set_preference(token, MfaPreference(totp="preferred")))
    attempt = run.keep(client.sign_in(pool.client_id, bob.username, bob.password))
    assert attempt.challenge == "SOFTWARE_TOKEN_MFA"
    code = sandbox.totp_code(pool, bob.username)
    run.secrets.append(code)
    assert run.keep(attempt.answer(code)).signed_in

    # email: carol prefers email and signs in with the emailed code
    run.keep(
        client.admin_set_preference(pool.pool_id, carol.username, MfaPreference(email="preferred"))
    )
    attempt = run.keep(client.sign_in(pool.client_id, carol.username, carol.password))
    assert attempt.challenge == "EMAIL_OTP"
    run.answer_with_outbox(attempt, "EMAIL")
    _mfa_setup(run)
    return run


def _mfa_setup(run: Session) -> None:
    """dave, in a pool that requires TOTP, registers an authenticator during sign-in."""
    sandbox, client = run.sandbox, run.client
    pool = sandbox.create_pool(name="leaks-setup", mfa="ON", factors=("TOTP",))
    dave = sandbox.create_user(pool, "leak-dave", phone=None, email=None)
    run.secrets.append(dave.password)
    attempt = run.keep(client.sign_in(pool.client_id, dave.username, dave.password))
    assert attempt.challenge == "MFA_SETUP"
    enrollment = run.keep(client.associate_totp(session=attempt.session)).data["enrollment"]
    code = totp_code(enrollment.secret)
    run.secrets += [enrollment.secret, enrollment.session, code]
    verified = run.keep(client.verify_totp(code, session=enrollment.session))
    run.secrets.append(verified.data["session"])
    assert run.keep(attempt.set_up(verified.data["session"])).signed_in


def _command(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out + err


def _saved_files(log: MfaLog, folder: Path) -> list[Path]:
    log.to_jsonl(folder / "export.jsonl")
    log.to_csv(folder / "export.csv")
    log.to_parquet(folder / "export.parquet")
    # Parquet pages are compressed: scan the table read back as well as the raw bytes.
    readable = folder / "parquet-as.csv"
    pd.read_parquet(folder / "export.parquet").to_csv(readable)
    return sorted(folder.iterdir())


@pytest.mark.wire  # the commands call the sandbox's endpoint URL
def test_a_whole_session_leaks_no_secret(
    sandbox: Sandbox,
    sandbox_env: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    saved = tmp_path / "saved"
    saved.mkdir()
    pool = sandbox.create_pool(name="leaks", mfa="OPTIONAL")
    with MfaLog(autosave=saved / "autosave.jsonl") as log:
        client = MfaClient.for_sandbox(sandbox, log=log, in_process=True)
        run = _run_session(sandbox, client, pool)
        some_token = next(s for s in run.secrets if s.startswith("eyJ"))
        outputs = [
            _command(
                capsys,
                "cli",
                "--from-cli",
                f"--access-token {some_token} --sms-mfa-settings Enabled=true",
            ),
            _command(capsys, "cli", "--sms", "preferred", "--totp", "enabled", "--format", "boto3"),
            _command(capsys, "predict", "--pool-mfa", "ON", "--pool-factors", "SMS,TOTP", "--json"),
            _command(
                capsys, "audit", "--user-pool-id", pool.pool_id, "--csv", str(saved / "audit.csv")
            ),
            _command(
                capsys,
                "explore",
                "--endpoint-url",
                sandbox.endpoint_url,
                "--log",
                str(saved / "explore.jsonl"),
                "--csv",
                str(saved / "explore.csv"),
            ),
        ]
        files = _saved_files(log, saved)
        shown = [repr(r) for r in run.results] + [str(r) for r in run.results]
        shown += [str(r.error) for r in run.results if getattr(r, "error", None)]
        shown += [repr(log), repr(log.events), log.frame.to_string()]

    secrets = {s for s in [*run.secrets, *sandbox.issued_secrets()] if s}
    assert len(files) == 8
    assert len(log) > 15
    assert len(secrets) > 20
    assert find_leaks([*outputs, *shown, *files], secrets) == []


def test_the_scan_finds_a_planted_secret(tmp_path: Path) -> None:
    """The scanner itself: a code, a token and a password are found in text and in files."""
    path = tmp_path / "out.txt"
    path.write_text("sign-in ok; code 482913 used; at 2026-01-01T00:00:00.482913+00:00")
    token = "eyJraWQiOiJrIn0.eyJzdWIiOiJ4In0.c2ln"
    found = find_leaks(
        [path, f"token={token}", "pw: Hunter-2-Hunter"], ["482913", token, "Hunter-2-Hunter"]
    )
    assert len(found) == 3
    assert find_leaks(["at 00:00:00.482913+00:00, latency 12.482913"], ["482913"]) == []
