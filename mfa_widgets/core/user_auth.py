"""Deprecated: the choice-based flow (``USER_AUTH``) moved to :mod:`mfa_widgets.core.signin.choice`.

Kept one release: every name read here warns and gives :mod:`mfa_widgets.core.signin`'s.
"""

from mfa_widgets.core.signin.moved import forward_to_signin

__all__: list[str] = []
__getattr__ = forward_to_signin(__name__)
