"""A reader that stops early (``mfa-widgets ... | head``) ends the command quietly.

The read end of stdout is closed before the command writes anything, as ``head -1`` does once
it has its line: no "Broken pipe" error, no traceback, exit 0 or 141 (128 + SIGPIPE, what a
shell reports for ``cat`` in the same place).
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from mfa_widgets.commands.main import READER_GONE

PRINTING = [
    ["completion", "bash"],
    ["completion", "zsh"],
    ["cli", "--sms", "enabled", "--totp", "preferred"],
    ["predict", "--pool-mfa", "ON", "--pool-factors", "SMS,TOTP", "--json"],
    ["predict", "--pool-mfa", "OPTIONAL", "--pool-factors", "SMS,TOTP,EMAIL"],
    ["--help"],
    ["sandbox", "--json"],
]


@pytest.mark.parametrize("argv", PRINTING, ids=" ".join)
def test_a_reader_gone_early_is_no_error(argv: list[str]) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "mfa_widgets", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    process.stdout.close()  # before the interpreter has even imported the command
    _, err = process.communicate(timeout=120)
    assert err == ""
    assert process.returncode in {0, READER_GONE}
