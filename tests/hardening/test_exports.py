"""Every CSV the toolkit writes opens as text in a spreadsheet, and free text in it is bounded.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a formula by
a spreadsheet (OWASP, "CSV Injection"): a learner named ``=HYPERLINK("http://evil.example","x")``
in the board's export is the issue's instance. Each export is written with hostile text in each
text column it carries and read with the ``csv`` module, as a spreadsheet would.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mfa_widgets import MfaClient, MfaLog
from mfa_widgets.commands.main import main
from mfa_widgets.core.spreadsheet import FORMULA_STARTS, bounded, from_spreadsheet, to_spreadsheet
from mfa_widgets.sandbox import Sandbox
from mfa_widgets.sandbox.classroom.app import Classroom
from mfa_widgets.services.log import LogEvent
from mfa_widgets.widgets import Board
from mfa_widgets.widgets.board import CSV_CELL_LIMIT

FORMULAS = [
    '=HYPERLINK("http://evil.example","x")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]


def formula_cells(path: Path) -> list[str]:
    """The cells of ``path`` a spreadsheet would run as formulas."""
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            cell for row in csv.reader(handle) for cell in row if cell.startswith(FORMULA_STARTS)
        ]


@given(st.text())
def test_a_cell_opens_as_text_and_reads_back_unchanged(text: str) -> None:
    cell = to_spreadsheet(text)
    assert not cell.startswith(FORMULA_STARTS)
    assert from_spreadsheet(cell) == text


def test_bounded_cuts_long_text_with_an_ellipsis() -> None:
    assert bounded("abc", 3) == "abc"
    assert bounded("abcd", 3) == "ab…"
    with pytest.raises(ValueError, match="at least 1"):
        bounded("x", 0)


def test_the_log_csv_neutralises_formulas_and_reads_back_the_same(tmp_path: Path) -> None:
    log = MfaLog()
    for text in FORMULAS:
        log.append(LogEvent("AdminGetUser", username=text, error_message=text))
    log.append(LogEvent("AdminGetUser", username="'quoted"))
    path = tmp_path / "log.csv"
    log.to_csv(path)
    assert formula_cells(path) == []
    pd.testing.assert_frame_equal(MfaLog.read_frame(path), log.frame)
    assert MfaLog.load(path).events == log.events


def test_the_board_csv_neutralises_learner_names_and_bounds_their_text(tmp_path: Path) -> None:
    with Classroom([FORMULAS[0], "-dash", "@at"], state_dir=tmp_path / "state") as room:
        board = Board(room.trainer_link, refresh=0)
        try:
            written = board.to_csv(tmp_path / "progress.csv")
        finally:
            board.close()
    assert formula_cells(written) == []
    read = pd.read_csv(written, dtype=str, keep_default_na=False)
    assert sorted(read["learner"].unique()) == sorted(["'" + FORMULAS[0], "'-dash", "'@at"])
    assert all(len(cell) <= CSV_CELL_LIMIT + 1 for cell in read.to_numpy().ravel())


def test_the_audit_csv_neutralises_usernames(
    sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in sandbox.environment().items():
        monkeypatch.setenv(name, value)
    pool = sandbox.create_pool(name="export-audit")
    for name in ("=1+1", "+1", "@x", "-x"):
        sandbox.create_user(pool, name)
    table = tmp_path / "audit.csv"
    code = main(["audit", "--user-pool-id", pool.pool_id, "--csv", str(table), "--read-rate", "0"])
    assert code == 0
    assert formula_cells(table) == []
    usernames = pd.read_csv(table, dtype=str)["username"]
    assert sorted(usernames) == ["'+1", "'-x", "'=1+1", "'@x"]


def test_the_explore_csv_writer_is_the_same_one() -> None:
    """``explore --csv`` writes through the same function (one gate, one place)."""
    import inspect

    from mfa_widgets.commands import audit, explore

    for module in (audit, explore):
        assert "write_csv(" in inspect.getsource(module)
        assert ".to_csv(" not in inspect.getsource(module)
    client = MfaClient  # the client never writes CSV itself
    assert not hasattr(client, "to_csv")
