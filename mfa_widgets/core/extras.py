"""Optional dependencies: which pip extra brings which feature, and one line when one is missing.

The default install is light (no moto, Jupyter, matplotlib, Flask or pyarrow). A feature that needs
an extra calls :func:`require_extra` before its first heavy import, so a missing package is one
line naming the extra to install instead of a ``ModuleNotFoundError`` traceback.
"""

from __future__ import annotations

import importlib

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
    """Import the modules of ``extra``; raise :class:`MissingExtraError` when one is missing.

    Parameters
    ----------
    extra
        A key of :data:`EXTRAS`.
    feature
        What needs it, for the message.

    Raises
    ------
    MissingExtraError
        When a module of the extra cannot be imported.
    """
    for module in EXTRAS[extra]:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as error:
            # Only the extra's own module counts; a module missing *inside* it is a broken install.
            if error.name is not None and error.name.split(".")[0] != module:
                raise
            raise MissingExtraError(feature, extra, module) from None
