"""The classroom: one sandbox process serving an isolated Cognito world to every learner.

One HTTP endpoint; every request carries a key in the ``X-Mfa-Classroom-Key`` header
(:data:`~mfa_widgets.core.classroom_link.KEY_HEADER`). A learner's key routes their Cognito calls
to their own world (:class:`~mfa_widgets.sandbox.classroom.world.LearnerWorld`, a moto account
of its own) and opens the small lab API their notebook uses; the trainer's key opens the board's
API (progress, reset a world, apply a scenario, reveal a hint). A request without a valid key is
refused, whatever the address. One class code (:attr:`Classroom.class_code`, for the trainer to
write on the board) opens the ``join`` call and nothing else: a learner joins with it and their
name, and gets a world and a join key of their own for every later request. Only Cognito calls
(``POST /`` with a Cognito ``X-Amz-Target``) and the classroom API are served: moto's own
management routes (which could reset every world) are not reachable.

The roster, progress, hints and class code are saved in ``state_dir`` and survive a restart; the
worlds do not, and each gets a new world id that the learner's lab notices and reports in plain
words.
"""

from __future__ import annotations

import collections
import contextlib
import hashlib
import hmac
import io
import json
import os
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from mfa_widgets.aws_clients import new_session
from mfa_widgets.core.class_scenario import Scenario
from mfa_widgets.core.classroom_link import API_PREFIX, KEY_HEADER, JoinLink
from mfa_widgets.core.errors import MfaWidgetsError
from mfa_widgets.core.extras import require_extra
from mfa_widgets.core.lab_exercises import EXERCISE_NUMBERS
from mfa_widgets.core.loopback import is_loopback_host
from mfa_widgets.core.signin import PoolMfaConfig, PoolMfaMode
from mfa_widgets.sandbox.classroom.fair_lock import FairLock
from mfa_widgets.sandbox.classroom.join import (
    learner_name,
    new_class_code,
    same_code,
    unique_name,
)
from mfa_widgets.sandbox.classroom.store import Learner, Roster, now
from mfa_widgets.sandbox.classroom.timings import CallTimings
from mfa_widgets.sandbox.classroom.transport import operations
from mfa_widgets.sandbox.classroom.welcome import welcome
from mfa_widgets.sandbox.classroom.world import LearnerWorld, new_account_id, new_key
from mfa_widgets.sandbox.errors import ClassroomApiError, ClassroomSetupError
from mfa_widgets.sandbox.host_check import loopback_host
from mfa_widgets.sandbox.provision import SandboxPool
from mfa_widgets.sandbox.serving import pooled_server, serve_in_background, stop_serving
from mfa_widgets.sandbox.wire import TARGET_PREFIX, WireError, json_body, to_wire, wire_headers

__all__ = ["Classroom", "ClassroomSetupError", "Scenario"]

_instances: weakref.WeakSet[Classroom] = weakref.WeakSet()
_KEY_ENVIRON = "HTTP_" + KEY_HEADER.upper().replace("-", "_")
_MAX_BODY = 64 * 1024
_STATE_FILE = "classroom.json"
_UNKNOWN_KEY = (
    "this classroom does not know that join key: if it was restarted without a state folder, "
    "every link changed; ask your trainer for your new link"
)
_LAB_CALLS = ("create_pool", "create_user", "sign_in", "totp_code")
_WRONG_CODE = (
    "that is not this classroom's class code: copy the code your trainer wrote on the board "
    "(two groups of four letters and digits, e.g. K7QX-M2PD)"
)
#: The most learners one classroom takes (a class code cannot fill the classroom's memory).
MAX_LEARNERS = 200
#: Open connections at once: three kept-alive connections per seat (a lab keeps one or two).
MAX_CONNECTIONS = 3 * MAX_LEARNERS
#: Joins with the class code per minute (ours): a room joins in a few minutes, while a leaked code
#: cannot fill every seat in seconds. The trainer's own ``add_learner`` is not limited.
MAX_JOINS_PER_MINUTE = 30
#: The most of a learner's own words kept with a check (a note for the trainer, never a pass).
NOTE_CHARS = 200


class _Window:
    """At most ``limit`` events in any ``seconds``-long window (a sliding log of times)."""

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit, self.seconds = limit, seconds
        self._times: collections.deque[float] = collections.deque()
        self._lock = threading.Lock()

    def allow(self) -> bool:
        """Count one event now; False (not counted) when the window is full."""
        moment = time.monotonic()
        with self._lock:
            while self._times and moment - self._times[0] >= self.seconds:
                self._times.popleft()
            if len(self._times) >= self.limit:
                return False
            self._times.append(moment)
            return True


StartResponse = Callable[..., Any]


class Classroom:
    """A classroom sandbox: one endpoint, one isolated Cognito world per learner.

    Parameters
    ----------
    learners
        How many learners (named ``learner-01``...) or their names. More can join later with
        :meth:`add_learner`. On a restart the saved roster is used and this only adds names.
    host
        The address to listen on; loopback by default. Any other address needs
        ``allow_remote=True``.
    port
        TCP port; 0 picks a free one (or, on a restart, the port saved before).
    region
        The region of every world.
    state_dir
        Where the roster, progress and hints are saved; ``None`` keeps them in memory only.
    allow_remote
        Permit listening on a non-loopback address.

    Examples
    --------
    >>> with Classroom(learners=["ana", "ben"]) as room:          # doctest: +SKIP
    ...     print(room.links()["ana"])
    """

    def __init__(
        self,
        learners: int | Sequence[str] = 0,
        host: str = "127.0.0.1",
        port: int = 0,
        region: str = "us-east-1",
        state_dir: Path | str | None = None,
        allow_remote: bool = False,
    ) -> None:
        if not is_loopback_host(host) and not allow_remote:
            raise MfaWidgetsError(
                f"{host!r} is not a loopback address: learners elsewhere could reach the "
                "classroom; pass allow_remote=True (on the command line: --allow-remote) to mean it"
            )
        self.host = host
        # Remote access asked for: learners call the machine's own name, so any Host is fine.
        self.allow_remote = allow_remote or not is_loopback_host(host)
        self.region = region
        self.roster = Roster(Path(state_dir) / _STATE_FILE if state_dir is not None else None)
        self._requested_port = port or int(self.roster.settings.get("port", 0))
        names = (
            [f"learner-{i:02d}" for i in range(1, learners + 1)]
            if isinstance(learners, int)
            else list(learners)
        )
        self._wanted = [n for n in names if n not in self.roster.learners]
        self._worlds: dict[bytes, LearnerWorld] = {}
        self._by_name: dict[str, LearnerWorld] = {}
        self._moto_app: Any = None
        self._session: Any = None  # one boto3 session: every world's client is cheap to make
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self._lock = threading.RLock()
        # moto finds the backend of some operations by walking every account's pools, so a
        # pool created (or a world built, reset or dropped) in one world while another world's
        # request walks them would fail that request: the part of a Cognito call that works on
        # moto and the store runs one at a time (the interpreter lock serialises that work
        # anyway), and no call waits long behind calls that came after it (a plain Lock let a
        # thread's next call pass the waiting ones). Reading, checking and answering a call run
        # outside it.
        self._moto_lock = FairLock()
        self._waited = threading.local()  # this thread's wait for the lock, for the timings
        #: What the classroom itself spends per request (:meth:`timings`).
        self.call_timings = CallTimings()
        self._joins = _Window(MAX_JOINS_PER_MINUTE, 60.0)
        self._retired: list[str] = []  # secrets of stopped worlds, for leak scans
        _instances.add(self)

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> Classroom:
        """Serve: build every learner's world, save the roster, print nothing."""
        if self._server is not None:
            return self
        if "MOTO_ACCOUNT_ID" in os.environ:
            raise MfaWidgetsError(
                "MOTO_ACCOUNT_ID is set: moto would put every learner in that one account; "
                "unset it before starting a classroom"
            )
        require_extra("sandbox", "the classroom")
        from mfa_widgets.sandbox.bridge.moto_bridge import moto_wsgi_app, share_pool_signing_key

        share_pool_signing_key()
        operations()  # botocore's model, loaded now: at the first calls every thread loaded it
        self._session = new_session()
        # moto's Cognito app itself, not its dispatcher: only Cognito calls reach it, and the
        # dispatcher's search for the service (by host, for every request) cost more CPU than
        # the call it routes.
        self._moto_app = moto_wsgi_app()  # its logger is off: tracebacks quote request values
        self._server = pooled_server(
            self._timed_front, self.host, self._requested_port, connections=MAX_CONNECTIONS
        )
        with self.roster.lock:
            self.roster.boots += 1
            self.roster.trainer_key = self.roster.trainer_key or new_key()
            self.roster.class_code = self.roster.class_code or new_class_code()
            self.roster.settings.update(port=self.port, host=self.host, region=self.region)
            for learner in list(self.roster.learners.values()):
                self._open_world(learner)
            for name in self._wanted:
                self._add(name)
            self.roster.save()
        self._thread = serve_in_background(self._server, "classroom")  # once every world is built
        return self

    def stop(self) -> None:
        """Stop serving and delete every world's Cognito data (the roster stays saved)."""
        if self._server is None:
            return
        stop_serving(self._server, self._thread)
        self._server, self._thread = None, None
        self.roster.flush()  # progress recorded in the last moment
        self._retired = self.issued_secrets()
        for world in self._by_name.values():
            world.bridge.drop_account()
        self._worlds.clear()
        self._by_name.clear()

    def __enter__(self) -> Classroom:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        where = self.endpoint_url if self._server is not None else "stopped"
        return f"Classroom({where}, {len(self.roster.learners)} learners)"

    # -- where it is ---------------------------------------------------------------------------

    @property
    def port(self) -> int:
        """The TCP port served on."""
        if self._server is None:
            raise RuntimeError("the classroom is not running: call start()")
        return int(self._server.server_port)

    @property
    def endpoint_url(self) -> str:
        """``http://host:port`` as learners reach it."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def _loopback_url(self) -> str:
        host = "127.0.0.1" if self.host in ("0.0.0.0", "", "::") else self.host  # noqa: S104
        return f"http://{f'[{host}]' if ':' in host else host}:{self.port}"

    def links(self) -> dict[str, str]:
        """Each learner's join link, by name (``http://host:port/#join=KEY``)."""
        return {
            name: str(JoinLink(self.endpoint_url, learner.key))
            for name, learner in self.roster.learners.items()
        }

    @property
    def trainer_link(self) -> str:
        """The trainer's link for the board (``http://host:port/#trainer=KEY``)."""
        return str(JoinLink(self.endpoint_url, self.roster.trainer_key, "trainer"))

    @property
    def class_code(self) -> str:
        """The one code a trainer writes on the board (``K7QX-M2PD``); learners join with it."""
        return self.roster.class_code

    @property
    def class_link(self) -> str:
        """The class code with the address (``http://host:port/#class=CODE``), for ``Lab``."""
        return str(JoinLink(self.endpoint_url, self.roster.class_code, "class"))

    def join(self, name: str) -> tuple[str, str]:
        """Add a learner who joined with the class code; their name on the board and join key.

        The name is validated (:func:`~mfa_widgets.sandbox.classroom.join.learner_name`); a name
        already on the roster gets a number (``ana (2)``), so two learners never share a world.
        """
        wanted = learner_name(name)
        with self.roster.lock:
            if len(self.roster.learners) >= MAX_LEARNERS:
                raise ClassroomSetupError(
                    f"this classroom is full ({MAX_LEARNERS} learners): ask your trainer"
                )
            found = unique_name(wanted, self.roster.learners)
            self._add(found)
            self.roster.save()
            return found, self.roster.learners[found].key

    def add_learner(self, name: str) -> str:
        """Add a learner (or return the link of one with that name); returns the join link."""
        name = learner_name(name)
        with self.roster.lock:
            if name not in self.roster.learners:
                self._add(name)
                self.roster.save()
        return self.links()[name]

    # -- trainer actions (also served to the board over HTTP) ----------------------------------

    def issued_secrets(self) -> list[str]:
        """Every secret of the classroom (keys, and each world's), for leak scans in tests."""
        found = [self.roster.trainer_key, self.roster.class_code, *self._retired]
        found.extend(learner.key for learner in self.roster.learners.values())
        for world in list(self._by_name.values()):
            found.extend(world.issued_secrets())
        return sorted(set(found))

    @staticmethod
    def instances() -> list[Classroom]:
        """Every classroom created in this process and still referenced."""
        return list(_instances)

    def board(self) -> list[dict[str, Any]]:
        """The progress rows: learner, exercise, attempts, passed, seconds, last error..."""
        return self.roster.board_rows()

    def timings(self, since: int = 0) -> dict[str, Any]:
        """What the classroom itself spends per request: count, then p50/p95/p99/max in ms.

        ``total_ms`` runs from the request reaching the classroom's front door to its answer;
        ``lock_wait_ms`` is the part of it spent waiting for the lock the worlds share. Neither
        counts the learner's own process, the network or the server's queue before the door.
        ``slowest`` names the slowest requests (operation or API route). ``since`` (a
        ``requests`` count read before) leaves out the requests up to it.
        """
        return self.call_timings.summary(since)

    def reset(self, name: str) -> None:
        """Empty one learner's world (their lab notices and sets itself up again)."""
        world = self._world_named(name)
        with self._shared():
            world.reset(self._moto_app)

    def remove_learner(self, name: str) -> None:
        """Take ``name`` off the roster: their world is deleted and their link stops working.

        For stray joins (a name typed twice, a test join) that would otherwise stay on the board
        and in the export as learners who never started.
        """
        world = self._world_named(name)
        with self.roster.lock, self._lock:
            self._retired.extend(world.issued_secrets())
            with self._shared():
                world.bridge.drop_account()
            self._worlds.pop(_digest(self.roster.learners[name].key), None)
            self._by_name.pop(name, None)
            del self.roster.learners[name]
            self.roster.save()

    def apply(self, scenario: Scenario) -> dict[str, int]:
        """Apply ``scenario`` to every learner's pools; how many learners and pools changed."""
        pools = learners = 0
        for world in list(self._by_name.values()):
            changed = world.apply(scenario)
            pools += changed
            learners += 1 if changed else 0
        return {"learners": learners, "pools": pools}

    def reveal_hint(self, exercise: int | None, text: str) -> None:
        """Show ``text`` to every learner (on ``exercise``, or on all when ``None``)."""
        text = str(text).strip()
        if not text:
            raise ClassroomSetupError("a hint needs some text: write what the learners should try")
        with self.roster.lock:
            self.roster.hints.append({"exercise": exercise, "text": text[:1000], "at": now()})
            self.roster.save()

    # -- internals -------------------------------------------------------------------------------

    def _add(self, name: str) -> None:
        name = learner_name(name)
        taken = {learner.account_id for learner in self.roster.learners.values()}
        learner = Learner(name=name, key=new_key(), account_id=new_account_id(taken))
        self.roster.learners[name] = learner
        self._open_world(learner)

    def _open_world(self, learner: Learner) -> None:
        world = LearnerWorld(
            learner.name,
            learner.key,
            learner.account_id,
            self.region,
            self._loopback_url,
            front=self._front,
            guard=self._shared,
        )
        with self._shared():  # a new account in moto: no other world's call may walk them now
            world.build(self._moto_app, self._session)
        with self._lock:
            self._worlds[_digest(learner.key)] = world
            self._by_name[learner.name] = world

    def _world_named(self, name: str) -> LearnerWorld:
        world = self._by_name.get(name)
        if world is None:
            raise ClassroomApiError(404, f"there is no learner {name!r} in this classroom")
        return world

    def _world_id(self, world: LearnerWorld) -> str:
        return f"{self.roster.boots}.{world.generation}"

    @contextlib.contextmanager
    def _shared(self) -> Iterator[None]:
        """Hold the lock the worlds share (moto's backends), counting this thread's wait."""
        asked = time.perf_counter()
        with self._moto_lock:
            self._waited.ms = getattr(self._waited, "ms", 0.0) + (time.perf_counter() - asked) * 1e3
            yield

    def _timed_front(
        self, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        """The front door as served over the network: each request's time is recorded."""
        self._waited.ms = 0.0
        started = time.perf_counter()
        try:
            return self._front(environ, start_response)
        finally:
            total = (time.perf_counter() - started) * 1e3
            path = str(environ.get("PATH_INFO", ""))
            what = (
                "api:" + path[len(API_PREFIX) :]
                if path.startswith(API_PREFIX)
                else str(environ.get("HTTP_X_AMZ_TARGET", "")).rpartition(".")[2]
            )
            self.call_timings.record(total, self._waited.ms, what)

    def _front(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Route a request: Cognito calls to the key's world, API calls to their handler."""
        key = str(environ.get(_KEY_ENVIRON, ""))
        path = str(environ.get("PATH_INFO", ""))
        method = str(environ.get("REQUEST_METHOD", ""))
        try:
            if not self.allow_remote and not loopback_host(environ):
                raise ClassroomApiError(
                    403,
                    "the Host header does not name this computer (127.0.0.1, localhost or ::1): "
                    "use the class link as given, or run the classroom with --allow-remote",
                )
            if path.startswith(API_PREFIX):
                return _json(
                    start_response, 200, self._api(path[len(API_PREFIX) :], method, key, environ)
                )
            target = str(environ.get("HTTP_X_AMZ_TARGET", ""))
            if path == "/" and method in {"GET", "HEAD"}:  # a person opened a printed link
                return welcome(start_response)
            if path != "/" or method != "POST" or not target.startswith(TARGET_PREFIX):
                raise ClassroomApiError(
                    404, "not found: a classroom serves Cognito calls and its own API only"
                )
            world = self._worlds.get(_digest(key)) if key else None
            if world is None:
                return _cognito_error(start_response, _refusal(key))
            refused = world.over_quota(target[len(TARGET_PREFIX) :]) or _foreign_client(
                world, environ
            )
            if refused is not None:
                return _cognito_error(start_response, refused)
            return world.app(environ, start_response)  # its fidelity layer holds the lock
        except ClassroomApiError as error:
            return _json(start_response, error.status, {"error": str(error)})

    def _api(self, route: str, method: str, key: str, environ: dict[str, Any]) -> dict[str, Any]:
        body = _read_json(environ) if method == "POST" else {}
        if key and hmac.compare_digest(_digest(key), _digest(self.roster.trainer_key)):
            return self._trainer_api(route, body)
        if route == "join":  # the one call the class code opens
            if not same_code(key, self.roster.class_code):
                raise ClassroomApiError(
                    403, _WRONG_CODE if key else "a class code is needed to join"
                )
            if not self._joins.allow():
                raise ClassroomApiError(
                    429,
                    f"more than {MAX_JOINS_PER_MINUTE} joins in the last minute: wait a minute "
                    "and use your link again",
                )
            try:
                name, learner_key = self.join(body.get("name", ""))
            except ClassroomSetupError as error:
                raise ClassroomApiError(400, str(error)) from None
            return {"learner": name, "key": learner_key}
        world = self._worlds.get(_digest(key)) if key else None
        if world is None:
            raise ClassroomApiError(
                403, _UNKNOWN_KEY if key else "a join key is needed: use your link"
            )
        try:
            return self._learner_api(world, route, body)
        except (KeyError, TypeError, ValueError) as error:
            raise ClassroomApiError(
                400, f"bad request to {route}: {type(error).__name__} {error}"
            ) from None
        except LookupError as error:
            raise ClassroomApiError(404, str(error)) from None

    def _learner_api(self, world: LearnerWorld, route: str, body: dict[str, Any]) -> dict[str, Any]:
        if route == "hello":
            with self.roster.lock:
                learner = self.roster.learners[world.name]
                if learner.joined is None:
                    learner.joined = now()
                    self.roster.save_soon()
            return {
                "learner": world.name,
                "region": world.region,
                "world": self._world_id(world),
                "hints": self.roster.hints,
            }
        if route == "progress":
            exercise = int(body["exercise"])
            if exercise not in EXERCISE_NUMBERS:  # one record per known exercise, at most
                raise ClassroomApiError(
                    400,
                    f"there is no exercise {exercise} in this lab: use one of "
                    f"{sorted(EXERCISE_NUMBERS)}",
                )
            verdict = None
            if body.get("event") != "start":  # a check: the classroom judges it, not the learner
                why = body.get("why")
                verdict = world.check(exercise, None if why is None else str(why))
            with self.roster.lock:
                record = self.roster.progress(world.name, exercise)
                if verdict is None:
                    record.record_start(now())
                else:  # what the learner claimed is a note for the trainer, never a pass
                    record.record_check(verdict.passed, verdict.message, now())
                    record.note = str(body.get("message", ""))[:NOTE_CHARS]
                self.roster.save_soon()
            hints = [h for h in self.roster.hints if h["exercise"] in (None, exercise)]
            answer: dict[str, Any] = {"world": self._world_id(world), "hints": hints}
            if verdict is not None:
                answer.update(
                    passed=verdict.passed, message=verdict.message, observed=verdict.observed
                )
            return answer
        answer = _cognito_answer(lambda: self._lab_helper(world, route, body))
        return {"world": self._world_id(world), **answer}

    def _lab_helper(self, world: LearnerWorld, route: str, body: dict[str, Any]) -> dict[str, Any]:
        if route not in _LAB_CALLS:
            raise ClassroomApiError(404, f"no classroom lab call {route!r}")
        if route == "create_pool":
            pool = world.create_pool(str(body["name"]), str(body["mfa"]))
            return {"pool_id": pool.pool_id, "client_id": pool.client_id, "name": pool.name}
        pool = SandboxPool(
            str(body["pool_id"]),
            str(body.get("client_id", "")),
            PoolMfaConfig(PoolMfaMode.OFF, frozenset()),
        )
        if route == "create_user":
            user = world.create_user(
                pool, str(body["username"]), body.get("phone"), body.get("email")
            )
            return {"username": user.username, "password": user.password}
        if route == "sign_in":
            tokens = world.sign_in(pool, str(body["username"]), str(body["password"]))
            return {"access_token": tokens["AccessToken"]}
        if route == "totp_code":
            return {"code": world.totp_code(pool, str(body["username"]))}
        raise ClassroomApiError(404, f"no classroom lab call {route!r}")

    def _trainer_api(self, route: str, body: dict[str, Any]) -> dict[str, Any]:
        try:
            if route == "timings":
                return self.timings(int(body.get("since", 0)))
            if route == "board":
                return {
                    "rows": self.board(),
                    "learners": list(self.roster.learners),
                    "hints": self.roster.hints,
                    "boots": self.roster.boots,
                }
            if route == "reset":
                self.reset(str(body["learner"]))
                return {"reset": body["learner"]}
            if route == "remove":
                self.remove_learner(str(body["learner"]))
                return {"removed": body["learner"]}
            if route == "scenario":
                fields = {k: body.get(k) for k in ("mfa", "sms", "totp", "email", "pool_name")}
                scenario = Scenario(**fields)
                return {
                    **_cognito_answer(lambda: self.apply(scenario)),
                    "description": scenario.describe(),
                }
            if route == "hint":
                exercise = body.get("exercise")
                self.reveal_hint(
                    None if exercise is None else int(exercise), str(body.get("text", ""))
                )
                return {"hints": len(self.roster.hints)}
            if route == "learners":
                link = self.add_learner(str(body["name"]))
                return {"name": body["name"], "link": link}
        except (KeyError, TypeError, ValueError) as error:
            raise ClassroomApiError(
                400, f"bad request to {route}: {type(error).__name__} {error}"
            ) from None
        raise ClassroomApiError(404, f"no classroom trainer call {route!r}")


def _cognito_answer(action: Callable[[], Any]) -> dict[str, Any]:
    """Run a helper that calls Cognito; a Cognito error becomes a 400 with Cognito's message."""
    from botocore.exceptions import ClientError

    try:
        result = action()
    except ClientError as error:
        info = error.response.get("Error", {})
        raise ClassroomApiError(
            400, f"{info.get('Code', 'Error')}: {info.get('Message', '')}"
        ) from None
    except WireError as error:  # raised by the world's own lookups (an unknown pool, user)
        raise ClassroomApiError(400, f"{error.code}: {error.message}") from None
    return result if isinstance(result, dict) else {"result": result}


def _digest(key: str) -> bytes:
    """Keys are looked up by digest, so a lookup's timing says nothing about a stored key."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).digest()


def _foreign_client(world: LearnerWorld, environ: dict[str, Any]) -> WireError | None:
    """Cognito's "does not exist" for an app client id that is not in ``world``, else ``None``.

    moto looks up the operations that carry only an app client id (``ConfirmSignUp``,
    ``ForgotPassword``...) in *every* account, so another learner's client id would reach their
    world. The fidelity layer answers some of them itself; this check covers all.
    """
    client_id = json_body(_read_raw(environ)).get("ClientId")
    if client_id is None:
        return None
    try:
        world.bridge.find_client(str(client_id))
    except WireError as error:
        return error
    return None


def _read_raw(environ: dict[str, Any]) -> bytes:
    """The request body, left readable again for the next reader."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > _MAX_BODY:
        raise ClassroomApiError(413, f"request body over {_MAX_BODY} bytes")
    raw: bytes = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(raw)
    return raw


def _read_json(environ: dict[str, Any]) -> dict[str, Any]:
    raw = _read_raw(environ)
    try:
        document = json.loads(raw or b"{}")
    except ValueError:
        raise ClassroomApiError(400, "the request body is not JSON") from None
    if not isinstance(document, dict):
        raise ClassroomApiError(400, "the request body must be a JSON object")
    return document


def _json(start_response: StartResponse, status: int, document: dict[str, Any]) -> list[bytes]:
    payload = json.dumps(document).encode()
    phrase = {200: "OK", 400: "Bad Request", 403: "Forbidden", 404: "Not Found", 413: "Too Large"}
    start_response(
        f"{status} {phrase.get(status, 'Error')}",
        [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))],
    )
    return [payload]


def _refusal(key: str) -> WireError:
    """Why a Cognito call without a known key is refused (never repeating the key)."""
    if key:
        return WireError("NotAuthorizedException", _UNKNOWN_KEY, 403)
    return WireError(
        "NotAuthorizedException",
        f"no join key: every call to a classroom carries the learner's key in {KEY_HEADER}",
        403,
    )


def _cognito_error(start_response: StartResponse, error: WireError) -> list[bytes]:
    """Cognito's error shape, so boto3 raises the error with its code and message."""
    payload = to_wire(error.body())
    headers = wire_headers(len(payload), [("x-amzn-ErrorType", error.code)])
    start_response(
        f"{error.status} {'Forbidden' if error.status == 403 else 'Bad Request'}", headers
    )
    return [payload]
