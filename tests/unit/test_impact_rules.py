"""Today vs after a pool change for one user: the verdicts, what to do, the fix (pure rules)."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mfa_widgets.core.impact import (
    ATTENTION,
    VERDICTS,
    assess_change,
    impact_key,
    next_sign_in,
)
from mfa_widgets.core.pool_change import PoolChange, PoolChangeError, PoolSignIn
from mfa_widgets.core.posture import AuditedUser
from mfa_widgets.core.preferences import MfaPreference
from mfa_widgets.core.signin import PoolMfaConfig, PoolMfaMode, Tier, input_space
from mfa_widgets.core.signin.labels import prediction_label
from tests.impact_kinds import KINDS

OPTIONAL_ALL = PoolSignIn(PoolMfaConfig("OPTIONAL", "SMS,TOTP,EMAIL"))


def user(**facts: object) -> AuditedUser:
    preference = facts.pop("preference", None)
    base = AuditedUser("someone", **facts)  # type: ignore[arg-type]
    if preference is None:
        return base
    return dataclasses.replace(base, preference=preference.merged_onto(base.preference))  # type: ignore[attr-defined]


SMS_ONLY = user(has_phone=True, preference=MfaPreference(sms="preferred"))
SMS_AND_EMAIL = user(
    has_phone=True, has_email=True, preference=MfaPreference(sms="enabled", email="enabled")
)


@pytest.mark.parametrize(
    ("who", "change", "after", "verdict"),
    [
        # ON pool without SMS, no authenticator, no email: step 8 asks for TOTP set-up.
        (SMS_ONLY, PoolChange(mfa="ON", withdraw="SMS"), "MFA_SETUP", "must set up MFA"),
        # Nothing enabled in an OPTIONAL pool, then ON with email offered: step 6.2.
        (user(has_email=True), PoolChange(mfa="ON"), "EMAIL_OTP", "newly challenged"),
        # Two enabled, none preferred: SELECT_MFA_TYPE; without SMS only email is left.
        (SMS_AND_EMAIL, PoolChange(withdraw="SMS"), "EMAIL_OTP", "loses the choice"),
        (SMS_ONLY, PoolChange(mfa="OFF"), "NONE", "no longer challenged"),
        (SMS_ONLY, PoolChange(offer="PASSKEY"), "SMS_MFA", "unchanged"),
        # The app client loses every sign-in flow.
        (
            SMS_ONLY,
            PoolChange(deny_flows="USER_PASSWORD_AUTH,ADMIN_USER_PASSWORD_AUTH,USER_SRP_AUTH"),
            "ERROR",
            "cannot sign in without help",
        ),
    ],
)
def test_verdicts(who: AuditedUser, change: PoolChange, after: str, verdict: str) -> None:
    row = assess_change(who, OPTIONAL_ALL, change.apply(OPTIONAL_ALL))
    assert (row.challenge_after, row.verdict) == (after, verdict)
    assert row.rule_after
    assert (verdict == "unchanged") == (row.what_to_do == "")


def test_only_contact_is_the_recovery_channel_cannot_sign_in_in_an_on_pool() -> None:
    """Step 6.1 refuses; a *preferred* factor is used even on the recovery channel (rule 5)."""
    today = PoolSignIn(PoolMfaConfig("OPTIONAL", "SMS,TOTP", recovery="verified_phone_number"))
    after = PoolChange(mfa="ON", withdraw="TOTP").apply(today)
    row = assess_change(user(has_phone=True), today, after)
    assert (row.verdict, row.fix) == ("cannot sign in without help", "SMS")
    no_phone = assess_change(user(), today, PoolChange(mfa="ON", withdraw="TOTP").apply(today))
    assert (no_phone.verdict, no_phone.fix) == ("cannot sign in without help", None)
    assert "An admin must help" in no_phone.what_to_do


def test_fix_is_a_factor_the_new_pool_asks_a_code_for() -> None:
    """SMS withdrawn in an OPTIONAL pool: an SMS-only user with an email gets email preferred."""
    who = user(has_phone=True, has_email=True, preference=MfaPreference(sms="preferred"))
    after = PoolChange(withdraw="SMS").apply(OPTIONAL_ALL)
    row = assess_change(who, OPTIONAL_ALL, after)
    assert (row.verdict, row.fix) == ("no longer challenged", "EMAIL")
    assert "make EMAIL this user's preferred MFA factor" in row.what_to_do


def test_a_user_not_read_is_said_so() -> None:
    row = assess_change(
        AuditedUser("gone", read_error="UserNotFoundException: x"), *[OPTIONAL_ALL] * 2
    )
    assert row.verdict == "not read"
    assert row.challenge_today is None


def test_user_auth_only_client_is_asked_with_password_first() -> None:
    """A client left with only USER_AUTH: PREFERRED_CHALLENGE=PASSWORD, then the MFA stage."""
    after = PoolChange(
        deny_flows="USER_PASSWORD_AUTH,ADMIN_USER_PASSWORD_AUTH,USER_SRP_AUTH",
        allow_flows="USER_AUTH",
    ).apply(OPTIONAL_ALL)
    assert prediction_label(next_sign_in(after, SMS_ONLY)) == "SMS_MFA"
    lite = PoolChange(tier="LITE", withdraw="EMAIL").apply(after)
    assert next_sign_in(lite, SMS_ONLY).error_code == "FeatureUnavailableInTierException"


POOLS, USERS, _ = input_space()


@settings(max_examples=300, deadline=None)  # a shared machine: time is not the property
@given(
    pool=st.sampled_from(POOLS),
    facts=st.sampled_from(USERS),
    kind=st.sampled_from(KINDS),
)
def test_verdict_follows_the_two_predictions(pool: PoolMfaConfig, facts, kind) -> None:  # type: ignore[no-untyped-def]
    """Generated: the verdict says 'unchanged' exactly when nothing changes; a fix works."""
    today = PoolSignIn(pool)
    try:
        after = PoolChange(**kind).apply(today)
    except PoolChangeError:
        return
    who = AuditedUser(
        "u",
        has_phone=facts.has_phone,
        has_email=facts.has_email,
        preference=facts.preference,
        auth_factors=("PASSWORD", "SOFTWARE_TOKEN") if facts.totp_registered else ("PASSWORD",),
    )
    row = assess_change(who, today, after)
    assert row.verdict in VERDICTS
    same = (row.challenge_today, row.options_today) == (row.challenge_after, row.options_after)
    assert (row.verdict == "unchanged") == same
    if row.fix is not None:
        assert row.verdict in ATTENTION
        fixed = dataclasses.replace(
            who,
            preference=MfaPreference(**{row.fix.lower(): "preferred"}).merged_onto(who.preference),
        )
        assert next_sign_in(after, fixed).challenge in {
            "SMS_MFA",
            "SOFTWARE_TOKEN_MFA",
            "EMAIL_OTP",
        }
    assert impact_key(who) == impact_key(dataclasses.replace(who, username="other"))
    assert after.mfa.mode in PoolMfaMode
    assert after.mfa.tier in Tier
