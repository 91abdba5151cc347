"""The sign-in rules' old paths (``core.challenges``, ``core.user_auth``) warn for a release."""

from __future__ import annotations

import importlib

import pytest

import mfa_widgets.core.signin as signin


@pytest.mark.parametrize(
    ("old", "name"),
    [
        ("challenges", "predict_challenge"),
        ("challenges", "PoolMfaConfig"),
        ("user_auth", "predict_user_auth"),
        ("user_auth", "ChoicePool"),
    ],
)
def test_an_old_path_gives_the_same_object_and_names_the_new_home(old: str, name: str) -> None:
    module = importlib.import_module(f"mfa_widgets.core.{old}")
    with pytest.warns(DeprecationWarning, match="mfa_widgets.core.signin"):
        value = getattr(module, name)
    assert value is getattr(signin, name)


def test_a_name_that_never_was_there_is_an_attribute_error() -> None:
    module = importlib.import_module("mfa_widgets.core.challenges")
    with pytest.raises(AttributeError):
        module.no_such_rule  # noqa: B018 - the access is the test
