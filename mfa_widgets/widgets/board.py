"""The trainer's board: every learner × every exercise, live, with the class-wide actions.

Each cell says whether the learner's latest check passed, how many checks it took, how long the
exercise took them, and the last failed check in plain words. The actions (reset one learner's
world, apply a scenario to every learner's pools, reveal a hint to everyone) each ask for
confirmation first. :meth:`Board.frame` and :meth:`Board.to_csv` export the progress after the
session. Works in JupyterLab, Notebook 7 and Voila (standard controls only).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from mfa_widgets.core.class_scenario import Scenario
from mfa_widgets.services.csv_export import write_csv
from mfa_widgets.training.classroom import TrainerConnection
from mfa_widgets.training.lab import EXERCISES
from mfa_widgets.widgets._common import Panel, action, block, header, status_line, styled
from mfa_widgets.widgets.clicks import one_at_a_time
from mfa_widgets.widgets.layout import fitted, wrapping_row
from mfa_widgets.widgets.markup import Html, HtmlView, join, markup
from mfa_widgets.widgets.state import PanelStatus, StatusKind
from mfa_widgets.widgets.theme import ACCENTS, TEXT

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Board", "describe_cell"]

_KEEP: list[tuple[str, Any]] = [("keep", None), ("on", True), ("off", False)]
_POOLS: list[tuple[str, Any]] = [
    ("every pool", None),
    ("training-optional", "training-optional"),
    ("training-required", "training-required"),
]
#: The longest text cell :meth:`Board.to_csv` writes (learners' messages are free text).
CSV_CELL_LIMIT = 500

_COLUMNS = [
    "learner",
    "exercise",
    "passed",
    "attempts",
    "seconds",
    "last_error",
    "note",
    "started",
    "last_check",
]


def _duration(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}m {rest:02d}s" if minutes else f"{rest}s"


def describe_cell(row: dict[str, Any] | None, now: float | None = None) -> tuple[str, str]:
    """``(kind, plain words)`` for one learner's exercise: kind is todo/started/passed/failed.

    Unsolved exercises say how long ago the learner first set them up (who is stuck, and for
    how long); solved ones how long solving took.
    """
    if row is None:
        return "todo", "not started"
    attempts = int(row.get("attempts") or 0)
    tries = f"{attempts} check{'s' if attempts != 1 else ''}"
    first = row.get("first_started")
    since = ""
    if first is not None:
        since = f", {_duration(max((now or time.time()) - first, 0))} on it"
    if attempts == 0:
        return "started", f"set up, no check yet{since}"
    if row.get("passed"):  # what the classroom verified itself, never the learner's report
        took = f" in {_duration(row['seconds'])}" if row.get("seconds") is not None else ""
        return "passed", f"passed after {tries}{took}"
    note = f" (the learner says: {row['note']})" if row.get("note") else ""
    return "failed", f"not yet ({tries}{since}): {row.get('last_error') or 'no message'}{note}"


#: A cell's meaning is its left border, in the theme's colours; its text is in the theme's text
#: colour (coloured text falls below WCAG AA in JupyterLab Dark).
_ACCENT = {"todo": "info", "started": "working", "passed": "ok", "failed": "error"}
#: The most of a learner's message a cell shows (the whole message is the cell's tooltip).
MESSAGE_CHARS = 160
#: Cells wrap long words anywhere, so no message widens the board; the table scrolls, if ever.
_TABLE_STYLE = f"border-collapse:collapse;max-width:100%;color:{TEXT}"


#: The table's box may be narrower than the table (a narrow window): the table then scrolls
#: inside the board instead of widening it (the HTML widget's content would grow to fit).
_SCROLL_CSS = "<style>.mfa-board-table > .widget-html-content{min-width:0}</style>"


def _cell_style(kind: str) -> str:
    weight = ";font-weight:bold" if kind == "passed" else ""
    return (
        f"color:{TEXT};border-left:3px solid {ACCENTS[_ACCENT[kind]]};padding:2px 8px;"
        f"vertical-align:top;overflow-wrap:anywhere{weight}"
    )


def _name_html(name: str) -> Html:
    """A learner's name that wraps between words only, never inside one (``learner-01``)."""
    words = (markup('<span style="white-space:nowrap">{}</span>', w) for w in name.split(" "))
    return join(" ", words)


def _bounded(words: str) -> str:
    """``words`` cut to :data:`MESSAGE_CHARS` (with an ellipsis), as text."""
    if len(words) <= MESSAGE_CHARS:
        return words
    return words[: MESSAGE_CHARS - 1].rstrip() + "…"


class Board(Panel):
    """The trainer's live board of a classroom.

    Parameters
    ----------
    link
        The trainer link printed by ``mfa-widgets classroom`` (or a ``TrainerConnection``).
    refresh
        Seconds between live updates; ``0`` updates only on :meth:`refresh`.
    exercises
        The exercise numbers shown as columns; every exercise of the lab by default.

    Attributes
    ----------
    data
        The latest answer of the classroom (rows, learners, hints).
    status
        The status line (what happened, or what needs confirming).

    Examples
    --------
    >>> board = Board("http://127.0.0.1:8765/#trainer=...")   # doctest: +SKIP
    >>> board                                                # doctest: +SKIP
    """

    def __init__(
        self,
        link: str | TrainerConnection,
        *,
        refresh: float = 2.0,
        exercises: tuple[int, ...] | None = None,
    ) -> None:
        self.connection = link if isinstance(link, TrainerConnection) else TrainerConnection(link)
        self.exercises = tuple(sorted(EXERCISES)) if exercises is None else tuple(exercises)
        self.status = PanelStatus()
        self.data: dict[str, Any] = {"rows": [], "learners": [], "hints": []}
        self._pending: tuple[str, Callable[[], str]] | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

        def pick(options: list[tuple[str, Any]], description: str, part: str) -> w.Dropdown:
            return styled(w.Dropdown(options=options, description=description), "board", part)

        self.table = styled(HtmlView(), "board", "table")
        self.learner_pick = pick([], "Learner", "learner")
        self.reset_button = styled(
            fitted(w.Button(description="Reset world…", icon="undo")), "board", "reset"
        )
        self.remove_button = styled(
            fitted(w.Button(description="Remove learner…", icon="user-times")), "board", "remove"
        )
        self.mfa_pick = pick(
            [("keep", None), ("OFF", "OFF"), ("OPTIONAL", "OPTIONAL"), ("ON", "ON")],
            "Pool MFA",
            "mfa",
        )
        self.sms_pick = pick(_KEEP, "SMS", "sms")
        self.totp_pick = pick(_KEEP, "TOTP", "totp")
        self.email_pick = pick(_KEEP, "Email", "email")
        self.pool_pick = pick(_POOLS, "Pools", "pools")
        self.apply_button = styled(
            fitted(w.Button(description="Apply to every learner…")), "board", "apply"
        )
        self.hint_pick = pick(
            [("every exercise", None), *[(f"exercise {n}", n) for n in self.exercises]],
            "Hint for",
            "hint-exercise",
        )
        self.hint_text = styled(
            w.Text(description="Hint", placeholder="what to try"), "board", "hint"
        )
        self.hint_button = styled(
            fitted(w.Button(description="Reveal to everyone…")), "board", "reveal"
        )
        self.question = styled(HtmlView(), "board", "question")
        self.confirm_button = styled(
            fitted(w.Button(description="Yes, do it", button_style="danger")), "board", "confirm"
        )
        self.cancel_button = styled(fitted(w.Button(description="Cancel")), "board", "cancel")
        self.confirm_box = styled(
            wrapping_row([self.question, self.confirm_button, self.cancel_button]),
            "board",
            "confirmation",
        )
        self.confirm_box.layout.display = "none"
        self.reset_button.on_click(lambda _: self.ask_reset(self.learner_pick.value))
        self.remove_button.on_click(lambda _: self.ask_remove(self.learner_pick.value))
        self.apply_button.on_click(lambda _: self.ask_scenario())
        self.hint_button.on_click(
            lambda _: self.ask_hint(self.hint_text.value, self.hint_pick.value)
        )
        self.confirm_button.on_click(lambda _: self.confirm())
        self.cancel_button.on_click(lambda _: self.cancel())
        self.widget = styled(
            w.VBox(
                [
                    header("Classroom board"),
                    self.table,
                    wrapping_row([self.learner_pick, self.reset_button, self.remove_button]),
                    wrapping_row([self.mfa_pick, self.sms_pick, self.totp_pick]),
                    wrapping_row([self.email_pick, self.pool_pick, self.apply_button]),
                    wrapping_row([self.hint_pick, self.hint_text, self.hint_button]),
                    self.confirm_box,
                    status_line(self.status),
                ]
            ),
            "board",
        )
        self.refresh()
        if refresh > 0:
            self.live(refresh)

    def __repr__(self) -> str:
        return f"<Board of {self.connection.base_url}: {len(self.data['learners'])} learners>"

    # -- live updates ------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the classroom's progress now and redraw the table."""
        with action(self.status, "Reading the classroom…"):
            self.data = self.connection.board()
            self._render()
            self.status.say(_summary(self.data, self.exercises), StatusKind.INFO)

    def live(self, every: float = 2.0) -> None:
        """Redraw every ``every`` seconds in a background thread until :meth:`close`."""
        if self._thread is not None:
            return
        self._stop.clear()

        def loop() -> None:
            while not self._stop.wait(every):
                if self._pending is None:  # keep the confirmation question on screen
                    self.refresh()

        self._thread = threading.Thread(target=loop, name="classroom-board", daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Stop live updates and close the widgets."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        super().close()

    # -- actions, each confirmed first --------------------------------------------------------

    def ask_reset(self, learner: str | None) -> None:
        """Ask to empty ``learner``'s world (nothing happens until :meth:`confirm`)."""
        if not learner:
            self.status.say("Pick a learner first.", StatusKind.WARNING)
            return
        question = markup("Reset {}'s world? Their pools and users are deleted.", learner)

        def run() -> str:
            self.connection.reset(learner)
            return f"{learner}'s world is empty; their lab makes new pools at their next step."

        self._ask(question, run)

    def ask_remove(self, learner: str | None) -> None:
        """Ask to take ``learner`` off the board (a stray join); nothing happens until confirmed."""
        if not learner:
            self.status.say("Pick a learner first.", StatusKind.WARNING)
            return
        question = markup(
            "Remove {} from the class? Their world is deleted and their link stops working.",
            learner,
        )

        def run() -> str:
            self.connection.remove(learner)
            return f"{learner} was removed from the class."

        self._ask(question, run)

    def ask_scenario(self, **scenario: Any) -> None:
        """Ask to apply a scenario to every learner's pools (default: the pickers' choices)."""
        chosen = scenario or {
            "mfa": self.mfa_pick.value,
            "sms": self.sms_pick.value,
            "totp": self.totp_pick.value,
            "email": self.email_pick.value,
            "pool_name": self.pool_pick.value,
        }
        if all(value is None for key, value in chosen.items() if key != "pool_name"):
            self.status.say("Choose a change first (pool MFA or a factor).", StatusKind.WARNING)
            return
        try:
            words = Scenario(**chosen).describe()
        except (TypeError, ValueError) as error:
            self.status.say(str(error), StatusKind.ERROR)
            return

        def run() -> str:
            done = self.connection.apply(**chosen)
            return f"Applied {words} to {done['pools']} pools of {done['learners']} learners."

        self._ask(markup("Apply {} to every learner?", words), run)

    def ask_hint(self, text: str, exercise: int | None = None) -> None:
        """Ask to reveal ``text`` to every learner (on ``exercise``, or every exercise)."""
        if not text.strip():
            self.status.say("Write the hint first.", StatusKind.WARNING)
            return
        where = f"exercise {exercise}" if exercise else "every exercise"

        def run() -> str:
            self.connection.reveal_hint(text, exercise)
            return f"Hint revealed on {where}: learners see it in their next exercise and check."

        self._ask(markup("Reveal to everyone on {}: “{}”?", where, text.strip()), run)

    @one_at_a_time
    def confirm(self) -> None:
        """Carry out the action waiting for confirmation."""
        if self._pending is None:
            if self.status.kind != StatusKind.OK:  # else a double click: keep what was done
                self.status.say("Nothing to confirm.", StatusKind.INFO)
            return
        _, run = self._pending
        self._hide_question()
        with action(self.status, "Working…"):
            said = run()
            self.data = self.connection.board()
            self._render()
            self.status.say(said, StatusKind.OK)

    def cancel(self) -> None:
        """Drop the action waiting for confirmation."""
        if self._pending is not None:
            self._hide_question()
            self.status.say("Cancelled: nothing changed.", StatusKind.INFO)

    # -- export ---------------------------------------------------------------------------------

    def frame(self) -> pd.DataFrame:
        """The progress as a DataFrame: one row per learner and exercise (times in UTC).

        Every learner has a row for every exercise on the board; an exercise not started has
        0 attempts, ``passed`` False and no times (never an exercise ``None``).
        """
        import pandas as pd

        frame = pd.DataFrame(_full_grid(self.data, self.exercises), columns=_COLUMNS)
        for column in ("started", "last_check"):
            frame[column] = pd.to_datetime(frame[column], unit="s", utc=True)
        result: pd.DataFrame = frame
        return result

    def to_csv(self, path: str | Path) -> Path:
        """Write :meth:`frame` to ``path`` as CSV (read afresh first); returns the path.

        Text cells open as text in a spreadsheet (a leading ``'`` before ``=``, ``+``, ``-``,
        ``@``, tab or CR: a learner's name or message is never run as a formula), and each is cut
        to :data:`CSV_CELL_LIMIT` characters.
        """
        self.refresh()
        return write_csv(self.frame(), path, limit=CSV_CELL_LIMIT)

    # -- internals ------------------------------------------------------------------------------

    def _ask(self, question: Html, run: Callable[[], str]) -> None:
        self._pending = (question, run)
        self.question.value = block(markup("<b>{}</b>", question))
        self.confirm_box.layout.display = "flex"
        self.status.say("Confirm or cancel.", StatusKind.WARNING)

    def _hide_question(self) -> None:
        self._pending = None
        self.question.value = ""
        self.confirm_box.layout.display = "none"

    def _render(self) -> None:
        learners = list(self.data["learners"])
        cells = {(r["learner"], r["exercise"]): r for r in self.data["rows"]}
        now = time.time()
        cell = Html('style="text-align:left;padding:2px 8px;vertical-align:top"')
        head = join("", (markup("<th {}>Exercise {}</th>", cell, n) for n in self.exercises))
        body = []
        for learner in learners:
            row = [markup("<td {}><b>{}</b></td>", cell, _name_html(learner))]
            for number in self.exercises:
                kind, words = describe_cell(cells.get((learner, number)), now)
                row.append(
                    markup(
                        '<td class="mfa-board-{}" style="{}" title="{}">{}</td>',
                        kind,
                        _cell_style(kind),
                        words,
                        _bounded(words),
                    )
                )
            body.append(markup("<tr>{}</tr>", join("", row)))
        table = (
            markup(
                '{}<div class="mfa-board-scroll" style="max-width:100%;overflow-x:auto">'
                '<table class="mfa-board-grid" style="{}"><tr><th {}>Learner</th>{}</tr>{}'
                "</table></div>",
                Html(_SCROLL_CSS),
                _TABLE_STYLE,
                cell,
                head,
                join("", body),
            )
            if learners
            else Html("<i>No learners yet.</i>")
        )
        with self.table.hold_sync():
            self.table.value = block(table)
        if list(self.learner_pick.options) != learners:
            self.learner_pick.options = learners


def _full_grid(data: dict[str, Any], exercises: tuple[int, ...]) -> list[dict[str, Any]]:
    """One row per learner and exercise: the classroom's rows, and "not started" for the rest."""
    rows = {(r["learner"], r["exercise"]): r for r in data["rows"] if r.get("exercise") is not None}
    grid: list[dict[str, Any]] = []
    for learner in data["learners"]:
        for number in exercises:
            found = rows.get((learner, number))
            grid.append(
                found
                if found is not None
                else {
                    "learner": learner,
                    "exercise": number,
                    "passed": False,
                    "attempts": 0,
                    "last_error": "",
                }
            )
    return grid


def _summary(data: dict[str, Any], exercises: tuple[int, ...]) -> str:
    passed = sum(1 for r in data["rows"] if r.get("passed") and r["exercise"] in exercises)
    possible = len(data["learners"]) * len(exercises)
    when = time.strftime("%H:%M:%S")
    return f"{len(data['learners'])} learners, {passed} of {possible} exercises passed (at {when})."
