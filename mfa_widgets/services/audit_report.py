"""An audit as tables: the typed audit frame and the counts.

The rules for one row (:func:`~mfa_widgets.core.posture.assess`, the flags) are pure and live in
:mod:`mfa_widgets.core.posture`; this module turns many rows into pandas frames, importing pandas
only when called. The chart is :func:`~mfa_widgets.widgets.charts.plot_summary`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mfa_widgets.core.posture import AUDIT_COLUMNS, FLAGS, AuditedUser, assess, flag_names
from mfa_widgets.core.signin import PoolMfaConfig

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["AuditSummary", "audit_frame", "summarize"]

_FLAG_NAMES = flag_names()


def audit_frame(users: Iterable[AuditedUser], pool: PoolMfaConfig) -> pd.DataFrame:
    """The audit table of ``users``: one row each (sorted by username), typed columns."""
    import pandas as pd

    rows = sorted((assess(user, pool) for user in users), key=lambda row: row["username"])
    columns = [*AUDIT_COLUMNS, *_FLAG_NAMES]
    frame = pd.DataFrame(rows, columns=columns)
    booleans = ["has_phone", "phone_verified", "has_email", "email_verified", "legacy_sms"]
    booleans.append("totp_registered")
    typed: pd.DataFrame = frame.astype(
        {
            **dict.fromkeys(["username", "status", "options", "rule", "flags"], "string"),
            **dict.fromkeys(
                ["read_error", "preferred_factor", "enabled_factors", "auth_factors"], "string"
            ),
            **dict.fromkeys(["challenge", "sms", "totp", "email"], "category"),
            **dict.fromkeys(["enabled", "documented"], "boolean"),
            **dict.fromkeys([*booleans, *_FLAG_NAMES], "bool"),
        }
    )
    return typed


# -- the counts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditSummary:
    """Counts per predicted challenge and per flag.

    Attributes
    ----------
    total
        Users audited.
    challenges
        Columns ``challenge``, ``users``, ``percent`` (``"(read failed)"`` for failed reads).
    flags
        Columns ``flag``, ``users``, ``percent``, ``meaning`` (every flag, also at zero).
    """

    total: int
    challenges: pd.DataFrame
    flags: pd.DataFrame

    def table(self) -> pd.DataFrame:
        """Both counts in one table: ``kind`` (challenge/flag), ``name``, ``users``, ``percent``."""
        import pandas as pd

        challenges = self.challenges.rename(columns={"challenge": "name"}).assign(kind="challenge")
        flags = self.flags.rename(columns={"flag": "name"}).assign(kind="flag")
        both = pd.concat([challenges, flags[["name", "users", "percent", "kind"]]])
        table: pd.DataFrame = both[["kind", "name", "users", "percent"]].reset_index(drop=True)
        return table


def summarize(frame: pd.DataFrame) -> AuditSummary:
    """Count an audit table (:attr:`PoolAudit.frame`) per predicted challenge and per flag."""
    import pandas as pd

    total = len(frame)
    challenge = frame["challenge"].astype("string").fillna("(read failed)")
    counts = challenge.value_counts().sort_values(ascending=False, kind="stable")
    challenges = pd.DataFrame({"challenge": counts.index.astype(str), "users": counts.to_numpy()})
    flags = pd.DataFrame(
        {
            "flag": list(_FLAG_NAMES),
            "users": [int(frame[name].sum()) for name in _FLAG_NAMES],
            "meaning": [flag.meaning for flag in FLAGS],
        }
    )
    for table in (challenges, flags):
        table["percent"] = (100 * table["users"] / total).round(1) if total else 0.0
    return AuditSummary(total, challenges, flags[["flag", "users", "percent", "meaning"]])
