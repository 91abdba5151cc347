"""Trust the notebook ``mfa-widgets dashboard`` serves, so Voila does not call it "not trusted".

Jupyter's trust (a signature in the user's ``nbsignatures.db``, as ``jupyter trust`` writes)
decides only whether a notebook's *stored outputs* may run script when it is opened. Voila clears
the outputs and runs the notebook anyway, so an untrusted notebook changes nothing there but a
``WARNING | Notebook ... is not trusted`` line on every visit. A notebook without outputs has
nothing for trust to guard: such a notebook (the shipped ones carry none) is signed; one holding
outputs (a user's saved run) is left as it is, to be trusted by the user or by JupyterLab on save.
Only the Voila launch imports this (nbformat comes with the ``demo`` extra).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


def trust_if_outputless(notebook: Path) -> bool:
    """Sign ``notebook`` in the user's trust store when none of its cells holds an output.

    Returns
    -------
    bool
        Whether the notebook is trusted now. An unreadable notebook or trust store is left to
        Jupyter, which reports it when serving.
    """
    import nbformat
    from nbformat.sign import NotebookNotary

    try:
        content = nbformat.read(notebook, as_version=4)  # type: ignore[no-untyped-call]
    except (OSError, ValueError):
        return False
    if any(cell.get("outputs") for cell in content.cells):
        return False
    notary = NotebookNotary()  # type: ignore[no-untyped-call]
    try:
        if not notary.check_signature(content):  # type: ignore[no-untyped-call]
            notary.sign(content)  # type: ignore[no-untyped-call]
    except (OSError, sqlite3.Error):  # a broken store: Jupyter reports it itself when serving
        return False
    return True
