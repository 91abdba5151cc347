"""The conformance corpus: answers of the real Amazon Cognito service, one YAML file per case.

Each case (``cases/*.yaml``, shipped in the wheel) holds the situation (``pool``, ``user``,
``steps``), the ``request``, the answer the real service gave (``expect``), where that answer was
seen (``sources``: repository and path, or document and section, and the date seen) and its
``kind``: ``recorded`` (captured from the real service), ``aws-example`` (an example AWS
publishes, e.g. the AWS CLI reference) or ``documented-rule`` (AWS documentation states the
behaviour). ``known_differences`` lists targets that answer otherwise on purpose, with why;
``disagreement`` records a source that says something else and which one the sandbox follows.

This module only reads and checks the files; :mod:`~mfa_widgets.services.conformance.runner`
sends them.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]

from mfa_widgets.core.errors import InvalidArgumentError
from mfa_widgets.core.string_enum import StrEnum

__all__ = ["KINDS", "Case", "CaseKind", "Source", "load_corpus"]


class CaseKind(StrEnum):
    """The kinds of evidence a case rests on, strongest first."""

    RECORDED = "recorded"
    AWS_EXAMPLE = "aws-example"
    DOCUMENTED_RULE = "documented-rule"


#: The kinds of evidence, strongest first (their text, as the case files spell them).
KINDS = tuple(kind.value for kind in CaseKind)

_CASE_KEYS = {
    "id",
    "title",
    "kind",
    "sources",
    "pool",
    "user",
    "steps",
    "request",
    "expect",
    "known_differences",
    "disagreement",
    "needs",
}


@dataclass(frozen=True)
class Source:
    """Where an answer was seen: ``where`` (repository and path, or document and section)."""

    where: str
    seen: str
    says: str = ""


@dataclass(frozen=True)
class Case:
    """One conformance case (see the module notes for the fields)."""

    id: str
    title: str
    kind: CaseKind
    sources: tuple[Source, ...]
    request: Mapping[str, Any]
    expect: Mapping[str, Any]
    pool: Mapping[str, Any] = field(default_factory=dict)
    user: Mapping[str, Any] = field(default_factory=dict)
    steps: tuple[Mapping[str, Any], ...] = ()
    known_differences: Mapping[str, str] = field(default_factory=dict)
    disagreement: str = ""
    needs: tuple[str, ...] = ()

    @property
    def source(self) -> str:
        """The first source, as a table shows it."""
        return self.sources[0].where

    @property
    def area(self) -> str:
        """The case's group: the part of its id before the first dot."""
        return self.id.split(".", 1)[0]


def _case_from(data: Any, name: str) -> Case:
    if not isinstance(data, Mapping):
        raise InvalidArgumentError(f"conformance case {name}: not a mapping")
    unknown = set(data) - _CASE_KEYS
    if unknown:
        raise InvalidArgumentError(f"conformance case {name}: unknown keys {sorted(unknown)}")
    for key in ("id", "title", "kind", "sources", "request", "expect"):
        if key not in data:
            raise InvalidArgumentError(f"conformance case {name}: no {key!r}")
    if data["kind"] not in KINDS:
        raise InvalidArgumentError(
            f"conformance case {name}: kind must be one of {', '.join(KINDS)}"
        )
    sources = tuple(
        Source(str(s["where"]), str(s["seen"]), str(s.get("says", ""))) for s in data["sources"]
    )
    if not sources:
        raise InvalidArgumentError(f"conformance case {name}: no source")
    expect = data["expect"]
    if not isinstance(expect, Mapping) or not ({"error", "response"} & set(expect)):
        raise InvalidArgumentError(f"conformance case {name}: expect needs error or response")
    return Case(
        id=str(data["id"]),
        title=str(data["title"]),
        kind=CaseKind(data["kind"]),
        sources=sources,
        request=dict(data["request"]),
        expect=dict(expect),
        pool=dict(data.get("pool") or {}),
        user=dict(data.get("user") or {}),
        steps=tuple(data.get("steps") or ()),
        known_differences=dict(data.get("known_differences") or {}),
        disagreement=str(data.get("disagreement") or ""),
        needs=tuple(data.get("needs") or ()),
    )


def _read(path: Any, name: str) -> Case:
    with path.open("r", encoding="utf-8") as handle:
        return _case_from(yaml.safe_load(handle), name)


@functools.cache
def _packaged() -> tuple[Case, ...]:
    folder = resources.files("mfa_widgets.services.conformance").joinpath("cases")
    found = sorted((p for p in folder.iterdir() if p.name.endswith(".yaml")), key=lambda p: p.name)
    return tuple(_read(p, p.name) for p in found)


def load_corpus(folder: str | Path | None = None) -> tuple[Case, ...]:
    """The corpus: the packaged cases, or every ``*.yaml`` case in ``folder``.

    Raises
    ------
    InvalidArgumentError
        When a case file lacks a required key, names an unknown kind, or two cases share an id.
    """
    if folder is None:
        cases = _packaged()
    else:
        path = Path(folder)
        if not path.is_dir():
            raise InvalidArgumentError(f"{str(folder)!r:.80} is not a folder of case files")
        cases = tuple(_read(p, p.name) for p in sorted(path.glob("*.yaml")))
    seen: set[str] = set()
    for case in cases:
        if case.id in seen:
            raise InvalidArgumentError(f"two conformance cases are named {case.id!r}")
        seen.add(case.id)
    return cases
