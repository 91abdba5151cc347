"""The user's working copy of the shipped notebooks, brought up to date without losing edits.

``mfa-widgets lab`` copies the notebooks into a folder the user owns. After an upgrade, a copy
nobody touched is replaced by the new version; a copy the user changed is kept, and said so (with
how to get the new one). Telling the two apart needs to know what was written last time: the
folder keeps :data:`MANIFEST`, the SHA-256 of each notebook as copied. A folder from before the
manifest existed has no record, so a copy that differs from this version's is kept and named.

The learner's edition (:mod:`mfa_widgets.core.learner_edition`) is written instead of the
trainer's when asked; an untouched copy of either edition is replaced by the edition asked for.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from mfa_widgets.core.learner_edition import learner_edition

__all__ = ["MANIFEST", "NotebookCopies", "sync_notebooks"]

#: The record of what was copied, in the working folder (hidden: not a notebook).
MANIFEST = ".mfa-widgets-copies.json"


@dataclass
class NotebookCopies:
    """What :func:`sync_notebooks` did in the working folder."""

    #: Notebooks that were missing and are now there.
    copied: list[Path] = field(default_factory=list)
    #: Untouched copies of another version or edition, replaced by this one.
    refreshed: list[Path] = field(default_factory=list)
    #: Copies that differ from this version's and were kept as they are (the user's edits).
    kept: list[Path] = field(default_factory=list)


def _digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _edition(notebook: Path, learner: bool) -> bytes:
    content = notebook.read_bytes()
    if not learner:
        return content
    document = json.loads(content)
    return (json.dumps(learner_edition(document), indent=1, ensure_ascii=False) + "\n").encode()


def _read_manifest(folder: Path) -> dict[str, list[str]]:
    try:
        recorded = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(recorded, dict):
        return {}
    return {str(k): [str(d) for d in v] for k, v in recorded.items() if isinstance(v, list)}


def sync_notebooks(source: Path, target: Path, *, learner: bool = False) -> NotebookCopies:
    """Bring ``target``'s copies of ``source``'s notebooks up to this version.

    Parameters
    ----------
    source
        The shipped notebooks.
    target
        The user's working folder (it exists).
    learner
        Write the learner's edition (no solutions) instead of the trainer's.
    """
    report = NotebookCopies()
    manifest = _read_manifest(target)
    changed = False
    for notebook in sorted(source.glob("*.ipynb")):
        wanted = _edition(notebook, learner)
        destination = target / notebook.name
        recorded = manifest.setdefault(notebook.name, [])
        # Every edition this toolkit wrote or ships: a copy equal to one of them is untouched.
        ours = {*recorded, _digest(notebook.read_bytes()), _digest(_edition(notebook, not learner))}
        present = _digest(destination.read_bytes()) if destination.exists() else None
        if present is None:
            report.copied.append(destination)
        elif present == _digest(wanted):
            pass
        elif present in ours:
            report.refreshed.append(destination)
        else:
            report.kept.append(destination)
            continue
        if present != _digest(wanted):
            destination.write_bytes(wanted)
        if _digest(wanted) not in recorded:
            recorded.append(_digest(wanted))
            changed = True
    if changed:
        (target / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return report
