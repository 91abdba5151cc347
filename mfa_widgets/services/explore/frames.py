"""The sweep as frames: one row per scenario, and the challenge matrix."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from mfa_widgets.core.validation import need_instance
from mfa_widgets.services.log import MfaLog

if TYPE_CHECKING:
    import pandas as pd
from mfa_widgets.services.explore.explorer import ScenarioOutcome, _is_final
from mfa_widgets.services.explore.scenarios import _all_of

__all__ = ["challenge_matrix", "outcomes_frame"]


def outcomes_frame(outcomes: Iterable[ScenarioOutcome]) -> pd.DataFrame:
    """One row per scenario: mode, combination, attributes, predicted, observed, agrees, rule."""
    import pandas as pd

    outcomes = _all_of(outcomes, ScenarioOutcome, "outcomes", "pass what Explorer.run returned")

    rows = [
        {
            "mode": o.scenario.mode.value,
            "combination": o.scenario.combination,
            "attributes": o.scenario.attributes,
            "variant": o.scenario.variant,
            "predicted": o.predicted,
            "observed": o.observed,
            "agrees": o.agrees,
            "rule": o.prediction.rule,
            "documented": o.prediction.documented,
            "error": o.error,
        }
        for o in outcomes
    ]
    frame: pd.DataFrame = pd.DataFrame(rows, columns=list(_OUTCOME_COLUMNS))
    return frame


_OUTCOME_COLUMNS = (
    "mode",
    "combination",
    "attributes",
    "variant",
    "predicted",
    "observed",
    "agrees",
    "rule",
    "documented",
    "error",
)


def challenge_matrix(log_or_frame: MfaLog | pd.DataFrame) -> pd.DataFrame:
    """Pivot a sweep into preference combination x pool mode -> ``observed`` (``predicted``).

    Scenarios with a dimension (:attr:`Scenario.variant`) add it to the row label, e.g.
    ``"SMS:- TOTP:on EMAIL:- | USER_AUTH>WEB_AUTHN passkey-MFA:on"``.

    Accepts the sweep's :class:`MfaLog` (sign-in rows with a scenario key) or a frame from
    :func:`outcomes_frame`. Each cell is the observed challenge; a cell whose prediction
    differs reads ``"observed (predicted X)"``.
    """
    frame = _sweep_frame(log_or_frame)
    if frame.empty:
        return frame
    cells = frame.assign(
        cell=[
            obs if agree else f"{obs} (predicted {pred})"
            for obs, pred, agree in zip(
                frame["observed"], frame["predicted"], frame["agrees"], strict=True
            )
        ]
    )
    if "variant" in cells and cells["variant"].astype(bool).any():  # the dimensions
        cells = cells.assign(
            combination=[
                f"{c} | {v}" if v else c
                for c, v in zip(cells["combination"], cells["variant"], strict=True)
            ]
        )
    matrix: pd.DataFrame = cells.pivot_table(
        index="combination", columns="mode", values="cell", aggfunc="first"
    )
    matrix.index.name = "preference (SMS TOTP EMAIL)"
    matrix.columns.name = "pool MFA"
    return matrix


def _sweep_frame(log_or_frame: MfaLog | pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    if not isinstance(log_or_frame, MfaLog):
        fix = "pass the sweep's MfaLog, or its frame (log.frame)"
        given: pd.DataFrame = need_instance(log_or_frame, pd.DataFrame, "log_or_frame", fix)
        return given

    rows = []
    for event in log_or_frame.events:
        if event.scenario and _is_final(event):
            mode, _, rest = event.scenario.partition("[")
            rest, _, variant = rest.partition(" | ")
            combination = rest.split("] ", 1)[1].rsplit(" (", 1)[0]
            rows.append(
                {
                    "mode": mode,
                    "combination": combination,
                    "variant": variant,
                    "predicted": event.predicted_challenge,
                    "observed": event.observed_challenge,
                    "agrees": bool(event.agrees),
                }
            )
    frame: pd.DataFrame = pd.DataFrame(
        rows, columns=["mode", "combination", "variant", "predicted", "observed", "agrees"]
    )
    return frame
