"""The package's public names and its import-time promises."""

from __future__ import annotations

import subprocess
import sys

import pytest

import mfa_widgets


def test_import_is_light() -> None:
    """``import mfa_widgets`` must not import moto, Flask, ipywidgets, boto3 or pandas."""
    code = (
        "import sys, mfa_widgets\n"
        "heavy = ('moto', 'flask', 'ipywidgets', 'boto3', 'pandas')\n"
        "print(','.join(m for m in heavy if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == ""


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="NoSuchThing"):
        _ = mfa_widgets.NoSuchThing  # type: ignore[attr-defined]


def test_preference_error_is_a_value_error() -> None:
    assert issubclass(mfa_widgets.MfaPreferenceError, ValueError)
