"""The deprecated old homes of the sign-in rules: one ``__getattr__`` that warns and forwards."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

__all__ = ["forward_to_signin"]


def forward_to_signin(old: str) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``old`` that gives :mod:`mfa_widgets.core.signin`'s names.

    Each name read gives a :class:`DeprecationWarning` naming the new home; a name the package
    does not have is an :class:`AttributeError`, as it always was.
    """

    def forward(name: str) -> Any:
        import mfa_widgets.core.signin as signin

        value = getattr(signin, name)
        warnings.warn(
            f"{old} is deprecated: import {name} from mfa_widgets.core.signin",
            DeprecationWarning,
            stacklevel=2,
        )
        return value

    return forward
