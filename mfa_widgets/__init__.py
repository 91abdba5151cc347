"""Jupyter widgets and notebooks for Amazon Cognito user MFA preferences.

Everything a notebook needs is importable from here, from :mod:`mfa_widgets.widgets` and from
:mod:`mfa_widgets.sandbox`. The core names (:class:`Factor`, :class:`FactorState`,
:class:`MfaPreference`) and every error a user can catch are pure Python and load at once; every
other name is loaded on first use (PEP 562), so ``import mfa_widgets`` stays light and never
imports boto3, pandas, moto, Flask or ipywidgets until a name that needs them is used.

The package is layered (see ARCHITECTURE.md): :mod:`mfa_widgets.core` (pure rules),
:mod:`mfa_widgets.services` (boto3 and pandas), :mod:`mfa_widgets.sandbox` (local Cognito),
:mod:`mfa_widgets.embedded` (the seam to it), :mod:`mfa_widgets.training`,
:mod:`mfa_widgets.widgets` and :mod:`mfa_widgets.commands`.

Each public name is written once, in the import that brings it (``from m import X as X``: the
form type checkers read as a re-export). ``__all__`` is every name imported from ``mfa_widgets``
in this file, and the names under ``if TYPE_CHECKING:`` are imported on first use.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mfa_widgets.core.errors import ArgumentTypeError as ArgumentTypeError
from mfa_widgets.core.errors import ClassroomLinkError as ClassroomLinkError
from mfa_widgets.core.errors import CliSyntaxError as CliSyntaxError
from mfa_widgets.core.errors import CognitoError as CognitoError
from mfa_widgets.core.errors import ConfigurationError as ConfigurationError
from mfa_widgets.core.errors import ConfirmationRequiredError as ConfirmationRequiredError
from mfa_widgets.core.errors import InvalidArgumentError as InvalidArgumentError
from mfa_widgets.core.errors import MfaPreferenceError as MfaPreferenceError
from mfa_widgets.core.errors import MfaWidgetsError as MfaWidgetsError
from mfa_widgets.core.errors import MissingExtraError as MissingExtraError
from mfa_widgets.core.errors import PoolChangeError as PoolChangeError
from mfa_widgets.core.errors import TokenError as TokenError
from mfa_widgets.core.preferences import Factor as Factor
from mfa_widgets.core.preferences import FactorState as FactorState
from mfa_widgets.core.preferences import MfaPreference as MfaPreference
from mfa_widgets.sandbox.errors import ClassroomSetupError as ClassroomSetupError
from mfa_widgets.services.errors import AuditError as AuditError
from mfa_widgets.services.errors import LogEventError as LogEventError
from mfa_widgets.services.errors import LogFileError as LogFileError
from mfa_widgets.services.errors import LogRecoveryWarning as LogRecoveryWarning
from mfa_widgets.services.errors import LogWriteError as LogWriteError
from mfa_widgets.services.errors import PortInUseError as PortInUseError
from mfa_widgets.services.errors import SubscriberWarning as SubscriberWarning
from mfa_widgets.training.errors import ClassroomError as ClassroomError
from mfa_widgets.training.errors import LabError as LabError

if TYPE_CHECKING:  # imported on first use (PEP 562)
    from mfa_widgets import conformance as conformance
    from mfa_widgets.core.pool_change import PoolChange as PoolChange
    from mfa_widgets.core.pool_change import PoolSignIn as PoolSignIn
    from mfa_widgets.core.signin import ChoicePool as ChoicePool
    from mfa_widgets.core.signin import ChoiceUser as ChoiceUser
    from mfa_widgets.core.signin import PoolMfaConfig as PoolMfaConfig
    from mfa_widgets.core.signin import Prediction as Prediction
    from mfa_widgets.core.signin import SignInContext as SignInContext
    from mfa_widgets.core.signin import UserMfaFacts as UserMfaFacts
    from mfa_widgets.core.signin import explain as explain
    from mfa_widgets.core.signin import predict_challenge as predict_challenge
    from mfa_widgets.core.signin import predict_user_auth as predict_user_auth
    from mfa_widgets.core.tokens import inspect_token as inspect_token
    from mfa_widgets.sandbox.classroom.app import Classroom as Classroom
    from mfa_widgets.services.audit import audit_pool as audit_pool
    from mfa_widgets.services.audit import predict_sign_in as predict_sign_in
    from mfa_widgets.services.bulk import apply_authenticator_reset as apply_authenticator_reset
    from mfa_widgets.services.bulk import apply_bulk_change as apply_bulk_change
    from mfa_widgets.services.bulk import plan_authenticator_reset as plan_authenticator_reset
    from mfa_widgets.services.bulk import plan_bulk_change as plan_bulk_change
    from mfa_widgets.services.client import MfaClient as MfaClient
    from mfa_widgets.services.client import SignIn as SignIn
    from mfa_widgets.services.explore import Explorer as Explorer
    from mfa_widgets.services.explore import challenge_matrix as challenge_matrix
    from mfa_widgets.services.explore import default_scenarios as default_scenarios
    from mfa_widgets.services.explore import outcomes_frame as outcomes_frame
    from mfa_widgets.services.explore.scenarios import surface_scenarios as surface_scenarios
    from mfa_widgets.services.impact import fix_plans as fix_plans
    from mfa_widgets.services.impact import impact as impact
    from mfa_widgets.services.impact import load_audit as load_audit
    from mfa_widgets.services.log import MfaLog as MfaLog
    from mfa_widgets.services.passkey_authenticator import (
        SoftwareAuthenticator as SoftwareAuthenticator,
    )
    from mfa_widgets.services.rehearsal import rehearse as rehearse
    from mfa_widgets.training.lab import Lab as Lab
    from mfa_widgets.training.simulate import simulate_learner as simulate_learner
    from mfa_widgets.widgets.charts import matrix_html as matrix_html
    from mfa_widgets.widgets.charts import plot_matrix as plot_matrix
    from mfa_widgets.widgets.charts import plot_summary as plot_summary
    from mfa_widgets.widgets.dashboard import demo as demo

__version__ = "0.1.0"

#: Deprecated names: importable for one more release, left out of ``__all__``.
_DEPRECATED = frozenset({"surface_scenarios"})


def _exports() -> tuple[dict[str, str], dict[str, str]]:
    """The names this file imports from ``mfa_widgets`` (name -> module): at once, and lazily.

    Read from this file's own imports, so each public name is written once.
    """
    tree = ast.parse(Path(__file__).read_text(encoding="utf-8"))
    eager: dict[str, str] = {}
    lazy: dict[str, str] = {}
    for node in tree.body:
        is_lazy = isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
        statements = node.body if isinstance(node, ast.If) else [node]
        for statement in statements:
            module = statement.module if isinstance(statement, ast.ImportFrom) else None
            if (
                isinstance(statement, ast.ImportFrom)
                and module
                and module.startswith("mfa_widgets.")
            ):
                table = lazy if is_lazy else eager
                table.update({alias.name: module for alias in statement.names})
    return eager, lazy


_EAGER, _LAZY = _exports()
#: Submodules reachable as attributes (``mw.conformance.run()``), imported on first use.
_SUBMODULES = frozenset({"conformance"})
__all__ = sorted((set(_EAGER) | set(_LAZY) | _SUBMODULES | {"__version__"}) - _DEPRECATED)


def __getattr__(name: str) -> Any:
    """Import the names of the layers above the core on first use (PEP 562)."""
    if name in _SUBMODULES:
        return importlib.import_module(f"mfa_widgets.{name}")
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'mfa_widgets' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
