"""The notebook's side of a classroom: a learner's world and the trainer's controls, over HTTP.

:class:`ClassroomWorld` stands where a private :class:`~mfa_widgets.sandbox.Sandbox` stands for
the training lab: it creates pools and users, signs users in and reads authenticator codes, but in
the learner's own world on the classroom server, and it reports each exercise set-up and check.
:class:`TrainerConnection` is what the trainer's board uses. Both speak the classroom's small
JSON API (see :mod:`mfa_widgets.sandbox.classroom`) with the standard library; Cognito calls go
through boto3 with the learner's key in a header. No key ever appears in a ``repr``, a message
or the log.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import TYPE_CHECKING, Any

from mfa_widgets.core.challenges import PoolMfaConfig, PoolMfaMode, parse_factors
from mfa_widgets.core.classroom_link import API_PREFIX, KEY_HEADER, JoinLink, send_key_with
from mfa_widgets.core.errors import MfaWidgetsError

if TYPE_CHECKING:
    from mfa_widgets.embedded import SandboxPool, SandboxUser

__all__ = ["ClassroomError", "ClassroomWorld", "TrainerConnection"]

#: The environment variable a hub (or a trainer) sets so ``Lab()`` joins the class by itself.
LINK_VARIABLE = "MFA_WIDGETS_CLASSROOM"
#: The factors every classroom pool offers (the classroom creates them as the sandbox does).
_POOL_FACTORS = "SMS,TOTP,EMAIL"


class ClassroomError(MfaWidgetsError, RuntimeError):
    """The classroom refused a call, or cannot be reached."""


class _Connection:
    """The classroom's JSON API with one key."""

    def __init__(self, link: str | JoinLink, role: str, timeout: float = 30.0) -> None:
        self.link = link if isinstance(link, JoinLink) else JoinLink.parse(link, role)
        self.timeout = timeout

    @property
    def base_url(self) -> str:
        """``http://host:port`` of the classroom."""
        return self.link.base_url

    def request(self, route: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        """GET (no body) or POST ``route`` and return the JSON answer.

        Raises
        ------
        ClassroomError
            With the classroom's own words when it refuses, or what to check when it is down.
        """
        data = json.dumps(body).encode() if body is not None else None
        headers = {KEY_HEADER: self.link.key, "Content-Type": "application/json"}
        url = self.base_url + API_PREFIX + route  # http(s) only: JoinLink.parse checks
        request = urllib.request.Request(url, data, headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310
                document: dict[str, Any] = json.load(answer)
                return document
        except urllib.error.HTTPError as error:
            try:
                message = json.load(error).get("error", "")
            except ValueError:
                message = ""
            raise ClassroomError(
                f"the classroom refused {route} (HTTP {error.code}): {message or error.reason}"
            ) from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise ClassroomError(
                f"cannot reach the classroom at {self.base_url} ({reason}): is "
                "`mfa-widgets classroom` still running, and is the link the one your trainer gave?"
            ) from None


class ClassroomWorld(_Connection):
    """A learner's world in a classroom, with the methods the training lab uses of a sandbox.

    Parameters
    ----------
    link
        The join link (``http://host:port/#join=KEY``).

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

    def __init__(self, link: str | JoinLink) -> None:
        super().__init__(link, "join")
        self._clients: dict[int | None, Any] = {}
        hello = self.hello()
        self.learner = str(hello["learner"])
        self.region = str(hello["region"])
        self.world_id = str(hello["world"])

    def __repr__(self) -> str:
        return f"ClassroomWorld({self.base_url}, learner={getattr(self, 'learner', '?')!r})"

    def hello(self) -> dict[str, Any]:
        """Who I am in the classroom, my world's id, and the hints revealed so far."""
        return self.request("hello")

    def client(self, max_attempts: int | None = 1) -> Any:
        """A boto3 ``cognito-idp`` client for this world (dummy credentials, key in a header)."""
        if max_attempts not in self._clients:
            import boto3
            from botocore.config import Config

            config = Config(retries={"total_max_attempts": max_attempts or 3, "mode": "standard"})
            client = boto3.client(
                "cognito-idp",
                region_name=self.region,
                endpoint_url=self.base_url,
                aws_access_key_id="classroom",
                aws_secret_access_key="classroom",  # noqa: S106 - a dummy, by design
                config=config,
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

    def report(self, exercise: int, passed: bool | None = None, message: str = "") -> list[str]:
        """Tell the board an exercise was set up (``passed=None``) or checked; the hints for it."""
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

    def apply(self, **scenario: Any) -> dict[str, Any]:
        """Apply a scenario (``mfa``, ``sms``, ``totp``, ``email``, ``pool_name``) to everyone."""
        return self.request("scenario", scenario)

    def reveal_hint(self, text: str, exercise: int | None = None) -> None:
        """Show ``text`` to every learner (on one exercise, or all)."""
        self.request("hint", {"exercise": exercise, "text": text})

    def add_learner(self, name: str) -> str:
        """Add a learner; their join link."""
        return str(self.request("learners", {"name": name})["link"])


def _pool(pool: SandboxPool) -> dict[str, str]:
    return {"pool_id": pool.pool_id, "client_id": pool.client_id}
