"""Progress bars for long jobs (audits, sweeps, bulk changes): rate and time left, or nothing.

Every long job takes ``progress(done, total)``. Given none, it shows a :mod:`tqdm.auto` bar:
a widget bar in a notebook, a text bar on a terminal, with the count, the rate and the time left.
Where nobody watches (output piped to a file, a CI log, a test) the bar is off and prints
nothing. ``progress=False`` turns it off everywhere; a callable of one's own replaces it.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import Any, Literal, TextIO

__all__ = ["ProgressBar", "ProgressOption", "progress_for", "watched"]

#: What a long job accepts: ``None`` (a bar when watched), ``False`` (none) or a callable.
ProgressOption = Callable[[int, Any], object] | Literal[False] | None


def watched(stream: TextIO | None = None) -> bool:
    """Whether someone sees ``stream`` (stderr by default): a terminal, or a Jupyter kernel.

    A kernel's output stream is no terminal (``isatty()`` is false), yet a person reads it; it is
    recognised by its class (ipykernel's ``OutStream``), without importing IPython.
    """
    stream = stream if stream is not None else sys.stderr
    if stream is None:
        return False
    if type(stream).__module__.startswith("ipykernel"):
        return True
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # closed, or no file at all
        return False


class ProgressBar:
    """A ``progress(done, total)`` callback drawing a :mod:`tqdm.auto` bar (thread-safe).

    Parameters
    ----------
    description
        What is counted, e.g. ``"audit"``.
    unit
        The unit of the count, e.g. ``"user"``.
    enabled
        Draw the bar; default: :func:`watched`.
    file
        Where a text bar goes (stderr by default, so stdout stays the job's output).
    """

    def __init__(
        self,
        description: str,
        unit: str,
        *,
        enabled: bool | None = None,
        file: TextIO | None = None,
    ) -> None:
        from tqdm.auto import tqdm

        self._lock = threading.Lock()
        self.enabled = watched(file) if enabled is None else enabled
        self._bar = tqdm(
            total=None,
            desc=description,
            unit=f" {unit}",
            disable=not self.enabled,
            file=file if file is not None else sys.stderr,
            dynamic_ncols=True,
            leave=True,
        )

    def __call__(self, done: int, total: int | None) -> None:
        """Show ``done`` of ``total`` (``None``: not known); called from any thread."""
        with self._lock:
            if total is not None and total != self._bar.total:
                self._bar.total = max(total, done)
                self._bar.refresh()
            if done > self._bar.n:
                self._bar.update(done - self._bar.n)

    def close(self) -> None:
        """End the bar (a text bar leaves its last line)."""
        with self._lock:
            self._bar.close()

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def progress_for(
    progress: ProgressOption, description: str, unit: str
) -> tuple[Callable[[int, Any], object] | None, ProgressBar | None]:
    """The callback a job calls, and the bar it must close (``None`` when it made none).

    ``None`` gives a :class:`ProgressBar` when :func:`watched`; ``False`` gives nothing; a
    callable is used as it is.
    """
    if progress is False or (progress is None and not watched()):
        return None, None
    if progress is None:
        bar = ProgressBar(description, unit)
        return bar, bar
    return progress, None
