"""Optional dependencies: which pip extra brings which feature, and one line when one is missing.

The default install is light (no moto, Jupyter, matplotlib, Flask or pyarrow). A feature that needs
an extra calls :func:`require_extra` before its first heavy import, so a missing package is one
line naming the extra to install instead of a ``ModuleNotFoundError`` traceback.
"""

from __future__ import annotations

import importlib.util

from mfa_widgets.core.errors import MissingExtraError

__all__ = ["EXTRAS", "MissingExtraError", "require_extra"]

#: extra (as in ``pip install 'mfa-widgets[extra]'``) -> the top-level modules its features import.
#: Keep in step with ``[project.optional-dependencies]`` in pyproject.toml.
EXTRAS: dict[str, tuple[str, ...]] = {
    "sandbox": ("moto", "joserfc", "flask", "flask_cors", "waitress", "pycognito"),
    "plot": ("matplotlib",),
    "parquet": ("pyarrow",),
    "demo": ("jupyterlab", "voila", "ipykernel"),
}


def require_extra(extra: str, feature: str) -> None:
    """Check the modules of ``extra`` are installed; raise :class:`MissingExtraError` if not.

    The modules are found, not imported (importing them all would cost a sandbox's cold start
    the classroom's server and SRP client it does not use); the feature imports what it needs.

    Parameters
    ----------
    extra
        A key of :data:`EXTRAS`.
    feature
        What needs it, for the message.

    Raises
    ------
    MissingExtraError
        When a module of the extra is not installed.
    """
    for module in EXTRAS[extra]:
        # A module missing *inside* an installed one is a broken install: its import will say so.
        if importlib.util.find_spec(module) is None:
            raise MissingExtraError(feature, extra, module)
