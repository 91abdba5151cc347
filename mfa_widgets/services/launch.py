"""Start JupyterLab (``make demo``) or Voila (``make dashboard``) on the notebooks, loopback only.

The notebooks start their own embedded sandbox in the kernel, so no AWS account is needed; the
environment variable ``MFA_WIDGETS_BACKEND=sandbox`` records that default for every kernel.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import sys
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
QUICKSTART = "01-quickstart.ipynb"


def lab_command(host: str, port: int, token: str, root: Path = NOTEBOOKS) -> list[str]:
    """The ``jupyter lab`` command line serving ``root`` on ``host:port``."""
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        f"--ServerApp.ip={host}",
        f"--ServerApp.port={port}",
        f"--ServerApp.root_dir={root}",
        f"--IdentityProvider.token={token}",
        "--LabApp.news_url=None",
        # A demo needs no internet: no update checks, no PyPI queries from the extension manager.
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--ServerApp.allow_root=True")
    return command


def voila_command(host: str, port: int, root: Path = NOTEBOOKS) -> list[str]:
    """The ``voila`` command line rendering the quickstart notebook for a presenter."""
    return [
        sys.executable,
        "-m",
        "voila",
        "--no-browser",
        f"--Voila.ip={host}",
        f"--port={port}",
        f"--Voila.root_dir={root}",
        str(root / QUICKSTART),
    ]


def main(argv: list[str] | None = None) -> int:
    """Print the URL, then replace this process with JupyterLab or Voila."""
    parser = argparse.ArgumentParser(prog="python -m mfa_widgets.services.launch")
    parser.add_argument("app", choices=["lab", "voila"])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8888)
    args = parser.parse_args(argv)
    if args.host not in {"127.0.0.1", "localhost", "::1"}:
        print("note: serving beyond loopback; widget values cross the network in clear text")
    os.environ.setdefault("MFA_WIDGETS_BACKEND", "sandbox")
    if args.app == "lab":
        token = secrets.token_hex(16)
        command = lab_command(args.host, args.port, token)
        url = f"http://{args.host}:{args.port}/lab/tree/{QUICKSTART}?token={token}"
    else:
        command = voila_command(args.host, args.port)
        url = f"http://{args.host}:{args.port}/"
    print(f"\n  mfa_widgets {args.app} on the embedded sandbox: open {url}\n", flush=True)
    if shutil.which(command[0]) is None:  # pragma: no cover - sys.executable always exists
        return 1
    os.execv(command[0], command)  # noqa: S606 - replaces this process, no shell involved
    return 0  # pragma: no cover


if __name__ == "__main__":
    raise SystemExit(main())
