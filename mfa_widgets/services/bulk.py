"""Change the MFA preference of many users with care: plan, preview, confirm, apply, report.

:func:`plan_bulk_change` turns an audit (:class:`~mfa_widgets.services.audit.PoolAudit`), a
selection of
usernames and a target preference into a :class:`BulkPlan`: for each user, the exact
``AdminSetUserMFAPreference`` request (only the factors that change), the equivalent AWS CLI
command, the challenge predicted before and after, and warnings where Cognito is expected to
refuse or ignore the change. Nothing is sent while planning.

:func:`apply_bulk_change` is a dry run unless called with ``confirm=True``. Then it sends the
planned calls on a few threads, paced by the non-adjustable 25 requests/s UserResourceUpdate quota
that ``AdminSetUserMFAPreference`` shares, logs every call to an
:class:`~mfa_widgets.services.log.MfaLog`, and reports per user whether the call worked and which
state
Cognito reports afterwards.

Authenticator resets work the same way: :func:`plan_authenticator_reset` turns an audit and a
selection into a :class:`ResetPlan` (one ``AdminDeleteSoftwareToken`` per user with a registered
authenticator, its AWS CLI command, the challenge predicted before and after, and a warning for
users the reset would leave with no way back in), and :func:`apply_authenticator_reset` is a dry
run unless ``confirm=True``, paced at the same UserResourceUpdate quota, with the factors read
back per user.
"""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Literal, Protocol, TypeVar

from mfa_widgets.core.aws_cli import render_cli, render_delete_software_token
from mfa_widgets.core.errors import ArgumentTypeError
from mfa_widgets.core.posture import AuditedUser, after_authenticator_reset, stranded_by_reset
from mfa_widgets.core.preferences import Factor, FactorState, MfaPreference
from mfa_widgets.core.signin import PoolMfaConfig, PoolMfaMode, predict_challenge
from mfa_widgets.core.signin.labels import prediction_label
from mfa_widgets.core.validation import need_confirm, need_instance, need_job_options, shown
from mfa_widgets.services.audit import AuditError, PoolAudit
from mfa_widgets.services.client import MfaClient
from mfa_widgets.services.log import MfaLog
from mfa_widgets.services.pacing import (
    QUOTAS,
    RateLimiter,
    as_limiter,
    run_bounded,
    workers_for,
)
from mfa_widgets.services.progress import progress_for

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "BulkPlan",
    "BulkReport",
    "PlannedChange",
    "PlannedReset",
    "ResetPlan",
    "UserOutcome",
    "apply_authenticator_reset",
    "apply_bulk_change",
    "plan_authenticator_reset",
    "plan_bulk_change",
]

OPERATION = "AdminSetUserMFAPreference"
RESET_OPERATION = "AdminDeleteSoftwareToken"


class _Planned(Protocol):
    """One user's planned call (a :class:`PlannedChange` or a :class:`PlannedReset`)."""

    @property
    def username(self) -> str: ...

    @property
    def sends(self) -> bool: ...

    @property
    def sent(self) -> str: ...

    @property
    def request(self) -> dict[str, Any]: ...

    @property
    def cli(self) -> str: ...


_P = TypeVar("_P", bound=_Planned)


class _Reviewable(Generic[_P]):
    """What :class:`BulkPlan` and :class:`ResetPlan` share: the calls to send, for review."""

    operation: ClassVar[str]

    def _planned(self) -> tuple[_P, ...]:
        raise NotImplementedError

    @property
    def to_send(self) -> tuple[_P, ...]:
        """The planned calls that send something (users with nothing to change are left out)."""
        return tuple(item for item in self._planned() if item.sends)

    def calls(self) -> list[dict[str, Any]]:
        """The exact requests, one per call: ``{"operation": ..., "params": {...}}``."""
        return [{"operation": self.operation, "params": item.request} for item in self.to_send]

    def cli_script(self) -> str:
        """The equivalent AWS CLI commands, one per line (for review or to run by hand)."""
        return "\n".join(item.cli for item in self.to_send)


@dataclass(frozen=True)
class PlannedChange:
    """One user's planned call, or the reason there is none.

    Attributes
    ----------
    username
        Who.
    current
        The state the audit read.
    change
        Only the factors whose state differs (empty: nothing to send).
    expected
        The state Cognito should report after the call.
    challenge_before, challenge_after
        The predicted sign-in challenge now and after the change.
    warnings
        Where Cognito is expected to refuse the call or ignore part of it.
    """

    username: str
    current: MfaPreference
    change: MfaPreference
    expected: MfaPreference
    challenge_before: str
    challenge_after: str
    warnings: tuple[str, ...] = ()
    pool_id: str = field(default="", repr=False)

    @property
    def sends(self) -> bool:
        """True when there is something to send."""
        return not self.change.is_empty

    @property
    def sent(self) -> str:
        """What the call sends, in words (``""`` when nothing is sent)."""
        return self.change.describe() if self.sends else ""

    @property
    def request(self) -> dict[str, Any]:
        """The exact ``AdminSetUserMFAPreference`` parameters."""
        return {"UserPoolId": self.pool_id, "Username": self.username, **self.change.to_request()}

    @property
    def cli(self) -> str:
        """The equivalent ``aws cognito-idp admin-set-user-mfa-preference`` command (one line)."""
        return render_cli(
            self.change, user_pool_id=self.pool_id, username=self.username, multiline=False
        )


@dataclass(frozen=True)
class BulkPlan(_Reviewable[PlannedChange]):
    """What a bulk change would do; nothing has been sent.

    Attributes
    ----------
    pool_id, pool
        The pool and the configuration the predictions use.
    target
        The requested preference (factors left ``None`` stay as they are).
    changes
        One entry per selected user, in the order given.
    """

    pool_id: str
    pool: PoolMfaConfig
    target: MfaPreference
    changes: tuple[PlannedChange, ...]
    operation: ClassVar[str] = OPERATION

    def _planned(self) -> tuple[PlannedChange, ...]:
        return self.changes

    def frame(self) -> pd.DataFrame:
        """One row per selected user: current, change, expected, challenges, warnings, request."""
        import pandas as pd

        rows = [
            {
                "username": c.username,
                "current": c.current.describe(),
                "change": c.change.describe() if c.sends else "nothing to change",
                "expected": c.expected.describe(),
                **_review(c),
            }
            for c in self.changes
        ]
        frame: pd.DataFrame = pd.DataFrame(rows, columns=list(_PLAN_COLUMNS))
        return frame


def _review(item: Any) -> dict[str, Any]:
    """The plan-frame columns every planned call has: challenges, warnings, request, command."""
    return {
        "challenge_before": item.challenge_before,
        "challenge_after": item.challenge_after,
        "warnings": " ".join(item.warnings),
        "request": json.dumps(item.request) if item.sends else "",
        "cli": item.cli if item.sends else "",
    }


_PLAN_COLUMNS = (
    "username",
    "current",
    "change",
    "expected",
    "challenge_before",
    "challenge_after",
    "warnings",
    "request",
    "cli",
)


def plan_bulk_change(
    audit: PoolAudit, usernames: Iterable[str], target: MfaPreference | Mapping[str, Any]
) -> BulkPlan:
    """Plan setting ``target`` for ``usernames`` (a dry run: nothing is sent).

    Parameters
    ----------
    audit
        The audit the users come from: their current state, attributes and the pool.
    usernames
        Whom to change, e.g. ``audit.select(flag="several_enabled_none_preferred")``.
    target
        The wanted preference; factors left ``None`` are not touched. A mapping such as
        ``{"sms": "preferred"}`` is read as an :class:`MfaPreference`.

    Raises
    ------
    AuditError
        When a username is not in the audit, or the target changes nothing.
    MfaPreferenceError
        When the target is not a valid preference (e.g. two preferred factors).
    """
    selected = _selected(audit, usernames)
    if isinstance(target, Mapping):
        unknown = sorted(str(k) for k in target if k not in ("sms", "totp", "email"))
        if unknown:
            raise AuditError(
                f"unknown factor key(s) {', '.join(unknown)[:100]} in the target: use sms, "
                "totp and email, e.g. {'sms': 'preferred'}"
            )
        wanted = MfaPreference(**target)
    else:
        need_instance(target, MfaPreference, "target", "pass an MfaPreference or {'sms': ...}")
        wanted = target
    if wanted.is_empty:
        raise AuditError(
            "the target preference leaves every factor unchanged: set at least one of sms, "
            "totp, email to disabled, enabled or preferred"
        )
    changes = tuple(_plan_one(user, wanted, audit) for user in selected)
    return BulkPlan(audit.pool_id, audit.pool, wanted, changes)


def _selected(audit: Any, usernames: Any) -> list[AuditedUser]:
    """The audited users named in ``usernames`` (first mention each), or a clear error."""
    need_instance(audit, PoolAudit, "audit", "pass the PoolAudit audit_pool returned")
    if isinstance(usernames, str) or not isinstance(usernames, Iterable):
        raise ArgumentTypeError(
            f"usernames cannot be {shown(usernames)}: pass a list of names, e.g. ['alice']"
        )
    names = list(dict.fromkeys(usernames))
    if not names:
        raise AuditError("no user is selected: pass at least one username from the audit")
    if not all(isinstance(name, str) for name in names):
        raise ArgumentTypeError("every username must be text: pass names such as 'alice'")
    known = {user.username: user for user in audit.users}
    missing = [name for name in names if name not in known]
    if missing:
        listed = ", ".join(repr(n) for n in missing[:5]) + (" ..." if len(missing) > 5 else "")
        raise AuditError(
            f"{len(missing)} selected user(s) are not in the audit ({listed}): pick users "
            "the audit read (its frame's username column), or run the audit again"
        )
    return [known[name] for name in names]


def _plan_one(user: AuditedUser, target: MfaPreference, audit: PoolAudit) -> PlannedChange:
    current = user.preference
    expected = target.merged_onto(current)
    after = dataclasses.replace(user, preference=expected)
    return PlannedChange(
        username=user.username,
        current=current,
        change=target.changes_from(current),
        expected=expected,
        challenge_before=prediction_label(predict_challenge(audit.pool, user.facts)),
        challenge_after=prediction_label(predict_challenge(audit.pool, after.facts)),
        warnings=tuple(_warnings(user, current, expected, audit.pool)),
        pool_id=audit.pool_id,
    )


def _warnings(
    user: AuditedUser, current: MfaPreference, expected: MfaPreference, pool: PoolMfaConfig
) -> list[str]:
    """Where Cognito is expected to refuse the change or ignore part of it (reference §3.3)."""
    found = []
    newly_enabled = expected.enabled - current.enabled
    if user.read_error:
        found.append(f"The audit could not read this user ({user.read_error}).")
    if Factor.SMS in newly_enabled and not user.has_phone:
        found.append("Cognito refuses to enable SMS for a user without a phone_number.")
    if Factor.EMAIL in newly_enabled and not user.has_email:
        found.append("Cognito refuses to enable email MFA for a user without an email.")
    if Factor.TOTP in newly_enabled and user.auth_factors is None:
        found.append(
            "An admin can enable TOTP only for a user who registered an authenticator app; "
            "the audit could not read this user's auth factors, so Cognito may refuse."
        )
    elif Factor.TOTP in newly_enabled and not user.totp_registered:
        found.append(
            "Cognito refuses to enable TOTP for a user without a registered authenticator app."
        )
    for factor in sorted(expected.enabled - pool.usable_factors, key=lambda f: f.value):
        found.append(f"The pool doesn't offer {factor.name}: Cognito ignores it at sign-in.")
    if pool.mode is PoolMfaMode.ON and current.enabled and not expected.enabled:
        found.append(
            "MFA is required in this pool: with every factor disabled the user is still "
            "challenged through their phone_number/email (the list just reads empty)."
        )
    return found


# -- applying ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class UserOutcome:
    """What happened to one user: ``applied``, ``error``, ``unchanged``, ``dry-run``, ``not-run``.

    ``state`` is the preference Cognito reports after the call; ``as_expected`` whether it is
    the planned one. ``warning`` says what failed after an applied change (the read-back, the
    log): the change itself is real.
    """

    username: str
    outcome: str
    sent: str = ""
    state: MfaPreference | None = None
    as_expected: bool | None = None
    error_code: str | None = None
    error_message: str | None = None
    warning: str | None = None


@dataclass(frozen=True)
class BulkReport:
    """Per-user outcomes of :func:`apply_bulk_change`, and the log of every call."""

    outcomes: tuple[UserOutcome, ...]
    log: MfaLog
    dry_run: bool

    def counts(self) -> dict[str, int]:
        """Users per outcome, e.g. ``{"applied": 40, "error": 2}``."""
        found: dict[str, int] = {}
        for outcome in self.outcomes:
            found[outcome.outcome] = found.get(outcome.outcome, 0) + 1
        return found

    def frame(self) -> pd.DataFrame:
        """One row per user: outcome, what was sent, the state after, any error."""
        import pandas as pd

        rows = [
            {
                "username": o.username,
                "outcome": o.outcome,
                "sent": o.sent,
                "state_after": o.state.describe() if o.state is not None else None,
                "as_expected": o.as_expected,
                "error_code": o.error_code,
                "error_message": o.error_message,
                "warning": o.warning,
            }
            for o in self.outcomes
        ]
        columns = ["username", "outcome", "sent", "state_after", "as_expected", "error_code"]
        frame: pd.DataFrame = pd.DataFrame(rows, columns=[*columns, "error_message", "warning"])
        return frame


def apply_bulk_change(
    client: MfaClient,
    plan: BulkPlan,
    *,
    confirm: bool = False,
    log: MfaLog | None = None,
    write_rate: float | RateLimiter = QUOTAS["UserResourceUpdate"],
    workers: int | None = None,
    progress: Callable[[int, int], None] | Literal[False] | None = None,
    stop: threading.Event | None = None,
) -> BulkReport:
    """Send the plan's calls, or, unless ``confirm`` is true, only report what would be sent.

    Parameters
    ----------
    client
        The client (IAM credentials) the calls go through.
    plan
        From :func:`plan_bulk_change`; review ``plan.frame()`` / ``plan.cli_script()`` first.
    confirm
        ``True`` sends; ``False`` (the default) only reports ``dry-run`` for every planned call.
        Any other value (``"no"``, ``1``, ``None``) raises :class:`ConfirmationRequiredError`.
    log
        Receives one row per call (default: the client's log, else a new :class:`MfaLog`).
    write_rate
        Client-side limit in requests/s (the UserResourceUpdate quota); ``0`` means unlimited.
        A :class:`~mfa_widgets.services.pacing.RateLimiter` is used as is (shared with other jobs).
    workers
        Users in flight at once (default: enough to reach ``write_rate`` when each user's write
        and read-back take 100 ms round trips, :func:`~mfa_widgets.services.pacing.workers_for`).
    progress
        ``progress(done, total)`` after each call (from a worker thread). Default: a progress
        bar when a terminal or notebook shows it (:mod:`mfa_widgets.services.progress`);
        ``False``: none.
    stop
        Set it to stop early; users not reached are reported ``not-run``.

    Raises
    ------
    ConfirmationRequiredError
        When ``confirm`` is not exactly ``True`` or ``False``; nothing is sent.
    InvalidArgumentError
        For a client, plan, log, rate or worker count that cannot be used.
    """
    confirm = need_confirm(confirm, "send the planned changes")
    _check_apply_arguments(
        client, (plan, BulkPlan, "plan_bulk_change"), log, write_rate, workers, progress, stop
    )

    def send(logged: MfaClient, change: PlannedChange) -> UserOutcome:
        result = logged.admin_set_preference(
            plan.pool_id, change.username, change.change, current=change.current
        )
        if result.error is not None:
            return UserOutcome(
                change.username,
                "error",
                change.sent,
                error_code=result.error.code,
                error_message=result.error.message,
            )
        state = result.state
        return UserOutcome(
            change.username,
            "applied",
            change.sent,
            state,
            None if state is None else state == change.expected,
            warning="; ".join(result.warnings) or None,
        )

    return _apply(client, plan.changes, send, confirm, log, write_rate, workers, progress, stop)


def _apply(
    client: MfaClient,
    planned: tuple[_P, ...],
    send: Callable[[MfaClient, _P], UserOutcome],
    confirm: bool,
    log: MfaLog | None,
    write_rate: float | RateLimiter,
    workers: int | None,
    progress: Callable[[int, int], None] | Literal[False] | None,
    stop: threading.Event | None,
) -> BulkReport:
    """Dry-run or send ``planned`` (each paced by ``write_rate``); one outcome per user."""
    log = log if log is not None else (client.log if client.log is not None else MfaLog())
    if not confirm:
        outcomes = [
            UserOutcome(p.username, "dry-run" if p.sends else "unchanged", p.sent) for p in planned
        ]
        return BulkReport(tuple(outcomes), log, dry_run=True)
    logged = client.with_log(log)
    limiter = as_limiter(write_rate)
    results: dict[str, UserOutcome] = {}
    to_send = [p for p in planned if p.sends]

    def one(item: _P) -> UserOutcome:
        limiter.acquire()
        return send(logged, item)

    shown, bar = progress_for(progress, "changes", "user")

    def record(item: _P, outcome: UserOutcome) -> None:
        results[item.username] = outcome
        if shown is not None:
            shown(len(results), len(to_send))

    workers = workers or workers_for(limiter, calls_per_item=2)  # the write and its read-back
    try:
        run_bounded(one, to_send, workers=workers, on_done=record, stop=stop)
    finally:
        if bar is not None:
            bar.close()
    outcomes = [
        results.get(p.username)
        or UserOutcome(p.username, "not-run" if p.sends else "unchanged", p.sent)
        for p in planned
    ]
    return BulkReport(tuple(outcomes), log, dry_run=False)


def _check_apply_arguments(
    client: Any,
    planned: tuple[Any, type, str],
    log: Any,
    write_rate: Any,
    workers: Any,
    progress: Any,
    stop: Any,
) -> None:
    """Refuse arguments that would fail half-way through sending, or pace nothing."""
    need_instance(client, MfaClient, "client", "pass an MfaClient (IAM credentials)")
    plan, plan_type, planner = planned  # the plan, its class, the function that makes it
    need_instance(plan, plan_type, "plan", f"pass the {plan_type.__name__} {planner} returned")
    if log is not None:
        need_instance(log, MfaLog, "log", "pass an MfaLog, or None for the client's log")
    need_job_options(
        workers=workers, rates={"write_rate": write_rate}, progress=progress, stop=stop
    )


# -- authenticator resets -----------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedReset:
    """One user's planned authenticator reset (``AdminDeleteSoftwareToken``), or why there is none.

    Attributes
    ----------
    username
        Who.
    registered
        An authenticator is registered (``SOFTWARE_TOKEN`` in the audit's auth factors);
        ``None`` when the audit could not read the factors (the reset is then still sent).
    current
        The preference the audit read.
    challenge_before, challenge_after
        The predicted sign-in challenge now and after the reset.
    warnings
        Users the reset would leave with no way back in, and reads the audit could not make.
    """

    username: str
    registered: bool | None
    current: MfaPreference
    challenge_before: str
    challenge_after: str
    warnings: tuple[str, ...] = ()
    pool_id: str = field(default="", repr=False)

    @property
    def sends(self) -> bool:
        """True unless the audit saw no authenticator to reset."""
        return self.registered is not False

    @property
    def sent(self) -> str:
        """What the call does, in words (``""`` when nothing is sent)."""
        return "reset the authenticator app" if self.sends else ""

    @property
    def request(self) -> dict[str, Any]:
        """The exact ``AdminDeleteSoftwareToken`` parameters."""
        return {"UserPoolId": self.pool_id, "Username": self.username}

    @property
    def cli(self) -> str:
        """The equivalent ``aws cognito-idp admin-delete-software-token`` command (one line)."""
        return render_delete_software_token(self.pool_id, self.username)


@dataclass(frozen=True)
class ResetPlan(_Reviewable[PlannedReset]):
    """What an authenticator reset would do; nothing has been sent.

    Attributes
    ----------
    pool_id, pool
        The pool and the configuration the predictions use.
    resets
        One entry per selected user, in the order given.
    """

    pool_id: str
    pool: PoolMfaConfig
    resets: tuple[PlannedReset, ...]
    operation: ClassVar[str] = RESET_OPERATION

    def _planned(self) -> tuple[PlannedReset, ...]:
        return self.resets

    def frame(self) -> pd.DataFrame:
        """One row per selected user: registered, challenges, warnings, request, command."""
        import pandas as pd

        rows = [
            {
                "username": r.username,
                "registered": r.registered,
                "current": r.current.describe(),
                **_review(r),
            }
            for r in self.resets
        ]
        columns = ["username", "registered", "current", "challenge_before", "challenge_after"]
        frame: pd.DataFrame = pd.DataFrame(rows, columns=[*columns, "warnings", "request", "cli"])
        typed: pd.DataFrame = frame.astype({"registered": "boolean"})
        return typed


def plan_authenticator_reset(audit: PoolAudit, usernames: Iterable[str]) -> ResetPlan:
    """Plan resetting the authenticator app of ``usernames`` (a dry run: nothing is sent).

    Parameters
    ----------
    audit
        The audit the users come from (its auth factors say who has an authenticator).
    usernames
        Whom to reset, e.g. the users who lost their phone.

    Raises
    ------
    AuditError
        When no user is selected or a username is not in the audit.
    """
    selected = _selected(audit, usernames)
    return ResetPlan(
        audit.pool_id, audit.pool, tuple(_plan_reset(user, audit) for user in selected)
    )


def _plan_reset(user: AuditedUser, audit: PoolAudit) -> PlannedReset:
    after = after_authenticator_reset(user)
    registered = None if user.auth_factors is None else user.totp_registered
    found = []
    if user.read_error:
        found.append(f"The audit could not read this user ({user.read_error}).")
    elif registered is None:
        found.append(
            "The audit could not read this user's auth factors"
            + (f" ({user.factors_error})" if user.factors_error else "")
            + ": whether an authenticator is registered is unknown; the reset is still sent."
        )
    if registered is not False and stranded_by_reset(user, audit.pool):
        found.append(
            "After the reset this user has no factor left to sign in with: Cognito refuses the "
            "sign-in or asks them to register a new authenticator during sign-in (MFA_SETUP). "
            "Add a phone number or email first, or make sure the app handles MFA_SETUP."
        )
    return PlannedReset(
        username=user.username,
        registered=registered,
        current=user.preference,
        challenge_before=prediction_label(predict_challenge(audit.pool, user.facts)),
        challenge_after=prediction_label(predict_challenge(audit.pool, after.facts)),
        warnings=tuple(found),
        pool_id=audit.pool_id,
    )


def apply_authenticator_reset(
    client: MfaClient,
    plan: ResetPlan,
    *,
    confirm: bool = False,
    log: MfaLog | None = None,
    write_rate: float | RateLimiter = QUOTAS["UserResourceUpdate"],
    workers: int | None = None,
    progress: Callable[[int, int], None] | Literal[False] | None = None,
    stop: threading.Event | None = None,
) -> BulkReport:
    """Reset the plan's authenticators, or, unless ``confirm`` is true, only report what would be.

    Each reset is ``AdminDeleteSoftwareToken`` then ``AdminGetUserAuthFactors``
    (:meth:`MfaClient.admin_reset_totp`); ``state`` is the preference read back and
    ``as_expected`` whether TOTP is gone from both the factors and the preference. A reset whose
    read-back fails is ``applied`` with the failure in ``warning``.

    Parameters
    ----------
    client
        The client (IAM credentials) the calls go through.
    plan
        From :func:`plan_authenticator_reset`; review ``plan.frame()`` / ``plan.cli_script()``.
    confirm
        ``True`` sends; ``False`` (the default) only reports ``dry-run`` for every planned reset.
        Any other value raises :class:`ConfirmationRequiredError`; nothing is sent.
    log, write_rate, workers, progress, stop
        As for :func:`apply_bulk_change` (``AdminDeleteSoftwareToken`` is paced at the
        UserResourceUpdate quota).

    Raises
    ------
    ConfirmationRequiredError
        When ``confirm`` is not exactly ``True`` or ``False``; nothing is sent.
    InvalidArgumentError
        For a client, plan, log, rate or worker count that cannot be used.
    """
    confirm = need_confirm(confirm, "reset the planned authenticators")
    planned = (plan, ResetPlan, "plan_authenticator_reset")
    _check_apply_arguments(client, planned, log, write_rate, workers, progress, stop)

    def send(logged: MfaClient, reset: PlannedReset) -> UserOutcome:
        result = logged.admin_reset_totp(plan.pool_id, reset.username)
        if result.error is not None:
            return UserOutcome(
                reset.username,
                "error",
                reset.sent,
                error_code=result.error.code,
                error_message=result.error.message,
            )
        state = result.state
        factors = result.data.get("factors")
        gone = None
        if state is not None and factors is not None:
            gone = state.state(Factor.TOTP) is FactorState.DISABLED
            gone = gone and "SOFTWARE_TOKEN" not in factors
        return UserOutcome(
            reset.username,
            "applied",
            reset.sent,
            state,
            gone,
            warning="; ".join(result.warnings) or None,
        )

    return _apply(client, plan.resets, send, confirm, log, write_rate, workers, progress, stop)
