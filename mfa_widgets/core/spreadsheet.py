"""Cells a spreadsheet opens as text, never as a formula (CSV exports).

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some, a tab or
a carriage return) as a formula: a learner named ``=HYPERLINK("http://evil.example","x")`` in the
board's CSV becomes a live link in the trainer's spreadsheet. OWASP's "CSV Injection" advice is
to prefix such a cell with a single quote, which spreadsheets read as "this is text". A cell that
already starts with a quote gets one more, so :func:`from_spreadsheet` undoes exactly what
:func:`to_spreadsheet` did and a CSV export reads back unchanged.
"""

from __future__ import annotations

__all__ = ["FORMULA_STARTS", "bounded", "from_spreadsheet", "to_spreadsheet"]

#: First characters that make a spreadsheet treat a cell as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_QUOTE = "'"


def to_spreadsheet(text: str) -> str:
    """``text`` as a cell a spreadsheet shows as text (a quote before a formula start)."""
    if text.startswith((*FORMULA_STARTS, _QUOTE)):
        return _QUOTE + text
    return text


def from_spreadsheet(text: str) -> str:
    """The text :func:`to_spreadsheet` was given (one leading quote dropped)."""
    return text[1:] if text.startswith(_QUOTE) else text


def bounded(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, ending in ``…`` when cut (free text in exports)."""
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    return text if len(text) <= limit else text[: limit - 1] + "…"
