"""One learner's world in a classroom: a moto account of its own behind the shared endpoint.

moto keeps its backends per account id, and the fidelity layer tags every request with its
bridge's account, so a world is a :class:`~mfa_widgets.sandbox.cognito.app.FidelityApp` with its
own account, MFA state, outbox and faults. Whatever account a request claims is overwritten, so
a learner can name (or guess) another world's pool ids, usernames and tokens and still only ever
reach their own.
"""

from __future__ import annotations

import contextlib
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mfa_widgets.core.class_scenario import Scenario
from mfa_widgets.core.classroom_link import send_key_with
from mfa_widgets.core.lab_exercises import (
    EXERCISE_USERS,
    REQUIRES_MFA,
    ExerciseFacts,
    Verdict,
    judge,
    why_problem,
)
from mfa_widgets.core.preferences import Factor
from mfa_widgets.core.requests import mfa_config_request
from mfa_widgets.core.signin import PoolMfaMode
from mfa_widgets.sandbox.authenticator import authenticator_code
from mfa_widgets.sandbox.bridge.moto_bridge import MotoBridge
from mfa_widgets.sandbox.bridge.views import PoolView
from mfa_widgets.sandbox.classroom.transport import InProcessCognito
from mfa_widgets.sandbox.cognito.app import FidelityApp, WsgiApp
from mfa_widgets.sandbox.cognito.pool_mfa import mfa_config
from mfa_widgets.sandbox.faults import Faults
from mfa_widgets.sandbox.provision import SandboxPool, SandboxUser, create_pool, create_user
from mfa_widgets.sandbox.provision import sign_in as provision_sign_in
from mfa_widgets.sandbox.store.outbox import Outbox
from mfa_widgets.sandbox.store.state import SandboxState
from mfa_widgets.sandbox.wire import WireError

__all__ = ["MAX_POOLS", "MAX_USERS", "LearnerWorld", "new_account_id", "new_key"]

#: The most user pools and users one world may hold: a learner's loop cannot fill the
#: classroom's memory and so break everyone else's class.
MAX_POOLS = 50
MAX_USERS = 1000

_CREATES_POOL = {"CreateUserPool"}
_CREATES_USER = {"AdminCreateUser", "SignUp"}


def new_key() -> str:
    """A fresh, unguessable join key (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def new_account_id(taken: set[str]) -> str:
    """A random 12-digit moto account id not in ``taken`` (and never moto's default)."""
    while True:
        account = f"{secrets.randbelow(9 * 10**11) + 10**11}"
        if account not in taken and account != "123456789012":
            return account


@dataclass
class LearnerWorld:
    """A learner's isolated Cognito: their pools, users, codes and sessions.

    Parameters
    ----------
    name
        The learner's display name on the board.
    key
        The learner's join key (hidden from ``repr``).
    account_id
        The moto account holding the world's data.
    region
        The region pools are created in.
    endpoint
        The classroom's own loopback endpoint, for calls the classroom makes on the learner's
        behalf (they go through the same front door as the learner's).
    front
        The classroom's front door (WSGI): when given, those calls are answered in-process by
        it (:class:`~mfa_widgets.sandbox.classroom.transport.InProcessCognito`) instead of
        going over HTTP to ``endpoint``.
    guard
        The classroom's lock shared by every world, held by the fidelity layer around each
        call's work on moto and the store (see
        :class:`~mfa_widgets.sandbox.cognito.app.FidelityApp`).
    """

    name: str
    key: str = field(repr=False)
    account_id: str
    region: str
    endpoint: str = field(repr=False, default="")
    front: WsgiApp | None = field(repr=False, default=None)
    guard: Callable[[], contextlib.AbstractContextManager[Any]] | None = field(
        repr=False, default=None
    )
    generation: int = 0
    _app: Any = field(init=False, repr=False, default=None)
    _client: Any = field(init=False, repr=False, default=None)
    _lock: threading.Lock = field(init=False, repr=False, default_factory=threading.Lock)

    def build(self, moto_app: WsgiApp, session: Any = None) -> LearnerWorld:
        """Give the world an empty Cognito (new state, outbox and fidelity layer).

        ``session`` (a ``boto3.Session`` shared by the classroom's worlds, so each client costs
        milliseconds rather than a fresh parse of the service model) makes the world's client now,
        so a learner's first step does not wait for it.
        """
        self.bridge = MotoBridge(self.account_id)
        self.state = SandboxState()
        self.outbox = Outbox(clock=self.state.clock)
        self.faults = Faults()
        # The users the lab's set-up made (username -> pool, app client, password): the
        # classroom signs them in itself to check an exercise. Kept in memory only.
        self.lab_users: dict[str, tuple[str, str, str]] = {}
        self.bridge.warm(self.region)  # create the account's backend now, not mid-class
        self._app = FidelityApp(
            moto_app,
            self.bridge,
            self.state,
            self.outbox,
            self.faults,
            self.region,
            guard=self.guard,
        )
        if session is not None and self._client is None:
            self._client = self._make_client(session)
        return self

    @property
    def app(self) -> FidelityApp:
        """The world's fidelity layer (WSGI)."""
        if self._app is None:
            raise RuntimeError(f"the world of {self.name} is not built")
        app: FidelityApp = self._app
        return app

    def reset(self, moto_app: WsgiApp) -> None:
        """Delete every pool, user, code and session of the world and start it empty."""
        with self._lock:
            self.bridge.drop_account()
            self.build(moto_app)
            self.generation += 1

    # -- the provision.Sandbox protocol: the lab's helpers run server-side -------------------------

    def client(self, max_attempts: int | None = 1) -> Any:
        """A boto3 client calling this world through the classroom's front door."""
        if self._client is None and self.front is not None:
            self._client = InProcessCognito(self.front, self.key, self.region)
        if self._client is None:
            from mfa_widgets.aws_clients import new_session

            self._client = self._make_client(new_session())
        return self._client

    def _make_client(self, session: Any) -> Any:
        if self.front is not None:
            return InProcessCognito(self.front, self.key, self.region)
        from botocore.config import Config

        from mfa_widgets.aws_clients import cognito_client

        client = cognito_client(
            session,
            region=self.region,
            endpoint_url=self.endpoint,
            config=Config(retries={"total_max_attempts": 1, "mode": "standard"}),
            credentials=("classroom", "classroom"),
        )
        return send_key_with(client, self.key)

    def issue_token(self, pool: SandboxPool | str, username: str) -> str:
        """Mint an access token for ``username`` (used to register an authenticator)."""
        view = self.bridge.pool(_pool_id(pool))
        user = self.bridge.user(view, username)
        client_id = (
            pool.client_id if isinstance(pool, SandboxPool) else self.bridge.client_ids(view)[0]
        )
        return self.bridge.mint_access_token(view, client_id, user.username)

    def totp_code(self, pool: SandboxPool | str, username: str) -> str:
        """The code of the user's authenticator (``LookupError`` before AssociateSoftwareToken)."""
        return authenticator_code(self.bridge, self.state, _pool_id(pool), username, time.time())

    def latest_code(self, username: str, channel: str, pool: SandboxPool | None = None) -> str:
        """The newest SMS or email code sent to ``username`` in this world."""
        return self.outbox.latest(username, channel, pool.pool_id if pool else None).code

    # -- what the lab asks for ---------------------------------------------------------------

    def create_pool(self, name: str, mfa: str) -> SandboxPool:
        """Create a pool (SMS, TOTP and email offered) with a password-flow app client."""
        return create_pool(self, name, mfa)

    def create_user(
        self, pool: SandboxPool, username: str, phone: str | None, email: str | None
    ) -> SandboxUser:
        """Create a confirmed user with a generated password (remembered for checks)."""
        user = create_user(self, pool, username, None, phone, email)
        self.lab_users[user.username] = (pool.pool_id, pool.client_id, user.password)
        return user

    def check(self, number: int, why: str | None = None) -> Verdict:
        """Judge exercise ``number`` in this world: the classroom's own check, not the learner's.

        The exercise's user is the one the lab's set-up made last; the facts are read from the
        world's own state, and the challenge is what a real password sign-in returns (through the
        classroom's front door, as the learner's lab would sign in).
        """
        wrong = why_problem(number, why, ["A", "B", "C"])
        if wrong:
            return Verdict(False, wrong)
        username = EXERCISE_USERS[number]
        made = self.lab_users.get(username)
        if made is None:
            return Verdict(False, f"Exercise {number} is not set up: run lab.exercise({number}).")
        pool_id, client_id, password = made
        try:
            view = self.bridge.pool(pool_id)
        except WireError:  # the learner deleted the lab's pool
            return Verdict(False, f"The lab's pool is gone: run lab.exercise({number}) again.")
        required = mfa_config(self.bridge, self.state, view).mode is PoolMfaMode.ON
        if required != REQUIRES_MFA[number]:
            return Verdict(False, f"Exercise {number} is about the lab's own pool and user.")
        user = self.bridge.find_user(view, username)
        if user is None:
            return Verdict(False, f"{username} is gone: run lab.exercise({number}) again.")
        from botocore.exceptions import ClientError

        state = self.state.user(pool_id, user.id)
        preferred = state.preference.preferred
        try:
            answer = self.client().initiate_auth(
                ClientId=client_id,
                AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": username, "PASSWORD": password},
            )
            observed = str(answer.get("ChallengeName") or "NONE")
            options = _options(answer)
            error = ""
        except ClientError as failure:  # reported in words, as the lab reports a failed sign-in
            observed, options = "ERROR", ()
            error = str(failure.response.get("Error", {}).get("Code", "Error"))
        facts = ExerciseFacts(
            preferred=preferred if isinstance(preferred, Factor) else None,
            totp_registered=state.totp_registered,
            has_phone=self.bridge.attribute(user, "phone_number") is not None,
            has_email=self.bridge.attribute(user, "email") is not None,
            observed=observed,
            options=options,
            error=error,
        )
        return judge(number, username, facts)

    def sign_in(self, pool: SandboxPool, username: str, password: str) -> dict[str, Any]:
        """Sign in to the end, answering every challenge; the tokens."""
        return provision_sign_in(self, pool, username, password)

    def issued_secrets(self) -> list[str]:
        """Every secret of the world: key, passwords, tokens, TOTP secrets, codes, sessions."""
        found = [self.key, *self.state.secrets(), *(d.code for d in self.outbox)]
        found.extend(password for _, _, password in self.lab_users.values())
        found.extend(self.bridge.issued_secrets())
        return found

    def over_quota(self, operation: str) -> WireError | None:
        """``LimitExceededException`` when ``operation`` would grow the world past its quota."""
        if operation in _CREATES_POOL and len(self.pools()) >= MAX_POOLS:
            what = f"{MAX_POOLS} user pools"
        elif operation in _CREATES_USER and self.bridge.user_count() >= MAX_USERS:
            what = f"{MAX_USERS} users"
        else:
            return None
        return WireError(
            "LimitExceededException",
            f"this classroom world holds {what}, the most one learner may have: delete some, "
            "or ask your trainer to reset your world",
        )

    def pools(self) -> list[PoolView]:
        """The pools of this world."""
        return self.bridge.pools()

    def apply(self, scenario: Scenario) -> int:
        """Apply ``scenario`` to the world's pools; returns how many pools changed."""
        changed = 0
        for pool in self.pools():
            if scenario.pool_name is not None and pool.name != scenario.pool_name:
                continue
            current = mfa_config(self.bridge, self.state, pool)
            wanted = scenario.applied_to(current)
            sms_role = f"arn:aws:iam::{self.account_id}:role/sandbox-sms"
            self.client().set_user_pool_mfa_config(**mfa_config_request(pool.id, wanted, sms_role))
            changed += 1
        return changed


def _options(answer: dict[str, Any]) -> tuple[str, ...]:
    """The factors a ``SELECT_MFA_TYPE`` offers (``MFAS_CAN_CHOOSE``, a JSON list), else ()."""
    import json

    parameters = answer.get("ChallengeParameters") or {}
    raw = parameters.get("MFAS_CAN_CHOOSE") or parameters.get("MFAS_CAN_SETUP")
    try:
        found = json.loads(raw) if raw else []
    except ValueError:
        return ()
    return tuple(str(item) for item in found) if isinstance(found, list) else ()


def _pool_id(pool: SandboxPool | str) -> str:
    return pool.pool_id if isinstance(pool, SandboxPool) else pool
