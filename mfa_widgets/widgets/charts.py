"""Matplotlib figures as inline, themed SVG: crisp at any zoom, shown at their natural aspect ratio.

A PNG in an ``Image`` widget is scaled to whatever box the page gives it (stretched, or blurred
on a high-DPI screen). An inline SVG keeps its ``viewBox``: it is drawn at its own width (never
wider than the panel) with the height that width implies, and its text stays text. Black text
and lines, and the toolkit's bar colours, are swapped for JupyterLab theme variables so the
chart follows Light and Dark.
"""

from __future__ import annotations

import io
import re
import textwrap
from typing import Any

__all__ = ["figure_html", "impact_figure", "wrap_title"]

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
    import html

    return html.escape(text, quote=True)


def impact_figure(impact: Any, figure: Any = None) -> Any:
    """A pool change's impact: the transition table as a heat map, and users per verdict.

    ``impact`` is what :func:`mfa_widgets.impact` returned. The figure is at least
    :data:`MIN_SIDE_PX` on its shorter side; counts are written in every non-empty cell.
    """
    from mfa_widgets.core.extras import require_extra

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
