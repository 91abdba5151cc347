"""The one way text reaches an ``HTML`` widget: escaped unless it was built as markup.

An ``HTML`` widget sets ``innerHTML`` in the page, so a learner's name, a username, an attribute
value, a device or passkey name, Cognito's message or an exception text rendered into it would
run as markup (``<img src=x onerror=...>``). Two pieces make escaping the default:

* :class:`Html` marks a string as markup the toolkit wrote. Only :func:`markup` (a template whose
  every argument is escaped unless it is already :class:`Html`), :func:`escape` and the theme's
  helpers make one; mypy flags a plain ``str`` (an f-string) passed where :class:`Html` is asked.
* :class:`HtmlView` is the panels' ``HTML`` widget: a plain ``str`` assigned to its ``value`` is
  escaped on the way in, so text that skipped :func:`markup` shows as text, never as markup.
"""

from __future__ import annotations

import html as _stdlib_html
from typing import Any

import ipywidgets as w
import traitlets as t
from ipywidgets.widgets.widget_string import HTMLStyle

from mfa_widgets.widgets.shared_models import shared

__all__ = ["Html", "HtmlView", "escape", "join", "markup"]


class Html(str):
    """A string of markup the toolkit wrote (its dynamic parts already escaped)."""

    __slots__ = ()

    def __html__(self) -> str:  # the convention markupsafe and Jinja understand
        return str(self)


def escape(text: object) -> Html:
    """``text`` as markup that shows it literally (:class:`Html` passes through unchanged)."""
    if isinstance(text, Html):
        return text
    return Html(_stdlib_html.escape(str(text), quote=True))


def markup(template: str, *args: object, **kwargs: object) -> Html:
    """``template.format(...)`` with every argument escaped unless it is :class:`Html`.

    ``template`` is the toolkit's own markup (a literal); the arguments are text from anywhere.
    Format specs apply to the value before escaping (``html("{:>3}", n)``).
    """
    named = {key: _Escaping(value) for key, value in kwargs.items()}
    return Html(template.format(*(_Escaping(a) for a in args), **named))


def join(separator: str, parts: Any) -> Html:
    """``separator.join(parts)`` with each part escaped unless it is :class:`Html`."""
    return Html(escape(separator).join(escape(p) for p in parts))


class _Escaping:
    """A format argument that escapes itself (after applying the format spec)."""

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value

    def __format__(self, spec: str) -> str:
        if isinstance(self.value, Html):
            return str(self.value)
        return escape(format(self.value, spec))


class HtmlView(w.HTML):  # type: ignore[misc]
    """An ``HTML`` widget that escapes any value not built as :class:`Html`.

    Unless given its own, it holds the layout and style every other ``HtmlView`` holds
    (:func:`~mfa_widgets.widgets.shared_models.shared`): two models fewer per view to send and
    create before a page is usable.
    """

    def __init__(self, value: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("layout", shared(w.Layout))
        kwargs.setdefault("style", shared(HTMLStyle))
        super().__init__(value=value, **kwargs)

    @t.validate("value")
    def _escape_text(self, proposal: dict[str, Any]) -> str:
        value = proposal["value"]
        return value if isinstance(value, Html) else escape(value)
