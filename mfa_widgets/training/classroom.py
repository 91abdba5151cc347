"""The notebook's side of a classroom: a learner's world and the trainer's controls, over HTTP.

:class:`ClassroomWorld` stands where a private :class:`~mfa_widgets.sandbox.Sandbox` stands for
the training lab: it creates pools and users, signs users in and reads authenticator codes, but in
the learner's own world on the classroom server, and it reports each exercise set-up and check.
:class:`TrainerConnection` is what the trainer's board uses. Both speak the classroom's small
JSON API (see :mod:`mfa_widgets.sandbox.classroom.app`) with the standard library; Cognito calls go
through boto3 with the learner's key in a header. No key ever appears in a ``repr``, a message
or the log.
"""

from __future__ import annotations

import json
import string
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from mfa_widgets.core.classroom_link import API_PREFIX, KEY_HEADER, JoinLink, send_key_with
from mfa_widgets.core.signin import PoolMfaConfig, PoolMfaMode, parse_factors
from mfa_widgets.training.errors import ClassroomError

if TYPE_CHECKING:
    from mfa_widgets.embedded import SandboxPool, SandboxUser

__all__ = ["ClassroomError", "ClassroomWorld", "TrainerConnection"]

#: The environment variable a hub (or a trainer) sets so ``Lab()`` joins the class by itself.
LINK_VARIABLE = "MFA_WIDGETS_CLASSROOM"
#: What a class code may be typed with (letters, digits, spaces and dashes).
_CODE_CHARACTERS = frozenset(string.ascii_letters + string.digits + " -")
#: The factors every classroom pool offers (the classroom creates them as the sandbox does).
_POOL_FACTORS = "SMS,TOTP,EMAIL"


class _Connection:
    """The classroom's JSON API with one key."""

    def __init__(self, link: str | JoinLink, role: str, timeout: float = 30.0) -> None:
        self.link = link if isinstance(link, JoinLink) else JoinLink.parse(link, role)
        self.timeout = timeout
        self._pool: Any = None  # urllib3.PoolManager, made on the first request

    @property
    def base_url(self) -> str:
        """``http://host:port`` of the classroom."""
        return self.link.base_url

    def request(self, route: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        """GET (no body) or POST ``route`` and return the JSON answer.

        One kept-alive connection serves every request of this object (urllib3, botocore's own
        HTTP library): a new connection per request cost the classroom a thread start and an
        accept per call, a third of its CPU under a full class.

        Raises
        ------
        ClassroomError
            With the classroom's own words when it refuses, or what to check when it is down.
        """
        import urllib3

        data = json.dumps(body).encode() if body is not None else None
        headers = {KEY_HEADER: self.link.key, "Content-Type": "application/json"}
        url = self.base_url + API_PREFIX + route  # http(s) only: JoinLink.parse checks
        if self._pool is None:
            self._pool = urllib3.PoolManager(maxsize=4, block=False)
        try:
            answer = self._pool.request(
                "POST" if data is not None else "GET",
                url,
                body=data,
                headers=headers,
                timeout=self.timeout,
                retries=urllib3.Retry(total=1, connect=1, read=0, status=0, redirect=0),
            )
        except urllib3.exceptions.HTTPError as error:
            raise ClassroomError(
                f"cannot reach the classroom at {self.base_url} ({_why(error)}): is "
                "`mfa-widgets classroom` still running, and is the link the one your trainer gave?"
            ) from None
        try:
            document = json.loads(answer.data or b"{}")
        except ValueError:
            document = {}
        if answer.status != 200:
            message = document.get("error", "") if isinstance(document, dict) else ""
            raise ClassroomError(
                f"the classroom refused {route} (HTTP {answer.status}): {message or answer.reason}"
            )
        if not isinstance(document, dict):
            raise ClassroomError(f"the classroom answered {route} with something other than JSON")
        return document


class ClassroomWorld(_Connection):
    """A learner's world in a classroom, with the methods the training lab uses of a sandbox.

    Parameters
    ----------
    link
        The learner's own join link (``http://host:port/#join=KEY``), or the class link with the
        code the trainer wrote on the board (``http://host:port/#class=CODE``) together with
        ``name``.
    name
        The learner's name, to join with a class code: the classroom gives this learner a world
        and a join key of their own (a name already taken gets a number, ``ana (2)``).

    Attributes
    ----------
    learner
        The learner's name on the board.
    region
        The region of the world.
    world_id
        Changes when the world is emptied (trainer reset, classroom restart).
    """

    running = True

    def __init__(self, link: str | JoinLink, name: str | None = None) -> None:
        super().__init__(_own_link(link, name), "join")
        self._clients: dict[int | None, Any] = {}
        self._session: Any = None  # boto3.Session, made with the first client
        hello = self.hello()
        self.learner = str(hello["learner"])
        self.region = str(hello["region"])
        self.world_id = str(hello["world"])

    def __repr__(self) -> str:
        return f"ClassroomWorld({self.base_url}, learner={getattr(self, 'learner', '?')!r})"

    def hello(self) -> dict[str, Any]:
        """Who I am in the classroom, my world's id, and the hints revealed so far."""
        return self.request("hello")

    def hints(self, exercise: int) -> list[str]:
        """The hints revealed for ``exercise`` (or for every exercise), without reporting."""
        return [
            str(hint["text"])
            for hint in self.hello().get("hints", [])
            if hint.get("exercise") in (None, exercise)
        ]

    def client(self, max_attempts: int | None = 1) -> Any:
        """A boto3 ``cognito-idp`` client for this world (dummy credentials, key in a header)."""
        if max_attempts not in self._clients:
            from botocore.config import Config

            from mfa_widgets.aws_clients import cognito_client, new_session

            config = Config(retries={"total_max_attempts": max_attempts or 3, "mode": "standard"})
            if self._session is None:  # one per world: a session costs twice what a client does
                self._session = new_session(
                    aws_access_key_id="classroom",
                    aws_secret_access_key="classroom",  # noqa: S106 - a dummy, by design
                )
            client = cognito_client(
                self._session, region=self.region, endpoint_url=self.base_url, config=config
            )
            self._clients[max_attempts] = send_key_with(client, self.link.key)
        return self._clients[max_attempts]

    def create_pool(self, name: str, mfa: str = "OPTIONAL") -> SandboxPool:
        """Create a pool (SMS, TOTP and email offered) with a password-flow app client."""
        from mfa_widgets.embedded import SandboxPool

        made = self.request("create_pool", {"name": name, "mfa": mfa})
        config = PoolMfaConfig(PoolMfaMode(mfa), parse_factors(_POOL_FACTORS))
        return SandboxPool(made["pool_id"], made["client_id"], config, name)

    def create_user(
        self,
        pool: SandboxPool,
        username: str,
        phone: str | None = None,
        email: str | None = None,
    ) -> SandboxUser:
        """Create a confirmed user with a generated password (kept in this kernel only)."""
        from mfa_widgets.embedded import SandboxUser

        made = self.request(
            "create_user", {**_pool(pool), "username": username, "phone": phone, "email": email}
        )
        return SandboxUser(username, str(made["password"]), pool.pool_id, phone, email)

    def sign_in(self, pool: SandboxPool, username: str, password: str) -> dict[str, Any]:
        """Sign in to the end (the classroom answers the challenges); ``{"AccessToken": ...}``."""
        made = self.request("sign_in", {**_pool(pool), "username": username, "password": password})
        return {"AccessToken": made["access_token"]}

    def totp_code(self, pool: SandboxPool, username: str) -> str:
        """The code the user's authenticator shows now."""
        return str(self.request("totp_code", {**_pool(pool), "username": username})["code"])

    def check(self, exercise: int, why: str | None = None) -> dict[str, Any]:
        """Ask the classroom to check ``exercise`` in this world; its verdict and the hints.

        The classroom judges the learner's world itself and the board shows that verdict:
        ``{"passed": ..., "message": ..., "observed": ..., "hints": [...]}``.
        """
        return self.request("progress", {"exercise": exercise, "event": "check", "why": why})

    def report(self, exercise: int, passed: bool | None = None, message: str = "") -> list[str]:
        """Tell the board an exercise was set up (``passed=None``) or ask for a check; the hints.

        A check is judged by the classroom itself (see :meth:`check`): ``passed`` and
        ``message`` are only the learner's words, shown to the trainer as a note, never a pass.
        """
        body: dict[str, Any] = {
            "exercise": exercise,
            "event": "start" if passed is None else "check",
        }
        if passed is not None:
            body.update(passed=passed, message=message)
        return [str(hint["text"]) for hint in self.request("progress", body).get("hints", [])]

    def stop(self) -> None:
        """Nothing to stop: the classroom keeps running for the others."""


class TrainerConnection(_Connection):
    """The trainer's controls of a running classroom (what the board calls).

    Parameters
    ----------
    link
        The trainer link (``http://host:port/#trainer=KEY``).
    """

    def __init__(self, link: str | JoinLink) -> None:
        super().__init__(link, "trainer")

    def __repr__(self) -> str:
        return f"TrainerConnection({self.base_url})"

    def board(self) -> dict[str, Any]:
        """Progress rows, learner names, hints revealed and how often the classroom started."""
        return self.request("board")

    def reset(self, learner: str) -> None:
        """Empty one learner's world."""
        self.request("reset", {"learner": learner})

    def remove(self, learner: str) -> None:
        """Take one learner off the roster (their world is deleted, their link stops working)."""
        self.request("remove", {"learner": learner})

    def apply(self, **scenario: Any) -> dict[str, Any]:
        """Apply a scenario (``mfa``, ``sms``, ``totp``, ``email``, ``pool_name``) to everyone."""
        return self.request("scenario", scenario)

    def reveal_hint(self, text: str, exercise: int | None = None) -> None:
        """Show ``text`` to every learner (on one exercise, or all)."""
        self.request("hint", {"exercise": exercise, "text": text})

    def add_learner(self, name: str) -> str:
        """Add a learner; their join link."""
        return str(self.request("learners", {"name": name})["link"])

    def timings(self, since: int = 0) -> dict[str, Any]:
        """What the classroom itself spends per request (see ``Classroom.timings``)."""
        return self.request("timings", {"since": since})


def _own_link(link: str | JoinLink, name: str | None) -> str | JoinLink:
    """``link`` when it is the learner's own; for a class link, join with ``name`` first."""
    role = link.role if isinstance(link, JoinLink) else urlsplit(link.strip()).fragment
    if role.partition("=")[0] != "class":
        if name is not None:
            raise ClassroomError(
                "name= goes with a class code (http://HOST:PORT/#class=CODE); this link is "
                "your own already: pass it without a name"
            )
        return link
    if name is None:
        raise ClassroomError(
            "a class code needs your name too: Lab(classroom=CLASS_LINK, name='Your Name')"
        )
    door = _Connection(link, "class")
    if not set(door.link.key) <= _CODE_CHARACTERS:  # never sent: it could not be a header
        raise ClassroomError(
            "that is not a class code: copy the code your trainer wrote on the board (two groups "
            "of four letters and digits, e.g. K7QX-M2PD)"
        )
    joined = door.request("join", {"name": name})
    return JoinLink(door.base_url, str(joined["key"]), "join")


def _why(error: Exception) -> str:
    """The operating system's words for a failed connection (``[Errno 111] Connection refused``)."""
    text = str(getattr(error, "reason", None) or error)
    start = text.find("[Errno")
    return text[start:].rstrip("')\"") if start >= 0 else type(error).__name__


def _pool(pool: SandboxPool) -> dict[str, str]:
    return {"pool_id": pool.pool_id, "client_id": pool.client_id}
