"""A button that copies a text (e.g. the AWS CLI command) to the browser's clipboard.

The copying happens in the browser (ipywidgets has no clipboard access), so this is a tiny
anywidget. The text is a synced trait: use it only for text that is not a secret.
"""

from __future__ import annotations

import anywidget
import traitlets as t

__all__ = ["CopyButton"]

_ESM = """
function render({ model, el }) {
  const button = document.createElement("button");
  button.className = "jupyter-button widget-button mfa-copy-button";
  button.type = "button";
  const label = () => { button.textContent = model.get("description"); };
  const copy = async () => {
    const text = model.get("text");
    try {
      await navigator.clipboard.writeText(text);
    } catch (error) {  // no Clipboard API (plain http): the classic selection fallback
      const area = document.createElement("textarea");
      area.value = text;
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.append(area);
      area.select();
      document.execCommand("copy");
      area.remove();
    }
    button.textContent = "Copied";
    button.setAttribute("aria-live", "polite");
    setTimeout(label, 1500);
    model.send({ kind: "copied" });
  };
  button.addEventListener("click", copy);
  model.on("change:description", label);
  label();
  el.append(button);
  return () => model.off("change:description", label);
}
export default { render };
"""


class CopyButton(anywidget.AnyWidget):  # type: ignore[misc]
    """Copies :attr:`text` to the clipboard when clicked; counts the copies in :attr:`copies`."""

    _esm = t.Unicode(_ESM).tag(sync=True)
    text = t.Unicode("").tag(sync=True)
    description = t.Unicode("Copy").tag(sync=True)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.copies = 0
        self.on_msg(self._on_front_end)

    def _on_front_end(self, _widget: object, content: object, _buffers: object) -> None:
        if isinstance(content, dict) and content.get("kind") == "copied":
            self.copies += 1
