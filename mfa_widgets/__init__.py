"""Jupyter widgets and notebooks for Amazon Cognito user MFA preferences.

The core names (:class:`Factor`, :class:`FactorState`, :class:`MfaPreference`,
:func:`predict_challenge`) are pure Python. The service names (:class:`MfaClient`,
:class:`MfaLog`) load boto3 and pandas on first use, and the sandbox and widgets live in their own
subpackages, so ``import mfa_widgets`` stays light and never imports moto, Flask or ipywidgets.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from mfa_widgets.errors import CognitoError, MfaPreferenceError, MfaWidgetsError
from mfa_widgets.preferences import Factor, FactorState, MfaPreference

if TYPE_CHECKING:
    from mfa_widgets.challenges import predict_challenge
    from mfa_widgets.client import MfaClient
    from mfa_widgets.log import MfaLog
    from mfa_widgets.widgets.dashboard import demo

__version__ = "0.1.0"

__all__ = [
    "CognitoError",
    "Factor",
    "FactorState",
    "MfaClient",
    "MfaLog",
    "MfaPreference",
    "MfaPreferenceError",
    "MfaWidgetsError",
    "demo",
    "predict_challenge",
]

_LAZY = {
    "predict_challenge": "mfa_widgets.challenges",
    "MfaClient": "mfa_widgets.client",
    "MfaLog": "mfa_widgets.log",
    "demo": "mfa_widgets.widgets.dashboard",
}


def __getattr__(name: str) -> Any:
    """Import service-layer names on first use (PEP 562)."""
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'mfa_widgets' has no attribute {name!r}")
