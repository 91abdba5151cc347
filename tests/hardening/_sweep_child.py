"""A sweep run in a child process, so a test can kill it mid-run (``SIGKILL``) and resume it.

Usage: ``python -m tests.hardening._sweep_child LOG.jsonl``. The sweep autosaves to ``LOG`` on
its own sandbox, paced slowly (a few sign-ins per second) so the parent can catch it half done.
"""

from __future__ import annotations

import sys

from mfa_widgets import MfaClient, MfaLog
from mfa_widgets.core.signin import PoolMfaMode
from mfa_widgets.sandbox import Sandbox
from mfa_widgets.services.explore import Explorer, Scenario, default_scenarios

#: Sign-ins per second in the child: slow enough to be killed half way.
CHILD_AUTH_RATE = 4.0


def small_scenarios() -> list[Scenario]:
    """Twelve scenarios of the default sweep (OPTIONAL pool): enough to stop half way."""
    return default_scenarios(modes=(PoolMfaMode.OPTIONAL,))[:12]


def main(log_path: str) -> None:
    with Sandbox() as sandbox, MfaLog(autosave=log_path) as log:
        client = MfaClient.for_sandbox(sandbox)
        explorer = Explorer(client, log=log, workers=2, auth_rate=CHILD_AUTH_RATE)
        explorer.run(small_scenarios())


if __name__ == "__main__":
    main(sys.argv[1])
