"""Layout and style models many widgets hold at once, so a page has fewer models to create.

ipywidgets gives every widget a ``Layout`` model and most a ``...Style`` model of their own, even
when all of them hold the defaults. Each is a model the kernel sends and the browser creates
before a Voila page is usable: in the quickstart they were 143 of the 236 models. A widget may
instead point at a model it shares with others; :func:`shared` returns the one instance per
kind and settings in this kernel.

A shared model refuses changes (``widget.layout.width = ...`` would move every widget holding
it): give such a widget a model of its own instead (``widget.layout = w.Layout(width=...)``).
It is never closed with a widget (:func:`close_with_models` closes only a widget's own); when
something closed it anyway (``Widget.close_all()``), the next call makes a new one.
"""

from __future__ import annotations

from typing import Any, TypeVar

import ipywidgets as w

__all__ = ["SharedModelError", "close_with_models", "shared"]

_M = TypeVar("_M", bound=w.Widget)

_frozen_kinds: dict[type[Any], type[Any]] = {}
_instances: dict[tuple[type[Any], tuple[tuple[str, Any], ...]], Any] = {}


class SharedModelError(AttributeError):
    """A change to a model many widgets share."""


def _frozen_kind(kind: type[_M]) -> type[_M]:
    """``kind`` refusing changes to its synced settings once built (same model in the page)."""
    found = _frozen_kinds.get(kind)
    if found is None:
        parent: Any = kind

        def __setattr__(self: Any, name: str, value: Any) -> None:  # noqa: N807
            if self.__dict__.get("_mfa_frozen") and not name.startswith("_") and name in self.keys:
                raise SharedModelError(
                    f"this {kind.__name__} is shared by many widgets, so {name} cannot change "
                    f"here: give the widget one of its own (widget.layout = w.Layout({name}=...))"
                )
            parent.__setattr__(self, name, value)

        found = _frozen_kinds[kind] = type(
            f"Shared{kind.__name__}", (kind,), {"__setattr__": __setattr__}
        )
    return found


def shared(kind: type[_M], **settings: Any) -> _M:
    """The one frozen ``kind`` (e.g. ``w.Layout``) with ``settings`` in this kernel.

    Parameters
    ----------
    kind
        A layout or style class (``w.Layout``, ``w.HTMLStyle``, ``w.CheckboxStyle``...).
    settings
        Its settings, e.g. ``width="120px"``.
    """
    key = (kind, tuple(sorted(settings.items())))
    model = _instances.get(key)
    if model is None or model.comm is None:  # closed (Widget.close_all): make a new one
        model = _frozen_kind(kind)(**settings)
        model.__dict__["_mfa_frozen"] = True
        _instances[key] = model
    return model  # type: ignore[no-any-return]


def close_with_models(widget: w.Widget) -> None:
    """Close ``widget`` and the layout and style it holds alone (a shared one stays open).

    ``Widget.close`` leaves them open: they would stay in the kernel, and be sent to every page
    that connects to it, long after the widget went (two models per closed widget, each time a
    panel is rebuilt).
    """
    held = [getattr(widget, name, None) for name in ("layout", "style")]
    widget.close()
    for model in held:
        if isinstance(model, w.Widget) and not model.__dict__.get("_mfa_frozen"):
            model.close()
