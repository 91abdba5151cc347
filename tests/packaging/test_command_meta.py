"""``mfa-widgets --version`` and the bash/zsh completion scripts, run as a user would."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib

import mfa_widgets
from mfa_widgets.commands import completion
from mfa_widgets.commands.main import SUBCOMMANDS, build_parser, main

ROOT = Path(__file__).resolve().parents[2]


def test_version_has_one_source() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" not in project["project"]
    assert project["project"]["dynamic"] == ["version"]
    assert project["tool"]["hatch"]["version"]["path"] == "mfa_widgets/__init__.py"


def test_version_flag_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == f"mfa-widgets {mfa_widgets.__version__}"


def test_version_flag_needs_no_subcommand_in_a_real_process() -> None:
    out = subprocess.run(
        [sys.executable, "-c", "from mfa_widgets.commands import main; main(['--version'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.split() == ["mfa-widgets", mfa_widgets.__version__]


def _options(parser: argparse.ArgumentParser) -> dict[str, set[str]]:
    """Every subcommand of the real parser -> its option strings (read from argparse)."""
    (subparsers,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return {
        name: {o for action in sub._actions for o in action.option_strings}
        for name, sub in subparsers.choices.items()
    }


def _complete_bash(script: Path, words: list[str]) -> set[str]:
    """What bash offers for ``words`` (the last one being typed), using the real script."""
    line = " ".join(words)
    driver = (
        f"source {script}\n"
        f"COMP_WORDS=({line})\nCOMP_CWORD={len(words) - 1}\nCOMP_LINE='{line}'\n"
        f"COMP_POINT=${{#COMP_LINE}}\n_shtab_mfa_widgets mfa-widgets '{words[-1]}'\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    out = subprocess.run(["bash", "-c", driver], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completion_offers_every_subcommand_and_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["completion", "bash"]) == 0
    script = tmp_path / "mfa-widgets.bash"
    script.write_text(capsys.readouterr().out)
    assert _complete_bash(script, ["mfa-widgets", ""]) >= set(SUBCOMMANDS)
    for name, options in _options(build_parser([], complete=True)).items():
        long_options = {o for o in options if o.startswith("--")}
        assert _complete_bash(script, ["mfa-widgets", name, "--"]) >= long_options, name


def test_zsh_completion_names_every_subcommand_and_option() -> None:
    script = completion.script("zsh")
    assert script.startswith("#compdef mfa-widgets")
    for name, options in _options(build_parser([], complete=True)).items():
        assert name in script
        for option in options:
            assert option in script, (name, option)
    if shutil.which("zsh"):  # pragma: no cover - zsh is optional on CI
        subprocess.run(["zsh", "-n"], input=script, text=True, check=True)


def test_unknown_shell_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["completion", "fish"])
    err = capsys.readouterr().err
    assert "invalid choice: (the value given) (choose from 'bash', 'zsh')" in err
