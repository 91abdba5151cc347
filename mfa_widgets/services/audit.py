"""Audit a user pool's MFA posture: who will be challenged how, and which users fall into a trap.

:func:`audit_pool` pages through ``ListUsers``, reads every user with ``AdminGetUser`` and
``AdminGetUserAuthFactors`` (which says whether an authenticator app is registered, enabled or
not) and the pool's MFA configuration once, and builds one row per user: status, attributes,
enabled and preferred factors, registered auth factors, the challenge
:func:`~mfa_widgets.core.signin.predict_challenge` predicts, and the :data:`FLAGS` (the known
traps, e.g. an empty ``UserMFASettingList`` on a user who is still challenged because the pool
requires MFA and the user has a phone number).

Throughput: reads run on enough threads to keep the quota busy while each waits on the network
(:func:`~mfa_widgets.services.pacing.workers_for`: rate x round trip x headroom), each paced by
a client-side :class:`~mfa_widgets.services.pacing.RateLimiter` per quota category
(``AdminGetUser`` and ``AdminGetUserAuthFactors`` share the 120 requests/s UserRead category:
two permits per user from one limiter, so the calls stay at the quota; ``ListUsers`` has its own),
so the audit runs at the quota without throttling errors; give the
:class:`~mfa_widgets.services.client.MfaClient` ``retry_mode="adaptive"`` for what still gets
throttled.

Checkpoint and resume: with ``checkpoint=PATH`` every user read is appended to a JSON Lines file
as soon as it finishes, and a page record (holding the next pagination token) once every user of
that page and of all earlier pages is in the file. An interrupted audit resumes from the last
page record and skips the users already in the file, so no user is missed or counted twice. A
pagination token Cognito no longer accepts makes the audit list again from the first page, still
skipping the users already read.

What one row means (the flags, the prediction, the summary and chart) lives in
:mod:`mfa_widgets.core.posture` and :mod:`mfa_widgets.services.audit_report`, re-exported here.
An authenticator registered and then disabled is seen through ``AdminGetUserAuthFactors``
(``SOFTWARE_TOKEN``), so in a pool that requires MFA the prediction asks for the TOTP code as
Cognito does, and users whom an authenticator reset would leave with no way back in are flagged
(``no_way_back_after_reset``). Where that read fails (an older backend, an IAM policy without the
action) the row keeps the ``AdminGetUser`` answer, says why in ``factors_error``, and counts the
authenticator as registered exactly when TOTP is enabled.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import threading
import time
import warnings
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

from mfa_widgets.core.errors import CognitoError, InvalidArgumentError
from mfa_widgets.core.pool_change import PoolChange, PoolSignIn, as_change
from mfa_widgets.core.posture import AUDIT_COLUMNS, FLAGS, AuditedUser, Flag, assess, flag_names
from mfa_widgets.core.preferences import Factor
from mfa_widgets.core.signin import (
    PoolMfaConfig,
    Prediction,
    SignInContext,
    UserMfaFacts,
    predict_challenge,
)
from mfa_widgets.core.validation import (
    need_count,
    need_flag,
    need_instance,
    need_job_options,
    shown,
)
from mfa_widgets.services.audit_report import AuditSummary, audit_frame, summarize
from mfa_widgets.services.client import MfaClient
from mfa_widgets.services.errors import AuditError
from mfa_widgets.services.impact_report import Impact
from mfa_widgets.services.log import drop_truncated_tail
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
    "AUDIT_COLUMNS",
    "FLAGS",
    "AuditCheckpoint",
    "AuditError",
    "AuditSummary",
    "AuditedUser",
    "Flag",
    "PoolAudit",
    "assess",
    "audit_frame",
    "audit_pool",
    "load_audit",
    "predict_sign_in",
    "summarize",
]

Progress = Callable[[int, "int | None"], None]

_CHECKPOINT_VERSION = 1
#: The ``ListUsers`` page size Cognito allows at most.
MAX_PAGE_SIZE = 60


@dataclass(frozen=True)
class PoolAudit:
    """The outcome of :func:`audit_pool`.

    Attributes
    ----------
    pool_id, pool
        The audited pool and its MFA configuration (read once, at the start).
    users
        Every user read, once each.
    complete
        ``False`` when the run was stopped before the last page (resume it with the checkpoint).
    read_now, resumed
        Users read in this run, and users taken from the checkpoint.
    seconds
        Wall time of this run.
    """

    pool_id: str
    pool: PoolMfaConfig
    users: tuple[AuditedUser, ...]
    complete: bool
    read_now: int = 0
    resumed: int = 0
    seconds: float = 0.0

    @functools.cached_property
    def frame(self) -> pd.DataFrame:
        """One typed row per user (:data:`AUDIT_COLUMNS` plus a boolean column per flag).

        Built on first use and kept (the audit doesn't change); copy it before editing it.
        """
        return audit_frame(self.users, self.pool)

    def summary(self) -> AuditSummary:
        """Counts per challenge and per flag."""
        return summarize(self.frame)

    def flagged(self) -> pd.DataFrame:
        """The rows with at least one flag."""
        frame = self.frame
        flagged: pd.DataFrame = frame[frame["flags"] != ""]
        return flagged

    def impact(
        self, change: PoolChange | Mapping[str, Any], today: PoolSignIn | None = None
    ) -> Impact:
        """The impact of a proposed pool change on every user; no call is made.

        Parameters
        ----------
        change
            A :class:`~mfa_widgets.core.pool_change.PoolChange` or its keywords, e.g.
            ``audit.impact({"mfa": "ON", "withdraw": "SMS"})``.
        today
            The pool's sign-in settings beyond the audit (passkey MFA, first factors, the app
            client's flows); default: the audit's MFA configuration with the password flows.
            :func:`mfa_widgets.services.impact.impact` reads them from the pool.

        Raises
        ------
        PoolChangeError
            When the change can't be read, or Cognito would refuse the pool it leaves.
        """
        found = as_change(change)
        before = PoolSignIn(self.pool) if today is None else today
        need_instance(before, PoolSignIn, "today", "pass a PoolSignIn, or None")
        return Impact(self, found, before, found.apply(before))

    def select(self, *, flag: str | None = None, challenge: str | None = None) -> list[str]:
        """Usernames with ``flag`` raised and/or predicted ``challenge`` (both: both must hold).

        Raises
        ------
        AuditError
            When ``flag`` is not one of :data:`FLAGS`.
        """
        frame = self.frame
        keep = frame["username"].notna()
        if flag is not None:
            if flag not in flag_names():
                raise AuditError(f"unknown flag {flag!r}: use one of {', '.join(flag_names())}")
            keep &= frame[flag]
        if challenge is not None:
            keep &= frame["challenge"].astype("string") == challenge
        return [str(name) for name in frame.loc[keep, "username"]]


# -- the checkpoint ---------------------------------------------------------------------------


class AuditCheckpoint:
    """A JSON Lines file recording an audit as it goes, so it can resume.

    Records: one ``audit`` header (pool id and MFA configuration), one ``user`` record per user
    read, a ``page`` record with the next pagination token once every user of the pages so far
    is recorded, and a final ``done``. A truncated last line (a crash mid-write) is dropped.

    Parameters
    ----------
    path
        The file; created on :meth:`start` if missing.

    Raises
    ------
    AuditError
        When the file's folder doesn't exist, or the file is not a checkpoint.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.pool_id: str | None = None
        self.pool: PoolMfaConfig | None = None
        self.users: dict[str, AuditedUser] = {}
        self.next_token: str | None = None
        self.pages = 0
        self.done = False
        self._file: IO[str] | None = None
        if not self.path.parent.is_dir():
            raise AuditError(
                f"cannot write the checkpoint {self.path}: the folder {self.path.parent} does "
                "not exist; create it or choose another path"
            )
        if self.path.exists():
            self._read()

    def _read(self) -> None:
        text = self.path.read_text(encoding="utf-8")
        lines = text.split("\n")[:-1]  # a last piece without "\n" is a truncated record
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                self._take(json.loads(line))
            except (ValueError, TypeError, KeyError) as error:
                raise AuditError(
                    f"{self.path}, line {number}: not an audit checkpoint record ({error}); "
                    "delete the file to start the audit afresh"
                ) from None

    def _take(self, record: Mapping[str, Any]) -> None:
        kind = record["record"]
        if kind == "audit":
            self.pool_id = str(record["pool_id"])
            self.pool = _pool_from_json(record["pool"])
        elif kind == "user":
            user = AuditedUser.from_json(record["user"])
            self.users[user.username] = user
        elif kind == "page":
            self.next_token = record["next"]
            self.pages += 1
        elif kind == "done":
            self.done = True
        else:
            raise ValueError(f"unknown record kind {kind!r}")

    def start(self, pool_id: str, pool: PoolMfaConfig) -> None:
        """Open the file for appending; write the header when the file is new.

        Raises
        ------
        AuditError
            When the file records an audit of another pool.
        """
        if self.pool_id is not None and self.pool_id != pool_id:
            raise AuditError(
                f"{self.path} is the checkpoint of an audit of pool {self.pool_id}, not "
                f"{pool_id}: pass another checkpoint file, or delete this one"
            )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a truncated last record is expected after a crash
            drop_truncated_tail(self.path)
        self._file = self.path.open("a", encoding="utf-8", newline="\n")
        if self.pool_id is None:
            self.pool_id, self.pool = pool_id, pool
            header = {"record": "audit", "version": _CHECKPOINT_VERSION, "pool_id": pool_id}
            self._write({**header, "pool": _pool_to_json(pool)})

    def add_user(self, user: AuditedUser) -> None:
        """Record one user read."""
        self.users[user.username] = user
        self._write({"record": "user", "user": user.to_json()})

    def commit_page(self, next_token: str | None) -> None:
        """Record that every user listed so far is in the file; the next page is ``next_token``."""
        self.next_token = next_token
        self.pages += 1
        self._write({"record": "page", "next": next_token})

    def finish(self) -> None:
        """Record that the audit is complete."""
        self.done = True
        self._write({"record": "done"})

    def close(self) -> None:
        """Close the file."""
        if self._file is not None:
            self._file.close()
            self._file = None

    def _write(self, record: Mapping[str, Any]) -> None:
        if self._file is None:
            return
        self._file.write(json.dumps(record, ensure_ascii=False) + "\n")
        self._file.flush()


def _pool_to_json(pool: PoolMfaConfig) -> dict[str, Any]:
    return {
        "mode": pool.mode.value,
        "factors": sorted(f.name for f in pool.factors),
        "tier": pool.tier.value,
        "recovery": pool.recovery.value,
        "device_remembering": pool.device_remembering,
    }


def _pool_from_json(data: Mapping[str, Any]) -> PoolMfaConfig:
    return PoolMfaConfig(
        mode=data["mode"],
        factors=frozenset(Factor.parse(name) for name in data["factors"]),
        tier=data["tier"],
        recovery=data["recovery"],
        device_remembering=bool(data["device_remembering"]),
    )


# -- the run ----------------------------------------------------------------------------------


class _PageLedger:
    """Commits pages in listing order once all their users are recorded (called under a lock)."""

    def __init__(self, checkpoint: AuditCheckpoint | None) -> None:
        self._checkpoint = checkpoint
        self._open: list[list[Any]] = []  # [pending users, next token], oldest first

    def open_page(self, pending: int, next_token: str | None) -> list[Any]:
        page = [pending, next_token]
        self._open.append(page)
        self._commit_finished()
        return page

    def user_done(self, page: list[Any]) -> None:
        page[0] -= 1
        self._commit_finished()

    def _commit_finished(self) -> None:
        while self._open and self._open[0][0] == 0:
            _, token = self._open.pop(0)
            if self._checkpoint is not None:
                self._checkpoint.commit_page(token)

    @property
    def all_committed(self) -> bool:
        return not self._open


_RESUME_TOKEN_REFUSED = {"InvalidParameterException", "InvalidToken", "ValidationException"}


@dataclass
class _Run:
    """One audit run's moving parts (see :func:`audit_pool`)."""

    client: MfaClient
    pool_id: str
    page_size: int
    list_limiter: RateLimiter
    read_limiter: RateLimiter
    checkpoint: AuditCheckpoint | None
    users: dict[str, AuditedUser]
    stop: threading.Event
    progress: Callable[[int, Any], object] | None
    total: int | None
    lock: threading.Lock = field(default_factory=threading.Lock)
    read_now: int = 0
    listed_to_end: bool = False

    def pages(self, token: str | None) -> Iterator[tuple[str | None, list[str]]]:
        """``(next token, usernames)`` per ``ListUsers`` page, from ``token`` to the last page."""
        resuming = token is not None
        while not self.stop.is_set():
            self.list_limiter.acquire()
            page = self.client.list_users(
                self.pool_id, limit=self.page_size, pagination_token=token
            )
            if page.error is not None and resuming and page.error.code in _RESUME_TOKEN_REFUSED:
                warnings.warn(
                    f"Cognito refused the saved pagination token ({page.error.code}): listing "
                    "again from the first page; users already audited are skipped",
                    RuntimeWarning,
                    stacklevel=2,
                )
                token, resuming = None, False
                continue
            page.raise_for_error()
            resuming = False
            token = page.data["next"]
            yield token, [str(user["username"]) for user in page.data["users"]]
            if not token:
                self.listed_to_end = True
                return

    def to_read(self, token: str | None, ledger: _PageLedger) -> Iterator[tuple[str, list[Any]]]:
        """Users not yet audited, each with the ledger entry of the page that listed it."""
        seen = set(self.users)
        for next_token, names in self.pages(token):
            fresh = [name for name in dict.fromkeys(names) if name not in seen]
            seen.update(fresh)
            with self.lock:
                page = ledger.open_page(len(fresh), next_token)
            for name in fresh:
                yield name, page

    def read(self, item: tuple[str, list[Any]]) -> AuditedUser:
        username = item[0]
        self.read_limiter.acquire()
        user = AuditedUser.from_result(
            username, self.client.admin_get_preference(self.pool_id, username)
        )
        if user.read_error is not None:
            return user
        self.read_limiter.acquire()  # the same UserRead quota as AdminGetUser
        return user.with_factors(self.client.admin_get_auth_factors(self.pool_id, username))

    def record(self, ledger: _PageLedger) -> Callable[[tuple[str, list[Any]], AuditedUser], None]:
        def on_done(item: tuple[str, list[Any]], user: AuditedUser) -> None:
            with self.lock:
                # keyed by the listed name: a read answering with another name can't double-count
                user = dataclasses.replace(user, username=item[0])
                self.users[user.username] = user
                self.read_now += 1
                if self.checkpoint is not None:
                    self.checkpoint.add_user(user)
                ledger.user_done(item[1])
                done = len(self.users)
            if self.progress is not None:
                self.progress(done, self.total)

        return on_done


def audit_pool(
    client: MfaClient,
    user_pool_id: str,
    *,
    checkpoint: str | Path | None = None,
    workers: int | None = None,
    read_rate: float | RateLimiter = QUOTAS["UserRead"],
    list_rate: float | RateLimiter = QUOTAS["UserList"],
    page_size: int = MAX_PAGE_SIZE,
    progress: Progress | Literal[False] | None = None,
    stop: threading.Event | None = None,
) -> PoolAudit:
    """Audit every user of a pool: MFA state, predicted challenge and flags.

    Parameters
    ----------
    client
        The client for ``ListUsers``, ``AdminGetUser``, ``AdminGetUserAuthFactors`` and the pool
        reads (IAM credentials);
        build it with ``retry_mode="adaptive"`` against real Cognito.
    user_pool_id
        The pool, e.g. ``"eu-west-1_AbCdEf123"``.
    checkpoint
        A JSON Lines file to record progress in; an existing one is resumed.
    workers
        Users read at once (default: enough to reach ``read_rate`` calls/s with 100 ms round
        trips, :func:`~mfa_widgets.services.pacing.workers_for`; 24 at 120/s).
    read_rate, list_rate
        Client-side limits (requests/s) for ``AdminGetUser`` + ``AdminGetUserAuthFactors``
        (UserRead quota, two calls per user) and
        ``ListUsers``; ``0`` means unlimited (e.g. against the local sandbox). A
        :class:`~mfa_widgets.services.pacing.RateLimiter` is used as is (shared with other jobs).
    page_size
        Users per ``ListUsers`` page (1 to 60).
    progress
        ``progress(users_done, estimated_total)`` after each user (from a worker thread); the
        total is Cognito's estimate (``DescribeUserPool``), or ``None`` when unknown. Default:
        a progress bar with the rate and time left, when a terminal or notebook shows it
        (:mod:`mfa_widgets.services.progress`); ``False``: none.
    stop
        Set this event (e.g. from ``progress``) to end the run early; with a checkpoint, a
        later call resumes where it stopped.

    Raises
    ------
    AuditError
        For a bad argument, or a checkpoint of another pool.
    CognitoError
        When the pool's configuration or a ``ListUsers`` page can't be read (the checkpoint
        keeps what was done).
    """
    need_instance(client, MfaClient, "client", "pass an MfaClient (IAM credentials)")
    if not isinstance(user_pool_id, str) or "_" not in user_pool_id or len(user_pool_id) > 55:
        raise AuditError(
            f"user pool id {shown(user_pool_id)} doesn't look like a pool id: pass one such as "
            "'eu-west-1_AbCdEf123' (see ListUserPools or the Cognito console)"
        )
    try:
        need_count(page_size, "page_size", minimum=1, maximum=MAX_PAGE_SIZE)
        need_job_options(
            workers=workers,
            rates={"read_rate": read_rate, "list_rate": list_rate},
            progress=progress,
            stop=stop,
        )
    except InvalidArgumentError as error:  # documented: a bad argument is an AuditError
        raise AuditError(str(error)) from None
    if checkpoint is not None:
        _check_checkpoint(checkpoint)
    started = time.perf_counter()
    saved = AuditCheckpoint(checkpoint) if checkpoint is not None else None
    if saved is not None and saved.pool_id not in (None, user_pool_id):
        saved.start(user_pool_id, PoolMfaConfig())  # raises: another pool's checkpoint
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="mfa-audit-setup") as setup:
        # the estimate (for progress) is read while the configuration is: one round trip less
        finished = saved is not None and saved.done
        estimate = None if finished else setup.submit(_estimated_users, client, user_pool_id)
        if saved is not None and saved.pool is not None:
            pool = saved.pool  # the configuration the audit started with, for consistent rows
        else:
            pool = client.get_pool_config(user_pool_id).raise_for_error().data["pool"]
        total = estimate.result() if estimate is not None else None
    users = dict(saved.users) if saved is not None else {}
    resumed = len(users)
    if saved is not None and saved.done:
        return PoolAudit(user_pool_id, pool, tuple(users.values()), True, 0, resumed, 0.0)
    run = _Run(
        client=client,
        pool_id=user_pool_id,
        page_size=page_size,
        list_limiter=as_limiter(list_rate),
        read_limiter=as_limiter(read_rate),
        checkpoint=saved,
        users=users,
        stop=stop if stop is not None else threading.Event(),
        progress=None,  # set below, with its bar
        total=total,
    )
    ledger = _PageLedger(saved)
    if saved is not None:
        saved.start(user_pool_id, pool)
    run.progress, bar = progress_for(progress, "audit", "user")
    try:
        if run.progress is not None:
            run.progress(len(users), run.total)
        run_bounded(
            run.read,
            run.to_read(saved.next_token if saved else None, ledger),
            # two reads per user from one limiter: rate/2 users/s x 2 round trips each
            workers=workers or workers_for(run.read_limiter),
            on_done=run.record(ledger),
            stop=run.stop,
        )
        complete = run.listed_to_end and ledger.all_committed and not run.stop.is_set()
        if complete and saved is not None:
            saved.finish()
    finally:
        if bar is not None:
            bar.close()
        if saved is not None:
            saved.close()
    return PoolAudit(
        user_pool_id,
        pool,
        tuple(users.values()),
        complete,
        run.read_now,
        resumed,
        time.perf_counter() - started,
    )


def load_audit(path: str | Path) -> PoolAudit:
    """A saved audit: the checkpoint file ``audit_pool(..., checkpoint=path)`` wrote.

    Raises
    ------
    AuditError
        When the file is missing or holds no audit header.
    """
    if not isinstance(path, (str, Path)) or not is_file(path):
        raise AuditError(
            f"no saved audit at {shown(path)}: pass the checkpoint file of an audit "
            "(audit_pool(..., checkpoint='audit.jsonl') or mfa-widgets audit --checkpoint)"
        )
    saved = AuditCheckpoint(path)
    if saved.pool_id is None or saved.pool is None:
        raise AuditError(f"{path} holds no audit header: pass an audit checkpoint file")
    return PoolAudit(saved.pool_id, saved.pool, tuple(saved.users.values()), saved.done)


def is_file(path: str | Path) -> bool:
    """``path`` names an existing file (a name no file system takes is not one)."""
    try:
        return Path(path).is_file()
    except (OSError, ValueError):  # too long, a NUL, a lone surrogate
        return False


def _estimated_users(client: MfaClient, user_pool_id: str) -> int | None:
    """Cognito's estimate of the pool's user count (for the progress bar), if it answers."""
    described = client.call("DescribeUserPool", UserPoolId=user_pool_id)
    if not described.ok:
        return None
    estimate = described.data["response"].get("UserPool", {}).get("EstimatedNumberOfUsers")
    return int(estimate) if estimate is not None else None


# -- one user, predicted from what the backend says ----------------------------------------


def predict_sign_in(
    client: MfaClient,
    user_pool_id: str,
    username: str,
    context: SignInContext | None = None,
    totp_known: bool = False,
) -> tuple[Prediction | None, str]:
    """Predict the password step's answer from what the backend says about the pool and user.

    Reads the pool (``GetUserPoolMfaConfig`` + ``DescribeUserPool``) and the user
    (``AdminGetUser`` and ``AdminGetUserAuthFactors``; IAM credentials on real Cognito). The
    factors say whether an authenticator is registered, enabled or not (e.g. through
    ``MFA_SETUP``); if they can't be read, enabled TOTP implies it, and ``totp_known`` says the
    caller registered one itself.

    Returns
    -------
    tuple
        ``(prediction, "")``, or ``(None, reason)`` in plain words when a read failed.
    """
    need_instance(client, MfaClient, "client", "pass an MfaClient (IAM credentials)")
    if context is not None:
        need_instance(context, SignInContext, "context", "pass a SignInContext, or None")
    need_flag(totp_known, "totp_known")
    pool_result = client.get_pool_config(user_pool_id)
    pool = pool_result.data.get("pool")
    if pool_result.error is not None or not isinstance(pool, PoolMfaConfig):
        return None, _reason("the pool configuration", pool_result.error)
    user = client.admin_get_preference(user_pool_id, username)
    if user.error is not None or user.state is None:
        return None, _reason("the user", user.error)
    factors = client.admin_get_auth_factors(user_pool_id, username)
    registered = (
        bool(factors.data.get("totp_registered"))
        if factors.error is None
        else Factor.TOTP in user.state.enabled
    )
    facts = UserMfaFacts(
        preference=user.state,
        totp_registered=totp_known or registered,
        has_phone=bool(user.data.get("has_phone")),
        has_email=bool(user.data.get("has_email")),
    )
    return predict_challenge(pool, facts, context), ""


def _reason(what: str, error: CognitoError | None) -> str:
    said = f"{error.code}: {error.hint}" if error else "no answer"
    return f"could not read {what} ({said})"


def _check_checkpoint(checkpoint: object) -> None:
    """A checkpoint names a file (``""`` is the current folder); its folder is checked later."""
    fix = "pass a file path such as 'audit.jsonl' in an existing folder, or None"
    if not isinstance(checkpoint, (str, Path)) or not str(checkpoint).strip():
        raise AuditError(f"checkpoint cannot be {shown(checkpoint)}: {fix}")
    if "\x00" in str(checkpoint):
        raise AuditError(f"checkpoint contains a NUL character: {fix}")
    path = Path(checkpoint)
    try:
        str(path).encode("utf-8")  # a lone surrogate cannot name a file
        usable = not path.is_dir()
    except (OSError, ValueError):  # a name too long, or not encodable, for the file system
        usable = False
    if not usable:
        raise AuditError(f"checkpoint {str(path)[:80]!r} is a folder, not a file: {fix}")
