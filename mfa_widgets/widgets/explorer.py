"""The explorer panel: sweep preference scenarios and show the coloured challenge matrix.

Choose pool modes, the factors the pools offer and the users' attributes, then Run: the sweep
(:class:`~mfa_widgets.services.explore.Explorer`) runs on a background thread so the kernel stays
free to
handle Stop and other clicks. Progress, the matrix
(:func:`~mfa_widgets.widgets.charts.matrix_html`),
the mismatches and the plot (:func:`~mfa_widgets.widgets.charts.plot_matrix`, rendered as
inline SVG) are set as widget values, which is safe from any thread.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

import ipywidgets as w
import traitlets as t

from mfa_widgets.core.extras import MissingExtraError, require_extra
from mfa_widgets.core.preferences import Factor
from mfa_widgets.core.signin import PoolMfaMode
from mfa_widgets.services.explore import (
    Explorer,
    ScenarioOutcome,
    challenge_matrix,
    default_scenarios,
    outcomes_frame,
)
from mfa_widgets.widgets._common import Panel, header, status_line, styled
from mfa_widgets.widgets.charts import figure_html, matrix_html, plot_matrix, wrap_title
from mfa_widgets.widgets.log_view import frame_html
from mfa_widgets.widgets.markup import Html, HtmlView, escape, markup
from mfa_widgets.widgets.state import ExplorerState, PanelStatus, StatusKind
from mfa_widgets.widgets.theme import muted

if TYPE_CHECKING:
    import pandas as pd

    from mfa_widgets.services.client import MfaClient
    from mfa_widgets.services.log import MfaLog

__all__ = ["ExplorerPanel"]

_MISMATCH_COLUMNS = ["mode", "combination", "attributes", "predicted", "observed", "rule", "error"]


#: The sweep's dimensions: the state's trait, the box's label, its tooltip.
_DIMENSIONS = (
    (
        "flows",
        "Sign-in flows",
        "USER_AUTH with each first factor (password, SRP, passkey, email or SMS code) or none",
    ),
    ("passkey_mfa", "Passkey MFA", "A user with a passkey, passkey MFA off and on"),
    (
        "remembered_device",
        "Remembered devices",
        "A pool that remembers devices: signing in without one and from a remembered one",
    ),
)


class ExplorerPanel(Panel):
    """Run a challenge sweep from a notebook and show what Cognito returned against predictions.

    Parameters
    ----------
    client
        The client the sweep calls through.
    log
        Receives every call of the sweep (e.g. the log a :class:`LogView` shows).
    explorer
        A ready :class:`~mfa_widgets.services.explore.Explorer`; default one on ``client`` and
        ``log``.
        Its pools are reused from one run to the next.
    modes
        The pool MFA modes ticked at first.

    Attributes
    ----------
    state
        What to sweep and the progress (:class:`~mfa_widgets.widgets.state.ExplorerState`).
    status
        The status line.
    outcomes
        The outcomes of the last sweep (scenarios not run after Stop are absent).
    matrix
        The challenge matrix of the last sweep (a DataFrame), or ``None``.
    """

    def __init__(
        self,
        client: MfaClient,
        *,
        log: MfaLog | None = None,
        explorer: Explorer | None = None,
        modes: tuple[PoolMfaMode, ...] = (PoolMfaMode.ON,),
    ) -> None:
        self.explorer = explorer or Explorer(client, log=log)
        self.state = ExplorerState(modes=list(modes))
        self.status = PanelStatus()
        self.outcomes: list[ScenarioOutcome] = []
        self.matrix: pd.DataFrame | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.mode_boxes = {
            mode: styled(
                w.Checkbox(description=f"Pool {mode.value}", indent=False),
                "explorer",
                "mode",
                mode.value.lower(),
            )
            for mode in PoolMfaMode
        }
        self.factor_boxes = {
            factor: styled(
                w.Checkbox(description=f"Pool offers {factor.name}", indent=False),
                "explorer",
                "factor",
                factor.key,
            )
            for factor in Factor
        }
        self.phone_box = styled(
            w.Checkbox(description="Users have a phone", indent=False), "explorer", "phone"
        )
        self.email_box = styled(
            w.Checkbox(description="Users have an email", indent=False), "explorer", "email"
        )
        #: The sweep's dimensions beyond the password flow, one box each (trait name -> box).
        self.dimension_boxes = {
            name: styled(
                w.Checkbox(description=label, indent=False, tooltip=tip),
                "explorer",
                "dimension",
                name.replace("_", "-"),
            )
            for name, label, tip in _DIMENSIONS
        }
        self.run_button = styled(
            w.Button(description="Run sweep", button_style="primary", icon="play"),
            "explorer",
            "run",
        )
        self.stop_button = styled(w.Button(description="Stop", icon="stop"), "explorer", "stop")
        self.progress = styled(w.IntProgress(description="Progress", min=0), "explorer", "progress")
        self.matrix_view = styled(HtmlView(), "matrix")
        self.mismatches = styled(HtmlView(), "explorer", "mismatches")
        self.plot = styled(HtmlView(), "explorer", "plot")
        self._wire()
        self.widget = self._layout()
        self.status.say("Choose what to sweep, then Run sweep.")

    # -- actions -------------------------------------------------------------------------------

    def run(self, wait: bool = False) -> None:
        """Start the sweep on a background thread (``wait=True`` blocks until it ends)."""
        if self.state.running:
            return
        scenarios = default_scenarios(
            modes=self.state.modes,
            pool_factors=self.state.pool_factors,
            attributes=((self.state.has_phone, self.state.has_email),),
            flows=self.state.flows,
            passkey_mfa=self.state.passkey_mfa,
            remembered_device=self.state.remembered_device,
        )
        if not scenarios:
            self.status.say("Tick at least one pool mode.", StatusKind.ERROR)
            return
        if not self.state.pool_factors:
            self.status.say("Tick at least one factor the pools offer.", StatusKind.ERROR)
            return
        self._stop.clear()
        with self.state.hold_trait_notifications():
            self.state.running = True
            self.state.done = 0
            self.state.total = len(scenarios)
        self.status.say(f"Running {len(scenarios)} scenarios…", StatusKind.WORKING)
        self._thread = threading.Thread(
            target=self._sweep, args=(scenarios,), name="mfa-explorer", daemon=True
        )
        self._thread.start()
        if wait:
            self.wait()

    def stop(self) -> None:
        """Ask the sweep to stop: scenarios in flight finish, the rest are skipped."""
        if self.state.running:
            self._stop.set()
            self.status.say("Stopping after the scenarios in flight…", StatusKind.WORKING)

    def wait(self, timeout: float | None = None) -> None:
        """Block until the running sweep (if any) has ended."""
        if self._thread is not None:
            self._thread.join(timeout)

    def close(self) -> None:
        """Stop a running sweep, then close the widgets."""
        self.stop()
        self.wait(timeout=30)
        super().close()

    # -- the sweep (background thread) ---------------------------------------------------------

    def _sweep(self, scenarios: list[Any]) -> None:
        try:
            outcomes = self.explorer.run(
                scenarios, progress=self._progress, resume=False, stop=self._stop
            )
            self._show(outcomes, stopped=self._stop.is_set())
        except Exception as error:  # a failure must end the run visibly, not kill the thread
            self.status.say(f"The sweep failed: {error}", StatusKind.ERROR)
        finally:
            self.state.running = False

    def _progress(self, done: int, total: int) -> None:
        with self.state.hold_trait_notifications():
            self.state.done = done
            self.state.total = total

    def _show(self, outcomes: list[ScenarioOutcome], *, stopped: bool) -> None:
        self.outcomes = outcomes
        frame = outcomes_frame(outcomes)
        matrix = challenge_matrix(frame)
        self.matrix = matrix
        mismatched = frame[~frame["agrees"].astype(bool)]
        self.state.mismatches = len(mismatched)
        self.matrix_view.value = matrix_html(matrix) if len(matrix) else ""
        self.mismatches.value = (
            markup(
                "<b>Different from the prediction</b>{}",
                frame_html(mismatched[_MISMATCH_COLUMNS].reset_index(drop=True)),
            )
            if len(mismatched)
            else Html("<i>Every observed challenge matched the prediction.</i>")
        )
        chart = ""
        try:
            self.plot.value = _svg(matrix) if len(matrix) else ""
        except MissingExtraError as missing:  # the matrix above is the result; the chart is extra
            self.plot.value = ""
            chart = f" No chart: {missing}."
        ran = f"{len(outcomes)} of {self.state.total} scenarios" if stopped else "all scenarios"
        self.status.say(
            f"{'Stopped' if stopped else 'Done'}: ran {ran}; "
            f"{len(mismatched)} differ from the prediction.{chart}",
            StatusKind.WARNING if stopped or len(mismatched) else StatusKind.OK,
        )

    # -- view ----------------------------------------------------------------------------------

    def _wire(self) -> None:
        for mode, box in self.mode_boxes.items():
            box.value = mode in self.state.modes
            box.observe(lambda c, m=mode: self._toggle("modes", m, c.new), names="value")
        for factor, box in self.factor_boxes.items():
            box.value = factor in self.state.pool_factors
            box.observe(lambda c, f=factor: self._toggle("pool_factors", f, c.new), names="value")
        t.link((self.state, "has_phone"), (self.phone_box, "value"))
        t.link((self.state, "has_email"), (self.email_box, "value"))
        for name, box in self.dimension_boxes.items():
            t.link((self.state, name), (box, "value"))
        t.dlink((self.state, "done"), (self.progress, "value"))
        t.dlink((self.state, "total"), (self.progress, "max"))
        t.dlink((self.state, "running"), (self.run_button, "disabled"))
        t.dlink((self.state, "running"), (self.stop_button, "disabled"), transform=lambda r: not r)
        self.run_button.on_click(lambda _b: self.run())
        self.stop_button.on_click(lambda _b: self.stop())

    def _toggle(self, name: str, item: Any, ticked: bool) -> None:
        current = [x for x in getattr(self.state, name) if x != item]
        setattr(self.state, name, [*current, item] if ticked else current)

    def _layout(self) -> w.Widget:
        choices = w.VBox(
            [
                w.HBox(list(self.mode_boxes.values())),
                w.HBox(list(self.factor_boxes.values())),
                w.HBox([self.phone_box, self.email_box]),
                w.HBox(list(self.dimension_boxes.values())),
            ]
        )
        controls = w.HBox([self.run_button, self.stop_button, self.progress])
        tip = escape(
            "Each scenario creates a user, applies a preference with the admin API and signs in."
        )
        return styled(
            w.VBox(
                [
                    header("Challenge explorer"),
                    HtmlView(muted(tip)),
                    choices,
                    controls,
                    status_line(self.status),
                    self.matrix_view,
                    self.mismatches,
                    self.plot,
                ]
            ),
            "explorer-panel",
        )


def matrix_figure(matrix: pd.DataFrame) -> Any:
    """The matrix plot as a ``Figure`` (no pyplot: safe off the main thread), title wrapped."""
    require_extra("plot", "the challenge matrix chart")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(2.2 + 2.2 * len(matrix.columns), 0.32 * len(matrix) + 1))
    axes = figure.subplots()
    plot_matrix(matrix, ax=axes)
    wrap_title(axes)  # one pool-mode column makes a narrow figure: the title must still fit
    figure.tight_layout()
    return figure


def _svg(matrix: pd.DataFrame) -> Html:
    """The matrix plot as inline, themed SVG."""
    return figure_html(matrix_figure(matrix), title="Challenge matrix plot")
