"""The public names: ``mfa_widgets.__all__`` is what the package exports, errors included.

Every module of the package is imported (so this lives beside the import contract, not in
``make unit``): every error a user can catch must be importable from ``mfa_widgets`` (the same
class), and no two error classes anywhere in the package may share a name.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from types import ModuleType

import pytest

import mfa_widgets

#: Modules that start servers or browsers on import, or run as scripts.
_SKIP = ("mfa_widgets.__main__",)


def _modules() -> list[ModuleType]:
    found = [mfa_widgets]
    for info in pkgutil.walk_packages(mfa_widgets.__path__, "mfa_widgets."):
        if info.name not in _SKIP:
            found.append(importlib.import_module(info.name))
    return found


def _errors_defined_in(module: ModuleType) -> list[type[BaseException]]:
    return [
        value
        for value in vars(module).values()
        if inspect.isclass(value)
        and issubclass(value, BaseException)
        and value.__module__ == module.__name__
    ]


MODULES = _modules()
ERRORS = sorted(
    {error for module in MODULES for error in _errors_defined_in(module)},
    key=lambda e: f"{e.__module__}.{e.__qualname__}",
)


def test_all_is_exactly_what_a_star_import_gives() -> None:
    namespace: dict[str, object] = {}
    exec("from mfa_widgets import *", namespace)  # noqa: S102 - the question is what * gives
    namespace.pop("__builtins__")
    assert sorted(namespace) == sorted(mfa_widgets.__all__)
    assert sorted(dir(mfa_widgets)) == sorted(mfa_widgets.__all__)


def test_every_public_name_resolves_once() -> None:
    assert len(set(mfa_widgets.__all__)) == len(mfa_widgets.__all__)
    for name in mfa_widgets.__all__:
        assert getattr(mfa_widgets, name) is not None, name


def test_deprecated_names_warn_and_stay_out_of_all() -> None:
    assert "surface_scenarios" not in mfa_widgets.__all__
    with pytest.warns(DeprecationWarning, match="default_scenarios"):
        mfa_widgets.surface_scenarios(["ON"], passkey_mfa=False, remembered_device=False)


def test_no_two_error_classes_share_a_name() -> None:
    by_name: dict[str, list[str]] = {}
    for error in ERRORS:
        by_name.setdefault(error.__name__, []).append(error.__module__)
    assert {name: where for name, where in by_name.items() if len(where) > 1} == {}


@pytest.mark.parametrize("error", [e for e in ERRORS if issubclass(e, mfa_widgets.MfaWidgetsError)])
def test_every_error_a_user_can_catch_is_importable_from_the_package(
    error: type[BaseException],
) -> None:
    assert getattr(mfa_widgets, error.__name__, None) is error
    assert error.__name__ in mfa_widgets.__all__


def test_every_warning_the_toolkit_gives_is_importable_from_the_package() -> None:
    ours = [e for e in ERRORS if issubclass(e, Warning)]
    assert ours
    for warning in ours:
        assert getattr(mfa_widgets, warning.__name__, None) is warning


def test_each_layer_keeps_its_errors_in_one_module() -> None:
    public = [e for e in ERRORS if issubclass(e, (mfa_widgets.MfaWidgetsError, Warning))]
    homes = {e.__module__ for e in public}
    assert homes == {
        "mfa_widgets.core.errors",
        "mfa_widgets.sandbox.errors",
        "mfa_widgets.services.errors",
        "mfa_widgets.training.errors",
    }
    for home in homes:  # each draws its hierarchy from the root down
        assert "\n    MfaWidgetsError" in (importlib.import_module(home).__doc__ or ""), home
