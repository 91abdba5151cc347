"""Build the wheel once and install it into fresh venvs, from a local wheel cache.

Used by tests/packaging/test_wheel.py and benchmarks/bench_install.py. The cache
(``$MFA_WIDGETS_WHEEL_CACHE``, default ``~/.cache/mfa-widgets/wheels``, outside the work tree) is
filled with ``pip wheel`` the first time a requirement is missing from it; after that every
install runs with ``--no-index``, so it is fast and works offline.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PIP_QUIET = ["--quiet", "--disable-pip-version-check"]


def cache_dir() -> Path:
    """The wheel cache shared by the tests and the benchmark."""
    default = Path.home() / ".cache" / "mfa-widgets" / "wheels"
    folder = Path(os.environ.get("MFA_WIDGETS_WHEEL_CACHE", default))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def build_wheel(out: Path) -> Path:
    """Build the wheel from the committed and staged files (as a fresh clone would), in ``out``.

    The sources are copied first (``git ls-files``) so the build never writes into the work tree.
    """
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    source = out / "source"
    for name in filter(None, listed):
        path = ROOT / name
        if path.is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, source / name)
    wheels = out / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", *PIP_QUIET, "--no-deps", "-w", str(wheels), "."],
        cwd=source,
        check=True,
        timeout=600,
    )
    (wheel,) = wheels.glob("mfa_widgets-*.whl")
    return wheel


@dataclass(frozen=True)
class Venv:
    """A fresh virtual environment."""

    path: Path

    @property
    def python(self) -> Path:
        """Its interpreter."""
        return self.path / "bin" / "python"

    def bin(self, name: str) -> Path:
        """A console script installed in it."""
        return self.path / "bin" / name

    def run(
        self, *args: str | Path, cwd: Path | None = None, timeout: float = 300, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        """Run ``python args...`` in it with a clean environment (no PYTHONPATH to the tree)."""
        env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
        env["PATH"] = f"{self.path / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        return subprocess.run(
            [str(self.python), *map(str, args)],
            cwd=cwd or self.path,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=check,
        )

    def distributions(self) -> set[str]:
        """Normalised names of every installed distribution."""
        code = (
            "import importlib.metadata as m\n"
            "print('\\n'.join(d.metadata['Name'] for d in m.distributions()))"
        )
        names = self.run("-c", code).stdout.split()
        return {n.lower().replace("_", "-") for n in names}

    def site_packages_bytes(self) -> int:
        """Bytes on disk under the venv's ``lib/`` (what the install added, pip included)."""
        return sum(f.stat().st_size for f in (self.path / "lib").rglob("*") if f.is_file())


def make_venv(path: Path) -> Venv:
    """A fresh venv at ``path`` (with pip, without network)."""
    subprocess.run([sys.executable, "-m", "venv", str(path)], check=True, timeout=120)
    return Venv(path)


def ensure_cached(wheel: Path, extras: str = "", *also: str) -> None:
    """Fill the cache with what ``wheel[extras]`` and ``also`` need, unless it holds it all.

    Filling once with every extra at once (one resolution, one download each) is much faster
    than filling per venv.
    """
    target = f"{wheel}[{extras}]" if extras else str(wheel)
    check = [
        sys.executable, "-m", "pip", "install", *PIP_QUIET, "--dry-run", "--ignore-installed",
        "--no-index", "--find-links", str(cache_dir()), target, *also,
    ]  # fmt: skip
    if subprocess.run(check, capture_output=True, timeout=900).returncode == 0:
        return
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", *PIP_QUIET, "--wheel-dir", str(cache_dir()),
         "--find-links", str(cache_dir()), target, *also],
        check=True,
        timeout=1800,
    )  # fmt: skip
    for stale in cache_dir().glob("mfa_widgets-*.whl"):
        stale.unlink()  # the project's own wheel is always the one just built


def install(
    venv: Venv, wheel: Path, extras: str = "", *also: str, compile_bytecode: bool = True
) -> float:
    """Install ``wheel[extras]`` (and ``also``) from the cache; returns the seconds it took.

    The cache is filled first if it lacks something (that download is not part of the time).
    ``compile_bytecode=False`` skips writing ``.pyc`` files (pip's ``--no-compile``): tests use
    it to save minutes; the benchmark measures a user's install, which compiles.
    """
    ensure_cached(wheel, extras, *also)
    target = f"{wheel}[{extras}]" if extras else str(wheel)
    start = time.perf_counter()
    no_compile = [] if compile_bytecode else ["--no-compile"]
    venv.run(
        "-m", "pip", "install", *PIP_QUIET, *no_compile, "--no-index", "--find-links",
        str(cache_dir()), target, *also, timeout=900,
    )  # fmt: skip
    return time.perf_counter() - start
