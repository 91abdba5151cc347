"""A simulated learner: works through the lab's exercises the way a person would.

For a trainer trying the board before class (notebook 06), and for the classroom's load test:
each exercise is set up, checked once too early (a failed attempt, as people do), solved with
the toolkit's public API, and checked again.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from mfa_widgets.core.preferences import FactorState, MfaPreference

if TYPE_CHECKING:
    from mfa_widgets.training.lab import CheckResult, Lab

__all__ = ["SOLUTIONS", "simulate_learner", "solve"]


def _solve_1(lab: Lab) -> None:
    task = lab.exercise(1)
    wanted = MfaPreference(sms=FactorState.ENABLED, email=FactorState.ENABLED)
    lab.client.admin_set_preference(task.pool_id, task.username, wanted).raise_for_error()


def _solve_2(lab: Lab) -> None:
    lab.exercise(2)
    token = lab.access_token(2)
    lab.client.associate_totp(access_token=token).raise_for_error()
    lab.client.verify_totp(lab.authenticator_code(2), access_token=token).raise_for_error()
    lab.client.set_preference(token, MfaPreference(totp=FactorState.PREFERRED)).raise_for_error()


def _solve_3(lab: Lab) -> None:
    task = lab.exercise(3)
    lab.client.call(
        "AdminUpdateUserAttributes",
        UserPoolId=task.pool_id,
        Username=task.username,
        UserAttributes=[
            {"Name": "email", "Value": f"{task.username}@example.com"},
            {"Name": "email_verified", "Value": "true"},
        ],
    ).raise_for_error()
    wanted = MfaPreference(email=FactorState.PREFERRED)
    lab.client.admin_set_preference(task.pool_id, task.username, wanted).raise_for_error()


def _solve_4(lab: Lab) -> None:
    task = lab.exercise(4)
    lab.client.admin_reset_totp(task.pool_id, task.username).raise_for_error()


#: exercise number -> what a learner does to solve it (the exercise must be set up already).
SOLUTIONS: dict[int, Callable[[Lab], None]] = {
    1: _solve_1,
    2: _solve_2,
    3: _solve_3,
    4: _solve_4,
}

_WHY = {3: "B"}


def solve(lab: Lab, number: int) -> CheckResult:
    """Solve exercise ``number`` in ``lab`` (setting it up afresh) and return the check."""
    SOLUTIONS[number](lab)
    return lab.check(number, why=_WHY.get(number))


def simulate_learner(
    lab: Lab,
    exercises: tuple[int, ...] = tuple(SOLUTIONS),
    pause: float = 0.0,
    spread: float = 0.0,
    seed: int | None = None,
) -> list[CheckResult]:
    """Work through ``exercises``: set up, check too early, solve, check; the final checks.

    Before each of the two steps of an exercise the learner thinks for ``pause`` seconds (on
    average): reading the task, then working out the answer.

    Parameters
    ----------
    lab
        The learner's lab (in a classroom, every step shows on the board).
    exercises
        Which exercises, in order (all of them by default).
    pause
        Mean seconds of thinking before each step, so a board watching it changes visibly.
    spread
        How much one think differs from the mean, as a fraction: each is drawn uniformly from
        ``pause * (1 - spread)`` to ``pause * (1 + spread)``. People never act in lockstep;
        0 (the default) waits exactly ``pause``. The mean, and so the pace, stays the same.
    seed
        Seed of those draws (one per learner keeps a run repeatable).
    """
    if not 0.0 <= spread <= 1.0:
        raise ValueError(f"spread {spread!r} is not a fraction from 0 to 1: e.g. 0.5 for ±50%")
    draw = random.Random(seed)  # noqa: S311 - think times, not secrets

    def think() -> None:
        if pause > 0:
            time.sleep(pause * draw.uniform(1.0 - spread, 1.0 + spread))

    results = []
    for number in exercises:
        think()
        lab.exercise(number)
        lab.check(number, why=_WHY.get(number))  # too early: one failed attempt on the board
        think()
        results.append(solve(lab, number))
    return results
