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
"""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mfa_widgets.core.aws_cli import render_cli
from mfa_widgets.core.challenges import PoolMfaConfig, PoolMfaMode, predict_challenge
from mfa_widgets.core.errors import ArgumentTypeError
from mfa_widgets.core.labels import prediction_label
from mfa_widgets.core.posture import AuditedUser
from mfa_widgets.core.preferences import Factor, MfaPreference
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

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "BulkPlan",
    "BulkReport",
    "PlannedChange",
    "UserOutcome",
    "apply_bulk_change",
    "plan_bulk_change",
]

OPERATION = "AdminSetUserMFAPreference"


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
class BulkPlan:
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

    @property
    def to_send(self) -> tuple[PlannedChange, ...]:
        """The changes that send a call (users already in the target state are left out)."""
        return tuple(change for change in self.changes if change.sends)

    def calls(self) -> list[dict[str, Any]]:
        """The exact requests, one per call: ``{"operation": ..., "params": {...}}``."""
        return [{"operation": OPERATION, "params": change.request} for change in self.to_send]

    def cli_script(self) -> str:
        """The equivalent AWS CLI commands, one per line (for review or to run by hand)."""
        return "\n".join(change.cli for change in self.to_send)

    def frame(self) -> pd.DataFrame:
        """One row per selected user: current, change, expected, challenges, warnings, request."""
        import pandas as pd

        rows = [
            {
                "username": c.username,
                "current": c.current.describe(),
                "change": c.change.describe() if c.sends else "nothing to change",
                "expected": c.expected.describe(),
                "challenge_before": c.challenge_before,
                "challenge_after": c.challenge_after,
                "warnings": " ".join(c.warnings),
                "request": json.dumps(c.request) if c.sends else "",
                "cli": c.cli if c.sends else "",
            }
            for c in self.changes
        ]
        frame: pd.DataFrame = pd.DataFrame(rows, columns=list(_PLAN_COLUMNS))
        return frame


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
    known = {user.username: user for user in audit.users}
    missing = [name for name in names if name not in known]
    if missing:
        listed = ", ".join(repr(n) for n in missing[:5]) + (" ..." if len(missing) > 5 else "")
        raise AuditError(
            f"{len(missing)} selected user(s) are not in the audit ({listed}): pick users "
            "the audit read (its frame's username column), or run the audit again"
        )
    changes = tuple(_plan_one(known[name], wanted, audit) for name in names)
    return BulkPlan(audit.pool_id, audit.pool, wanted, changes)


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
    if Factor.TOTP in newly_enabled:
        found.append(
            "An admin can enable TOTP only for a user who registered an authenticator app; "
            "AdminGetUser doesn't say whether this user did, so Cognito may refuse."
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
    progress: Callable[[int, int], None] | None = None,
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
        ``progress(done, total)`` after each call (from a worker thread).
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
    _check_apply_arguments(client, plan, log, write_rate, workers, progress, stop)
    log = log if log is not None else (client.log if client.log is not None else MfaLog())
    if not confirm:
        outcomes = [
            UserOutcome(c.username, "dry-run" if c.sends else "unchanged", _sent(c))
            for c in plan.changes
        ]
        return BulkReport(tuple(outcomes), log, dry_run=True)
    logged = client.with_log(log)
    limiter = as_limiter(write_rate)
    results: dict[str, UserOutcome] = {}
    total = len(plan.to_send)

    def send(change: PlannedChange) -> UserOutcome:
        limiter.acquire()
        result = logged.admin_set_preference(
            plan.pool_id, change.username, change.change, current=change.current
        )
        if result.error is not None:
            return UserOutcome(
                change.username,
                "error",
                _sent(change),
                error_code=result.error.code,
                error_message=result.error.message,
            )
        state = result.state
        return UserOutcome(
            change.username,
            "applied",
            _sent(change),
            state,
            None if state is None else state == change.expected,
            warning="; ".join(result.warnings) or None,
        )

    def record(change: PlannedChange, outcome: UserOutcome) -> None:
        results[change.username] = outcome
        if progress is not None:
            progress(len(results), total)

    workers = workers or workers_for(limiter, calls_per_item=2)  # the write and its read-back
    run_bounded(send, plan.to_send, workers=workers, on_done=record, stop=stop)
    outcomes = [
        results.get(c.username) or UserOutcome(c.username, _not_sent(c), _sent(c))
        for c in plan.changes
    ]
    return BulkReport(tuple(outcomes), log, dry_run=False)


def _sent(change: PlannedChange) -> str:
    return change.change.describe() if change.sends else ""


def _not_sent(change: PlannedChange) -> str:
    return "not-run" if change.sends else "unchanged"


def _check_apply_arguments(
    client: Any,
    plan: Any,
    log: Any,
    write_rate: Any,
    workers: Any,
    progress: Any,
    stop: Any,
) -> None:
    """Refuse arguments that would fail half-way through sending, or pace nothing."""
    need_instance(client, MfaClient, "client", "pass an MfaClient (IAM credentials)")
    need_instance(plan, BulkPlan, "plan", "pass the BulkPlan plan_bulk_change returned")
    if log is not None:
        need_instance(log, MfaLog, "log", "pass an MfaLog, or None for the client's log")
    need_job_options(
        workers=workers, rates={"write_rate": write_rate}, progress=progress, stop=stop
    )
