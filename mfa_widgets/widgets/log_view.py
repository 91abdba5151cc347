"""The live log view: the :class:`~mfa_widgets.services.log.MfaLog` DataFrame, newest rows first.

The table is an ``HTML`` widget whose value is rebuilt from the log's frame after each append.
Setting one widget value is a single comm message, so it is safe from the worker threads an
explorer sweep appends from (an ``Output`` widget would need the capture context of the thread
that displays into it). Every cell is HTML-escaped; rows where the observed challenge agrees or
disagrees with the prediction get the classes ``mfa-agree`` / ``mfa-disagree`` and a colour.
"""

from __future__ import annotations

import html
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as w
import pandas as pd
import traitlets as t

from mfa_widgets.services.log import decision_summary
from mfa_widgets.widgets._common import Panel, download_link, header, status_line, styled
from mfa_widgets.widgets.flow_state import LogColumns, LogViewState
from mfa_widgets.widgets.state import PanelStatus, StatusKind

if TYPE_CHECKING:
    from mfa_widgets.services.log import LogEvent, MfaLog

__all__ = ["COMPACT_COLUMNS", "LogView", "frame_html"]

#: The columns of the compact view, in order.
COMPACT_COLUMNS = (
    "timestamp",
    "operation",
    "username",
    "outcome",
    "outcome_category",
    "error_code",
    "enabled",
    "preferred",
    "predicted_challenge",
    "observed_challenge",
    "agrees",
    "latency_ms",
)
# Theme accents beside the text (readable in Light and Dark): see widgets/theme.py.
_ROW_STYLE = {
    True: "box-shadow:inset 4px 0 0 var(--jp-success-color1, #388e3c)",
    False: "box-shadow:inset 4px 0 0 var(--jp-error-color1, #d32f2f)",
}
_ROW_CLASS = {True: "mfa-agree", False: "mfa-disagree"}
_EXPORTS = {"csv": "to_csv", "parquet": "to_parquet"}


def frame_html(frame: pd.DataFrame) -> str:
    """``frame`` as an escaped HTML table; rows coloured by their ``agrees`` column, if any."""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    agrees = frame["agrees"] if "agrees" in frame.columns else None
    rows = []
    for position, values in enumerate(frame.itertuples(index=False, name=None)):
        verdict = None if agrees is None else agrees.iloc[position]
        key = None if verdict is None or pd.isna(verdict) else bool(verdict)
        attributes = (
            f' class="{_ROW_CLASS[key]}" style="{_ROW_STYLE[key]}"' if key is not None else ""
        )
        cells = "".join(f"<td>{html.escape(_cell(v))}</td>" for v in values)
        rows.append(f"<tr{attributes}>{cells}</tr>")
    return (
        '<table class="dataframe mfa-log" style="font-size:12px;border-collapse:collapse">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _cell(value: Any) -> str:
    if value is None or (not isinstance(value, str) and bool(pd.isna(value))):
        return ""
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, datetime):
        return f"{value:%H:%M:%S}"
    return str(value)


class LogView(Panel):
    """Show an :class:`~mfa_widgets.services.log.MfaLog` live, newest rows first, and export it.

    Parameters
    ----------
    log
        The log to show; the view subscribes to it (:meth:`close` unsubscribes).
    limit
        How many of the newest rows to show.
    columns
        ``"compact"`` or ``"full"``.
    folder
        Where the export buttons write (default: the current directory).

    Attributes
    ----------
    state
        Row limit, column set, export folder and the last written path.
    status
        The status line (export results and errors).
    """

    def __init__(
        self,
        log: MfaLog,
        *,
        limit: int = 25,
        columns: str = LogColumns.COMPACT,
        folder: str | Path = ".",
    ) -> None:
        self.log = log
        self.state = LogViewState(limit=limit, columns=columns, folder=str(folder))
        self.status = PanelStatus()
        self._lock = threading.Lock()  # appends may come from several worker threads
        self.table = styled(w.HTML(), "log", "table")
        self.summary = styled(w.HTML(), "log", "summary")
        self.limit_box = styled(
            w.BoundedIntText(description="Rows", min=1, max=10_000, layout={"width": "160px"}),
            "log",
            "limit",
        )
        self.columns_choice = styled(
            w.ToggleButtons(
                options=[("Compact", LogColumns.COMPACT), ("All columns", LogColumns.FULL)],
                description="Columns",
            ),
            "log",
            "columns",
        )
        self.folder_box = styled(
            w.Text(description="Folder", continuous_update=False, layout={"width": "360px"}),
            "log",
            "folder",
        )
        self.csv_button = styled(w.Button(description="Export CSV", icon="download"), "log", "csv")
        self.parquet_button = styled(
            w.Button(description="Export Parquet", icon="download"), "log", "parquet"
        )
        self.export_path = styled(w.HTML(), "log", "export-path")
        self.download = styled(w.HTML(), "log", "download")
        self._wire()
        self.widget = self._layout()
        self._unsubscribe = log.subscribe(self._on_event)
        self.refresh()

    # -- actions -------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Rebuild the table from the log (called after every append)."""
        with self._lock:
            frame = self.log.frame
            columns = list(COMPACT_COLUMNS) if self.state.columns == LogColumns.COMPACT else None
            newest = frame.iloc[::-1].head(self.state.limit)
            if columns is not None:
                newest = newest[[c for c in columns if c in newest.columns]]
            summary = (
                f"{len(frame)} events, newest first (showing {len(newest)}). "
                f"Predictions: {decision_summary(frame)}."
            )
            self.table.value = frame_html(newest)
            self.summary.value = html.escape(summary)

    def export(self, kind: str) -> Path | None:
        """Write the log as ``"csv"`` or ``"parquet"`` into the chosen folder; show the path."""
        if kind not in _EXPORTS:
            raise ValueError(f"unknown export format {kind!r}: use 'csv' or 'parquet'")
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        path = Path(self.state.folder or ".").expanduser() / f"mfa-log-{stamp}.{kind}"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            getattr(self.log, _EXPORTS[kind])(path)
        except (OSError, ImportError) as error:
            self.status.say(
                f"Could not write {path}: {error}. Choose a folder you can write to.",
                StatusKind.ERROR,
            )
            return None
        resolved = path.resolve()
        self.state.last_export = str(resolved)
        # The file is written where the kernel runs (Binder, a Voila server): the link carries
        # it to the browser.
        self.download.value = download_link(resolved)
        self.status.say(f"Wrote {len(self.log)} events.", StatusKind.OK)
        return resolved

    def close(self) -> None:
        """Stop following the log, then close the widgets."""
        self._unsubscribe()
        super().close()

    # -- view ----------------------------------------------------------------------------------

    def _on_event(self, _event: LogEvent) -> None:
        self.refresh()

    def _wire(self) -> None:
        t.link((self.state, "limit"), (self.limit_box, "value"))
        t.link((self.state, "columns"), (self.columns_choice, "value"))
        t.link((self.state, "folder"), (self.folder_box, "value"))
        self.state.observe(lambda _c: self.refresh(), names=["limit", "columns"])
        t.dlink(
            (self.state, "last_export"),
            (self.export_path, "value"),
            transform=lambda p: f"Written: <code>{html.escape(p)}</code>" if p else "",
        )
        self.csv_button.on_click(lambda _b: self.export("csv"))
        self.parquet_button.on_click(lambda _b: self.export("parquet"))

    def _layout(self) -> w.Widget:
        settings = w.HBox([self.limit_box, self.columns_choice])
        exports = w.HBox([self.folder_box, self.csv_button, self.parquet_button])
        scroll = w.Box([self.table], layout={"overflow": "auto", "max_height": "480px"})
        return styled(
            w.VBox(
                [
                    header("Event log"),
                    settings,
                    self.summary,
                    scroll,
                    exports,
                    w.HBox([self.export_path, self.download]),
                    status_line(self.status),
                ]
            ),
            "log-view",
        )
