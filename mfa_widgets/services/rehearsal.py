"""Rehearse a pool change on the sandbox: copy the audited users, change the copy, sign them in.

:func:`rehearse` takes an :class:`~mfa_widgets.services.impact.Impact` and a client for a
sandbox (never the audited pool: the rehearsal writes only to a world of its own), builds a pool
shaped like the audited one (plan, recovery channel, first factors, passkey MFA, an app client),
copies every audited user's MFA facts into it, or a sample of them, applies the change, signs
every copied user in, and compares the challenge observed with the one the impact predicted.

What is copied: the phone_number and email attributes (fictional values, the audited verified
flags), the factor states (enabled, preferred) and passkey MFA, a registered authenticator app and
a registered passkey. Never a password or a secret: each copied user gets a password of the
rehearsal's own, an authenticator secret of its own and a passkey from a software authenticator.
Those stand-ins behave like the real ones for the first challenge after the password (the only
step compared), and the row says which stand-ins a user needed (``stand_in``). What cannot be
copied is said there too: a legacy SMS setting (``MFAOptions``) and a status other than
``CONFIRMED`` (every copy is confirmed and enabled).

Pacing: as in the explorer's sweep, every call waits on a
:class:`~mfa_widgets.services.pacing.QuotaPacer` set to Cognito's quotas by default (25 writes/s,
120 sign-ins/s), so a sandbox that throttles like Cognito is never overrun; ``0`` rates mean
unlimited (the local sandbox does not throttle unless asked to).
"""

from __future__ import annotations

import random
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from mfa_widgets.core.errors import InvalidArgumentError
from mfa_widgets.core.impact import ATTENTION
from mfa_widgets.core.pool_change import PoolSignIn
from mfa_widgets.core.posture import AuditedUser
from mfa_widgets.core.preferences import Factor, FactorState, MfaPreference
from mfa_widgets.core.requests import mfa_config_request
from mfa_widgets.core.results import SignInAttempt
from mfa_widgets.core.signin import PoolMfaConfig, PoolMfaMode, Tier
from mfa_widgets.core.signin.labels import observed_label
from mfa_widgets.core.totp import totp_code
from mfa_widgets.core.validation import (
    need_count,
    need_flag,
    need_instance,
    need_job_options,
    need_text,
)
from mfa_widgets.services.client import MfaClient
from mfa_widgets.services.explore.provisioning import create_confirmed_user
from mfa_widgets.services.impact import Impact
from mfa_widgets.services.pacing import QUOTAS, QuotaPacer, run_bounded, workers_for
from mfa_widgets.services.progress import progress_for
from mfa_widgets.services.srp import SrpProof

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "REHEARSAL_COLUMNS",
    "Rehearsal",
    "RehearsedUser",
    "change_pool",
    "first_step",
    "rehearse",
    "set_pool_mfa",
]

#: The relying party of the rehearsal's pools and the origin of its software authenticator.
_RP, _ORIGIN = "localhost", "http://localhost"
#: The preparation: every factor offered, MFA optional, so each copy can be set up as audited.
_PREPARE = frozenset({Factor.SMS, Factor.TOTP, Factor.EMAIL})
_ALL_FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH"]
_ALL_FLOWS += ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
_NOTHING = MfaPreference(FactorState.DISABLED, FactorState.DISABLED, FactorState.DISABLED)
#: Columns of :meth:`Rehearsal.frame`.
REHEARSAL_COLUMNS = (
    "username",
    "copy",
    "predicted",
    "observed",
    "predicted_options",
    "observed_options",
    "agrees",
    "stand_in",
    "error",
)


@dataclass(frozen=True)
class RehearsedUser:
    """One copied user: predicted and observed after the change, and what was stood in."""

    username: str
    copy: str
    predicted: str | None
    observed: str | None
    predicted_options: str
    observed_options: str
    stand_in: str = ""
    error: str | None = None

    @property
    def agrees(self) -> bool:
        """The copy got the predicted challenge (and options)."""
        return (
            self.error is None
            and self.observed == self.predicted
            and self.observed_options == self.predicted_options
        )


@dataclass(frozen=True)
class Rehearsal:
    """What the rehearsal observed.

    Attributes
    ----------
    impact
        The impact rehearsed.
    pool_id, client_id
        The sandbox world's pool and app client (deleted afterwards unless ``keep=True``).
    users
        One entry per rehearsed user.
    sampled
        ``True`` when only a sample of the audited users was rehearsed.
    """

    impact: Impact
    pool_id: str
    client_id: str
    users: tuple[RehearsedUser, ...]
    sampled: bool = False

    @property
    def agreed(self) -> int:
        """Users whose observed challenge is the predicted one."""
        return sum(user.agrees for user in self.users)

    @property
    def agreement(self) -> float:
        """The share of rehearsed users that agree (1.0 when none was rehearsed)."""
        return self.agreed / len(self.users) if self.users else 1.0

    def frame(self) -> pd.DataFrame:
        """One row per rehearsed user (:data:`REHEARSAL_COLUMNS`)."""
        import pandas as pd

        rows = [
            {
                "username": u.username,
                "copy": u.copy,
                "predicted": u.predicted,
                "observed": u.observed,
                "predicted_options": u.predicted_options,
                "observed_options": u.observed_options,
                "agrees": u.agrees,
                "stand_in": u.stand_in,
                "error": u.error,
            }
            for u in self.users
        ]
        frame = pd.DataFrame(rows, columns=list(REHEARSAL_COLUMNS))
        typed: pd.DataFrame = frame.astype(
            {
                **dict.fromkeys(["username", "copy", "predicted", "observed"], "string"),
                **dict.fromkeys(["predicted_options", "observed_options"], "string"),
                **dict.fromkeys(["stand_in", "error"], "string"),
                "agrees": "bool",
            }
        )
        return typed

    def summary(self) -> str:
        """One line: how many agree, and how many needed a stand-in."""
        stood = sum(bool(u.stand_in) for u in self.users)
        sample = " (a sample)" if self.sampled else ""
        return (
            f"{self.agreed} of {len(self.users)} rehearsed users{sample} agree with the "
            f"prediction ({100 * self.agreement:.1f}%); {stood} rehearsed with a stand-in"
        )


class _World:
    """The sandbox pool the rehearsal builds, and how it copies and signs in users."""

    def __init__(self, client: MfaClient, impact: Impact, prefix: str) -> None:
        self.client = client
        self.impact = impact
        self.prefix = prefix
        self.passwords: dict[str, str] = {}
        today = impact.today
        tier = Tier.PLUS if today.mfa.tier is Tier.PLUS else Tier.ESSENTIALS
        self.prepare = PoolSignIn(
            PoolMfaConfig(PoolMfaMode.OPTIONAL, _PREPARE, tier, today.mfa.recovery),
            passkey_mfa=True,
            first_factors=frozenset({"PASSWORD", "WEB_AUTHN"}),
        )
        created = client.call(
            "CreateUserPool", PoolName=f"{prefix}-world", **_pool_settings(self.prepare)
        ).raise_for_error()
        self.pool_id = str(created.data["response"]["UserPool"]["Id"])
        set_pool_mfa(client, self.pool_id, self.prepare)
        app = client.call(
            "CreateUserPoolClient",
            UserPoolId=self.pool_id,
            ClientName=f"{prefix}-app",
            ExplicitAuthFlows=_ALL_FLOWS,
        ).raise_for_error()
        self.client_id = str(app.data["response"]["UserPoolClient"]["ClientId"])

    def copy(self, index: int, user: AuditedUser) -> tuple[str, str]:
        """Create the copy of ``user``; returns its name and the stand-ins it needed."""
        call = self.client.call
        name = f"{self.prefix}-{index:06d}"
        password = f"Rehearse-{secrets.token_urlsafe(12)}9!"
        self.passwords[name] = password
        create_confirmed_user(self.client, self.pool_id, name, password)
        stand_in = ["password"]
        has_passkey = "WEB_AUTHN" in (user.auth_factors or ())
        if user.totp_registered or has_passkey:
            token = self._tokens(name, password)
            if user.totp_registered:
                self._register_totp(token)
                stand_in.append("authenticator secret")
            if has_passkey:
                self._register_passkey(token)
                stand_in.append("passkey")
        attributes = _attributes(index, user)
        if attributes:
            call(
                "AdminUpdateUserAttributes",
                UserPoolId=self.pool_id,
                Username=name,
                UserAttributes=attributes,
            ).raise_for_error()
        change = user.preference.changes_from(_NOTHING)
        if not change.is_empty:  # only the factors that differ from a new user's
            self.client.admin_set_preference(
                self.pool_id, name, change, current=_NOTHING
            ).raise_for_error()
        if user.legacy_sms:
            stand_in.append("legacy SMS setting not copied")
        if user.status not in (None, "CONFIRMED"):
            stand_in.append(f"status {user.status} copied as CONFIRMED")
        if user.enabled is False:
            stand_in.append("disabled user copied as enabled")
        return name, ", ".join(stand_in[1:])  # every copy has its own password: not a mark

    def _tokens(self, name: str, password: str) -> str:
        attempt = self.client.sign_in(self.client_id, name, password)
        if attempt.tokens is None:  # nothing is enabled yet in an OPTIONAL pool: tokens
            raise InvalidArgumentError(f"the copy {name} could not sign in to register factors")
        return attempt.tokens.access_token

    def _register_totp(self, token: str) -> None:
        started = self.client.associate_totp(access_token=token).raise_for_error()
        secret = started.data["enrollment"].secret
        self.client.verify_totp(totp_code(secret), access_token=token).raise_for_error()

    def _register_passkey(self, token: str) -> None:
        from mfa_widgets.services.passkey_authenticator import SoftwareAuthenticator

        self.client.register_passkey(token, SoftwareAuthenticator(_ORIGIN)).raise_for_error()

    def sign_in(self, name: str, flow: str | None) -> SignInAttempt:
        """The copy's first sign-in step after the password."""
        return first_step(
            self.client, self.pool_id, self.client_id, name, self.passwords[name], flow
        )

    def delete(self) -> None:
        self.client.call("DeleteUserPool", UserPoolId=self.pool_id)


def _pool_settings(pool: PoolSignIn) -> dict[str, Any]:
    """``CreateUserPool``/``UpdateUserPool`` settings: plan, recovery channel, first factors."""
    order = ("PASSWORD", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN")
    return {
        "UserPoolTier": pool.mfa.tier.value,
        "AccountRecoverySetting": {
            "RecoveryMechanisms": [{"Priority": 1, "Name": pool.mfa.recovery.value}]
        },
        "Policies": {
            "SignInPolicy": {
                "AllowedFirstAuthFactors": [f for f in order if f in pool.first_factors]
            }
        },
    }


def set_pool_mfa(client: MfaClient, pool_id: str, pool: PoolSignIn) -> None:
    """``SetUserPoolMfaConfig`` for ``pool``: mode, factors, passkey MFA."""
    request = mfa_config_request(pool_id, pool.mfa)
    request["WebAuthnConfiguration"] = {
        "RelyingPartyId": _RP,
        "UserVerification": "required",
        "FactorConfiguration": (
            "MULTI_FACTOR_WITH_USER_VERIFICATION" if pool.passkey_mfa else "SINGLE_FACTOR"
        ),
    }
    client.call("SetUserPoolMfaConfig", **request).raise_for_error()


def change_pool(client: MfaClient, pool_id: str, client_id: str, after: PoolSignIn) -> None:
    """Make a pool and its app client what ``after`` says (on the sandbox: these are writes).

    Order matters: first the factors the new plan can't keep are dropped (email on Lite), then
    ``UpdateUserPool`` sets the plan, recovery channel and first factors (it replaces every
    setting), then the MFA configuration, then the app client's flows (``REFRESH_TOKEN_AUTH``
    kept).
    """
    keep = PoolMfaConfig(PoolMfaMode.OPTIONAL, after.mfa.factors | {Factor.TOTP})
    set_pool_mfa(client, pool_id, PoolSignIn(keep, passkey_mfa=after.passkey_mfa))
    client.call(
        "UpdateUserPool",
        UserPoolId=pool_id,
        MfaConfiguration=after.mfa.mode.value,
        **_pool_settings(after),
    ).raise_for_error()
    set_pool_mfa(client, pool_id, after)
    flows = [f"ALLOW_{flow}" for flow in sorted(after.flows)] + ["ALLOW_REFRESH_TOKEN_AUTH"]
    client.call(
        "UpdateUserPoolClient", UserPoolId=pool_id, ClientId=client_id, ExplicitAuthFlows=flows
    ).raise_for_error()


def first_step(
    client: MfaClient,
    pool_id: str,
    client_id: str,
    username: str,
    password: str,
    flow: str | None,
) -> SignInAttempt:
    """A password sign-in in ``flow`` (:attr:`PoolSignIn.password_flow`), to what follows it.

    ``USER_AUTH`` is asked with ``PREFERRED_CHALLENGE=PASSWORD``; ``USER_SRP_AUTH`` answers
    ``PASSWORD_VERIFIER`` (pycognito's SRP); with no flow the password flow is tried and refused.
    """
    if flow == "USER_AUTH":
        return client.sign_in(client_id, username, password, flow="choice", preferred="PASSWORD")
    if flow == "ADMIN_USER_PASSWORD_AUTH":
        return client.sign_in(client_id, username, password, user_pool_id=pool_id)
    if flow == "USER_SRP_AUTH":
        srp = SrpProof(pool_id, client_id, username, password)
        started = client.sign_in(client_id, username, flow="srp", srp=srp)
        if started.challenge != "PASSWORD_VERIFIER":
            return started
        return started.answer(srp)
    return client.sign_in(client_id, username, password)


def _attributes(index: int, user: AuditedUser) -> list[dict[str, str]]:
    """Fictional contact attributes with the audited verified flags (555-01xx numbers)."""
    found: list[dict[str, str]] = []
    if user.has_phone:
        found += [
            {"Name": "phone_number", "Value": f"+1555{index % 10_000_000:07d}"},
            {"Name": "phone_number_verified", "Value": str(user.phone_verified).lower()},
        ]
    if user.has_email:
        found += [
            {"Name": "email", "Value": f"copy{index}@example.com"},
            {"Name": "email_verified", "Value": str(user.email_verified).lower()},
        ]
    return found


def rehearse(
    impact: Impact,
    sandbox_client: MfaClient,
    *,
    sample: int | None = None,
    seed: int = 0,
    workers: int | None = None,
    write_rate: float = QUOTAS["UserResourceUpdate"],
    auth_rate: float = QUOTAS["UserAuthentication"],
    progress: Callable[[int, int], None] | Literal[False] | None = None,
    stop: threading.Event | None = None,
    keep: bool = False,
    prefix: str = "rehearsal",
) -> Rehearsal:
    """Rehearse ``impact``'s change on a sandbox and compare the prediction with what happens.

    Parameters
    ----------
    impact
        What :func:`~mfa_widgets.services.impact.impact` predicted.
    sandbox_client
        A client for the sandbox the rehearsal builds its world in (e.g.
        ``MfaClient.for_sandbox(sandbox)``); never the audited pool's.
    sample
        Rehearse at most this many users, drawn at random (``seed``) but always including every
        user who needs attention; ``None`` rehearses everyone.
    workers
        Users copied and signed in at once (default: from the rates, 8 when unlimited).
    write_rate, auth_rate
        Requests/s for the UserResourceUpdate and sign-in categories (default: Cognito's
        quotas, as the sweep; ``0``: unlimited).
    progress
        ``progress(done, total)`` after each user (copies, then sign-ins). Default: a progress
        bar when a terminal or notebook shows it (:mod:`mfa_widgets.services.progress`);
        ``False``: none.
    stop
        Set it to end early; the users done so far are reported.
    keep
        Keep the sandbox pool afterwards (default: deleted).

    Raises
    ------
    InvalidArgumentError
        For a bad argument.
    """
    need_instance(impact, Impact, "impact", "pass what mfa_widgets.impact(...) returned")
    need_instance(sandbox_client, MfaClient, "sandbox_client", "pass MfaClient.for_sandbox(sb)")
    if sample is not None:
        need_count(sample, "sample", minimum=1)
    need_count(seed, "seed", minimum=0)
    need_flag(keep, "keep")
    need_text(prefix, "prefix", "pass a short name such as 'rehearsal'", max_length=40)
    need_job_options(
        workers=workers,
        rates={"write_rate": write_rate, "auth_rate": auth_rate},
        progress=progress,
        stop=stop,
    )
    chosen = _sample(impact, sample, seed)
    pacer = QuotaPacer({"UserResourceUpdate": write_rate, "UserAuthentication": auth_rate})
    client = sandbox_client.with_log(None).with_pacer(pacer)
    world = _World(client, impact, f"{prefix}-{secrets.token_hex(3)}")
    total = 2 * len(chosen)
    done = 0
    lock = threading.Lock()

    shown, bar = progress_for(progress, "rehearsal", "step")

    def tick() -> None:
        nonlocal done
        with lock:
            done += 1
            now = done
        if shown is not None:
            shown(now, total)

    copies: dict[int, tuple[str, str, str | None]] = {}

    def copy_one(item: tuple[int, int]) -> tuple[str, str, str | None]:
        number, index = item
        user = impact.audit.users[index]
        try:
            name, stand_in = world.copy(number, user)
            return name, stand_in, None
        except Exception as error:  # one user that can't be copied must not sink the rest
            return f"{world.prefix}-{number:06d}", "", f"could not copy the user: {error}"

    def copied(item: tuple[int, int], result: tuple[str, str, str | None]) -> None:
        copies[item[1]] = result
        tick()

    threads = workers or max(2, min(8, workers_for(pacer.limiter("UserResourceUpdate"))))
    try:
        items = list(enumerate(chosen))
        run_bounded(copy_one, items, workers=threads, on_done=copied, stop=stop)
        change_pool(client, world.pool_id, world.client_id, impact.after)
        flow = impact.after.password_flow
        observed: dict[int, SignInAttempt] = {}

        def sign_in(index: int) -> SignInAttempt:
            return world.sign_in(copies[index][0], flow)

        def signed(index: int, attempt: SignInAttempt) -> None:
            observed[index] = attempt
            tick()

        ready = [index for index in chosen if index in copies and copies[index][2] is None]
        run_bounded(sign_in, ready, workers=threads, on_done=signed, stop=stop)
    finally:
        if bar is not None:
            bar.close()
        if not keep:
            world.delete()
    rows = impact.rows
    users = []
    for index in chosen:
        if index not in copies:
            continue
        name, stand_in, error = copies[index]
        row, attempt = rows[index], observed.get(index)
        users.append(
            RehearsedUser(
                impact.audit.users[index].username,
                name,
                row.challenge_after,
                None if attempt is None else observed_label(attempt),
                row.options_after,
                "" if attempt is None else ",".join(attempt.options),
                stand_in,
                error if error or attempt is not None else "not signed in (stopped)",
            )
        )
    return Rehearsal(impact, world.pool_id, world.client_id, tuple(users), len(chosen) < len(rows))


def _sample(impact: Impact, sample: int | None, seed: int) -> list[int]:
    """Indexes of the users to rehearse: every readable user, or a sample with attention first."""
    readable = [i for i, u in enumerate(impact.audit.users) if u.read_error is None]
    if sample is None or sample >= len(readable):
        return readable
    rows = impact.rows
    urgent = [i for i in readable if rows[i].verdict in ATTENTION]
    rest = [i for i in readable if rows[i].verdict not in ATTENTION]
    picked = urgent[:sample] + random.Random(seed).sample(  # noqa: S311 - a reproducible sample, no secret
        rest, max(0, sample - len(urgent))
    )
    return sorted(picked)
