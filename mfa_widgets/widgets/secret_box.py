"""Two tiny anywidgets for secrets: one shows them, one takes one-time codes.

A value in a synced trait lives in the widget model, and the model is what JupyterLab, Notebook 7,
nbclient and papermill save into a notebook's ``metadata.widgets``. Clearing the trait afterwards
is not enough: a save in between keeps it. So these widgets have no value trait at all. The
secret (a TOTP secret, its QR code, a typed or filled-in code) travels by one-off custom messages
(``model.send`` / ``Widget.send``), which the front end renders straight into the DOM and the
kernel keeps in a plain attribute. Nothing of it is model state, so nothing of it can be saved.

When a view is (re)rendered, e.g. after a page reload, it asks the kernel with a ``ready`` message
and the kernel sends what is on show again.
"""

from __future__ import annotations

from typing import Any

import anywidget
import traitlets as t

from mfa_widgets.widgets.markup import escape

__all__ = ["CodeBox", "SecretView"]

_VIEW_ESM = """
function render({ model, el }) {
  el.classList.add("mfa-secret-view");
  const figure = document.createElement("div");
  figure.className = "mfa-secret-figure";
  const caption = document.createElement("div");
  caption.className = "mfa-secret-caption";
  const text = document.createElement("code");
  text.className = "mfa-secret-text";
  el.append(figure, caption, text);
  const show = (msg) => {
    figure.innerHTML = msg.svg || "";        // QR SVG made in the kernel (segno), not user text
    caption.textContent = msg.caption || "";
    text.textContent = msg.text || "";
    el.hidden = !(msg.svg || msg.text);
  };
  const onMsg = (msg) => { if (msg && msg.kind === "show") show(msg); };
  model.on("msg:custom", onMsg);
  show({});
  model.send({ kind: "ready" });
  return () => { model.off("msg:custom", onMsg); show({}); };
}
export default { render };
"""

_CODE_BOX_ESM = """
function render({ model, el }) {
  el.classList.add("mfa-code-box");
  const label = document.createElement("label");
  const caption = document.createElement("span");
  caption.className = "mfa-code-label";
  const input = document.createElement("input");
  input.type = "text";
  input.inputMode = "numeric";
  input.autocomplete = "one-time-code";
  input.spellcheck = false;
  input.className = "mfa-code-input";
  label.append(caption, input);
  el.append(label);
  const sync = () => {
    caption.textContent = model.get("description");
    input.placeholder = model.get("placeholder");
    input.disabled = model.get("disabled");
  };
  const typed = () => model.send({ kind: "typed", value: input.value });
  input.addEventListener("input", typed);
  input.addEventListener("change", typed);
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") { typed(); model.send({ kind: "submit" }); }
  });
  const onMsg = (msg) => {
    if (msg && msg.kind === "fill") input.value = msg.value || "";
    if (msg && msg.kind === "clear") input.value = "";
  };
  model.on("msg:custom", onMsg);
  model.on("change", sync);
  sync();
  model.send({ kind: "ready" });
  return () => { model.off("msg:custom", onMsg); model.off("change", sync); };
}
export default { render };
"""

_CSS = """
.mfa-secret-view .mfa-secret-figure svg { display: block; background: #fff; }
.mfa-secret-view .mfa-secret-text { font-size: 14px; color: var(--jp-content-font-color1); }
.mfa-secret-view .mfa-secret-caption { color: var(--jp-content-font-color1); }
.mfa-code-box label { display: flex; align-items: center; gap: 8px;
  color: var(--jp-widgets-label-color, var(--jp-ui-font-color1)); }
.mfa-code-box .mfa-code-label { min-width: 60px; text-align: right; }
.mfa-code-box input { width: 10em; font-family: var(--jp-code-font-family); letter-spacing: 1px;
  color: var(--jp-widgets-input-color, var(--jp-ui-font-color1));
  background: var(--jp-widgets-input-background-color, var(--jp-layout-color1));
  border: var(--jp-widgets-input-border-width, 1px) solid
    var(--jp-widgets-input-border-color, var(--jp-border-color1)); padding: 2px 6px; }
"""


class SecretView(anywidget.AnyWidget):  # type: ignore[misc]
    """Shows a secret (a QR code and/or text) without it ever being widget state.

    The kernel keeps what is on show in a plain attribute and sends it to each view by a custom
    message; :meth:`clear` empties every view.
    """

    _esm = t.Unicode(_VIEW_ESM).tag(sync=True)
    _css = t.Unicode(_CSS).tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._shown: dict[str, str] = {}  # kernel memory only
        self.on_msg(self._on_front_end)

    @property
    def showing(self) -> bool:
        """Whether a secret is on show."""
        return bool(self._shown)

    @property
    def value(self) -> str:
        """What is on show as HTML (kernel memory; never synced), ``""`` when nothing is."""
        if not self._shown:
            return ""
        caption, text = self._shown["caption"], self._shown["text"]
        return (
            self._shown["svg"]
            + (f"<div>{escape(caption)}</div>" if caption else "")
            + (f"<code>{escape(text)}</code>" if text else "")
        )

    def show(self, *, svg: str = "", text: str = "", caption: str = "") -> None:
        """Show ``svg`` (trusted markup made in the kernel) and/or ``text`` (shown as text)."""
        self._shown = {"kind": "show", "svg": svg, "text": text, "caption": caption}
        self._post(self._shown)

    def clear(self) -> None:
        """Forget the secret and empty every view."""
        self._shown = {}
        self._post({"kind": "show"})

    def _post(self, message: dict[str, str]) -> None:
        if self.comm is not None:
            self.send(message)

    def _on_front_end(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict) and content.get("kind") == "ready" and self._shown:
            self._post(self._shown)

    def close(self) -> None:
        """Forget the secret, then close."""
        self.clear()
        super().close()


class CodeBox(anywidget.AnyWidget):  # type: ignore[misc]
    """A text box for one-time codes whose content is never widget state.

    What the person types reaches the kernel by ``typed`` messages and is held in a plain
    attribute (:attr:`value`); pressing Enter also calls the ``on_submit`` callbacks. Setting
    :attr:`value` from the kernel (e.g. a code filled in from the sandbox's outbox) shows it in
    the box by a message. :meth:`take` returns the code and empties the box everywhere.
    """

    _esm = t.Unicode(_CODE_BOX_ESM).tag(sync=True)
    _css = t.Unicode(_CSS).tag(sync=True)
    description = t.Unicode("Code").tag(sync=True)
    placeholder = t.Unicode("6-digit code").tag(sync=True)
    disabled = t.Bool(False).tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._value = ""  # kernel memory only
        self._submit: list[Any] = []
        self.on_msg(self._on_front_end)

    @property
    def value(self) -> str:
        """The code in the box (kernel memory; never synced)."""
        return self._value

    @value.setter
    def value(self, code: str) -> None:
        self._value = str(code)
        self._post({"kind": "fill", "value": self._value} if self._value else {"kind": "clear"})

    def take(self) -> str:
        """The code in the box, stripped; the box is emptied in the kernel and every view."""
        code, self.value = self._value.strip(), ""
        return code

    def on_submit(self, callback: Any) -> None:
        """Call ``callback()`` when the person presses Enter in the box."""
        self._submit.append(callback)

    def _post(self, message: dict[str, str]) -> None:
        if self.comm is not None:
            self.send(message)

    def _on_front_end(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if not isinstance(content, dict):
            return
        kind = content.get("kind")
        if kind == "typed":
            self._value = str(content.get("value", ""))[:64]  # a code, not a document
        elif kind == "submit" and not self.disabled:
            for callback in list(self._submit):
                callback()
        elif kind == "ready" and self._value:
            self._post({"kind": "fill", "value": self._value})

    def close(self) -> None:
        """Forget the code, then close."""
        self._value = ""
        super().close()
