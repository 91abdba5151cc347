"""A feature whose pip extra is missing says so in one line, naming the extra.

Each case runs in a fresh interpreter where the extra's module cannot be imported
(``sys.modules[name] = None`` makes ``import name`` fail as if it were not installed). The real
thing, fresh venvs with each extra alone, is tests/packaging/test_wheel.py (slow).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import tomllib

from mfa_widgets.core.extras import EXTRAS, MissingExtraError, require_extra

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


MAIN = "from mfa_widgets.commands import main; raise SystemExit(main([{!r}]))"


def _run(blocked: str, code: str) -> subprocess.CompletedProcess[str]:
    prelude = f"import sys; sys.modules[{blocked!r}] = None\n"
    return subprocess.run(
        [sys.executable, "-c", prelude + code], capture_output=True, text=True, timeout=120
    )


def test_every_feature_extra_is_declared_in_the_metadata() -> None:
    declared = PROJECT["optional-dependencies"]
    assert set(EXTRAS) <= set(declared)
    assert "moto[server" not in str(declared["sandbox"])
    for extra in EXTRAS:
        assert f"[{extra}]" not in " ".join(PROJECT["dependencies"])


@pytest.mark.parametrize("extra", sorted(EXTRAS))
def test_a_missing_module_names_its_extra(extra: str) -> None:
    for module in EXTRAS[extra]:
        result = _run(
            module,
            "from mfa_widgets.core.extras import require_extra\n"
            f"require_extra({extra!r}, 'this feature')",
        )
        last = result.stderr.strip().splitlines()[-1]
        assert last == (
            f"mfa_widgets.core.errors.MissingExtraError: this feature needs the '{extra}' extra "
            f"({module} is not installed): pip install 'mfa-widgets[{extra}]'"
        )


def test_installed_extras_pass() -> None:
    for extra in EXTRAS:
        require_extra(extra, "x")  # the dev venv has every extra
    assert issubclass(MissingExtraError, ImportError)


def test_sandbox_command_without_moto_is_one_line(tmp_path: Path) -> None:
    result = _run("moto", MAIN.format("sandbox"))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "mfa-widgets sandbox: error: the local Cognito sandbox needs the 'sandbox' extra "
        "(moto is not installed): pip install 'mfa-widgets[sandbox]'"
    ]


def test_explore_command_without_flask_is_one_line() -> None:
    result = _run("flask", MAIN.format("explore"))
    assert result.returncode == 2
    assert result.stderr.strip().endswith("pip install 'mfa-widgets[sandbox]'")
    assert len(result.stderr.strip().splitlines()) == 1


def test_demo_without_moto_names_the_extra() -> None:
    result = _run("moto", "import mfa_widgets as mw\nmw.demo()")
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .endswith(
            "needs the 'sandbox' extra (moto is not installed): pip install 'mfa-widgets[sandbox]'"
        )
    )
    assert "ModuleNotFoundError" not in result.stderr


def test_plot_and_parquet_without_their_packages_name_the_extra(tmp_path: Path) -> None:
    plot = _run("matplotlib", "import mfa_widgets as mw\nmw.plot_matrix(None)")
    assert plot.stderr.strip().endswith("pip install 'mfa-widgets[plot]'")
    parquet = _run(
        "pyarrow", f"import mfa_widgets as mw\nmw.MfaLog().to_parquet({str(tmp_path / 'x')!r})"
    )
    assert parquet.stderr.strip().endswith("pip install 'mfa-widgets[parquet]'")
    assert not (tmp_path / "x").exists()
