"""JupyterLab defaults for the toolkit's own launch (``mfa-widgets lab``, ``make demo``).

A fresh JupyterLab asks "Would you like to get notified about official Jupyter news?" in a
toast, which covers the notebook a presenter just opened, and would fetch news from the internet
if accepted. The toolkit's launch gives JupyterLab an application settings folder of its own with
a default of "no news, no update check" (``overrides.d``): a default only, so a user who turns
news on keeps their choice. Whatever the environment's own settings folder holds (its
``page_config.json`` and ``overrides``) is copied in first, so nothing else changes.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

__all__ = ["LAB_DEFAULTS", "lab_app_settings"]

#: Setting defaults of the toolkit's launch: no news toast, no update check (no internet needed).
LAB_DEFAULTS = {
    "@jupyterlab/apputils-extension:notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    }
}
_OVERRIDE_FILE = "mfa-widgets.json"


def lab_app_settings(target: Path, source: Path | None = None) -> Path:
    """Fill ``target`` as JupyterLab's application settings folder and return it.

    Parameters
    ----------
    target
        The folder to fill (created; rewritten on every launch).
    source
        The environment's own application settings folder, copied in first; default
        JupyterLab's (``<app dir>/settings``).
    """
    if source is None:
        from jupyterlab.commands import get_app_dir

        source = Path(get_app_dir()) / "settings"
    if target.exists():
        shutil.rmtree(target)
    if source.is_dir():
        shutil.copytree(source, target)
    overrides = target / "overrides.d"
    overrides.mkdir(parents=True, exist_ok=True)
    (overrides / _OVERRIDE_FILE).write_text(json.dumps(LAB_DEFAULTS, indent=1), encoding="utf-8")
    return target
