"""The impact panel: choose a pool change, see what it does to every audited user, rehearse it.

Top: the change (pool MFA mode, the plan, each factor offered / withdrawn / unchanged, the app
client's flows), Predict (from the last audit: no call), the verdict counts, the transition
table and chart, and the users who need attention first with what to do. Bottom: Rehearse on
the sandbox (a sample for big audits), with a progress bar and the agreement.

The panel holds no rule: the change is a :class:`~mfa_widgets.core.pool_change.PoolChange`, the
impact comes from :func:`~mfa_widgets.services.impact.impact` and the rehearsal from
:func:`~mfa_widgets.services.rehearsal.rehearse`.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from mfa_widgets.core.pool_change import AUTH_FLOWS, MFA_FACTORS, PoolChange
from mfa_widgets.services.impact import Impact, fix_plans, impact
from mfa_widgets.services.rehearsal import Rehearsal, rehearse
from mfa_widgets.widgets._common import (
    Panel,
    action,
    block,
    header,
    status_line,
    styled,
    table_html,
)
from mfa_widgets.widgets.charts import figure_html, impact_figure
from mfa_widgets.widgets.state import PanelStatus, StatusKind

if TYPE_CHECKING:
    from mfa_widgets.services.audit import PoolAudit
    from mfa_widgets.services.client import MfaClient

__all__ = ["ImpactPanel"]

_KEEP = ("unchanged", "")
_FACTOR_CHOICES = [_KEEP, ("offer", "offer"), ("withdraw", "withdraw")]
_FLOW_CHOICES = [_KEEP, ("allow", "allow"), ("deny", "deny")]


def _choices(*names: str) -> list[tuple[str, str]]:
    return [_KEEP, *((name, name) for name in names)]


class ImpactPanel(Panel):
    """Predict and rehearse the impact of a pool change on every audited user.

    Parameters
    ----------
    audit
        Where the audit comes from: a :class:`~mfa_widgets.services.audit.PoolAudit`, or a
        callable returning the latest one (the dashboard passes its Audit tab's).
    sandbox_client
        A client on the sandbox for the rehearsal (``None``: no rehearsal button).
    sample
        At most this many users are rehearsed (users who need attention first).
    rate
        Requests/s for the rehearsal's writes and sign-ins; ``0`` (default) is unlimited, for
        the local sandbox; pass Cognito's quotas for a sandbox that throttles like Cognito.

    Attributes
    ----------
    impact, rehearsal
        The last prediction and rehearsal (``None`` before).
    """

    def __init__(
        self,
        audit: PoolAudit | Callable[[], PoolAudit | None] | None = None,
        *,
        sandbox_client: MfaClient | None = None,
        sample: int = 200,
        rate: float = 0.0,
    ) -> None:
        self._audit = audit
        self.rate = rate
        self.sandbox_client = sandbox_client
        self.sample = sample
        self.impact: Impact | None = None
        self.rehearsal: Rehearsal | None = None
        self.status = PanelStatus()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.mode = styled(
            w.Dropdown(options=_choices("OFF", "OPTIONAL", "ON"), value="", description="MFA"),
            "impact-mode",
        )
        self.tier = styled(
            w.Dropdown(
                options=_choices("LITE", "ESSENTIALS", "PLUS"), value="", description="Plan"
            ),
            "impact-tier",
        )
        self.factors = {
            name: styled(
                w.Dropdown(options=_FACTOR_CHOICES, value="", description=name), "impact-factor"
            )
            for name in MFA_FACTORS
        }
        self.flows = {
            name: styled(
                w.Dropdown(options=_FLOW_CHOICES, value="", description=name), "impact-flow"
            )
            for name in AUTH_FLOWS
        }
        for dropdown in self.flows.values():
            dropdown.style.description_width = "initial"
        self.predict_button = styled(
            w.Button(description="Predict", button_style="primary", icon="eye"), "impact-predict"
        )
        self.predict_button.on_click(lambda _b: self.predict())
        self.summary = styled(w.HTML(), "impact-summary")
        self.chart = styled(w.HTML(), "impact-chart")
        self.attention = styled(w.HTML(), "impact-attention")
        self.rehearse_button = styled(
            w.Button(description="Rehearse on the sandbox", icon="play"), "impact-rehearse"
        )
        self.rehearse_button.on_click(lambda _b: self.run_rehearsal(background=True))
        self.progress = styled(w.IntProgress(value=0, min=0, max=1), "impact-progress")
        self.agreement = styled(w.HTML(), "impact-agreement")
        self.status.observe(self._refresh_buttons, names="busy")
        self.widget = self._layout()
        self._refresh_buttons()

    def change(self) -> PoolChange:
        """The change chosen in the dropdowns (raises with one line when it changes nothing)."""
        chosen = {name: box.value for name, box in self.factors.items()}
        flows = {name: box.value for name, box in self.flows.items()}
        return PoolChange(
            mfa=self.mode.value or None,
            tier=self.tier.value or None,
            offer=frozenset(n for n, v in chosen.items() if v == "offer"),
            withdraw=frozenset(n for n, v in chosen.items() if v == "withdraw"),
            allow_flows=frozenset(n for n, v in flows.items() if v == "allow"),
            deny_flows=frozenset(n for n, v in flows.items() if v == "deny"),
        )

    def _current_audit(self) -> PoolAudit | None:
        source = self._audit
        return source() if callable(source) else source

    def predict(self) -> None:
        """Predict the chosen change from the audit (no call) and show the tables and chart."""
        with action(self.status, "Predicting…"):
            audit = self._current_audit()
            if audit is None:
                self.status.say("Run the audit first: the impact starts from it.", StatusKind.INFO)
                return
            found = impact(audit, self.change())
            self.impact, self.rehearsal = found, None
            self.agreement.value = ""
            verdicts = found.verdicts()
            self.summary.value = block(
                f"<b>{html.escape(found.change.describe())}</b> on {len(found.frame)} users"
                + table_html(verdicts[verdicts["users"] > 0], "Users per verdict")
                + table_html(found.transitions().reset_index(), "Today (rows) x after")
            )
            self.chart.value = figure_html(impact_figure(found), title="Impact chart")
            first = found.attention()
            plans = fix_plans(found)
            fixes = "".join(
                f"<li>prefer {html.escape(name)}: {len(plan.to_send)} calls (dry run)</li>"
                for name, plan in plans.items()
            )
            self.attention.value = block(
                table_html(first, f"Users who need attention first: {len(first)}")
                + (
                    f"<div>Bulk changes that fix some of them:<ul>{fixes}</ul></div>"
                    if fixes
                    else ""
                )
            )
            count = int(first.shape[0])
            kind = StatusKind.WARNING if count else StatusKind.OK
            self.status.say(f"{count} users need attention before the change.", kind)
            self._refresh_buttons()

    def run_rehearsal(self, background: bool = False) -> None:
        """Rehearse the last prediction on the sandbox; with ``background`` in a thread."""
        if self.status.busy or self.impact is None or self.sandbox_client is None:
            return
        self._stop.clear()
        if not background:
            self._rehearse()
            return
        self._thread = threading.Thread(target=self._rehearse, name="mfa-rehearse", daemon=True)
        self._thread.start()

    def wait(self, timeout: float | None = None) -> None:
        """Wait for a background rehearsal to finish."""
        if self._thread is not None:
            self._thread.join(timeout)

    def _rehearse(self) -> None:
        found, client = self.impact, self.sandbox_client
        if found is None or client is None:
            return
        with action(self.status, "Rehearsing on the sandbox…"):
            self.progress.value = 0
            done = rehearse(
                found,
                client,
                sample=self.sample,
                write_rate=self.rate,
                auth_rate=self.rate,
                progress=self._show_progress,
            )
            self.rehearsal = done
            wrong = done.frame()
            wrong = wrong[~wrong["agrees"]]
            self.agreement.value = block(
                f"<b>{html.escape(done.summary())}</b>"
                + (table_html(wrong, "Users that disagree") if len(wrong) else "")
            )
            kind = StatusKind.OK if done.agreed == len(done.users) else StatusKind.WARNING
            self.status.say(done.summary(), kind)

    def _show_progress(self, done: int, total: int) -> None:
        step = max(1, total // 100)
        if done % step and done != total:
            return
        with self.progress.hold_sync():
            self.progress.max = max(total, 1)
            self.progress.value = done

    def _refresh_buttons(self, _change: Any = None) -> None:
        busy = self.status.busy
        self.predict_button.disabled = busy
        self.rehearse_button.disabled = busy or self.impact is None or self.sandbox_client is None

    def _layout(self) -> w.Widget:
        settings = w.HBox([self.mode, self.tier])
        factors = w.HBox(list(self.factors.values()), layout=w.Layout(flex_flow="row wrap"))
        flows = w.HBox(list(self.flows.values()), layout=w.Layout(flex_flow="row wrap"))
        parts = [
            header("Impact of a pool change"),
            settings,
            factors,
            flows,
            self.predict_button,
            status_line(self.status),
            w.HBox([self.summary, self.chart]),
            self.attention,
            header("Rehearsal"),
            w.HBox([self.rehearse_button, self.progress]),
            self.agreement,
        ]
        return styled(w.VBox(parts), "impact-panel")
