"""The live log view: the :class:`~mfa_widgets.services.log.MfaLog` DataFrame, newest rows first.

The table is an ``HTML`` widget whose value is redrawn after each append from the newest rows only
(:meth:`MfaLog.tail <mfa_widgets.services.log.MfaLog.tail>`), and the summary's counts are kept
up to date event by event, so an append costs the same whether the log holds a hundred events or
a million. Setting one widget value is a single comm message, so it is safe from the worker
threads an explorer sweep appends from (an ``Output`` widget would need the capture context of
the thread that displays into it). Every cell is HTML-escaped; rows where the observed challenge
agrees or disagrees with the prediction get the classes ``mfa-agree`` / ``mfa-disagree`` and a
colour.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as w
import pandas as pd
import traitlets as t

from mfa_widgets.core.extras import MissingExtraError
from mfa_widgets.services.log import mismatch_summary, schema
from mfa_widgets.widgets._common import Panel, download_link, header, status_line, styled
from mfa_widgets.widgets.layout import fitted, wrapping_row
from mfa_widgets.widgets.markup import Html, HtmlView, join, markup
from mfa_widgets.widgets.state import LogColumns, LogViewState, PanelStatus, StatusKind

if TYPE_CHECKING:
    from mfa_widgets.services.log import LogEvent, MfaLog

__all__ = ["COMPACT_COLUMNS", "LogView", "frame_html", "rows_html"]

#: The columns of the compact view, in order (``outcome_category`` says what ``outcome`` says,
#: and more: a typo is ``user_error``, a refusal ``refused``; "All columns" shows both).
COMPACT_COLUMNS = (
    "timestamp",
    "operation",
    "username",
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
#: Headers and cells aligned alike (the notebook's table style centres headers and right-aligns
#: cells), one line each: a column is as wide as its widest value and the table scrolls.
_CELL_CSS = (
    "<style>table.mfa-log th,table.mfa-log td"
    "{text-align:left;padding:2px 6px;white-space:nowrap;vertical-align:top}</style>"
)
_EXPORTS = {"csv": "to_csv", "parquet": "to_parquet"}


def frame_html(frame: pd.DataFrame) -> Html:
    """``frame`` as an escaped HTML table; rows coloured by their ``agrees`` column, if any."""
    return _table_html(frame.columns, rows_html(frame))


def rows_html(frame: pd.DataFrame) -> list[Html]:
    """One escaped ``<tr>`` per row of ``frame``, coloured by its ``agrees`` column, if any."""
    agrees = frame["agrees"] if "agrees" in frame.columns else None
    rows = []
    for position, values in enumerate(frame.itertuples(index=False, name=None)):
        verdict = None if agrees is None else agrees.iloc[position]
        rows.append(_row_html(values, None if verdict is None or pd.isna(verdict) else verdict))
    return rows


def _row_html(values: Iterable[Any], verdict: bool | None) -> Html:
    key = None if verdict is None else bool(verdict)
    attributes = Html()
    if key is not None:
        attributes = markup(' class="{}" style="{}"', _ROW_CLASS[key], _ROW_STYLE[key])
    cells = join("", (markup("<td>{}</td>", _cell(v)) for v in values))
    return markup("<tr{}>{}</tr>", attributes, cells)


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_KINDS = tuple(column.kind for column in schema.COLUMNS)
_NAMES = tuple(column.name for column in schema.COLUMNS)
_ALL = tuple(range(len(_NAMES)))
_AGREES = _NAMES.index("agrees")


def _display_values(raw: tuple[Any, ...]) -> list[Any]:
    """A :meth:`LogEvent.frame_row` as the frame shows it (what ``itertuples`` would give)."""
    values: list[Any] = []
    for kind, value in zip(_KINDS, raw, strict=True):
        if kind == "timestamp":
            values.append(_EPOCH + timedelta(microseconds=value))
        elif kind == "boolean":
            values.append(None if value < 0 else bool(value))
        elif kind == "float":
            values.append(None if math.isnan(value) else value)
        else:
            values.append(value)
    return values


def _table_html(columns: Iterable[Any], rows: Iterable[Html]) -> Html:
    head = join("", (markup("<th>{}</th>", c) for c in columns))
    return markup(
        "{}"
        '<table class="dataframe mfa-log" style="font-size:12px;border-collapse:collapse">'
        "<thead><tr>{}</tr></thead><tbody>{}</tbody></table>",
        Html(_CELL_CSS),
        head,
        join("", rows),
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
        self._agree = self._disagree = 0  # sign-ins as predicted and not, kept event by event
        self._typos = 0  # wrong codes and passwords: not decisions, never counted as misses
        self._shown = 0  # events in the log as of the last drawing
        self._rows: deque[Html] = deque()  # the drawn rows' HTML, newest first
        self._clears = 0  # the log's clear() count when last drawn in full
        self._compact = tuple(_NAMES.index(c) for c in COMPACT_COLUMNS if c in _NAMES)
        # As wide as the table (flex 0 0 auto): the box around it scrolls, not cuts.
        self.table = styled(HtmlView(layout=w.Layout(flex="0 0 auto")), "log", "table")
        self.summary = styled(HtmlView(), "log", "summary")
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
        self.csv_button = styled(
            fitted(w.Button(description="Export CSV", icon="download")), "log", "csv"
        )
        self.parquet_button = styled(
            fitted(w.Button(description="Export Parquet", icon="download")), "log", "parquet"
        )
        self.export_path = styled(HtmlView(), "log", "export-path")
        self.download = styled(HtmlView(), "log", "download")
        self._wire()
        self.widget = self._layout()
        self._unsubscribe = log.subscribe(self._on_event)
        self.refresh()

    # -- actions -------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Redraw the newest rows and recount the log's sign-ins (the view updates itself)."""
        with self._lock:
            self._redraw_all()

    def _redraw_all(self) -> None:
        """Draw the newest ``limit`` rows and count every event before them (holding the lock)."""
        self._clears = self.log.clears
        newest = self.log.tail(self.state.limit)
        self._shown = int(newest.index[-1]) + 1 if len(newest) else 0
        verdicts = [event.agrees for event in self.log.events[: self._shown]]
        self._agree, self._disagree = verdicts.count(True), verdicts.count(False)
        self._typos = sum(
            event.outcome_category == "user_error" for event in self.log.events[: self._shown]
        )
        self._rows = deque(reversed(rows_html(self._visible(newest))), maxlen=self.state.limit)
        self._publish()

    def _add_row(self, event: LogEvent) -> None:
        """Draw one appended event and count it (holding the lock); the frame is not touched.

        Rows appear in the order the log tells the view about them (with several appending
        threads that can differ slightly from the log's order; :meth:`refresh` redraws in it).
        """
        if self.log.clears != self._clears:  # the log was cleared since: draw afresh
            self._redraw_all()
            return
        values = _display_values(event.frame_row())
        verdict = values[_AGREES]
        self._agree += verdict is True
        self._typos += event.outcome_category == "user_error"
        self._disagree += verdict is False
        shown = self._compact if self.state.columns == LogColumns.COMPACT else _ALL
        self._rows.appendleft(_row_html([values[i] for i in shown], verdict))
        self._shown = len(self.log)
        self._publish()

    def _visible(self, rows: pd.DataFrame) -> pd.DataFrame:
        if self.state.columns == LogColumns.COMPACT:
            compact: pd.DataFrame = rows[[_NAMES[i] for i in self._compact]]
            return compact
        return rows

    def _publish(self) -> None:
        shown = self._compact if self.state.columns == LogColumns.COMPACT else _ALL
        scored = mismatch_summary(self._disagree, self._agree + self._disagree, self._typos)
        summary = (
            f"{self._shown} events, newest first (showing {len(self._rows)}). "
            f"Predictions: {scored}."
        )
        self.table.value = _table_html([_NAMES[i] for i in shown], self._rows)
        self.summary.value = summary

    def export(self, kind: str) -> Path | None:
        """Write the log as ``"csv"`` or ``"parquet"`` into the chosen folder; show the path."""
        if kind not in _EXPORTS:
            raise ValueError(f"unknown export format {kind!r}: use 'csv' or 'parquet'")
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        path = Path(self.state.folder or ".").expanduser() / f"mfa-log-{stamp}.{kind}"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            getattr(self.log, _EXPORTS[kind])(path)
        except MissingExtraError as missing:
            self.status.say(str(missing), StatusKind.ERROR)
            return None
        except OSError as error:
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

    def _on_event(self, event: LogEvent) -> None:
        with self._lock:
            self._add_row(event)

    def _wire(self) -> None:
        t.link((self.state, "limit"), (self.limit_box, "value"))
        t.link((self.state, "columns"), (self.columns_choice, "value"))
        t.link((self.state, "folder"), (self.folder_box, "value"))
        self.state.observe(lambda _c: self.refresh(), names=["limit", "columns"])
        t.dlink(
            (self.state, "last_export"),
            (self.export_path, "value"),
            transform=lambda p: markup("Written: <code>{}</code>", p) if p else "",
        )
        self.csv_button.on_click(lambda _b: self.export("csv"))
        self.parquet_button.on_click(lambda _b: self.export("parquet"))

    def _layout(self) -> w.Widget:
        settings = wrapping_row([self.limit_box, self.columns_choice])
        exports = wrapping_row([self.folder_box, self.csv_button, self.parquet_button])
        scroll = w.Box(
            [self.table],
            layout={"overflow": "auto", "max_height": "480px", "max_width": "100%"},
        )
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
