"""The training lab: exercises on a local sandbox, with checks that say if the learner got it.

A :class:`Lab` starts (or uses) a :class:`~mfa_widgets.sandbox.Sandbox` with two pools, one where
MFA is optional and one where it is required. :meth:`Lab.exercise` sets up a fresh user for an
exercise and returns its task; the learner changes the user with the toolkit's own API
(:class:`~mfa_widgets.services.client.MfaClient`, the widgets); :meth:`Lab.check` reads the user's
state
back from the sandbox and signs in to see the challenge Cognito actually returns, so a check
judges the outcome, not the code the learner typed.

In a class, ``Lab(classroom=link)`` (or ``MFA_WIDGETS_CLASSROOM`` in the environment) runs the
same exercises in the learner's own world on the trainer's classroom server, and reports every
set-up to the trainer's board. A check there is the classroom's own: it reads the learner's world
and signs in itself (:func:`mfa_widgets.core.lab_exercises.judge`, the judgement used here too), so
the board shows what was verified, never what a learner says.

Exercises:

1. Make a user get ``SELECT_MFA_TYPE`` at sign-in.
2. Register an authenticator app (TOTP) for a user and make it the preferred factor.
3. A user with an empty MFA settings list still gets an SMS code: say why, then make her get an
   email code instead without removing her phone number.
4. A user lost the phone with his authenticator app: reset it with the admin call
   (``AdminDeleteSoftwareToken``) so his next sign-in asks for another factor.
"""

from __future__ import annotations

import dataclasses
import html
import os
import warnings
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING

from mfa_widgets.core.lab_exercises import ExerciseFacts, judge, why_problem
from mfa_widgets.core.preferences import FactorState, MfaPreference
from mfa_widgets.core.results import SignInAttempt
from mfa_widgets.services.client import MfaClient
from mfa_widgets.services.log import MfaLog
from mfa_widgets.training.errors import LabError

if TYPE_CHECKING:
    from mfa_widgets.embedded import Sandbox, SandboxPool, SandboxUser
    from mfa_widgets.training.classroom import ClassroomWorld

__all__ = ["EXERCISES", "CheckResult", "Exercise", "Lab", "LabError"]


@dataclass(frozen=True, repr=False)
class Exercise:
    """One exercise: the task in plain words and the user it is about.

    Attributes
    ----------
    number
        1 to 4.
    title, goal
        What to achieve.
    username, pool_id, client_id
        The exercise's user, its pool and the pool's app client (for ``MfaClient`` calls).
    hints
        Where to look if stuck.
    choices
        For a "why" question: ``(letter, answer)`` pairs; pass the letter as ``why=`` to
        :meth:`Lab.check`.
    """

    number: int
    title: str
    goal: str
    username: str
    pool_id: str
    client_id: str
    hints: tuple[str, ...] = ()
    choices: tuple[tuple[str, str], ...] = ()

    def __repr__(self) -> str:
        return f"Exercise({self.number}, {self.title!r}, user {self.username!r})"

    def __str__(self) -> str:
        lines = [f"Exercise {self.number}: {self.title}", self.goal, f"User: {self.username}"]
        lines += [f"  {letter}) {text}" for letter, text in self.choices]
        lines += [f"Hint: {hint}" for hint in self.hints]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        choices = "".join(
            f"<li><b>{html.escape(letter)}</b>) {html.escape(text)}</li>"
            for letter, text in self.choices
        )
        hints = "".join(f"<li>{html.escape(hint)}</li>" for hint in self.hints)
        return (
            f'<div class="mfa-exercise"><b>Exercise {self.number}: {html.escape(self.title)}</b>'
            f"<p>{html.escape(self.goal)}</p>"
            f"<p>User <code>{html.escape(self.username)}</code> in pool "
            f"<code>{html.escape(self.pool_id)}</code></p>"
            + (f'<ol type="A">{choices}</ol>' if choices else "")
            + (f"<details><summary>Hints</summary><ul>{hints}</ul></details>" if hints else "")
            + "</div>"
        )


@dataclass(frozen=True, repr=False)
class CheckResult:
    """Whether an exercise is solved, in plain words.

    Attributes
    ----------
    passed
        True when the user's state and the observed sign-in challenge meet the goal.
    message
        What was found and, when not passed, what to try next.
    observed
        The challenge Cognito returned at the check's sign-in (``"NONE"`` for tokens), if it got
        that far.
    """

    passed: bool
    message: str
    observed: str | None = None

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        return f"{'PASSED' if self.passed else 'NOT YET'}: {self.message}"

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        # The theme's text colour, its meaning in a coloured border (coloured text falls below
        # WCAG AA in JupyterLab Dark): the same rule as the widgets' theme module.
        accent, mark = (
            ("var(--jp-success-color1, #388e3c)", "✔ PASSED")
            if self.passed
            else ("var(--jp-error-color1, #d32f2f)", "✘ NOT YET")
        )
        return (
            f'<div class="mfa-check" style="color:var(--jp-content-font-color1, inherit);'
            f'border-left:3px solid {accent};padding-left:6px"><b>{mark}</b> '
            f"{html.escape(self.message)}</div>"
        )


@dataclass(frozen=True)
class _Spec:
    title: str
    goal: str
    username: str
    required_pool: bool
    phone: bool
    email: bool
    hints: tuple[str, ...]
    choices: tuple[tuple[str, str], ...] = ()
    answer: str | None = None
    totp_preferred: bool = False  # set up with a registered authenticator app, preferred


#: The exercises by number.
EXERCISES: dict[int, _Spec] = {
    1: _Spec(
        title="Make this user get SELECT_MFA_TYPE",
        goal=(
            "maria signs in without any MFA today. Change her MFA preference so that at sign-in "
            "Cognito asks her to choose a factor (SELECT_MFA_TYPE)."
        ),
        username="maria",
        required_pool=False,
        phone=True,
        email=True,
        hints=(
            "maria has a phone number and an email address; the pool offers SMS, TOTP and email.",
            "mw.MfaPreference(...) and client.admin_set_preference(pool_id, username, preference)",
            "Which factors are enabled matters, and so does whether one is preferred.",
        ),
    ),
    2: _Spec(
        title="Enroll TOTP and make it preferred",
        goal=(
            "Register an authenticator app for tom, then make the authenticator app (TOTP) his "
            "preferred factor, so that sign-in asks for the app's code (SOFTWARE_TOKEN_MFA)."
        ),
        username="tom",
        required_pool=False,
        phone=True,
        email=True,
        hints=(
            "Registering needs tom's access token: lab.access_token(2).",
            "client.associate_totp(access_token=...), then client.verify_totp(code, "
            "access_token=...); lab.authenticator_code(2) plays the phone app.",
            "Then client.set_preference(token, mw.MfaPreference(totp='preferred')).",
        ),
    ),
    3: _Spec(
        title="Why does this user still get SMS?",
        goal=(
            "dana has never set an MFA preference (her UserMFASettingList is empty), yet every "
            "sign-in asks her for an SMS code. Say why (pass the letter as why=...), then make "
            "her get an email code (EMAIL_OTP) instead, keeping her phone number."
        ),
        username="dana",
        required_pool=True,
        phone=True,
        email=False,
        hints=(
            "lab.sign_in(3).challenge shows what she gets now; predict_sign_in + explain say why.",
            "Email MFA needs an email address: client.call('AdminUpdateUserAttributes', ...).",
            "Then prefer email with client.admin_set_preference(...).",
        ),
        choices=(
            ("A", "SMS is her preferred factor, left over from an earlier setting."),
            (
                "B",
                "The pool requires MFA and a phone number is the only way Cognito can reach "
                "her, so it sends an SMS code even though she enabled no factor.",
            ),
            ("C", "Cognito always sends SMS to users who have a phone number."),
        ),
        answer="B",
    ),
    4: _Spec(
        title="Reset a lost authenticator",
        goal=(
            "lee lost the phone with his authenticator app, and the pool requires MFA: every "
            "sign-in asks for the app's code (SOFTWARE_TOKEN_MFA). Reset his authenticator with "
            "the admin call (AdminDeleteSoftwareToken), without deleting lee, so that his next "
            "sign-in asks for another factor (he has an email address)."
        ),
        username="lee",
        required_pool=True,
        phone=False,
        email=True,
        totp_preferred=True,
        hints=(
            "client.admin_get_auth_factors(pool_id, 'lee') lists his factors: SOFTWARE_TOKEN is "
            "the registered app.",
            "Only disabling TOTP is not enough: in a pool that requires MFA, a registered "
            "authenticator is still offered at sign-in.",
            "client.admin_reset_totp(pool_id, username) removes the registration.",
        ),
    ),
}

_EMPTIED = (
    "Your classroom world was emptied (your trainer reset it, or the classroom restarted): "
    "its pools and users are gone, and the lab has made new pools."
)


class Lab:
    """A training session on a local sandbox: set up exercises, then check the learner's work.

    Parameters
    ----------
    sandbox
        A sandbox to use; by default one is started (and stopped by :meth:`close`).
    log
        The log every call goes to (the learner's and the checks'); default a new one.
    classroom
        A classroom join link (``http://host:port/#join=KEY``): work in your own world on the
        trainer's classroom instead of a private sandbox. Or the class link with the code your
        trainer wrote on the board (``http://host:port/#class=CODE``) together with ``name``.
        Default: ``MFA_WIDGETS_CLASSROOM`` from the environment when no ``sandbox`` is given,
        else a private sandbox.
    name
        Your name, to join with a class code: you get a world and a join key of your own (a
        name already taken gets a number on the board, ``ana (2)``).

    Attributes
    ----------
    client
        The :class:`~mfa_widgets.services.client.MfaClient` for the sandbox; learners use it too.
    log
        Every call of the session.
    sandbox
        The running sandbox (a :class:`~mfa_widgets.training.classroom.ClassroomWorld` in a
        class).

    Examples
    --------
    >>> lab = Lab()                                  # doctest: +SKIP
    >>> task = lab.exercise(1)                       # doctest: +SKIP
    >>> lab.check(1).passed                          # doctest: +SKIP
    False
    """

    def __init__(
        self,
        sandbox: Sandbox | None = None,
        log: MfaLog | None = None,
        *,
        classroom: str | None = None,
        name: str | None = None,
    ) -> None:
        from mfa_widgets.embedded import Sandbox
        from mfa_widgets.training.classroom import LINK_VARIABLE, ClassroomWorld

        link = classroom
        if link is None and sandbox is None:
            link = os.environ.get(LINK_VARIABLE) or None
        self.sandbox: Sandbox | ClassroomWorld
        if link is not None:
            self._owns_sandbox = False
            self.sandbox = ClassroomWorld(link, name)
        elif name is not None:
            raise LabError(
                "name= is for joining a class: pass it with classroom=CLASS_LINK (the code "
                "your trainer wrote on the board)"
            )
        else:
            self._owns_sandbox = sandbox is None or not sandbox.running
            self.sandbox = (sandbox or Sandbox()).start()
        self.log = log if log is not None else MfaLog()
        self.client = MfaClient.for_sandbox(self.sandbox, log=self.log)
        self._pools = self._create_pools()
        self._users: dict[int, SandboxUser] = {}  # passwords stay in kernel memory

    def __repr__(self) -> str:
        where = f", classroom learner {self.classroom.learner!r}" if self.classroom else ""
        return f"Lab(exercises set up: {sorted(self._users)}{where})"

    @property
    def classroom(self) -> ClassroomWorld | None:
        """The classroom world this lab runs in, or ``None`` on a private sandbox."""
        from mfa_widgets.training.classroom import ClassroomWorld

        return self.sandbox if isinstance(self.sandbox, ClassroomWorld) else None

    def _create_pools(self) -> dict[bool, SandboxPool]:
        return {
            False: self.sandbox.create_pool("training-optional", mfa="OPTIONAL"),
            True: self.sandbox.create_pool("training-required", mfa="ON"),
        }

    def __enter__(self) -> Lab:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop the sandbox if the lab started it."""
        if self._owns_sandbox:
            self.sandbox.stop()

    # -- setting up ------------------------------------------------------------------------------

    def exercise(self, number: int) -> Exercise:
        """Set up exercise ``number`` with a fresh user (running it again starts over)."""
        spec = _spec(number)
        if self._world_was_emptied():
            warnings.warn(_EMPTIED, stacklevel=2)
        pool = self._pools[spec.required_pool]
        if number in self._users:  # start over with a fresh user
            self.client.call("AdminDeleteUser", UserPoolId=pool.pool_id, Username=spec.username)
        self._users[number] = self.sandbox.create_user(
            pool,
            spec.username,
            phone="+15555550100" if spec.phone else None,
            email=f"{spec.username}@example.com" if spec.email else None,
        )
        if spec.totp_preferred:
            self._register_totp(number)
        trainer_hints = self.classroom.report(number) if self.classroom else []
        return self._describe(number, trainer_hints)

    def _describe(self, number: int, trainer_hints: list[str] | None = None) -> Exercise:
        spec, pool = _spec(number), self._pool_of(number)
        hints = spec.hints + tuple(f"From your trainer: {hint}" for hint in trainer_hints or ())
        return Exercise(
            number,
            spec.title,
            spec.goal,
            spec.username,
            pool.pool_id,
            pool.client_id,
            hints,
            spec.choices,
        )

    def _register_totp(self, number: int) -> None:
        """Register an authenticator for the exercise's user and prefer it (not logged)."""
        user, pool = self._user(number), self._pool_of(number)
        setup = MfaClient.for_sandbox(self.sandbox)  # set-up calls stay out of the learner's log
        token = self.access_token(number)
        setup.associate_totp(access_token=token).raise_for_error()
        code = self.sandbox.totp_code(pool, user.username)
        setup.verify_totp(code, access_token=token).raise_for_error()
        setup.set_preference(token, MfaPreference(totp=FactorState.PREFERRED)).raise_for_error()

    # -- tools for the learner -------------------------------------------------------------------

    def sign_in(self, number: int) -> SignInAttempt:
        """Sign the exercise's user in with their password and return what Cognito answered.

        The attempt is logged; any challenge is left unanswered.
        """
        user, pool = self._user(number), self._pool_of(number)
        return self.client.sign_in(pool.client_id, user.username, user.password)

    def access_token(self, number: int) -> str:
        """Sign the exercise's user in to the end and return their access token.

        Any MFA challenge is answered from the sandbox (outbox codes, the registered
        authenticator). Keep the token in a variable; never print it.
        """
        user, pool = self._user(number), self._pool_of(number)
        return str(self.sandbox.sign_in(pool, user.username, user.password)["AccessToken"])

    def authenticator_code(self, number: int) -> str:
        """The code the user's authenticator app would show now (after ``associate_totp``)."""
        user, pool = self._user(number), self._pool_of(number)
        return self.sandbox.totp_code(pool, user.username)

    # -- checking --------------------------------------------------------------------------------

    def check(self, number: int, *, why: str | None = None) -> CheckResult:
        """Check exercise ``number``: read the user's state, sign in, compare with the goal.

        Parameters
        ----------
        number
            The exercise.
        why
            The letter of the answer to the exercise's "why" question, if it has one.
        """
        from mfa_widgets.training.classroom import ClassroomError

        _spec(number)
        if self.classroom is None:
            return self._judge(number, why)
        try:
            return self._check_in_class(self.classroom, number, why)
        except ClassroomError as error:  # the classroom is down: one plain line, no traceback
            return CheckResult(False, f"Not checked: {error}")

    def _check_in_class(self, world: ClassroomWorld, number: int, why: str | None) -> CheckResult:
        """Check in a class: the classroom judges and records it; an emptied world is no attempt.

        After a reset or a classroom restart the exercise's user is gone, so the check cannot
        judge anything: it is not reported (the board keeps an earlier pass as a pass, and the
        attempts count only real checks), and the learner is told to set the exercise up again.
        """
        if self._world_was_emptied():
            hints = world.hints(number)
            result = CheckResult(False, f"{_EMPTIED} Run lab.exercise({number}) again.")
        else:  # the classroom judges the learner's world itself: the board shows its verdict
            verdict = world.check(number, why)
            hints = [str(hint["text"]) for hint in verdict.get("hints", [])]
            result = CheckResult(
                bool(verdict.get("passed")),
                str(verdict.get("message", "")),
                verdict.get("observed"),
            )
        if hints and not result.passed:
            tips = " ".join(f"Hint from your trainer: {hint}" for hint in hints)
            result = CheckResult(False, f"{result.message} {tips}", result.observed)
        return result

    def _judge(self, number: int, why: str | None) -> CheckResult:
        """Read the facts of a private sandbox and judge them (:func:`lab_exercises.judge`)."""
        spec = _spec(number)
        wrong = why_problem(number, why, [letter for letter, _ in spec.choices])
        if wrong:
            return CheckResult(False, wrong)
        user, pool = self._user(number), self._pool_of(number)
        read = self.client.admin_get_preference(pool.pool_id, user.username)
        if read.error is not None or read.state is None:
            return CheckResult(False, f"Could not read {user.username}: {read.error}.")
        if spec.totp_preferred:  # whether the authenticator is registered: the auth factors say
            factors = self.client.admin_get_auth_factors(pool.pool_id, user.username)
            if factors.error is not None:
                return CheckResult(False, f"Could not read {user.username}: {factors.error}.")
            read = dataclasses.replace(read, data={**read.data, **factors.data})
        attempt = self.sign_in(number)
        facts = ExerciseFacts(
            preferred=read.state.preferred if read.state is not None else None,
            totp_registered=bool(read.data.get("totp_registered")),
            has_phone=bool(read.data.get("has_phone")),
            has_email=bool(read.data.get("has_email")),
            observed="ERROR" if attempt.error is not None else attempt.challenge or "NONE",
            options=tuple(attempt.options or ()),
            error=attempt.error.code if attempt.error is not None else "",
        )
        verdict = judge(number, user.username, facts)
        return CheckResult(verdict.passed, verdict.message, verdict.observed)

    # -- internals -------------------------------------------------------------------------------

    def _world_was_emptied(self) -> bool:
        """In a class: True (once) when the world was emptied; the pools are then made again."""
        world = self.classroom
        if world is None:
            return False
        current = str(world.hello()["world"])
        if current == world.world_id:
            return False
        world.world_id = current
        self._pools = self._create_pools()
        self._users.clear()
        return True

    def _user(self, number: int) -> SandboxUser:
        _spec(number)
        if number not in self._users:
            raise LabError(f"exercise {number} is not set up yet: run lab.exercise({number}) first")
        return self._users[number]

    def _pool_of(self, number: int) -> SandboxPool:
        return self._pools[_spec(number).required_pool]


def _spec(number: int) -> _Spec:
    if number not in EXERCISES:
        raise LabError(f"there is no exercise {number}: choose one of {sorted(EXERCISES)}")
    return EXERCISES[number]
