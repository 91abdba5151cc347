"""Jupyter widgets and notebooks for Amazon Cognito user MFA preferences.

Everything a notebook needs is importable from here, from :mod:`mfa_widgets.widgets` and from
:mod:`mfa_widgets.sandbox`. The core names (:class:`Factor`, :class:`FactorState`,
:class:`MfaPreference`, the errors) are pure Python and load at once; every other name is loaded
on first use (PEP 562), so ``import mfa_widgets`` stays light and never imports boto3, pandas,
moto, Flask or ipywidgets until a name that needs them is used.

The package is layered (see ARCHITECTURE.md): :mod:`mfa_widgets.core` (pure rules),
:mod:`mfa_widgets.services` (boto3 and pandas), :mod:`mfa_widgets.sandbox` (local Cognito),
:mod:`mfa_widgets.embedded` (the seam to it), :mod:`mfa_widgets.training`,
:mod:`mfa_widgets.widgets` and :mod:`mfa_widgets.commands`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from mfa_widgets.core.errors import CognitoError, MfaPreferenceError, MfaWidgetsError
from mfa_widgets.core.preferences import Factor, FactorState, MfaPreference

if TYPE_CHECKING:
    from mfa_widgets.core.challenges import (
        PoolMfaConfig,
        Prediction,
        SignInContext,
        UserMfaFacts,
        explain,
        predict_challenge,
    )
    from mfa_widgets.core.tokens import inspect_token
    from mfa_widgets.core.user_auth import ChoicePool, ChoiceUser, predict_user_auth
    from mfa_widgets.sandbox.classroom.app import Classroom
    from mfa_widgets.services.audit import audit_pool, predict_sign_in
    from mfa_widgets.services.bulk import (
        apply_authenticator_reset,
        apply_bulk_change,
        plan_authenticator_reset,
        plan_bulk_change,
    )
    from mfa_widgets.services.client import MfaClient
    from mfa_widgets.services.explore import (
        Explorer,
        challenge_matrix,
        default_scenarios,
        outcomes_frame,
        surface_scenarios,
    )
    from mfa_widgets.services.log import MfaLog
    from mfa_widgets.services.passkey_authenticator import SoftwareAuthenticator
    from mfa_widgets.training.lab import Lab
    from mfa_widgets.training.simulate import simulate_learner
    from mfa_widgets.widgets.charts import matrix_html, plot_matrix, plot_summary
    from mfa_widgets.widgets.dashboard import demo

__version__ = "0.1.0"

#: public name -> the module that defines it (imported on first use).
_LAZY = {
    "PoolMfaConfig": "mfa_widgets.core.challenges",
    "Prediction": "mfa_widgets.core.challenges",
    "SignInContext": "mfa_widgets.core.challenges",
    "UserMfaFacts": "mfa_widgets.core.challenges",
    "explain": "mfa_widgets.core.challenges",
    "predict_challenge": "mfa_widgets.core.challenges",
    "inspect_token": "mfa_widgets.core.tokens",
    "ChoicePool": "mfa_widgets.core.user_auth",
    "ChoiceUser": "mfa_widgets.core.user_auth",
    "predict_user_auth": "mfa_widgets.core.user_auth",
    "SoftwareAuthenticator": "mfa_widgets.services.passkey_authenticator",
    "audit_pool": "mfa_widgets.services.audit",
    "predict_sign_in": "mfa_widgets.services.audit",
    "apply_bulk_change": "mfa_widgets.services.bulk",
    "plan_bulk_change": "mfa_widgets.services.bulk",
    "apply_authenticator_reset": "mfa_widgets.services.bulk",
    "plan_authenticator_reset": "mfa_widgets.services.bulk",
    "MfaClient": "mfa_widgets.services.client",
    "Explorer": "mfa_widgets.services.explore",
    "challenge_matrix": "mfa_widgets.services.explore",
    "default_scenarios": "mfa_widgets.services.explore",
    "outcomes_frame": "mfa_widgets.services.explore",
    "surface_scenarios": "mfa_widgets.services.explore",
    "MfaLog": "mfa_widgets.services.log",
    "Lab": "mfa_widgets.training.lab",
    "simulate_learner": "mfa_widgets.training.simulate",
    "Classroom": "mfa_widgets.sandbox.classroom.app",
    "matrix_html": "mfa_widgets.widgets.charts",
    "plot_matrix": "mfa_widgets.widgets.charts",
    "plot_summary": "mfa_widgets.widgets.charts",
    "demo": "mfa_widgets.widgets.dashboard",
}

__all__ = [
    "ChoicePool",
    "ChoiceUser",
    "Classroom",
    "CognitoError",
    "Explorer",
    "Factor",
    "FactorState",
    "Lab",
    "MfaClient",
    "MfaLog",
    "MfaPreference",
    "MfaPreferenceError",
    "MfaWidgetsError",
    "PoolMfaConfig",
    "Prediction",
    "SignInContext",
    "SoftwareAuthenticator",
    "UserMfaFacts",
    "__version__",
    "apply_authenticator_reset",
    "apply_bulk_change",
    "audit_pool",
    "challenge_matrix",
    "default_scenarios",
    "demo",
    "explain",
    "inspect_token",
    "matrix_html",
    "outcomes_frame",
    "plan_authenticator_reset",
    "plan_bulk_change",
    "plot_matrix",
    "plot_summary",
    "predict_challenge",
    "predict_sign_in",
    "predict_user_auth",
    "simulate_learner",
    "surface_scenarios",
]


def __getattr__(name: str) -> Any:
    """Import service-layer names on first use (PEP 562)."""
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'mfa_widgets' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
