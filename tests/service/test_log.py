"""MfaLog: typed frame, caching, autosave and reload, file round trips, secrets, threads."""

from __future__ import annotations

import copy
import dataclasses
import json
import pickle
import threading
import warnings
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pandas as pd
import pytest

from mfa_widgets.core.preferences import Factor, MfaPreference
from mfa_widgets.core.signin.labels import NO_CHALLENGE, SIGN_IN_ERROR
from mfa_widgets.sandbox import Sandbox, SandboxPool, SandboxUser
from mfa_widgets.services.log import (
    LogEvent,
    LogEventError,
    LogFileError,
    LogRecoveryWarning,
    MfaLog,
    SubscriberWarning,
)

# A JWT-shaped string like the access tokens moto echoes in error messages (not a real token).
JWT = (
    "eyJraWQiOiJ0ZXN0IiwiYWxnIjoiUlMyNTYifQ"
    ".eyJzdWIiOiJ1c2VyLTEiLCJ0b2tlbl91c2UiOiJhY2Nlc3MifQ"
    ".c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmU"
)
PASSWORD = "Correct-Horse-9!"
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)

EXPECTED_DTYPES = {
    "timestamp": "datetime64[us, UTC]",
    "operation": "category",
    "backend": "category",
    "username": "string",
    "requested_sms": "category",
    "requested_totp": "category",
    "requested_email": "category",
    "outcome": "category",
    "error_code": "string",
    "error_message": "string",
    "latency_ms": "Float64",
    "enabled": "category",
    "enabled_sms": "boolean",
    "enabled_totp": "boolean",
    "enabled_email": "boolean",
    "preferred": "category",
    "predicted_challenge": "category",
    "observed_challenge": "category",
    "agrees": "boolean",
    "scenario": "string",
    "note": "string",
    "flow": "category",  # issue 14: the sign-in's AuthFlow
    "first_factor": "category",  # issue 14: PASSWORD, WEB_AUTHN, EMAIL_OTP, ...
    "outcome_category": "category",
}


def sample_events() -> list[LogEvent]:
    """Events covering every kind of value, including unknowns."""
    return [
        LogEvent(
            "SetUserMFAPreference",
            username="alice",
            requested=MfaPreference(sms="enabled", totp="preferred"),
            latency_ms=4.25,
            enabled=(Factor.SMS, Factor.TOTP),
            preferred=Factor.TOTP,
            timestamp=T0,
            scenario="sms then totp",
        ),
        LogEvent(
            "AdminInitiateAuth",
            backend="aws:eu-west-1",
            username="alice",
            outcome="challenge",
            latency_ms=12.5,
            predicted_challenge="SOFTWARE_TOKEN_MFA",
            observed_challenge="SOFTWARE_TOKEN_MFA",
            timestamp=T0 + timedelta(seconds=1),
            scenario="sms then totp",
        ),
        LogEvent(
            "RespondToAuthChallenge",
            username="bob",
            outcome="error",
            error_code="CodeMismatchException",
            error_message="Invalid code received for user",
            predicted_challenge=NO_CHALLENGE,
            observed_challenge="SMS_MFA",
            timestamp=T0 + timedelta(seconds=2),
            note="wrong code on purpose",
        ),
        LogEvent(
            "GetUser",
            username="carol",
            requested={"email": None},
            enabled=(),
            timestamp=T0 + timedelta(seconds=3),
        ),
    ]


def filled_log(**options: object) -> MfaLog:
    log = MfaLog(**options)  # type: ignore[arg-type]
    for event in sample_events():
        log.append(event)
    return log


# -- the frame -------------------------------------------------------------------------------


def test_frame_has_the_documented_dtypes_even_when_empty() -> None:
    for log in (MfaLog(), filled_log()):
        dtypes = {name: str(dtype) for name, dtype in log.frame.dtypes.items()}
        assert dtypes == EXPECTED_DTYPES


def test_categoricals_have_fixed_categories_whatever_was_logged() -> None:
    frame = MfaLog().frame
    assert list(frame["outcome"].cat.categories) == ["ok", "error", "challenge", "tokens"]
    assert list(frame["requested_totp"].cat.categories) == ["disabled", "enabled", "preferred"]
    assert {"SMS_MFA", "SELECT_MFA_TYPE", "MFA_SETUP", NO_CHALLENGE} <= set(
        frame["observed_challenge"].cat.categories
    )
    assert "SMS,TOTP,EMAIL" in frame["enabled"].cat.categories
    assert list(frame["preferred"].cat.categories) == ["SMS", "TOTP", "EMAIL", "none"]


def test_frame_values_follow_the_events() -> None:
    frame = filled_log().frame
    first, challenge, error, read = (frame.iloc[i] for i in range(4))
    assert first["timestamp"] == pd.Timestamp(T0)
    assert (first["requested_sms"], first["requested_totp"]) == ("enabled", "preferred")
    assert pd.isna(first["requested_email"])  # unchanged
    assert first["enabled"] == "SMS,TOTP"
    assert (first["enabled_sms"], first["enabled_totp"], first["enabled_email"]) == (
        True,
        True,
        False,
    )
    assert first["preferred"] == "TOTP"
    assert first["latency_ms"] == 4.25
    assert challenge["backend"] == "aws:eu-west-1"
    # the wrong code is a typo, not a Cognito decision: it never scores the prediction
    assert frame["agrees"].tolist() == [pd.NA, True, pd.NA, pd.NA]
    assert frame["outcome_category"].tolist()[:3] == ["ok", "challenge", "user_error"]
    assert pd.isna(challenge["enabled"])  # unknown
    assert pd.isna(challenge["enabled_sms"])
    assert error["error_code"] == "CodeMismatchException"
    assert pd.isna(error["latency_ms"])
    assert read["enabled"] == "none"
    assert read["preferred"] == "none"  # known: no factor preferred
    assert not read[["enabled_sms", "enabled_totp", "enabled_email"]].any()


def test_rows_stay_in_append_order_not_timestamp_order() -> None:
    log = MfaLog()
    for seconds in (5, 1, 3):
        log.append(LogEvent("GetUser", timestamp=T0 + timedelta(seconds=seconds)))
    seconds_logged = (log.frame["timestamp"] - pd.Timestamp(T0)).dt.total_seconds()
    assert list(seconds_logged) == [5, 1, 3]


def test_frame_is_cached_until_an_event_arrives() -> None:
    log = MfaLog()
    for _ in range(1000):
        log.append(LogEvent("GetUser"))
    assert log.frame_builds == 0  # appending never builds a DataFrame
    first = log.frame
    second = log.frame
    assert log.frame_builds == 1
    pd.testing.assert_frame_equal(first, second)
    log.append(LogEvent("AdminGetUser"))
    assert len(log.frame) == 1001
    assert log.frame_builds == 2


def test_changing_a_returned_frame_does_not_change_the_log() -> None:
    log = filled_log()
    frame = log.frame
    frame.loc[0, "username"] = "mallory"
    frame["extra"] = 1
    assert log.frame.loc[0, "username"] == "alice"
    assert "extra" not in log.frame


def test_other_operations_and_backends_extend_their_categories() -> None:
    log = MfaLog()
    log.append(LogEvent("ListUserPools", backend="sandbox:training"))
    log.append(LogEvent("GetUser", backend="endpoint:http://127.0.0.1:5000"))
    frame = log.frame
    assert frame.loc[0, "operation"] == "ListUserPools"
    assert list(frame["backend"]) == ["sandbox:training", "endpoint:http://127.0.0.1:5000"]
    assert frame["operation"].cat.categories[0] == "SetUserMFAPreference"  # fixed ones first


def test_events_copy_pickle_and_hash() -> None:
    for event in sample_events():
        assert pickle.loads(pickle.dumps(event)) == event  # noqa: S301 (our own bytes)
        assert copy.deepcopy(event) == event
        assert dataclasses.asdict(event)["requested"] == dict(event.requested)
        assert hash(event) == hash(LogEvent.from_json(event.to_json()))
    requested = sample_events()[0].requested
    assert dict(requested) == {"sms": "enabled", "totp": "preferred", "email": None}
    with pytest.raises(TypeError):
        requested["sms"] = "disabled"  # type: ignore[index]


def test_mapping_appends_and_enum_values_are_accepted() -> None:
    log = MfaLog()
    log.append({"operation": "InitiateAuth", "outcome": "TOKENS", "observed_challenge": "none"})
    event = log.events[0]
    assert (event.outcome, event.observed_challenge) == ("tokens", NO_CHALLENGE)


def test_pivot_of_challenges_by_enabled_factors() -> None:
    log = MfaLog()
    rows = [("SMS", "SMS_MFA"), ("SMS,TOTP", "SELECT_MFA_TYPE"), ("", "NONE"), ("TOTP", "ERROR")]
    for enabled, challenge in rows:
        log.append(LogEvent("AdminInitiateAuth", enabled=enabled, observed_challenge=challenge))
    table = pd.crosstab(log.frame["enabled"], log.frame["observed_challenge"])
    assert table.loc["SMS,TOTP", "SELECT_MFA_TYPE"] == 1
    assert table.loc["none", NO_CHALLENGE] == 1
    assert table.loc["TOTP", SIGN_IN_ERROR] == 1
    assert int(table.to_numpy().sum()) == 4


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"operation": "set_user_mfa_preference"}, "CamelCase"),
        ({"operation": "GetUser", "outcome": "maybe"}, "ok, error, challenge, tokens"),
        ({"operation": "GetUser", "backend": "Prod env"}, "aws:<region>"),
        ({"operation": "GetUser", "observed_challenge": "SMS"}, "SMS_MFA"),
        ({"operation": "GetUser", "timestamp": datetime(2026, 1, 1)}, "timezone-aware"),
        ({"operation": "GetUser", "latency_ms": -1}, "negative"),
        ({"operation": "GetUser", "requested": {"fax": "enabled"}}, "unknown MFA factor"),
        ({"operation": "GetUser", "requested": {"sms": "maybe"}}, "unknown factor state"),
        ({"operation": "GetUser", "colour": "red"}, "unknown log event field"),
    ],
)
def test_bad_values_are_refused_with_a_message_naming_the_fix(
    fields: dict[str, object], words: str
) -> None:
    log = MfaLog()
    with pytest.raises(LogEventError) as caught:
        log.append(fields)
    assert words in str(caught.value)
    assert len(log) == 0


# -- secrets ---------------------------------------------------------------------------------


def test_a_jwt_in_an_error_message_never_reaches_repr_frame_or_file(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    event = LogEvent(
        "SetUserMFAPreference",
        outcome="error",
        error_code="NotAuthorizedException",
        error_message=f"Invalid Access Token {JWT} for user",
        note=f"token was {JWT}",
    )
    assert JWT not in repr(event)
    with MfaLog(autosave=path) as log:
        log.append(event)
        assert JWT not in log.frame.to_csv()
    message = log.events[0].error_message
    assert message is not None
    assert message.startswith("Invalid Access Token [token ")
    assert JWT not in path.read_text(encoding="utf-8")
    assert "eyJ" in path.read_text(encoding="utf-8")  # the short public prefix may stay


def test_registered_password_is_scrubbed_from_every_text_field(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    log = MfaLog(autosave=path, secrets=[PASSWORD])
    log.append(
        LogEvent(
            "AdminInitiateAuth",
            outcome="error",
            error_message=f"Incorrect username or password: {PASSWORD}",
            scenario=f"try {PASSWORD}",
        )
    )
    log.close()
    event = log.events[0]
    assert event.error_message == "Incorrect username or password: [redacted]"
    assert event.scenario == "try [redacted]"
    assert PASSWORD not in repr(event)
    assert PASSWORD not in path.read_text(encoding="utf-8")


def test_a_field_equal_to_a_secret_is_dropped_and_noted() -> None:
    log = MfaLog()
    log.add_secret("123456")  # a one-time code
    log.append(LogEvent("RespondToAuthChallenge", username="123456", note="code sent"))
    event = log.events[0]
    assert event.username is None
    assert event.note == "code sent; username dropped: equal to a registered secret"
    assert "123456" not in log.frame.to_csv()


def test_secrets_given_to_an_event_keep_its_repr_clean() -> None:
    event = LogEvent("AdminInitiateAuth", error_message=f"pw {PASSWORD}", secrets=[PASSWORD])
    assert PASSWORD not in repr(event)
    assert event.error_message == "pw [redacted]"


def test_secrets_must_be_non_empty_strings() -> None:
    with pytest.raises(LogEventError, match="non-empty"):
        MfaLog(secrets=[""])


# -- autosave and files ----------------------------------------------------------------------


def test_autosave_writes_one_flushed_line_per_event_and_reloads(tmp_path: Path) -> None:
    path = tmp_path / "session.jsonl"
    log = MfaLog(autosave=path)
    for count, event in enumerate(sample_events(), start=1):
        log.append(event)
        # Readable by another process right away: flushed, one JSON object per line.
        lines = path.read_text(encoding="utf-8").splitlines()
        assert len(lines) == count
        assert json.loads(lines[-1])["operation"] == event.operation
    reloaded = MfaLog.load(path)
    assert reloaded.events == log.events
    pd.testing.assert_frame_equal(reloaded.frame, log.frame)
    assert reloaded.load_problems == ()
    log.close()


def test_fsync_flag_syncs_each_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[int] = []
    monkeypatch.setattr("mfa_widgets.services.log.store.os.fsync", synced.append)
    with MfaLog(autosave=tmp_path / "log.jsonl", fsync=True) as log:
        log.append(LogEvent("GetUser"))
        log.append(LogEvent("GetUser"))
    assert len(synced) == 2


def test_truncated_last_line_is_reported_and_left_out(tmp_path: Path) -> None:
    path = tmp_path / "crashed.jsonl"
    with MfaLog(autosave=path) as log:
        for event in sample_events():
            log.append(event)
    complete = path.read_text(encoding="utf-8")
    last_line = complete.splitlines()[-1]
    path.write_text(complete + last_line[:25], encoding="utf-8")  # crash mid-write
    with pytest.warns(LogRecoveryWarning, match="truncated last line"):
        reloaded = MfaLog.load(path)
    assert reloaded.events == log.events
    assert len(reloaded.load_problems) == 1
    assert "line 5" in reloaded.load_problems[0]


def test_resuming_after_a_crash_continues_on_a_fresh_line(tmp_path: Path) -> None:
    path = tmp_path / "crashed.jsonl"
    with MfaLog(autosave=path) as log:
        log.append(LogEvent("GetUser", username="before"))
    with path.open("a", encoding="utf-8") as file:
        file.write('{"operation": "Get')
    with pytest.warns(LogRecoveryWarning):
        resumed = MfaLog.load(path, resume=True)
    resumed.append(LogEvent("GetUser", username="after"))
    resumed.close()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the file is whole again: no warning
        again = MfaLog.load(path)
    assert [e.username for e in again.events] == ["before", "after"]


def test_a_damaged_line_in_the_middle_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "damaged.jsonl"
    filled_log().to_jsonl(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1][:10]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(LogFileError, match="line 2"):
        MfaLog.load(path)


def test_loading_a_missing_file_names_it(tmp_path: Path) -> None:
    with pytest.raises(LogFileError, match="does not exist"):
        MfaLog.load(tmp_path / "nope.jsonl")


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".jsonl"])
def test_file_round_trips_keep_values_and_dtypes(tmp_path: Path, suffix: str) -> None:
    log = filled_log()
    log.append(LogEvent("ListUserPools", backend="sandbox:lab"))  # an open category value
    path = tmp_path / f"log{suffix}"
    {".csv": log.to_csv, ".parquet": log.to_parquet, ".jsonl": log.to_jsonl}[suffix](path)
    if suffix != ".jsonl":
        pd.testing.assert_frame_equal(MfaLog.read_frame(path), log.frame)
    reloaded = MfaLog.load(path)
    assert reloaded.events == log.events
    pd.testing.assert_frame_equal(reloaded.frame, log.frame)


def test_read_frame_refuses_other_files(tmp_path: Path) -> None:
    with pytest.raises(LogFileError, match=r"\.csv or \.parquet"):
        MfaLog.read_frame(tmp_path / "log.xlsx")
    other = tmp_path / "other.csv"
    pd.DataFrame({"a": [1]}).to_csv(other, index=False)
    with pytest.raises(LogFileError, match="not an MfaLog table"):
        MfaLog.read_frame(other)


# -- threads and subscribers ---------------------------------------------------------------


def test_threaded_appends_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "threads.jsonl"
    log = MfaLog(autosave=path)
    seen: list[LogEvent] = []
    log.subscribe(seen.append)

    def worker(number: int) -> None:
        for i in range(250):
            log.append(LogEvent("GetUser", username=f"w{number}-{i}"))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    log.close()
    names = {f"w{n}-{i}" for n in range(8) for i in range(250)}
    assert len(log) == 2000
    assert set(log.frame["username"]) == names
    assert list(log.frame["username"]) == [e.username for e in log.events]  # same order
    assert {e.username for e in seen} == names
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["username"] for line in lines] == list(log.frame["username"])


def test_a_failing_subscriber_does_not_break_logging() -> None:
    log = MfaLog()
    received: list[str] = []

    def broken(event: LogEvent) -> None:
        raise RuntimeError("widget gone")

    log.subscribe(broken)
    log.subscribe(lambda event: received.append(event.operation))
    with pytest.warns(SubscriberWarning, match="widget gone"):
        log.append(LogEvent("GetUser"))
    assert len(log) == 1
    assert received == ["GetUser"]


def test_unsubscribe_stops_callbacks() -> None:
    log = MfaLog()
    received: list[LogEvent] = []
    unsubscribe = log.subscribe(received.append)
    log.append(LogEvent("GetUser"))
    unsubscribe()
    unsubscribe()  # twice is harmless
    log.append(LogEvent("GetUser"))
    assert len(received) == 1


def test_clear_forgets_events_and_invalidates_the_frame() -> None:
    log = filled_log()
    assert len(log.frame) == 4
    log.clear()
    assert len(log) == 0
    assert log.frame.empty
    log.append(LogEvent("GetUser"))
    assert list(log.frame["operation"]) == ["GetUser"]


# -- a real sandbox session, logged through MfaClient ----------------------------------------


def test_a_sandbox_session_is_logged_without_tokens_or_passwords(
    sandbox: Sandbox,
    pool: SandboxPool,
    make_user: Callable[..., SandboxUser],
    signed_in: Callable[[SandboxPool, SandboxUser], str],
    tmp_path: Path,
) -> None:
    from mfa_widgets.services.client import MfaClient

    user = make_user(pool)
    path = tmp_path / "session.jsonl"
    log = MfaLog(autosave=path, secrets=[user.password])
    client = MfaClient.for_sandbox(sandbox, log=log, in_process=True)
    token = signed_in(pool, user)

    client.set_preference(token, MfaPreference(sms="preferred"))
    client.sign_in(pool.client_id, user.username, user.password, predicted="SMS_MFA")
    client.sign_in(pool.client_id, user.username, "Wrong-Password-1", predicted="ERROR")
    client.get_preference(f"{token}x")  # a damaged token: an error row, nothing of it kept
    log.close()

    frame = log.frame
    assert str(frame["timestamp"].dtype) == "datetime64[us, UTC]"
    writes = frame[frame["operation"] == "SetUserMFAPreference"]
    assert list(writes["requested_sms"]) == ["preferred"]
    assert list(writes["preferred"]) == ["SMS"]
    sign_ins = frame[frame["operation"] == "InitiateAuth"]
    assert list(sign_ins["outcome"]) == ["challenge", "error"]
    assert list(sign_ins["observed_challenge"]) == ["SMS_MFA", SIGN_IN_ERROR]
    assert sign_ins["agrees"].tolist() == [True, pd.NA]  # a wrong password decides nothing
    assert list(sign_ins["outcome_category"]) == ["challenge", "user_error"]
    assert (frame["latency_ms"].dropna() > 0).all()
    assert frame["outcome"].iloc[-1] == "error"
    saved = path.read_text(encoding="utf-8") + frame.to_csv()
    assert token not in saved
    assert token[-40:] not in saved  # not even the signature part
    assert user.password not in saved
    assert MfaLog.load(path).events == log.events
