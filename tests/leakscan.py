"""Search saved artefacts (notebooks, logs, exports, command output) for secrets.

Used by the notebook tests and the hardening leak scan: after a run, every token, password, TOTP
secret and one-time code it used must be absent from everything the run wrote.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path


def _pattern(secret: str) -> re.Pattern[str]:
    # A numeric one-time code only counts when not embedded in a longer run of digits, nor
    # right after a decimal point (the microseconds of a timestamp, the decimals of a latency).
    if secret.isdigit():
        return re.compile(rf"(?<![\d.]){re.escape(secret)}(?!\d)")
    return re.compile(re.escape(secret))


def find_leaks(sources: Iterable[str | Path], secrets: Iterable[str]) -> list[str]:
    """Return ``"<source>: <secret kind>"`` for every secret found in any source.

    A source is a path (read as text, undecodable bytes replaced) or a string. Secrets shorter
    than 6 characters are ignored (too likely to occur by chance).
    """
    patterns = [(s, _pattern(s)) for s in set(secrets) if len(s) >= 6]
    leaks = []
    for source in sources:
        is_path = isinstance(source, Path)
        text = source.read_text(errors="replace") if is_path else str(source)
        name = str(source) if is_path else f"text[{len(text)} chars]"
        for secret, pattern in patterns:
            if pattern.search(text):
                kind = "code" if secret.isdigit() else f"secret of {len(secret)} chars"
                fingerprint = hashlib.sha256(secret.encode()).hexdigest()[:8]
                leaks.append(f"{name}: {kind} (sha256 {fingerprint})")
    return leaks
