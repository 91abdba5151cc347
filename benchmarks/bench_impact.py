"""The impact of a pool change from a saved 100,000-user audit (target: under 2 s).

A saved audit (the checkpoint file ``audit_pool(..., checkpoint=...)`` writes) of 100,000 users
in a realistic mix (attributes, factor states, registered authenticators and passkeys, a few
failed reads) is written once, not timed. Timed: ``mfa_widgets.impact(path, change)`` with
"MFA ON, withdraw SMS" and everything a person then reads: the per-user frame, the transition
table, the verdict counts, the users who need attention first and the dry-run fix plans. Wall
time, three runs (the median, with the spread). The baseline, measured in the same run, is
reading the file alone with ``json.loads`` per line: the floor any reader of the file pays.

``python -m benchmarks --quick`` uses 20,000 users.
"""

from __future__ import annotations

import json
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks._timing import quick, spread_row
from mfa_widgets.core.posture import AuditedUser
from mfa_widgets.core.preferences import MfaPreference
from mfa_widgets.core.signin import PoolMfaConfig

USERS = 20_000 if quick() else 100_000
RUNS = 3
TARGET_SECONDS = 2.0
CHANGE = {"mfa": "ON", "withdraw": "SMS"}
_STATES = ("disabled", "enabled", "preferred")


def _user(number: int, draw: random.Random) -> AuditedUser:
    if number % 997 == 0:
        return AuditedUser(f"user-{number:06d}", read_error="UserNotFoundException: gone")
    states = [draw.choice(_STATES[:2]) for _ in range(3)]
    preferred = draw.randrange(4)
    if preferred < 3:
        states[preferred] = "preferred"
    phone, email = draw.random() < 0.7, draw.random() < 0.8
    totp = states[1] != "disabled" or draw.random() < 0.1
    states = [s if ok else "disabled" for s, ok in zip(states, (phone, totp, email), strict=True)]
    factors = ["PASSWORD", *(["SOFTWARE_TOKEN"] if totp else [])]
    factors += ["WEB_AUTHN"] if draw.random() < 0.05 else []
    return AuditedUser(
        f"user-{number:06d}",
        status="CONFIRMED",
        enabled=True,
        has_phone=phone,
        phone_verified=phone,
        has_email=email,
        email_verified=email,
        preference=MfaPreference(*states),
        auth_factors=tuple(factors),
    )


def write_saved_audit(path: Path, users: int, seed: int = 7) -> None:
    """A checkpoint file as a finished ``audit_pool`` leaves it (header, users, pages, done)."""
    from mfa_widgets.services.audit import AuditCheckpoint

    draw = random.Random(seed)
    saved = AuditCheckpoint(path)
    saved.start("us-east-1_Bench", PoolMfaConfig("OPTIONAL", "SMS,TOTP,EMAIL"))
    for number in range(users):
        saved.add_user(_user(number, draw))
        if number % 60 == 59:
            saved.commit_page(f"page-{number}")
    saved.commit_page(None)
    saved.finish()
    saved.close()


def _impact_seconds(path: Path) -> float:
    import mfa_widgets as mw

    started = time.perf_counter()
    found = mw.impact(path, CHANGE)
    assert len(found.frame) > 0
    found.transitions()
    found.verdicts()
    found.attention()
    mw.fix_plans(found)
    return time.perf_counter() - started


def _read_seconds(path: Path) -> float:
    started = time.perf_counter()
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            json.loads(line)
    return time.perf_counter() - started


def run() -> list[dict[str, Any]]:
    """Impact from a saved audit (see the module docstring)."""
    import pandas  # noqa: F401 - imported once before timing, as in a notebook

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "audit.jsonl"
        write_saved_audit(path, USERS)
        _impact_seconds(path)  # warm: imports, caches of the enum parsers
        samples = [_impact_seconds(path) for _ in range(RUNS)]
        floor = min(_read_seconds(path) for _ in range(RUNS))
    return [
        spread_row(
            f"impact of 'MFA ON, withdraw SMS' from a saved {USERS:,}-user audit (frame, "
            "transitions, attention, fix plans)",
            samples,
            "s",
            f"<= {TARGET_SECONDS}",
            f"json.loads of every line of the file alone: {floor:.2f} s",
        )
    ]


if __name__ == "__main__":
    for found in run():
        print(found)
