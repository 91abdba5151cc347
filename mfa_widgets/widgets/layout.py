"""Layout helpers so a panel fits any window: buttons sized to their label, rows that wrap.

ipywidgets gives every button a fixed 148 px width, which cuts a longer label ("Apply to every
le…") at any window size, and an ``HBox`` never wraps, so a row of controls overflows a narrow
window. Panels build their rows with these instead.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w

__all__ = ["fitted", "wrapping_row"]


def fitted(button: Any) -> Any:
    """Size ``button`` to its whole label (never cut), and return it."""
    button.layout.width = "auto"
    button.layout.min_width = "max-content"
    button.layout.flex = "0 0 auto"
    return button


def wrapping_row(children: list[Any]) -> w.HBox:
    """A row of controls that wraps onto a second line when the window is narrow."""
    return w.HBox(children, layout=w.Layout(flex_flow="row wrap", align_items="center"))
