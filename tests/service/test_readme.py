"""The README's API tour runs as written and does what its comments say."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_tour_runs_and_its_claims_hold() -> None:
    tour = re.search(r"```python\n(.*?)```", README.read_text(), re.S)
    assert tour is not None, "the README lost its API tour"
    namespace: dict[str, object] = {}
    exec(compile(tour.group(1), "README tour", "exec"), namespace)  # noqa: S102 - our README
    try:
        attempt = namespace["attempt"]
        assert attempt.challenge == "SMS_MFA"  # type: ignore[attr-defined]
        frame = namespace["log"].frame  # type: ignore[attr-defined]
        assert list(frame["outcome"].astype(str)) == ["ok", "challenge"]
    finally:
        namespace["dashboard"].close()  # type: ignore[attr-defined]
