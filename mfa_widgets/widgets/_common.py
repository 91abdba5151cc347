"""Small helpers shared by the panels: CSS class names, the status line, errors, busy state."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import ipywidgets as w
import traitlets as t

from mfa_widgets.core.errors import CognitoError, MfaWidgetsError
from mfa_widgets.widgets.markup import Html, HtmlView, escape, markup
from mfa_widgets.widgets.shared_models import close_with_models
from mfa_widgets.widgets.state import PanelStatus, StatusKind
from mfa_widgets.widgets.theme import accented

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Panel",
    "action",
    "block",
    "css",
    "describe_error",
    "download_link",
    "header",
    "hold_sync_all",
    "id_box",
    "iter_widgets",
    "require_code",
    "require_input",
    "status_line",
    "styled",
    "table_html",
]

_SHOWN_ROWS = 50  # rows per HTML table; the full tables are on the panels' attributes
_TABLE_STYLE = "font-size:12px;border-collapse:collapse"


def table_html(frame: pd.DataFrame, caption: str) -> Html:
    """An escaped HTML table of the first rows of ``frame``, with a caption saying how many.

    An empty ``frame`` is its caption alone (a header row over nothing reads as a broken table).
    """
    if frame.empty:
        return markup('<div class="mfa-caption">{}</div>', caption)
    more = f" (first {_SHOWN_ROWS} of {len(frame)})" if len(frame) > _SHOWN_ROWS else ""
    shown = frame.head(_SHOWN_ROWS)
    shown = shown.astype(object).where(shown.notna(), "")  # no "None" cells (na_rep misses None)
    body = Html(shown.to_html(index=False, escape=True, border=0))  # pandas escapes each cell
    return markup(
        '<div class="mfa-caption">{}{}</div><div style="{}">{}</div>',
        caption,
        more,
        _TABLE_STYLE,
        body,
    )


_W = TypeVar("_W")


def css(*parts: str) -> str:
    """A stable CSS class for browser tests: ``css("sms", "enabled") == "mfa-sms-enabled"``."""
    return "-".join(("mfa", *parts))


def styled(widget: _W, *parts: str) -> _W:
    """Add the class :func:`css` ``(*parts)`` to ``widget`` and return it."""
    widget.add_class(css(*parts))  # type: ignore[attr-defined]
    return widget


def header(title: str) -> HtmlView:
    """A panel title (class ``mfa-header``)."""
    return styled(HtmlView(markup("<b>{}</b>", title)), "header")


def block(inner_html: Html) -> Html:
    """Wrap ``inner_html`` for an ``HTML`` widget: normal line spacing for multi-line text.

    An ``HTML`` widget's content inherits the widget row height (about 28 px) as line height,
    which spreads wrapped text far apart.
    """
    if not inner_html:
        return Html()
    return markup('<div style="line-height:1.4;margin:2px 0">{}</div>', inner_html)


def describe_error(error: BaseException) -> str:
    """Plain words for an error: the hint first, then what the server said.

    A :class:`~mfa_widgets.core.errors.CognitoError` message is already redacted by the client;
    other errors raised on purpose by the toolkit never contain secrets either.
    """
    if isinstance(error, CognitoError):
        details = f": {error.message}" if error.message else ""
        return f"{error.hint} ({error.code}{details})"
    return str(error)


_MIME = {
    ".csv": "text/csv",
    ".parquet": "application/vnd.apache.parquet",
    ".json": "application/json",
}


def download_link(path: Path, label: str = "Download") -> Html:
    """An ``<a download>`` that carries the file to the browser (a ``data:`` URL).

    Works wherever the kernel runs (Binder, Voila, a remote server): the bytes travel with the
    page, no file server or ``FileLink`` route is needed. Only for files without secrets (the
    toolkit's exports are scrubbed).
    """
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    mime = _MIME.get(path.suffix, "application/octet-stream")
    return markup(
        '<a class="mfa-download-link" download="{name}" href="data:{mime};base64,{data}" '
        'style="color:var(--jp-content-link-color, inherit)">{label} {name}</a>',
        name=path.name,
        mime=mime,
        data=data,
        label=label,
    )


def id_box(description: str, **kwargs: Any) -> w.Text:
    """A text box for an id (pool id, username) that grows in its row, so the id is never cut.

    Meant for a row of ``[box, button...]``: the box takes the room the buttons leave, up to
    560 px, and its label takes only the width it needs.
    """
    return w.Text(
        description=description,
        layout=w.Layout(flex="1 1 auto", width="auto", max_width="560px", min_width="0"),
        style={"description_width": "initial"},
        **kwargs,
    )


def status_line(status: PanelStatus) -> HtmlView:
    """A one-line ``HTML`` (class ``mfa-status``) showing ``status``, coloured by its kind."""
    line = styled(HtmlView(), "status")

    def render(_change: Any = None) -> None:
        text = escape(status.message)
        with line.hold_sync():
            line.value = block(accented(text, status.kind) if text else Html())
            for kind in StatusKind:
                line.remove_class(css("status", kind))
            line.add_class(css("status", status.kind))

    status.observe(render, names=["message", "kind"])
    render()
    return line


@contextmanager
def action(status: PanelStatus, doing: str) -> Iterator[None]:
    """Run a backend call: mark the panel busy, show ``doing``, turn failures into the status.

    Errors the toolkit raises on purpose (:class:`~mfa_widgets.core.errors.MfaWidgetsError`) and
    rejected trait values (``TraitError``) are shown in plain words instead of escaping into the
    notebook's log, so the panel stays usable. Anything else is a bug and propagates.
    """
    status.busy = True
    status.say(doing, StatusKind.WORKING)
    try:
        yield
    except (MfaWidgetsError, t.TraitError) as error:
        status.say(describe_error(error), StatusKind.ERROR)
    finally:
        status.busy = False


@contextmanager
def hold_sync_all(widgets: list[Any]) -> Iterator[None]:
    """``hold_sync`` over several widgets: each sends one update message when the block ends."""
    with ExitStack() as stack:
        for widget in widgets:
            stack.enter_context(widget.hold_sync())
        yield


class Panel:
    """Base of the panels: an object that owns its widgets (composition, not a ``Box`` subclass).

    Subclasses set ``self.widget`` to the root widget. A panel displays itself in Jupyter through
    ``_repr_mimebundle_``, and :meth:`close` closes every widget it owns, so re-running a cell does
    not leave old widget models (and their state) in the kernel.
    """

    widget: w.Widget

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        bundle = self.widget._repr_mimebundle_(**kwargs)
        if bundle:
            # The widget's own text/plain is the repr of its children's values (QR code, ...),
            # and outputs are saved with the notebook: show only the panel's name.
            bundle["text/plain"] = repr(self)
        return bundle

    def close(self) -> None:
        """Close the panel's widgets, with their layouts and styles (gone from page and state)."""
        for widget in reversed(list(iter_widgets(self.widget))):
            close_with_models(widget)


def iter_widgets(root: Any) -> Iterator[Any]:
    """``root`` and every widget below it (through ``children``), parents first."""
    yield root
    for child in getattr(root, "children", ()):
        yield from iter_widgets(child)


def require_input(value: str, what: str, operation: str) -> None:
    """Raise a plain-words :class:`CognitoError` (code ``MissingInput``) when ``value`` is empty.

    Used before a call a panel cannot make without ``what`` (e.g. ``"the pool id"``); inside
    :func:`action` the message becomes the status line.
    """
    if not value:
        raise CognitoError(
            "MissingInput", f"{what} is empty", operation, hint=f"Type {what}, then try again."
        )


def require_code(code: str, operation: str, button: str) -> None:
    """Stop before ``operation`` when no code was typed: "enter the code", nothing is sent.

    The same words in every panel that takes a one-time code (the sign-in probe, the
    authenticator set-up); ``button`` is the label the user presses again.
    """
    if not code:
        raise CognitoError(
            "MissingInput",
            "no code was entered; nothing was sent",
            operation,
            hint=f"Enter the code first (the 6 digits you received or your app shows), "
            f"then press {button}.",
        )
