"""The learner's edition of a notebook: the trainer's copy without its worked solutions.

The training lab's answer cells carry a worked solution on lines starting with
:data:`SOLUTION` (uncommented, they pass every check: the test suite runs them so). A learner's
copy must not hold them one uncomment away, so ``mfa-widgets lab --learner`` writes notebooks
made by :func:`learner_edition`: solution lines removed, and the paragraphs for trainers
(markdown lines starting with :data:`TRAINER_NOTE`) removed with them. Everything else (cell
ids, metadata, the order of cells) is kept, so a learner's notebook runs as the trainer's does.
"""

from __future__ import annotations

import copy
from typing import Any

__all__ = ["SOLUTION", "TRAINER_NOTE", "has_solutions", "learner_edition"]

#: The prefix of a worked-solution line in a code cell.
SOLUTION = "# solution:"
#: The start of a markdown paragraph meant for trainers only.
TRAINER_NOTE = "*For trainers:*"


def _lines(source: str | list[str]) -> list[str]:
    text = "".join(source) if isinstance(source, list) else source
    return text.splitlines(keepends=True)


def _without_solutions(source: str | list[str]) -> str:
    kept = [line for line in _lines(source) if not line.lstrip().startswith(SOLUTION)]
    return "".join(kept).rstrip("\n")


def _without_trainer_notes(source: str | list[str]) -> str:
    paragraphs = "".join(_lines(source)).split("\n\n")
    kept = [p for p in paragraphs if not p.lstrip().startswith(TRAINER_NOTE)]
    return "\n\n".join(kept).rstrip("\n")


def has_solutions(notebook: dict[str, Any]) -> bool:
    """Whether any code cell of ``notebook`` (nbformat 4 JSON) holds a solution line."""
    return any(
        line.lstrip().startswith(SOLUTION)
        for cell in notebook.get("cells", [])
        if cell.get("cell_type") == "code"
        for line in _lines(cell.get("source", ""))
    )


def learner_edition(notebook: dict[str, Any]) -> dict[str, Any]:
    r"""A copy of ``notebook`` (nbformat 4 JSON) without solutions or notes for trainers.

    Examples
    --------
    >>> cell = {"cell_type": "code", "source": "# Your answer here.\n# solution: x = 1"}
    >>> learner_edition({"cells": [cell]})["cells"][0]["source"]
    '# Your answer here.'
    """
    edition = copy.deepcopy(notebook)
    for cell in edition.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["source"] = _without_solutions(cell.get("source", ""))
        elif cell.get("cell_type") == "markdown":
            cell["source"] = _without_trainer_notes(cell.get("source", ""))
    return edition
