"""Install size and time of the built wheel, default and ``[sandbox,demo]``, from a wheel cache.

The wheel is built from the tracked files; each install goes into a fresh venv with
``pip install --no-index --find-links <cache>`` (tests/packaging/installs.py fills the cache once),
so the time is pip's own work, not the network. Size is what the install added to the venv's
``lib/`` (an empty venv's size subtracted). Targets: the default install stays under half the size
of the full demo install (no moto, Jupyter, matplotlib or Flask), and each install takes under a
minute from the cache on this machine.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from benchmarks._timing import row
from tests.packaging.installs import build_wheel, install, make_venv

MB = 1024 * 1024
EXTRAS = {"default": "", "[sandbox,demo]": "sandbox,demo"}


def run() -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        wheel = build_wheel(work / "wheel")
        empty = make_venv(work / "empty").site_packages_bytes()
        sizes: dict[str, float] = {}
        times: dict[str, float] = {}
        for name, extras in EXTRAS.items():
            venv = make_venv(work / (extras or "default"))
            times[name] = install(venv, wheel, extras)
            sizes[name] = (venv.site_packages_bytes() - empty) / MB
    full = "[sandbox,demo]"
    rows = [
        row(
            "install size: default / [sandbox,demo]",
            sizes["default"] / sizes[full],
            "ratio",
            "<= 0.5",
            f"default {sizes['default']:.0f} MB, [sandbox,demo] {sizes[full]:.0f} MB",
            sizes_mb=sizes,
        )
    ]
    for name in EXTRAS:
        rows.append(
            row(
                f"install time from the wheel cache: {name}",
                times[name],
                "s",
                "<= 60",
                f"{sizes[name]:.0f} MB installed",
            )
        )
    return rows
