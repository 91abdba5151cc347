"""Presenter items (issue 13 #8): an Audit tab, downloads that reach the browser, a separate
sweep log, a copyable CLI command that never wraps inside a word.
"""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path
from typing import TYPE_CHECKING

from hypothesis import given
from hypothesis import strategies as st

from mfa_widgets.core.preferences import Factor
from mfa_widgets.sandbox import Sandbox
from mfa_widgets.services.log import LogEvent, MfaLog
from mfa_widgets.widgets.dashboard import TAB_TITLES, demo
from mfa_widgets.widgets.log_view import LogView
from mfa_widgets.widgets.preference_panel import PreferencePanel, shell_lines

if TYPE_CHECKING:
    from conftest import User


def test_demo_has_an_audit_tab_and_keeps_sweeps_out_of_the_presenters_log(
    sandbox: Sandbox,
) -> None:
    dashboard = demo(sandbox, user="alice")
    try:
        titles = [dashboard.tabs.get_title(i) for i in range(len(dashboard.tabs.children))]
        assert "Audit" in titles
        assert titles == list(TAB_TITLES)
        audit = dashboard.audit
        assert dashboard.tabs.children[titles.index("Audit")] is audit.widget
        audit.run_audit()
        assert "3 users" in audit.summary.value
        assert dashboard.explorer.explorer.log is dashboard.sweep_log
        assert dashboard.sweep_log is not dashboard.log
    finally:
        dashboard.close()


def test_an_export_reaches_the_browser_as_a_download_link(tmp_path: Path) -> None:
    log = MfaLog()
    log.append(LogEvent("GetUser", username="alice"))
    view = LogView(log)
    view.state.folder = str(tmp_path)
    for kind in ("csv", "parquet"):
        written = view.export(kind)
        assert written is not None
        link = re.search(
            r'<a [^>]*download="([^"]+)" href="data:([^;]+);base64,([^"]+)"', view.download.value
        )
        assert link is not None
        assert link[1] == written.name
        assert base64.b64decode(link[3]) == written.read_bytes()


@given(
    options=st.lists(
        st.from_regex(r"[a-z][a-z-]{2,20} [A-Za-z0-9_,={}\":]{1,40}", fullmatch=True),
        min_size=1,
        max_size=5,
    )
)
def test_the_cli_command_is_shown_one_option_per_line(options: list[str]) -> None:
    command = "aws cognito-idp admin-set-user-mfa-preference " + " ".join(f"--{o}" for o in options)
    shown = shell_lines(command)
    lines = shown.split("\n")
    assert len(lines) == len(options) + 1
    assert all(line.endswith(" \\") for line in lines[:-1])
    assert re.sub(r" \\\n\s+", " ", shown) == command  # the same command for a shell


def test_the_copy_button_holds_the_command_shown(user: User) -> None:
    panel = PreferencePanel(user.admin_target())
    panel.rows[Factor.SMS].enabled.value = True
    assert panel.copy_cli.text
    assert panel.copy_cli.text.startswith("aws cognito-idp admin-set-user-mfa-preference")
    assert "--sms-mfa-settings" in panel.copy_cli.text
    shown = re.search(r"<pre[^>]*>(.*?)</pre>", panel.cli.value, re.DOTALL)
    assert shown is not None
    assert html.unescape(shown[1]) == panel.copy_cli.text  # what is copied is what is shown
    assert "white-space:pre;" in panel.cli.value  # never wrapped inside a word
    panel.rows[Factor.SMS].enabled.value = False  # back to no change: the full state is shown
    assert "--email-mfa-settings" in panel.copy_cli.text


def test_audit_progress_is_exact_at_the_end_and_tables_never_show_none(
    sandbox: Sandbox,
) -> None:
    from mfa_widgets.widgets._common import table_html

    dashboard = demo(sandbox, user="alice")
    try:
        audit = dashboard.audit
        audit.run_audit()
        assert audit.progress_label.value == "3 of 3 users"
        assert "~" not in audit.progress_label.value
        assert ">None<" not in audit.flagged.value + audit.summary.value
    finally:
        dashboard.close()
    import pandas as pd

    table = table_html(pd.DataFrame({"user": ["a", "b"], "error": [None, "Boom"]}), "Outcome")
    assert ">None<" not in table
    assert ">Boom<" in table
