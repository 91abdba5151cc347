"""Today vs after a pool change, for one audited user: the challenges, the rules and a verdict.

:func:`next_sign_in` predicts a user's next password sign-in at a pool (:class:`PoolSignIn`): the
app client's password flow decides by :func:`~mfa_widgets.core.signin.predict_challenge`; a
client that allows only ``USER_AUTH`` is asked with ``PREFERRED_CHALLENGE=PASSWORD`` and decided
by :func:`~mfa_widgets.core.signin.predict_user_auth` (first factors, passkey MFA, the plan); a
client with neither cannot sign anyone in (``InvalidParameterException`` "... flow not enabled for
this client", the sandbox's recorded answer).

:func:`assess_change` compares today with after and gives a :data:`VERDICTS` entry, what to do,
and a fix an admin can make before the change (a factor to prefer, :func:`fix_for`), when one
exists. Pure: no I/O; many users share a few distinct facts, so :func:`impact_key` lets the
caller decide once per distinct user.
"""

from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple

from mfa_widgets.core.pool_change import PoolSignIn
from mfa_widgets.core.posture import AuditedUser
from mfa_widgets.core.preferences import Factor, FactorState, MfaPreference
from mfa_widgets.core.signin import (
    ChoicePool,
    ChoiceUser,
    Outcome,
    Prediction,
    predict_challenge,
    predict_user_auth,
)
from mfa_widgets.core.signin.labels import NO_CHALLENGE, prediction_label

__all__ = [
    "ATTENTION",
    "VERDICTS",
    "ImpactRow",
    "assess_change",
    "fix_for",
    "impact_key",
    "next_sign_in",
]

UNCHANGED = "unchanged"
DIFFERENT = "different challenge"
NEWLY = "newly challenged"
SETUP = "must set up MFA"
STUCK = "cannot sign in without help"
CHOICE = "loses the choice"
DROPPED = "no longer challenged"
NOT_READ = "not read"
#: Every verdict, the most urgent first (the order of the attention list).
VERDICTS = (STUCK, SETUP, DROPPED, NEWLY, CHOICE, DIFFERENT, UNCHANGED, NOT_READ)
#: The verdicts that need an admin before the change.
ATTENTION = frozenset({STUCK, SETUP, DROPPED})

_CODES = frozenset({"SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP"})
_CHOICES = frozenset({"SELECT_MFA_TYPE", "SELECT_CHALLENGE"})
_FIX_ORDER = (Factor.TOTP, Factor.EMAIL, Factor.SMS)
_NO_FLOW = Prediction(
    Outcome.ERROR,
    None,
    (),
    "The app client allows no password flow and not USER_AUTH, so nobody can sign in through "
    "it (Cognito: '... flow not enabled for this client').",
    "SM InitiateAuth AuthFlow; ExplicitAuthFlows (answer recorded in the sandbox's sign-in)",
    True,
    "InvalidParameterException",
    "USER_PASSWORD_AUTH flow not enabled for this client",
)


def next_sign_in(pool: PoolSignIn, user: AuditedUser) -> Prediction:
    """What the user's next password sign-in at ``pool`` answers after the first step."""
    flow = pool.password_flow
    if flow is None:
        return _NO_FLOW
    if flow != "USER_AUTH":
        return predict_challenge(pool.mfa, user.facts)
    choice_user = ChoiceUser(
        user.facts,
        has_passkey="WEB_AUTHN" in (user.auth_factors or ()),
        passkey_mfa=bool(user.preference.webauthn),
    )
    choice_pool = ChoicePool(pool.mfa, pool.first_factors, pool.passkey_mfa)
    return predict_user_auth(choice_pool, choice_user, preferred="PASSWORD").initiate


def impact_key(user: AuditedUser) -> tuple[object, ...]:
    """The facts the impact depends on: users with equal keys get equal rows.

    The raw facts (cheap to hash): whether the read failed, the preference, the attributes and
    the registered factors (from which the authenticator and the passkey follow).
    """
    return (
        user.read_error is None,
        user.preference,
        user.has_phone,
        user.has_email,
        user.auth_factors,
    )


class ImpactRow(NamedTuple):
    """One user's impact (without the username)."""

    challenge_today: str | None
    options_today: str
    rule_today: str | None
    challenge_after: str | None
    options_after: str
    rule_after: str | None
    verdict: str
    what_to_do: str
    fix: str | None


def fix_for(user: AuditedUser, after: PoolSignIn) -> Factor | None:
    """A factor to prefer before the change so the user gets an MFA code after it, or ``None``.

    Tried in the order TOTP (a registered authenticator), email, SMS; the factor must be one the
    pool offers after the change and one the user can receive (an admin cannot register an
    authenticator or invent a phone number, so those users need the user, not a bulk change).
    """
    for factor in _FIX_ORDER:
        if factor not in after.mfa.usable_factors:
            continue
        preference = (
            MfaPreference().with_state(factor, FactorState.PREFERRED).merged_onto(user.preference)
        )
        fixed = next_sign_in(after, replace(user, preference=preference))
        if fixed.challenge in _CODES and (factor is not Factor.TOTP or user.totp_registered):
            return factor
    return None


def assess_change(user: AuditedUser, today: PoolSignIn, after: PoolSignIn) -> ImpactRow:
    """Compare the user's next sign-in today and after the change."""
    if user.read_error is not None:
        return ImpactRow(None, "", None, None, "", None, NOT_READ, "Audit this user again.", None)
    now, then = next_sign_in(today, user), next_sign_in(after, user)
    label_now, label_then = prediction_label(now), prediction_label(then)
    verdict = _verdict(now, label_now, then, label_then)
    fix = fix_for(user, after) if verdict in ATTENTION else None
    return ImpactRow(
        label_now,
        ",".join(now.options),
        now.rule,
        label_then,
        ",".join(then.options),
        then.rule,
        verdict,
        _what_to_do(verdict, user, label_now, label_then, fix),
        fix.name if fix else None,
    )


def _verdict(now: Prediction, label_now: str, then: Prediction, label_then: str) -> str:
    if label_now == label_then and now.options == then.options:
        return UNCHANGED
    if then.outcome is Outcome.ERROR:
        return STUCK
    if label_then == "MFA_SETUP":
        return SETUP
    if label_then == NO_CHALLENGE and (label_now in _CODES or label_now in _CHOICES):
        return DROPPED
    if label_now in (NO_CHALLENGE, "ERROR", "MFA_SETUP") and label_then in _CODES | _CHOICES:
        return NEWLY
    if label_now in _CHOICES and (
        label_then in _CODES or (label_then == label_now and len(then.options) < len(now.options))
    ):
        return CHOICE
    return DIFFERENT


def _what_to_do(verdict: str, user: AuditedUser, now: str, then: str, fix: Factor | None) -> str:
    if fix is not None:
        return (
            f"Before the change, make {fix.name} this user's preferred MFA factor (the bulk "
            f"plan does it), so Cognito asks for the {fix.name} code after it."
        )
    if verdict == STUCK:
        return (
            "An admin must help before the change: add a phone_number or email the new pool "
            "can use, or ask the user to register an authenticator app while the pool still "
            "allows it; otherwise the user cannot sign in."
        )
    if verdict == SETUP:
        return (
            "Ask the user to register an authenticator app before the change; otherwise "
            "Cognito asks them to set one up during sign-in (MFA_SETUP), which many apps "
            "don't handle."
        )
    if verdict == DROPPED:
        return (
            "Cognito stops asking this user for MFA: ask them to register an authenticator "
            "app, or add a phone_number/email the new pool offers."
        )
    if verdict == NEWLY:
        return f"Tell the user: from the next sign-in Cognito asks for {then}."
    if verdict == CHOICE:
        return f"Tell the user: Cognito will ask for {then} without offering a choice."
    if verdict == DIFFERENT:
        return f"Tell the user: Cognito will ask for {then} instead of {now}."
    return ""
