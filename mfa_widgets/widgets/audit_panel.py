"""The audit panel: audit a pool's MFA posture, then change many users' preferences with care.

Top: the pool id, Run audit (with a progress bar and Stop), the summary table and chart, and the
flagged users. Bottom: a bulk change: choose users (all, by flag or by predicted challenge), the
target state per factor, Preview (the exact admin calls and AWS CLI commands), a confirmation box,
and Apply, which shows the outcome per user.

The panel holds no rule of its own: the audit, its flags and the plan come from
:mod:`mfa_widgets.services.audit` and :mod:`mfa_widgets.services.bulk`, and every call goes through
the given
:class:`~mfa_widgets.services.client.MfaClient`. A plan is forgotten (and the confirmation cleared)
as soon
as the selection or the target changes, so Apply always sends what was last previewed.
"""

from __future__ import annotations

import html
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from mfa_widgets.core.preferences import Factor, MfaPreference
from mfa_widgets.services.audit import FLAGS, PoolAudit, audit_pool
from mfa_widgets.services.bulk import BulkPlan, BulkReport, apply_bulk_change, plan_bulk_change
from mfa_widgets.services.pacing import QUOTAS
from mfa_widgets.widgets._common import (
    Panel,
    action,
    block,
    header,
    id_box,
    status_line,
    styled,
    table_html,
)
from mfa_widgets.widgets.charts import figure_html, plot_summary
from mfa_widgets.widgets.state import PanelStatus, StatusKind

if TYPE_CHECKING:
    from mfa_widgets.services.client import MfaClient
    from mfa_widgets.services.log import MfaLog

__all__ = ["AuditPanel"]

_ALL_USERS = ("all", "")
_TARGET_CHOICES = [("unchanged", ""), ("disabled", "disabled"), ("enabled", "enabled")]
_TARGET_CHOICES.append(("preferred", "preferred"))


class AuditPanel(Panel):
    """Audit a pool's users, show who is challenged how and who is flagged, and bulk-change them.

    Parameters
    ----------
    client
        The client (IAM credentials) for the audit and the changes; against real Cognito build
        it with ``retry_mode="adaptive"``.
    user_pool_id
        The pool shown in the pool id box.
    checkpoint
        A JSON Lines file that makes an interrupted audit resumable.
    log
        Receives one row per bulk-change call (default: the client's log, else a new one).
    read_rate, write_rate
        Client-side limits in requests/s (the UserRead and UserResourceUpdate quotas); ``0`` means
        unlimited (e.g. for the local sandbox).
    workers
        Calls in flight at once.

    Attributes
    ----------
    audit, plan, report
        The last audit, previewed plan and bulk-change report (``None`` before).
    status
        The status line and busy flag.
    """

    def __init__(
        self,
        client: MfaClient,
        user_pool_id: str = "",
        *,
        checkpoint: str | Path | None = None,
        log: MfaLog | None = None,
        read_rate: float = QUOTAS["UserRead"],
        write_rate: float = QUOTAS["UserResourceUpdate"],
        workers: int = 8,
    ) -> None:
        self.client = client
        self.checkpoint = checkpoint
        self.log = log
        self.read_rate = read_rate
        self.write_rate = write_rate
        self.workers = workers
        self.audit: PoolAudit | None = None
        self.plan: BulkPlan | None = None
        self.report: BulkReport | None = None
        self.status = PanelStatus()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

        self.pool_id = styled(
            id_box("User pool id", value=user_pool_id, placeholder="eu-west-1_…"),
            "pool-id",
        )
        self.run_button = styled(
            w.Button(description="Run audit", button_style="primary", icon="search"), "run-audit"
        )
        self.run_button.on_click(lambda _b: self.run_audit(background=True))
        self.stop_button = styled(
            w.Button(description="Stop", icon="stop", disabled=True), "stop-audit"
        )
        self.stop_button.on_click(lambda _b: self.stop())
        self.progress = styled(w.IntProgress(value=0, min=0, max=1), "audit-progress")
        self.progress_label = styled(w.HTML(), "audit-progress-label")
        self.summary = styled(w.HTML(), "audit-summary")
        self.chart = styled(w.HTML(), "audit-chart")
        self.flagged = styled(w.HTML(), "audit-flagged")

        self.select_by = styled(
            w.Dropdown(options=[("All users", _ALL_USERS)], description="Select"), "select-by"
        )
        self.users = styled(w.SelectMultiple(options=[], rows=8, description="Users"), "users")
        self.targets = {
            factor: styled(
                w.Dropdown(options=_TARGET_CHOICES, value="", description=factor.name),
                "target",
                factor.key,
            )
            for factor in Factor
        }
        self.preview_button = styled(w.Button(description="Preview", icon="eye"), "preview")
        self.preview_button.on_click(lambda _b: self.preview())
        self.preview_html = styled(w.HTML(), "bulk-preview")
        self.confirm = styled(
            w.Checkbox(description="I reviewed these calls: apply them", indent=False),
            "confirm",
        )
        self.apply_button = styled(
            w.Button(description="Apply", button_style="danger", icon="check"), "apply"
        )
        self.apply_button.on_click(lambda _b: self.apply())
        self.results = styled(w.HTML(), "bulk-results")

        self.select_by.observe(self._show_selection, names="value")
        self.users.observe(self._forget_plan, names="value")
        for dropdown in self.targets.values():
            dropdown.observe(self._forget_plan, names="value")
        self.confirm.observe(self._refresh_buttons, names="value")
        self.status.observe(self._refresh_buttons, names="busy")
        self.widget = self._layout()
        self._refresh_buttons()

    # -- the audit -------------------------------------------------------------------------------

    def run_audit(self, background: bool = False) -> None:
        """Audit the pool in the box; with ``background`` in a thread (so Stop can be clicked)."""
        if self.status.busy:
            return
        self._stop.clear()
        if not background:
            self._audit()
            return
        self._thread = threading.Thread(target=self._audit, name="mfa-audit", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop a running audit or bulk change after the calls in flight."""
        self._stop.set()
        self.status.say("Stopping after the calls in flight…", StatusKind.WORKING)

    def wait(self, timeout: float | None = None) -> None:
        """Wait for a background audit to finish."""
        if self._thread is not None:
            self._thread.join(timeout)

    def _audit(self) -> None:
        pool_id = self.pool_id.value.strip()
        with action(self.status, f"Auditing {pool_id}…"):
            self.progress.value, self.progress_label.value = 0, ""
            audit = audit_pool(
                self.client,
                pool_id,
                checkpoint=self.checkpoint,
                workers=self.workers,
                read_rate=self.read_rate,
                progress=self._show_progress,
                stop=self._stop,
            )
            self.audit = audit
            self._show_audit(audit)
            finished = len(audit.users)
            with self.progress.hold_sync():  # exact now: not "5 of ~5" after the end
                self.progress.max = max(finished, 1)
                self.progress.value = finished if audit.complete else self.progress.value
            self.progress_label.value = (
                f"{finished} of {finished} users" if audit.complete else f"{finished} users so far"
            )
            if audit.complete:
                self.status.say(
                    f"Audited {len(audit.users)} users in {audit.seconds:.1f} s.", StatusKind.OK
                )
            else:
                resume = " Run again to resume." if self.checkpoint else ""
                self.status.say(
                    f"Stopped after {len(audit.users)} users.{resume}", StatusKind.WARNING
                )

    def _show_progress(self, done: int, total: int | None) -> None:
        """From worker threads: move the bar about once per percent (not once per user)."""
        top = max(total or 0, done, 1)
        step = max(1, top // 100)
        if done % step and done != top:
            return
        with self.progress.hold_sync():
            self.progress.max = top
            self.progress.value = done
        self.progress_label.value = f"{done} of {'~' if total else ''}{top} users"

    def _show_audit(self, audit: PoolAudit) -> None:
        summary = audit.summary()
        self.summary.value = block(
            f"<b>{summary.total} users</b>, pool MFA {html.escape(audit.pool.mode.value)}"
            + table_html(summary.challenges, "Predicted sign-in challenge")
            + table_html(summary.flags, "Flags")
        )
        figure = plot_summary(summary)
        self.chart.value = figure_html(figure, title="Audit summary chart")
        flagged = audit.flagged()[["username", "status", "enabled_factors", "challenge", "flags"]]
        self.flagged.value = block(table_html(flagged, f"Flagged users: {len(flagged)}"))
        choices = [("All users", _ALL_USERS)]
        choices += [(f"Flag: {f.name}", ("flag", f.name)) for f in FLAGS]
        challenges = summary.challenges["challenge"]
        choices += [(f"Challenge: {c}", ("challenge", c)) for c in challenges]
        self.select_by.options = choices
        self.select_by.value = _ALL_USERS
        self._show_selection()

    # -- the bulk change -------------------------------------------------------------------------

    def _show_selection(self, _change: Any = None) -> None:
        """Fill the user list from the chosen filter (everyone in it selected)."""
        if self.audit is None:
            return
        kind, value = self.select_by.value
        names = self.audit.select(
            flag=value if kind == "flag" else None,
            challenge=value if kind == "challenge" else None,
        )
        with self.users.hold_sync():
            self.users.options = names
            self.users.value = tuple(names)
        self._forget_plan()

    def target(self) -> MfaPreference:
        """The target preference chosen in the dropdowns (raises for two preferred factors)."""
        chosen = {f: (d.value or None) for f, d in self.targets.items()}
        return MfaPreference(chosen[Factor.SMS], chosen[Factor.TOTP], chosen[Factor.EMAIL])

    def preview(self) -> None:
        """Plan the change for the selected users and show the exact calls; nothing is sent."""
        with action(self.status, "Planning…"):
            if self.audit is None:
                self.status.say("Run the audit first: the plan starts from it.", StatusKind.INFO)
                return
            plan = plan_bulk_change(self.audit, list(self.users.value), self.target())
            self.plan = plan
            columns = ["username", "change", "challenge_before", "challenge_after", "warnings"]
            script = html.escape(plan.cli_script() or "(no call: every user is already there)")
            self.preview_html.value = block(
                table_html(plan.frame()[columns], f"{len(plan.to_send)} calls to send")
                + '<div class="mfa-caption">Equivalent AWS CLI commands</div>'
                + f'<pre style="white-space:pre;font-size:11px;overflow:auto">{script}</pre>'
            )
            self.confirm.value = False
            self.confirm.description = f"I reviewed these {len(plan.to_send)} calls: apply them"
            self.status.say("Dry run: review the calls, tick the box, then Apply.", StatusKind.INFO)
            self._refresh_buttons()

    def apply(self) -> None:
        """Send the previewed calls, only when the confirmation box is ticked."""
        if self.status.busy or self.plan is None:
            return
        confirmed = bool(self.confirm.value)
        self._stop.clear()
        with action(self.status, f"Applying {len(self.plan.to_send)} calls…"):
            report = apply_bulk_change(
                self.client,
                self.plan,
                confirm=confirmed,
                log=self.log,
                write_rate=self.write_rate,
                workers=min(self.workers, 4),
                stop=self._stop,
            )
            self.report = report
            self.results.value = block(table_html(report.frame(), "Outcome per user"))
            counts = ", ".join(f"{n} {outcome}" for outcome, n in report.counts().items())
            kind = StatusKind.WARNING if "error" in report.counts() else StatusKind.OK
            self.status.say(f"{'Dry run' if report.dry_run else 'Done'}: {counts}.", kind)
            if confirmed:
                self._forget_plan()  # the audit is now stale for these users: re-audit to see

    def _forget_plan(self, _change: Any = None) -> None:
        self.plan = None
        self.preview_html.value = ""
        self.confirm.value = False
        self._refresh_buttons()

    def _refresh_buttons(self, _change: Any = None) -> None:
        busy = self.status.busy
        self.run_button.disabled = busy
        self.stop_button.disabled = not busy
        self.preview_button.disabled = busy
        self.confirm.disabled = busy or self.plan is None
        self.apply_button.disabled = busy or self.plan is None or not self.confirm.value

    def _layout(self) -> w.Widget:
        for button in (self.run_button, self.stop_button):
            button.layout.width = "auto"  # leave the room to the pool id
            button.layout.flex = "0 0 auto"
        run = w.HBox([self.pool_id, self.run_button, self.stop_button])
        bar = w.HBox([self.progress, self.progress_label])
        targets = w.HBox(list(self.targets.values()))
        bulk = w.VBox(
            [
                header("Bulk change"),
                w.HBox([self.select_by]),
                self.users,
                targets,
                self.preview_button,
                self.preview_html,
                w.HBox([self.confirm, self.apply_button]),
                self.results,
            ]
        )
        parts = [header("MFA posture audit"), run, bar, status_line(self.status)]
        # The chart takes the room beside the tables, or a line of its own when the window is
        # narrow: never squeezed below a readable size (its shorter side at least 300 px).
        self.chart.layout = w.Layout(flex="1 1 480px", min_width="400px", max_width="720px")
        summary = w.HBox([self.summary, self.chart], layout=w.Layout(flex_flow="row wrap"))
        parts += [summary, self.flagged, bulk]
        return styled(w.VBox(parts), "audit-panel")
