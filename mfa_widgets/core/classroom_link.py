"""How a classroom is addressed: join links, the key header, and the classroom's HTTP paths.

A classroom serves every learner's Cognito world behind one endpoint. Each request names its
world by the learner's join key in the :data:`KEY_HEADER` header (the trainer's key opens the
trainer's API). A join link carries the key in its fragment (``http://host:port/#join=KEY``), so
a browser opening the link never sends the key anywhere. Pure: both the classroom server and the
learner's notebook import this, and neither imports the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from mfa_widgets.core.errors import ClassroomLinkError

__all__ = [
    "API_PREFIX",
    "KEY_HEADER",
    "ClassroomLinkError",
    "JoinLink",
    "send_key_with",
]

#: The request header naming the learner's world (or the trainer).
KEY_HEADER = "X-Mfa-Classroom-Key"

#: Every classroom API path starts with this (Cognito calls go to ``/``).
API_PREFIX = "/classroom/v1/"

_ROLES = ("join", "trainer", "class")


@dataclass(frozen=True)
class JoinLink:
    """A parsed link: where the classroom listens, and whose key it carries.

    Attributes
    ----------
    base_url
        ``http://host:port`` of the classroom.
    key
        The join key (a learner's) or the trainer key; hidden from ``repr``.
    role
        ``"join"`` for a learner, ``"trainer"`` for the trainer, ``"class"`` for the class code
        every learner joins with (with their name).
    """

    base_url: str
    key: str = field(repr=False)
    role: str = "join"

    def __str__(self) -> str:
        return f"{self.base_url}/#{self.role}={self.key}"

    @classmethod
    def parse(cls, link: str, role: str = "join") -> JoinLink:
        """Read ``http://host:port/#join=KEY`` (``#trainer=KEY``, ``#class=CODE`` for those roles).

        Raises
        ------
        ClassroomLinkError
            When the link has no http(s) address or no key of the wanted role; the message
            shows the expected shape (never the key).
        """
        secret = "class code" if role == "class" else "key"
        placeholder = "CODE" if role == "class" else "KEY"
        shape = f"http://HOST:PORT/#{role}={placeholder}, as printed by `mfa-widgets classroom`"
        parts = urlsplit(link.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ClassroomLinkError(f"not a classroom link: expected {shape}")
        found_role, _, key = parts.fragment.partition("=")
        if found_role not in _ROLES or not key:
            raise ClassroomLinkError(f"the link carries no {secret}: expected {shape}")
        if found_role != role:
            raise ClassroomLinkError(
                f"this is a {found_role} link, not a {role} link: expected {shape}"
            )
        return cls(f"{parts.scheme}://{parts.netloc}", key, role)


def send_key_with(client: Any, key: str) -> Any:
    """Make a boto3 ``cognito-idp`` client send ``key`` in :data:`KEY_HEADER` on every call.

    The header is added just before sending, so it reaches the classroom for signed and unsigned
    operations alike (``InitiateAuth`` and the token operations are unsigned). Returns ``client``.
    """

    def add_key(request: Any, **_: Any) -> None:
        request.headers[KEY_HEADER] = key

    client.meta.events.register("before-send.cognito-idp", add_key)
    return client
