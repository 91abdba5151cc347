"""The live log view: newest rows first, updates on append (also from threads), exports."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from mfa_widgets.services.log import LogEvent, MfaLog
from mfa_widgets.widgets.log_view import COMPACT_COLUMNS, LogView


def sign_in(username: str, predicted: str, observed: str) -> LogEvent:
    return LogEvent(
        "InitiateAuth",
        backend="sandbox",
        username=username,
        outcome="challenge",
        predicted_challenge=predicted,
        observed_challenge=observed,
    )


def test_table_updates_on_append_with_newest_rows_first() -> None:
    log = MfaLog()
    view = LogView(log, limit=2)
    assert "<tbody></tbody>" in view.table.value
    for name in ("first", "second", "third"):
        log.append(LogEvent("GetUser", backend="sandbox", username=name))
    table = view.table.value
    assert "third" in table
    assert "second" in table
    assert "first" not in table
    assert table.index("third") < table.index("second")
    assert view.summary.value.startswith("3 events")
    view.limit_box.value = 3
    assert "first" in view.table.value


def test_agreeing_and_disagreeing_sign_ins_are_highlighted() -> None:
    log = MfaLog()
    view = LogView(log)
    log.append(sign_in("same", "SMS_MFA", "SMS_MFA"))
    log.append(sign_in("other", "SMS_MFA", "SELECT_MFA_TYPE"))
    rows = view.table.value.split("<tr")
    same = next(r for r in rows if "same" in r)
    other = next(r for r in rows if "other" in r)
    assert 'class="mfa-agree"' in same
    assert 'class="mfa-disagree"' in other
    assert "1 mismatch of 2 decisions" in view.summary.value


def test_cells_are_escaped() -> None:
    log = MfaLog()
    view = LogView(log)
    log.append(LogEvent("GetUser", backend="sandbox", username="<b>eve</b>"))
    assert "&lt;b&gt;eve&lt;/b&gt;" in view.table.value
    assert "<b>eve</b>" not in view.table.value


def test_compact_and_full_column_sets() -> None:
    log = MfaLog()
    log.append(LogEvent("GetUser", backend="sandbox", username="a", scenario="key-1"))
    view = LogView(log)
    header = view.table.value.split("</thead>")[0]
    assert header.count("<th>") == len(COMPACT_COLUMNS)
    assert "scenario" not in header
    view.columns_choice.value = "full"
    header = view.table.value.split("</thead>")[0]
    assert header.count("<th>") == len(log.frame.columns)
    assert "key-1" in view.table.value


def test_appends_from_worker_threads_all_show_up() -> None:
    log = MfaLog()
    view = LogView(log, limit=100)

    def work(worker: int) -> None:
        for i in range(10):
            log.append(LogEvent("GetUser", backend="sandbox", username=f"w{worker}-{i}"))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(f"w{n}-{i}<" in view.table.value for n in range(4) for i in range(10))
    assert view.summary.value.startswith("40 events")


@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_export_writes_the_file_and_shows_its_path(tmp_path: Path, kind: str) -> None:
    log = MfaLog()
    log.append(sign_in("alice", "SMS_MFA", "SMS_MFA"))
    view = LogView(log, folder=tmp_path / "exports")
    button = view.csv_button if kind == "csv" else view.parquet_button
    button.click()
    written = Path(view.state.last_export)
    assert written.parent == (tmp_path / "exports").resolve()
    assert written.suffix == f".{kind}"
    assert str(written) in view.export_path.value
    again = MfaLog.read_frame(written)
    assert list(again["username"]) == ["alice"]
    assert view.status.kind == "ok"


def test_export_to_an_unusable_folder_says_so_and_the_view_stays_usable(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    log = MfaLog()
    log.append(LogEvent("GetUser", backend="sandbox"))
    view = LogView(log)
    view.folder_box.value = str(blocker / "sub")
    view.csv_button.click()
    assert view.status.kind == "error"
    assert "Choose a folder" in view.status.message
    assert view.state.last_export == ""
    view.folder_box.value = str(tmp_path)
    view.csv_button.click()
    assert Path(view.state.last_export).exists()


def test_close_unsubscribes() -> None:
    log = MfaLog()
    view = LogView(log)
    view.close()
    before = view.table.value
    log.append(LogEvent("GetUser", backend="sandbox", username="late"))
    assert view.table.value == before
