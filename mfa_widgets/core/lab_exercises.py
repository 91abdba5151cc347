"""The lab's exercises as facts and a verdict, known below the training layer.

The classroom (in the sandbox layer) keeps progress only for exercises the lab has, and judges a
learner's check itself: it reads the facts from the learner's world (the user's MFA state and
attributes, the challenge a real sign-in returns) and :func:`judge` says whether the exercise is
solved. The training lab (:class:`mfa_widgets.training.Lab`) judges a private sandbox with the
same function, so there is one judgement. ``mfa_widgets.training.lab.EXERCISES`` is the lab
itself; a test keeps the two equal.
"""

from __future__ import annotations

from dataclasses import dataclass

from mfa_widgets.core.preferences import Factor

__all__ = [
    "EXERCISE_NUMBERS",
    "EXERCISE_USERS",
    "NEXT_STEP",
    "REQUIRES_MFA",
    "WHY_ANSWERS",
    "ExerciseFacts",
    "Verdict",
    "judge",
    "problem",
    "why_problem",
]

#: The exercises of :class:`mfa_widgets.training.Lab`.
EXERCISE_NUMBERS: frozenset[int] = frozenset({1, 2, 3, 4})
#: The user each exercise is about.
EXERCISE_USERS: dict[int, str] = {1: "maria", 2: "tom", 3: "dana", 4: "lee"}
#: Whether the exercise's pool requires MFA.
REQUIRES_MFA: dict[int, bool] = {1: False, 2: False, 3: True, 4: True}
#: The letter answering an exercise's "why" question.
WHY_ANSWERS: dict[int, str] = {3: "B"}

#: What to try next when an exercise is not solved.
NEXT_STEP: dict[int, str] = {
    1: "Enable at least two factors maria can receive, and prefer none of them.",
    2: "Register the app (associate, then verify a code), then set TOTP as preferred.",
    3: "Give dana a verified email address, then make email her preferred factor.",
    4: "Reset lee's authenticator with client.admin_reset_totp(pool_id, 'lee').",
}


@dataclass(frozen=True)
class ExerciseFacts:
    """What a check read about the exercise's user, and what a real sign-in returned.

    Attributes
    ----------
    observed
        The challenge a password sign-in returned (``"NONE"`` for tokens, ``"ERROR"`` when it
        failed, with ``error`` naming the error code).
    """

    preferred: Factor | None
    totp_registered: bool
    has_phone: bool
    has_email: bool
    observed: str
    options: tuple[str, ...] = ()
    error: str = ""


@dataclass(frozen=True)
class Verdict:
    """Whether an exercise is solved, in plain words (``observed``: the sign-in's challenge)."""

    passed: bool
    message: str
    observed: str | None = None


def why_problem(number: int, why: str | None, choices: list[str]) -> str:
    """'' when the "why" question of ``number`` (if any) is answered right, else what to do."""
    answer = WHY_ANSWERS.get(number)
    if answer is None:
        return ""
    if why is None:
        return f"Answer the question first: check(..., why=one of {choices})."
    if str(why).strip().upper() != answer:
        return (
            f"{str(why)[:20]!r} is not it. Compare what the pool requires with what she can "
            "receive."
        )
    return ""


def judge(number: int, username: str, facts: ExerciseFacts) -> Verdict:
    """The verdict on exercise ``number`` from ``facts`` (the "why" answer is judged apart)."""
    if facts.observed == "ERROR":
        return Verdict(False, f"Sign-in failed: {facts.error}. {NEXT_STEP[number]}", "ERROR")
    found = problem(number, facts)
    if found:
        return Verdict(False, f"{found[0].upper()}{found[1:]}. {NEXT_STEP[number]}", facts.observed)
    options = f" (options {', '.join(facts.options)})" if facts.options else ""
    return Verdict(
        True, f"{username} now gets {facts.observed}{options} at sign-in.", facts.observed
    )


def problem(number: int, facts: ExerciseFacts) -> str:
    """What keeps exercise ``number`` from being solved, or '' when it is solved."""
    observed = facts.observed
    if number == 1:
        return _expect(observed, "SELECT_MFA_TYPE")
    if number == 2:
        return _expect_preferred(facts.preferred, Factor.TOTP) or _expect(
            observed, "SOFTWARE_TOKEN_MFA"
        )
    if number == 4:
        if facts.totp_registered:
            return "his authenticator app is still registered (SOFTWARE_TOKEN in his auth factors)"
        if not facts.has_email:
            return "his email address is gone: it is the factor he has left"
        return _expect(observed, "EMAIL_OTP")
    if not facts.has_phone:
        return "her phone number is gone: the goal was to keep it"
    return _expect(observed, "EMAIL_OTP")


def _expect(observed: str, wanted: str) -> str:
    """'' when ``observed`` is ``wanted``, else what happened in plain words."""
    return "" if observed == wanted else f"sign-in gives {observed}, not {wanted}"


def _expect_preferred(preferred: Factor | None, wanted: Factor) -> str:
    if preferred is wanted:
        return ""
    if preferred is None:
        return f"no factor is preferred yet ({wanted.label} should be)"
    return f"{preferred.label} is preferred, not {wanted.label}"
