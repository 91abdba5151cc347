"""Colours from JupyterLab's theme (CSS variables), readable in Light, Dark and high contrast.

Text is always in the theme's text colour (``--jp-content-font-color1`` on the theme's own
background), which meets WCAG AA in every JupyterLab theme. Meaning (ok, warning, error, a
challenge kind) is carried by an accent *beside* the text: a coloured left border in the
theme's ``--jp-*-color1``, never by coloured text or a light background that a dark theme would
make unreadable. Fallbacks keep the page usable where the variables are missing (e.g. plain
HTML exports).
"""

from __future__ import annotations

from mfa_widgets.widgets.markup import Html, markup

__all__ = ["ACCENTS", "MUTED", "STYLESHEET", "SURFACE", "TEXT", "accented", "muted"]

TEXT = "var(--jp-content-font-color1, inherit)"
#: Secondary text: the main text colour, set smaller (the theme's grey text colours fall below
#: 4.5:1 in the Light theme).
MUTED = TEXT
SURFACE = "var(--jp-layout-color2, transparent)"
BORDER = "var(--jp-border-color1, #bdbdbd)"

#: Accent colours by meaning (status kinds, verdicts, challenges).
ACCENTS = {
    "info": BORDER,
    "working": "var(--jp-brand-color1, #1976d2)",
    "ok": "var(--jp-success-color1, #388e3c)",
    "warning": "var(--jp-warn-color1, #f57c00)",
    "error": "var(--jp-error-color1, #d32f2f)",
    "brand": "var(--jp-brand-color1, #1976d2)",
    "accent": "var(--jp-accent-color1, #388e3c)",
    "info-color": "var(--jp-info-color1, #0097a7)",
}


def accented(text_html: Html, kind: str, *, tag: str = "div", classes: str = "") -> Html:
    """``text_html`` in the theme's text colour with a left border coloured for ``kind``."""
    accent = ACCENTS.get(kind, BORDER)
    css = markup(' class="{}"', classes) if classes else ""
    return markup(
        '<{tag}{css} style="color:{text};border-left:3px solid {accent};padding-left:6px">'
        "{body}</{tag}>",
        tag=Html(tag),
        css=Html(css),
        text=Html(TEXT),
        accent=Html(accent),
        body=text_html,
    )


def muted(text_html: Html, *, size: str = "12px") -> Html:
    """Secondary text (smaller, same readable colour)."""
    return markup(
        '<div class="mfa-muted" style="color:{};font-size:{}">{}</div>',
        Html(MUTED),
        size,
        text_html,
    )


#: Page-wide rules for what ipywidgets styles itself: the inactive tab labels of the dashboard
#: use the theme's secondary UI colour (about 4.2:1 in Dark), so they get the primary one.
STYLESHEET = (
    "<style>"
    ".mfa-dashboard .lm-TabBar-tab, .mfa-dashboard .lm-TabBar-tabLabel"
    "{color: var(--jp-ui-font-color1, inherit) !important;}"
    # In a narrow window the tabs wrap onto a second row instead of cutting their labels.
    ".mfa-dashboard .widget-tab > .lm-TabBar{height:auto !important;min-height:0;}"
    ".mfa-dashboard .widget-tab > .lm-TabBar .lm-TabBar-content{flex-wrap:wrap;}"
    ".mfa-dashboard .widget-tab > .lm-TabBar .lm-TabBar-tab"
    "{flex:0 0 auto !important;max-width:none !important;}"
    "</style>"
)
