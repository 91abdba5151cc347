"""The toolkit's charts, and matplotlib figures as inline, themed SVG.

The charts: the challenge matrix as an HTML table (:func:`matrix_html`) and as a matplotlib grid
(:func:`plot_matrix`), and an audit's counts as two bar charts (:func:`plot_summary`). Each imports
matplotlib only when called (the ``plot`` extra).

Figures as SVG are crisp at any zoom and shown at their natural aspect ratio.

A PNG in an ``Image`` widget is scaled to whatever box the page gives it (stretched, or blurred
on a high-DPI screen). An inline SVG keeps its ``viewBox``: it is drawn at its own width (never
wider than the panel) with the height that width implies, and its text stays text. Black text
and lines, and the toolkit's bar colours, are swapped for JupyterLab theme variables so the
chart follows Light and Dark.
"""

from __future__ import annotations

import html
import io
import re
import textwrap
from typing import TYPE_CHECKING, Any

from mfa_widgets.core.extras import require_extra
from mfa_widgets.core.validation import need_instance

if TYPE_CHECKING:
    import pandas as pd

    from mfa_widgets.services.audit_report import AuditSummary

__all__ = [
    "CHALLENGE_COLOURS",
    "MIN_SIDE_PX",
    "figure_html",
    "impact_figure",
    "matrix_html",
    "plot_matrix",
    "plot_summary",
    "wrap_title",
]

#: The smallest side of a chart, in CSS pixels (96 per inch): readable without zooming.
MIN_SIDE_PX = 300

# Colours matplotlib (or our plots) write -> JupyterLab theme variables (with the same fallback).
_THEMED = {
    "#000000": "var(--jp-content-font-color1, #000000)",
    "#0969da": "var(--jp-brand-color1, #0969da)",
    "#cf222e": "var(--jp-error-color1, #cf222e)",
}
_STYLE_COLOUR = re.compile(r"(fill|stroke):\s*(#[0-9a-fA-F]{6})")
_SIZE = re.compile(r'<svg([^>]*?)\s(width|height)="[^"]*"')


def figure_html(figure: Any, *, title: str, classes: str = "mfa-chart") -> str:
    """``figure`` as an inline ``<svg>`` inside a ``<figure>`` (``title`` is its accessible name).

    Text is kept as text (``svg.fonttype: none``), the background transparent, nothing cropped
    (``bbox_inches="tight"``).
    """
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "mfa"}):
        figure.savefig(buffer, format="svg", bbox_inches="tight", transparent=True)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    while _SIZE.search(svg):  # drop the fixed size: the viewBox keeps the aspect ratio
        svg = _SIZE.sub(r"<svg\1", svg, count=1)
    svg = svg.replace("<svg", '<svg style="width:100%;height:auto;display:block" role="img"', 1)
    svg = _STYLE_COLOUR.sub(lambda m: f"{m[1]}: {_THEMED.get(m[2].lower(), m[2])}", svg)
    natural = _natural_width(figure)
    return (
        f'<figure class="{classes}" aria-label="{_attr(title)}" '
        f'style="margin:0;max-width:min(100%, {natural}px)">{svg}</figure>'
    )


def wrap_title(axes: Any, *, points: float = 12.0) -> None:
    """Wrap the title of ``axes`` to the width of its figure, so it is never cut off."""
    width_in = float(axes.figure.get_figwidth())
    chars = max(12, int(width_in * 72 / (points * 0.55)))
    axes.set_title(textwrap.fill(axes.get_title(), chars))


def _natural_width(figure: Any) -> int:
    """The figure's width in CSS pixels at 96 px per inch (what the SVG's points mean)."""
    return int(float(figure.get_figwidth()) * 96)


def _attr(text: str) -> str:
    return html.escape(text, quote=True)


# -- the challenge matrix ------------------------------------------------------------------------


CHALLENGE_COLOURS = {
    "NONE": "#e8f5e9",
    "SMS_MFA": "#fff3e0",
    "SOFTWARE_TOKEN_MFA": "#e3f2fd",
    "EMAIL_OTP": "#f3e5f5",
    "SELECT_MFA_TYPE": "#fffde7",
    "MFA_SETUP": "#fce4ec",
    "ERROR": "#eeeeee",
}


#: The challenge's accent in :func:`matrix_html`: a JupyterLab theme colour (Light and Dark).
_CHALLENGE_ACCENTS = {
    "NONE": "var(--jp-success-color1, #388e3c)",
    "SMS_MFA": "var(--jp-warn-color1, #f57c00)",
    "SOFTWARE_TOKEN_MFA": "var(--jp-brand-color1, #1976d2)",
    "EMAIL_OTP": "var(--jp-info-color1, #0097a7)",
    "SELECT_MFA_TYPE": "var(--jp-accent-color2, #81c784)",
    "MFA_SETUP": "var(--jp-error-color2, #e57373)",
    "ERROR": "var(--jp-error-color1, #d32f2f)",
}


def matrix_html(matrix: pd.DataFrame) -> str:
    """Render :func:`challenge_matrix` as an HTML table: coloured by challenge, all text escaped.

    Cells where the observed challenge differs from the prediction get a red border and the
    class ``mfa-mismatch``.
    """
    import pandas as pd

    need_instance(matrix, pd.DataFrame, "matrix", "pass what challenge_matrix returned")
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in matrix.columns)
    lines = [
        '<table class="mfa-matrix" style="border-collapse:collapse;font-size:13px">',
        f"<thead><tr><th>{html.escape(str(matrix.index.name or ''))}</th>{head}</tr></thead>",
        "<tbody>",
    ]
    for label, row in matrix.iterrows():
        cells = []
        for value in row:
            text = "" if value is None or value != value else str(value)  # NaN check
            challenge = text.split(" ", 1)[0]
            mismatch = "(predicted" in text
            # Theme colours (JupyterLab CSS variables): text on the theme's surface, the
            # challenge as a coloured left edge, a mismatch as an error-coloured frame.
            accent = _CHALLENGE_ACCENTS.get(challenge, "var(--jp-border-color1, #bdbdbd)")
            style = (
                "color:var(--jp-content-font-color1, inherit);"
                "background:var(--jp-layout-color2, transparent);padding:2px 6px;"
                f"box-shadow:inset 5px 0 0 {accent};padding-left:10px;"
            )
            style += (
                "border:2px solid var(--jp-error-color1, #d32f2f);"
                if mismatch
                else "border:1px solid var(--jp-border-color2, #e0e0e0);"
            )
            css = ' class="mfa-mismatch"' if mismatch else ""
            cells.append(f'<td{css} style="{style}">{html.escape(text)}</td>')
        lines.append(
            f'<tr><th style="text-align:left;font-family:monospace">{html.escape(str(label))}</th>'
            f"{''.join(cells)}</tr>"
        )
    lines.append("</tbody></table>")
    return "\n".join(lines)


def plot_matrix(matrix: pd.DataFrame, ax: Any = None) -> Any:
    """Draw the matrix as a coloured grid with matplotlib; mismatches are hatched. Returns ax."""
    require_extra("plot", "the challenge matrix chart")
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_rgb
    from matplotlib.patches import Rectangle

    if ax is None:
        _, ax = plt.subplots(figsize=(2.2 + 2.2 * len(matrix.columns), 0.32 * len(matrix) + 1))
    for y, (_, row) in enumerate(matrix.iterrows()):
        for x, value in enumerate(row):
            text = "" if value is None or value != value else str(value)
            challenge = text.split(" ", 1)[0]
            colour = to_rgb(CHALLENGE_COLOURS.get(challenge, "#ffffff"))
            mismatch = "(predicted" in text
            ax.add_patch(
                Rectangle(
                    (x, y),
                    1,
                    1,
                    facecolor=colour,
                    edgecolor="#c62828" if mismatch else "#999999",
                    hatch="//" if mismatch else None,
                    linewidth=2 if mismatch else 0.5,
                )
            )
            ax.text(x + 0.5, y + 0.5, challenge, ha="center", va="center", fontsize=7)
    ax.set_xlim(0, len(matrix.columns))
    ax.set_ylim(len(matrix), 0)
    ax.set_xticks([i + 0.5 for i in range(len(matrix.columns))], [str(c) for c in matrix.columns])
    ax.set_yticks([i + 0.5 for i in range(len(matrix))], [str(i) for i in matrix.index])
    ax.tick_params(axis="y", labelsize=7)
    ax.set_title("Sign-in challenge by preference and pool MFA mode")
    return ax


# -- the audit ----------------------------------------------------------------------------------


def plot_summary(summary: AuditSummary, figure: Any = None) -> Any:
    """Draw the summary as two bar charts (users per challenge, users per flag); returns the figure.

    Uses :class:`matplotlib.figure.Figure` directly (no pyplot state), so it works in threads and
    without a display.
    """
    require_extra("plot", "the audit chart")
    from matplotlib.figure import Figure

    # One chart above the other: readable in a narrow window (at 400 px wide it is still 320 px
    # tall), where side by side each chart was a thumbnail.
    figure = figure or Figure(figsize=(7.5, 6), layout="constrained")
    left, right = figure.subplots(2, 1)
    challenges = summary.challenges
    left.barh(challenges["challenge"], challenges["users"], color="#0969da")
    left.set_title(f"Predicted sign-in challenge ({summary.total} users)")
    left.invert_yaxis()
    flags = summary.flags
    right.barh(flags["flag"], flags["users"], color="#cf222e")
    right.set_title("Users per flag")
    right.invert_yaxis()
    for axis in (left, right):
        axis.set_xlabel("users")
        axis.tick_params(axis="y", labelsize=8)
    return figure


def impact_figure(impact: Any, figure: Any = None) -> Any:
    """A pool change's impact: the transition table as a heat map, and users per verdict.

    ``impact`` is what :func:`mfa_widgets.impact` returned. The figure is at least
    :data:`MIN_SIDE_PX` on its shorter side; counts are written in every non-empty cell.
    """
    require_extra("plot", "the impact chart")
    from matplotlib.figure import Figure

    table = impact.transitions().drop(index="all", columns="all", errors="ignore")
    rows, cols = table.shape
    height = max(MIN_SIDE_PX / 96 + 0.6, 1.2 + 0.45 * max(rows, 4))
    figure = figure or Figure(figsize=(11, height), layout="constrained")
    left, right = figure.subplots(1, 2, width_ratios=[max(cols, 2), 3])
    values = table.to_numpy()
    left.imshow(values, cmap="Blues", aspect="auto")
    left.set_xticks(range(cols), list(table.columns), rotation=30, ha="right", fontsize=9)
    left.set_yticks(range(rows), list(table.index), fontsize=9)
    left.set_xlabel("challenge after the change")
    left.set_ylabel("challenge today")
    peak = values.max() if values.size else 0
    for (row, col), count in _cells(values):
        colour = "#ffffff" if peak and count > peak / 2 else "#000000"
        left.text(col, row, str(count), ha="center", va="center", color=colour, fontsize=9)
    left.set_title(f"Next sign-in, today vs after ({len(impact.frame)} users)")
    wrap_title(left)
    verdicts = impact.verdicts()
    right.barh(verdicts["verdict"], verdicts["users"], color="#0969da")
    right.invert_yaxis()
    right.set_xlabel("users")
    right.tick_params(axis="y", labelsize=9)
    right.set_title("Users per verdict")
    return figure


def _cells(values: Any) -> list[tuple[tuple[int, int], int]]:
    return [
        ((row, col), int(count))
        for row, line in enumerate(values)
        for col, count in enumerate(line)
        if count
    ]
