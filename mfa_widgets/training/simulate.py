"""A simulated learner: works through the lab's exercises the way a person would.

For a trainer trying the board before class (notebook 06), and for the classroom's load test:
each exercise is set up, checked once too early (a failed attempt, as people do), solved with
the toolkit's public API, and checked again.
"""

from __future__ import annotations

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


#: exercise number -> what a learner does to solve it (the exercise must be set up already).
SOLUTIONS: dict[int, Callable[[Lab], None]] = {1: _solve_1, 2: _solve_2, 3: _solve_3}

_WHY = {3: "B"}


def solve(lab: Lab, number: int) -> CheckResult:
    """Solve exercise ``number`` in ``lab`` (setting it up afresh) and return the check."""
    SOLUTIONS[number](lab)
    return lab.check(number, why=_WHY.get(number))


def simulate_learner(
    lab: Lab, exercises: tuple[int, ...] = (1, 2, 3), pause: float = 0.0
) -> list[CheckResult]:
    """Work through ``exercises``: set up, check too early, solve, check; the final checks.

    Parameters
    ----------
    lab
        The learner's lab (in a classroom, every step shows on the board).
    exercises
        Which exercises, in order.
    pause
        Seconds to wait between steps, so a board watching it changes visibly.
    """
    results = []
    for number in exercises:
        lab.exercise(number)
        lab.check(number, why=_WHY.get(number))  # too early: one failed attempt on the board
        time.sleep(pause)
        results.append(solve(lab, number))
        time.sleep(pause)
    return results
