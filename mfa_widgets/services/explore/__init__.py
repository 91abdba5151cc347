"""The challenge explorer: sweep preference scenarios against a backend and compare challenges.

For each :class:`Scenario` (pool MFA mode x the user's factor states x attributes) the explorer
prepares a user, applies the preference through :class:`~mfa_widgets.services.client.MfaClient`
(the admin API, so no token is needed), signs in, and records the challenge the core predicted
next to the one the backend returned.

One generator, :func:`default_scenarios`, makes every sweep: the password-flow sweep, and the
dimensions asked for (keys of their own, so the password-flow sweep's keys never change): the
flow (the password flow, or ``USER_AUTH`` with each ``PREFERRED_CHALLENGE`` or none, which asks
for ``SELECT_CHALLENGE``), passkey MFA off/on for a user with a passkey registered from the
software authenticator (pools with ``MULTI_FACTOR_WITH_USER_VERIFICATION``), and a pool that
remembers devices, signing in without a device or from a confirmed one.
:func:`~mfa_widgets.core.signin.predict_user_auth` predicts the choice-based cells; a passkey
first factor is answered and labelled ``"WEB_AUTHN > NONE"``, ``PASSWORD_SRP`` answers
``PASSWORD_VERIFIER`` with a real SRP claim (``"PASSWORD_VERIFIER > SMS_MFA"``), and a remembered
device is followed through its own SRP to the tokens (``"DEVICE_SRP_AUTH >
DEVICE_PASSWORD_VERIFIER > NONE"``); the SRP values are pycognito's.

Throughput: every call (the set-up calls too) is paced by a client-side
:class:`~mfa_widgets.services.pacing.QuotaPacer` set to Cognito's quotas (preference writes and
authenticator registration 25 requests/s, sign-in 120 requests/s), and enough scenarios run at
once to keep the write quota busy while each waits on the network
(:func:`~mfa_widgets.services.pacing.workers_for`), so a sweep against real Cognito runs at the
quota without throttling errors.

Resume: a scenario's log rows are appended to the log together when it finishes (with the
scenario's key), so with an autosaved log an interrupted sweep resumes by skipping the scenarios
already in the file. A scenario cut off half way left no rows and runs again: nothing is lost
and nothing is logged twice.
"""

from __future__ import annotations

from mfa_widgets.services.explore.explorer import Explorer, ScenarioOutcome
from mfa_widgets.services.explore.frames import challenge_matrix, outcomes_frame
from mfa_widgets.services.explore.provisioning import PreparedUser, Provisioner, WireProvisioner
from mfa_widgets.services.explore.scenarios import (
    Scenario,
    default_scenarios,
    valid_preferences,
)

__all__ = [
    "Explorer",
    "PreparedUser",
    "Provisioner",
    "Scenario",
    "ScenarioOutcome",
    "WireProvisioner",
    "challenge_matrix",
    "default_scenarios",
    "outcomes_frame",
    "valid_preferences",
]
