"""A pool change's impact as tables: one typed row per user, the transitions, the verdicts.

:class:`Impact` holds an audit, a :class:`~mfa_widgets.core.pool_change.PoolChange` and the pool
today and after it; its frames are built on first use from the rules of
:mod:`mfa_widgets.core.impact`. Users with the same facts get the same row, so the rules run once
per distinct user: a 100,000-user audit is decided in a few hundred predictions. Where the audit
comes from (live, saved) and the fixes as bulk plans are in :mod:`mfa_widgets.services.impact`.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from mfa_widgets.core.impact import ATTENTION, VERDICTS, ImpactRow, assess_change, impact_key
from mfa_widgets.core.pool_change import PoolChange, PoolSignIn
from mfa_widgets.core.posture import AuditedUser
from mfa_widgets.core.signin import PoolMfaConfig

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["IMPACT_COLUMNS", "AuditLike", "Impact"]

#: Columns of :attr:`Impact.frame`, in order.
IMPACT_COLUMNS = ("username", *ImpactRow._fields, "attention")
_TEXT = ("username", "options_today", "rule_today", "options_after", "rule_after", "what_to_do")


class AuditLike(Protocol):
    """What an impact needs of an audit (a :class:`~mfa_widgets.services.audit.PoolAudit`)."""

    @property
    def pool_id(self) -> str:
        """The audited pool."""

    @property
    def pool(self) -> PoolMfaConfig:
        """Its MFA configuration when audited."""

    @property
    def users(self) -> Sequence[AuditedUser]:
        """Every user read."""


@dataclass(frozen=True)
class Impact:
    """What a pool change does to every audited user (nothing has been changed).

    Attributes
    ----------
    audit
        The audit the users come from.
    change
        The proposed change.
    today, after
        The pool's sign-in settings now and after the change.
    """

    audit: AuditLike
    change: PoolChange
    today: PoolSignIn
    after: PoolSignIn

    @functools.cached_property
    def _decided(self) -> tuple[list[ImpactRow], list[int]]:
        """The distinct rows, and for each audited user the index of theirs."""
        distinct: list[ImpactRow] = []
        seen: dict[tuple[object, ...], int] = {}
        codes = []
        for user in self.audit.users:
            key = impact_key(user)
            code = seen.get(key)
            if code is None:
                code = seen[key] = len(distinct)
                distinct.append(assess_change(user, self.today, self.after))
            codes.append(code)
        return distinct, codes

    @property
    def rows(self) -> tuple[ImpactRow, ...]:
        """One :class:`ImpactRow` per audited user, in the audit's order."""
        distinct, codes = self._decided
        return tuple(distinct[code] for code in codes)

    @functools.cached_property
    def frame(self) -> pd.DataFrame:
        """One typed row per user (:data:`IMPACT_COLUMNS`), sorted by username.

        ``verdict`` is an ordered category (:data:`~mfa_widgets.core.impact.VERDICTS`, most
        urgent first); ``attention`` marks the users an admin must act for before the change.
        Built once per distinct user, then repeated by position (no per-user Python work).
        """
        import numpy as np
        import pandas as pd

        distinct, codes = self._decided
        small = pd.DataFrame(distinct, columns=list(ImpactRow._fields))
        small["attention"] = small["verdict"].isin(list(ATTENTION))
        small = small.astype(
            {
                **dict.fromkeys(_TEXT[1:], "string"),
                "challenge_today": "category",
                "challenge_after": "category",
                "fix": "string",
                "attention": "bool",
            }
        )
        small["verdict"] = pd.Categorical(small["verdict"], categories=VERDICTS, ordered=True)
        names = np.array([user.username for user in self.audit.users], dtype=object)
        order = np.argsort(names, kind="stable")
        frame = small.take(np.asarray(codes, dtype=np.intp)[order]).reset_index(drop=True)
        frame.insert(0, "username", pd.array(names[order], dtype="string"))
        typed: pd.DataFrame = frame[list(IMPACT_COLUMNS)]
        return typed

    def transitions(self) -> pd.DataFrame:
        """Users per (challenge today, challenge after): rows today, columns after, with totals."""
        import pandas as pd

        frame = self.frame
        today = frame["challenge_today"].astype("string").fillna("(not read)")
        after = frame["challenge_after"].astype("string").fillna("(not read)")
        table: pd.DataFrame = pd.crosstab(
            today.rename("today"), after.rename("after"), margins=True, margins_name="all"
        )
        return table

    def verdicts(self) -> pd.DataFrame:
        """Users per verdict (every verdict, also at zero), most urgent first."""
        import pandas as pd

        counts = self.frame["verdict"].value_counts(sort=False)
        total = len(self.frame)
        table: pd.DataFrame = pd.DataFrame({"verdict": list(VERDICTS), "users": counts.to_numpy()})
        table["percent"] = (100 * table["users"] / total).round(1) if total else 0.0
        return table

    def attention(self) -> pd.DataFrame:
        """The users who need an admin before the change, most urgent first, with what to do."""
        frame = self.frame
        chosen: pd.DataFrame = frame[frame["attention"]].sort_values(
            ["verdict", "username"], kind="stable"
        )
        columns = ["username", "verdict", "challenge_today", "challenge_after", "what_to_do", "fix"]
        first: pd.DataFrame = chosen[columns].reset_index(drop=True)
        return first

    def summary(self) -> str:
        """A few lines: the change, the pools, how many users per verdict."""
        counts = self.verdicts()
        pairs = zip(counts["verdict"].tolist(), counts["users"].tolist(), strict=True)
        lines = [
            f"Pool {self.audit.pool_id}: {len(self.frame)} users; change: {self.change.describe()}",
            f"  today: {self.today.describe()}",
            f"  after: {self.after.describe()}",
        ]
        lines += [f"  {verdict}: {users}" for verdict, users in pairs if users]
        return "\n".join(lines)
