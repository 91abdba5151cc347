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

from mfa_widgets.widgets.markup import Html, markup

__all__ = ["figure_html", "wrap_title"]

# Colours matplotlib (or our plots) write -> JupyterLab theme variables (with the same fallback).
_THEMED = {
    "#000000": "var(--jp-content-font-color1, #000000)",
    "#0969da": "var(--jp-brand-color1, #0969da)",
    "#cf222e": "var(--jp-error-color1, #cf222e)",
}
_STYLE_COLOUR = re.compile(r"(fill|stroke):\s*(#[0-9a-fA-F]{6})")
_SIZE = re.compile(r'<svg([^>]*?)\s(width|height)="[^"]*"')


def figure_html(figure: Any, *, title: str, classes: str = "mfa-chart") -> Html:
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
    return markup(
        '<figure class="{}" aria-label="{}" style="margin:0;max-width:min(100%, {}px)">{}</figure>',
        classes,
        title,
        natural,
        Html(svg),  # matplotlib's own SVG (its text elements escaped by matplotlib)
    )


def wrap_title(axes: Any, *, points: float = 12.0) -> None:
    """Wrap the title of ``axes`` to the width of its figure, so it is never cut off."""
    width_in = float(axes.figure.get_figwidth())
    chars = max(12, int(width_in * 72 / (points * 0.55)))
    axes.set_title(textwrap.fill(axes.get_title(), chars))


def _natural_width(figure: Any) -> int:
    """The figure's width in CSS pixels at 96 px per inch (what the SVG's points mean)."""
    return int(float(figure.get_figwidth()) * 96)
