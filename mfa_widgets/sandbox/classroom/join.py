"""Joining a classroom with one class code: the code, the learner's name, a name of their own.

A trainer writes one class code on the board (``K7QX-M2PD``); each learner joins with it and
their name, and gets a world and a join key of their own. The code only opens the ``join`` call:
every later request carries the learner's own key, as with a per-learner link.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Container

from mfa_widgets.sandbox.classroom.store import ClassroomSetupError

__all__ = ["MAX_NAME", "learner_name", "new_class_code", "same_code", "unique_name"]

#: Letters and digits nobody confuses when copying from a board (no 0/O, 1/I/L, no U/V pair).
_ALPHABET = "ABCDEFGHJKMNPQRSTWXYZ23456789"
_LENGTH = 8  # 29**8: about 5e11 codes, far beyond guessing at any rate a server answers
#: The longest learner name, in characters.
MAX_NAME = 64


def new_class_code() -> str:
    """A fresh class code, two groups of four (``K7QX-M2PD``)."""
    code = "".join(secrets.choice(_ALPHABET) for _ in range(_LENGTH))
    return f"{code[:4]}-{code[4:]}"


def _normalised(code: str) -> str:
    """The code as typed, without case, spaces or dashes (``k7qx m2pd`` is ``K7QXM2PD``)."""
    return "".join(ch for ch in str(code).upper() if ch not in " -\t")


def same_code(typed: str, code: str) -> bool:
    """Whether ``typed`` is ``code`` (case, spaces and dashes aside), in constant time."""
    return bool(code) and hmac.compare_digest(
        _normalised(typed).encode("utf-8", "surrogatepass"), _normalised(code).encode()
    )


def learner_name(text: object) -> str:
    """``text`` as a learner's name (spaces at the ends removed), or a :class:`ClassroomSetupError`.

    A name has 1 to :data:`MAX_NAME` printable characters, at least one of them a letter or a
    digit: it is shown on the trainer's board and in the exported progress.
    """
    if not isinstance(text, str):
        raise ClassroomSetupError(
            f"a learner name is text, not {type(text).__name__}: pass e.g. name='Ana B.'"
        )
    name = " ".join(text.split())  # one space between words, none at the ends
    if not 1 <= len(name) <= MAX_NAME:
        raise ClassroomSetupError(
            f"a learner name needs 1 to {MAX_NAME} characters, not {len(name)}: e.g. 'Ana B.'"
        )
    if not name.isprintable() or not any(ch.isalnum() for ch in name):
        raise ClassroomSetupError(
            "a learner name needs printable characters and at least one letter or digit: "
            "e.g. 'Ana B.'"
        )
    return name


def unique_name(name: str, taken: Container[str]) -> str:
    """``name``, or ``name (2)``, ``name (3)``... the first not in ``taken``.

    Two learners who type the same name each get a world of their own; the board tells them
    apart by the number.
    """
    found, number = name, 1
    while found in taken:
        number += 1
        suffix = f" ({number})"
        found = name[: MAX_NAME - len(suffix)] + suffix
    return found
