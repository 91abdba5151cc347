"""``StrEnum``: an enumeration whose members are their string values (``enum.StrEnum``).

Python 3.11's ``enum.StrEnum``, and the same class on Python 3.10 (which the package supports):
a member equals its value (``Backend.SANDBOX == "sandbox"``), formats and prints as it, and is
saved as it (JSON, widget state), so a fixed set of strings becomes an enumeration without
changing what callers compare with or what a saved notebook holds.
"""

from __future__ import annotations

import sys
from enum import Enum

__all__ = ["StrEnum"]

if sys.version_info >= (3, 11):
    from enum import StrEnum
else:  # pragma: no cover - Python 3.10 only

    class StrEnum(str, Enum):
        """Python 3.11's ``enum.StrEnum`` for Python 3.10: members print as their values."""

        def __str__(self) -> str:
            return str(self.value)

        def __format__(self, spec: str) -> str:
            return str(self.value).__format__(spec)
