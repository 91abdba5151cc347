"""Every CSV the toolkit writes: formulas neutralised, free text optionally bounded.

:func:`write_csv` is the one way a table reaches a ``.csv`` file (the log, the audit, the
explorer's outcomes, the classroom board); :func:`read_csv_text` reads such a file back with
its text cells as they were.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from mfa_widgets.core.spreadsheet import bounded, from_spreadsheet, to_spreadsheet

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["read_csv_text", "spreadsheet_frame", "write_csv"]


def spreadsheet_frame(frame: pd.DataFrame, *, limit: int | None = None) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells open as text (and, with ``limit``, are bounded)."""

    def cell(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        return to_spreadsheet(bounded(value, limit) if limit else value)

    from pandas.api import types

    safe: pd.DataFrame = frame.copy()
    for column in safe.columns:
        kind = safe[column].dtype
        if types.is_numeric_dtype(kind) or types.is_datetime64_any_dtype(kind):
            continue  # numbers and times are written as such, never read as a formula
        safe[column] = safe[column].astype(object).map(cell)
    return safe


def write_csv(frame: pd.DataFrame, path: str | Path, *, limit: int | None = None) -> Path:
    """Write ``frame`` to ``path`` as CSV through :func:`spreadsheet_frame`; returns the path."""
    target = Path(path)
    # RFC 4180 line ends: the csv module quotes a field holding any line-end character, so a bare
    # CR inside a cell (quoted neither with "\n" line ends) cannot split a row.
    spreadsheet_frame(frame, limit=limit).to_csv(target, index=False, lineterminator="\r\n")
    return target


def read_csv_text(path: str | Path) -> pd.DataFrame:
    """Read a CSV written by :func:`write_csv`: every cell as text, the quotes undone."""
    import pandas as pd

    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    for column in frame.columns:
        frame[column] = frame[column].map(
            lambda v: from_spreadsheet(v) if isinstance(v, str) else v
        )
    return frame
