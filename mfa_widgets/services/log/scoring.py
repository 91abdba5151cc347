"""Scoring predictions: how often Cognito decided other than predicted, in words."""

from __future__ import annotations

import pandas as pd

__all__ = ["decision_summary", "mismatch_summary"]


def decision_summary(frame: pd.DataFrame) -> str:
    """``"n mismatches of m decisions"``: how often Cognito decided other than predicted.

    A decision is a logged step with both a prediction and an observation where Cognito decided
    (tokens, a challenge, a refusal), i.e. a row whose ``agrees`` is known. Typos (a wrong code
    or password) and service failures are counted apart, so they can never raise the mismatches.
    """
    if "agrees" not in frame or not len(frame):
        return mismatch_summary(0, 0)
    agrees = frame["agrees"]
    typos = 0
    if "outcome_category" in frame:
        typos = int(frame["outcome_category"].eq("user_error").sum())
    return mismatch_summary(int(agrees.eq(False).sum()), int(agrees.notna().sum()), typos)


def mismatch_summary(mismatches: int, decisions: int, typos: int = 0) -> str:
    """``"1 mismatch of 2 decisions (1 typing error not counted)"``."""
    text = f"{mismatches} mismatch{'es' if mismatches != 1 else ''} of {decisions} decision"
    text += "s" if decisions != 1 else ""
    if typos:
        text += f" ({typos} typing error{'s' if typos != 1 else ''} not counted)"
    return text
