"""Start JupyterLab (``mfa-widgets lab``) or Voila (``mfa-widgets dashboard``) on the notebooks.

The notebooks ship inside the package (the wheel maps the repository's ``notebooks/`` to
``mfa_widgets/notebooks``). They are never opened where they are installed: :func:`working_copy`
copies them into a folder the user owns (``./mfa-widgets-notebooks`` by default) and leaves
notebooks already there alone, so a user's edits survive an upgrade. From a clone, ``make demo``
serves the repository's ``notebooks/`` itself, where edits belong in git.

The servers listen on loopback only unless told otherwise. The notebooks start their own embedded
sandbox in the kernel, so no AWS account is needed.
"""

from __future__ import annotations

import os
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mfa_widgets.core.errors import MfaWidgetsError
from mfa_widgets.core.extras import require_extra
from mfa_widgets.core.loopback import is_loopback_host
from mfa_widgets.services.lab_settings import lab_app_settings
from mfa_widgets.services.notebook_copies import NotebookCopies, sync_notebooks
from mfa_widgets.services.ports import settle_port

PACKAGE = Path(__file__).resolve().parents[1]
QUICKSTART = "01-quickstart.ipynb"
DEFAULT_FOLDER = Path("mfa-widgets-notebooks")

#: Voila for a presenter. One kernel per notebook is started and runs the notebook before anyone
#: asks (a preheated kernel: the page is usable at once). Closing or reloading the page shuts its
#: kernel down; a kernel whose page went away without saying so is culled once idle and
#: unconnected (the pool's waiting kernels are kept: see mfa_widgets.services.voila_kernels).
VOILA_POOL_SIZE = 1
CULL_IDLE_SECONDS = 300
CULL_INTERVAL_SECONDS = 60
#: Lab extensions installed next to JupyterLab that Voila's page would load for nothing.
VOILA_SKIPPED_EXTENSIONS = ("jupyterlab-jupytext", "@jupyter-notebook/lab-extension")


def packaged_notebooks() -> Path:
    """The folder holding the shipped notebooks: inside the installed package, else the clone's.

    Raises
    ------
    MfaWidgetsError
        When neither exists (a broken install).
    """
    for folder in (PACKAGE / "notebooks", PACKAGE.parent / "notebooks"):
        if (folder / QUICKSTART).is_file():
            return folder
    raise MfaWidgetsError(
        f"the notebooks are not installed next to {PACKAGE}: reinstall mfa-widgets"
    )


def working_copy(
    folder: Path, source: Path | None = None, *, learner: bool = False
) -> NotebookCopies:
    """Bring the shipped notebooks into ``folder`` (created if needed); say what was done.

    A missing notebook is copied; an untouched copy of an older version (or of the other
    edition) is replaced; a copy the user changed is kept as it is and listed in ``kept`` (see
    :mod:`mfa_widgets.services.notebook_copies`). When ``folder`` is the source folder itself (a
    clone), nothing is copied.

    Parameters
    ----------
    folder
        The user's working folder.
    source
        The shipped notebooks (default: :func:`packaged_notebooks`).
    learner
        Write the learner's edition, without the training lab's solutions.

    Raises
    ------
    MfaWidgetsError
        When ``folder`` is inside the installed package, or cannot be created.
    """
    source = source or packaged_notebooks()
    target = folder.expanduser().resolve()
    if target == source.resolve():
        if learner:
            raise MfaWidgetsError(
                f"{target} holds the trainer's notebooks themselves: give the learner's edition "
                "a folder of its own with --dir"
            )
        return NotebookCopies()
    if target.is_relative_to(PACKAGE):
        raise MfaWidgetsError(
            f"{target} is inside the installed package; choose a folder of your own with --dir"
        )
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise MfaWidgetsError(
            f"cannot create {target} ({error.strerror}); choose another folder with --dir"
        ) from None
    return sync_notebooks(source, target, learner=learner)


def lab_command(
    host: str, port: int, token: str, root: Path, settings: Path | None = None
) -> list[str]:
    """The ``jupyter lab`` command line serving ``root`` on ``host:port``.

    ``settings`` is the application settings folder made by
    :func:`~mfa_widgets.services.lab_settings.lab_app_settings` (no news toast).
    """
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        f"--ServerApp.ip={host}",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",  # the port printed is the port served (services.ports)
        f"--ServerApp.root_dir={root}",
        f"--IdentityProvider.token={token}",
        "--LabApp.news_url=None",
        # A demo needs no internet: no update checks, no PyPI queries from the extension manager.
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",
    ]
    if settings is not None:
        command.append(f"--LabApp.app_settings_dir={settings}")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--ServerApp.allow_root=True")
    return command


def voila_command(
    host: str,
    port: int,
    root: Path,
    *,
    preheat: bool = True,
    cull_idle: int = CULL_IDLE_SECONDS,
) -> list[str]:
    """The ``voila`` command line rendering the quickstart for a presenter.

    Parameters
    ----------
    host, port
        Where to listen.
    root
        The folder holding the notebooks (the working copy).
    preheat
        Keep a kernel that has already run the notebook waiting for the next visitor.
    cull_idle
        Seconds after which a kernel no page is connected to is shut down (0: never).
    """
    manager = "mfa_widgets.services.voila_kernels.DashboardKernelManager"
    return [
        sys.executable,
        "-m",
        "voila",
        "--no-browser",
        f"--Voila.ip={host}",
        f"--port={port}",
        "--Voila.port_retries=0",  # the port printed is the port served (services.ports)
        f"--Voila.root_dir={root}",
        f"--VoilaConfiguration.preheat_kernel={preheat}",
        f"--VoilaConfiguration.default_pool_size={VOILA_POOL_SIZE}",
        f"--VoilaConfiguration.multi_kernel_manager_class={manager}",
        f"--MappingKernelManager.cull_idle_timeout={cull_idle}",
        f"--MappingKernelManager.cull_interval={min(CULL_INTERVAL_SECONDS, max(cull_idle, 1))}",
        "--MappingKernelManager.cull_connected=False",
        # Voila's page shuts its kernel down on unload with a POST carrying the `_xsrf` cookie,
        # which Voila 0.5 never sets (voila-dashboards/voila#1458): every such POST is refused and
        # every reload leaves its kernel (and sandbox) running. That POST is the only one Voila
        # serves, and it names the kernel by an unguessable id, so the check guards nothing here.
        # Given as key=value: the dict literal form is deprecated (a DeprecationWarning at start).
        # The value arrives as the string "True", which tornado reads for its truth.
        "--Voila.tornado_settings=disable_check_xsrf=True",
        # JupyterLab extensions that cannot start in Voila's page ("Failed to create module"):
        # loading them only delays the dashboard (~270 kB of script to parse per visit).
        *(f"--VoilaConfiguration.extension_denylist={name}" for name in VOILA_SKIPPED_EXTENSIONS),
        str(root / QUICKSTART),
    ]


@dataclass(frozen=True)
class Launch:
    """What :func:`prepare` decided: the command to run, the URL to open, the notebooks copied."""

    command: list[str]
    url: str
    folder: Path
    copies: NotebookCopies


def prepare(
    app: str,
    host: str,
    port: int,
    folder: Path,
    *,
    cull_idle: int = CULL_IDLE_SECONDS,
    preheat: bool = True,
    learner: bool = False,
) -> Launch:
    """Check the ``demo`` extra, make the working copy and build the server command.

    Parameters
    ----------
    app
        ``"lab"`` or ``"voila"``.
    host, port
        Where the server listens.
    folder
        The working folder (see :func:`working_copy`).
    cull_idle, preheat
        For Voila: see :func:`voila_command`.
    learner
        Copy the learner's edition of the notebooks (see :func:`working_copy`).
    """
    require_extra("demo", "JupyterLab and Voila" if app == "lab" else "the Voila dashboard")
    port = settle_port(host, port)
    copies = working_copy(folder, learner=learner)
    root = folder.expanduser().resolve()
    if app == "lab":
        token = secrets.token_hex(16)
        from jupyter_core.paths import jupyter_runtime_dir

        settings = lab_app_settings(Path(jupyter_runtime_dir()) / "mfa-widgets-lab-settings")
        command = lab_command(host, port, token, root, settings)
        url = f"http://{_url_host(host)}:{port}/lab/tree/{QUICKSTART}?token={token}"
    elif app == "voila":
        from mfa_widgets.services.notebook_trust import trust_if_outputless

        trust_if_outputless(root / QUICKSTART)  # no "not trusted" warning on every visit
        command = voila_command(host, port, root, cull_idle=cull_idle, preheat=preheat)
        url = f"http://{_url_host(host)}:{port}/"
    else:
        raise ValueError(f"unknown app {app!r}: use 'lab' or 'voila'")
    return Launch(command, url, root, copies)


def _url_host(host: str) -> str:
    """``host`` as written in a URL: an IPv6 address in brackets."""
    return f"[{host.strip('[]')}]" if ":" in host else host


def start(app: str, host: str, port: int, folder: Path, **options: Any) -> int:
    """Print where to look, then replace this process with JupyterLab or Voila.

    ``options`` (``cull_idle``, ``preheat``, ``learner``) are passed to :func:`prepare`.
    """
    launch = prepare(app, host, port, folder, **options)
    if not is_loopback_host(host):
        print("note: serving beyond loopback; widget values cross the network in clear text")
    copies = launch.copies
    for notebook in copies.copied:
        print(f"  copied {notebook.name} to {launch.folder}")
    for notebook in copies.refreshed:
        print(f"  updated {notebook.name} to this version (you had not changed it)")
    for notebook in copies.kept:
        print(
            f"  kept your {notebook.name}: it differs from this version's; rename or delete it "
            "to get the new one"
        )
    print(f"\n  mfa_widgets {app} on the embedded sandbox: open {launch.url}\n", flush=True)
    os.execv(launch.command[0], launch.command)  # noqa: S606 - replaces this process, no shell
    return 0  # pragma: no cover
