"""State models of the probe, log view, explorer and admin panels (traitlets, no ipywidgets).

Like :mod:`mfa_widgets.widgets.state`, these hold state only; the views link their controls to
them. No secret is ever a trait here: passwords, tokens, challenge sessions, TOTP secrets and
one-time codes live in plain attributes of the panels, in kernel memory only.
"""

from __future__ import annotations

from typing import Any

import traitlets as t

from mfa_widgets.core.challenges import PoolMfaMode
from mfa_widgets.core.outcomes import is_decision
from mfa_widgets.core.preferences import Factor

__all__ = [
    "AdminState",
    "ExplorerState",
    "LogColumns",
    "LogViewState",
    "ProbeStage",
    "ProbeState",
]


class ProbeStage:
    """Where a probed sign-in is."""

    IDLE = "idle"
    CHALLENGED = "challenged"
    SETTING_UP = "setting_up"  # MFA_SETUP: authenticator associated, waiting for a code
    SIGNED_IN = "signed_in"
    FAILED = "failed"
    ALL = (IDLE, CHALLENGED, SETTING_UP, SIGNED_IN, FAILED)


class ProbeState(t.HasTraits):
    """What the sign-in probe shows: the challenge Cognito returned next to the predicted one."""

    username = t.Unicode("", help="Who signs in.")
    stage = t.Enum(ProbeStage.ALL, default_value=ProbeStage.IDLE, help="Where the sign-in is.")
    observed = t.Unicode("", help="The label of the last step's answer: a challenge, NONE, ERROR.")
    predicted = t.Unicode("", help="The label the core predicted for the last step, or ''.")
    explanation = t.Unicode("", help="The prediction's rule, source and confidence in words.")
    options = t.Tuple(help="Factors offered by SELECT_MFA_TYPE or MFA_SETUP (API names).")
    delivery = t.Unicode("", help="Where a code was sent (masked by Cognito), or ''.")
    password_held = t.Bool(False, help="A password waits in kernel memory for the next attempt.")
    category = t.Unicode(
        "", help="The last step's outcome category (core.outcomes), e.g. 'challenge', 'user_error'."
    )
    problem = t.Unicode("", help="What the person got wrong, in plain words, or ''.")

    @property
    def agrees(self) -> bool | None:
        """Whether Cognito decided as predicted (``None`` without a prediction or a decision).

        A wrong code or password is not a decision, so it never counts as a miss.
        """
        if not self.predicted or not self.observed or not is_decision(self.category):
            return None
        return self.observed == self.predicted


class LogColumns:
    """Which columns the log view shows."""

    COMPACT = "compact"
    FULL = "full"
    ALL = (COMPACT, FULL)


class LogViewState(t.HasTraits):
    """Display settings of the live log view and the last export."""

    limit = t.Int(25, min=1, help="Newest rows shown.")
    columns = t.Enum(LogColumns.ALL, default_value=LogColumns.COMPACT, help="Column set.")
    folder = t.Unicode(".", help="Folder the export buttons write to.")
    last_export = t.Unicode("", help="Path of the file written last, or ''.")


class ExplorerState(t.HasTraits):
    """What the explorer panel sweeps, and how far the sweep is."""

    modes = t.List(
        t.UseEnum(PoolMfaMode), default_value=[PoolMfaMode.ON], help="Pool MFA modes to sweep."
    )
    pool_factors = t.List(
        t.UseEnum(Factor), default_value=list(Factor), help="Factors the sweep's pools offer."
    )
    has_phone = t.Bool(True, help="Sweep users have a phone_number attribute.")
    has_email = t.Bool(True, help="Sweep users have an email attribute.")
    flows = t.Bool(False, help="Also sweep the sign-in flows: USER_AUTH with each first factor.")
    passkey_mfa = t.Bool(False, help="Also sweep passkey MFA off and on for a user with a passkey.")
    remembered_device = t.Bool(
        False, help="Also sweep a pool that remembers devices, with and without a device."
    )
    running = t.Bool(False, help="A sweep is in flight.")
    done = t.Int(0, help="Scenarios finished in the current sweep.")
    total = t.Int(0, help="Scenarios in the current sweep.")
    mismatches = t.Int(0, help="Scenarios whose observed challenge differs from the prediction.")

    @t.validate("modes", "pool_factors")
    def _no_duplicates(self, proposal: Any) -> list[Any]:
        seen: list[Any] = []
        for item in proposal.value:
            if item not in seen:
                seen.append(item)
        return seen


class AdminState(t.HasTraits):
    """The pool and user the admin panel works on, and the current page of users."""

    user_pool_id = t.Unicode("", help="The user pool, e.g. us-east-1_AbCdEf.")
    username = t.Unicode("", help="The user whose preference is shown.")
    users = t.Tuple(help="Usernames on the current page of ListUsers.")
    page = t.Int(0, help="Number of the current page (1 for the first; 0 before listing).")
    has_next = t.Bool(False, help="ListUsers returned a pagination token.")
