"""Choice-based sign-in (USER_AUTH), passkey MFA and remembered devices: the predictor's rules.

The whole first-factor input space (288 pools x 32 users x 6 PREFERRED_CHALLENGE values) is
checked against invariants stated independently of the implementation; the names are checked
against botocore's service model.
"""

from __future__ import annotations

import itertools

import botocore.session
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mfa_widgets.core.errors import MfaPreferenceError
from mfa_widgets.core.preferences import FactorState, MfaPreference
from mfa_widgets.core.signin import (
    FIRST_FACTORS,
    POOL_FIRST_FACTORS,
    ChoicePool,
    ChoiceUser,
    Outcome,
    PoolMfaConfig,
    PoolMfaMode,
    SignInContext,
    Tier,
    UserMfaFacts,
    after_first_factor,
    configured_auth_factors,
    passkey_mfa_refusal,
    predict_challenge,
    predict_user_auth,
    user_auth_space,
)

POOLS, USERS, PREFERRED = user_auth_space()
PASSWORDLESS = {"WEB_AUTHN", "EMAIL_OTP", "SMS_OTP"}
MODEL = botocore.session.get_session().get_service_model("cognito-idp")


def test_names_are_the_service_models() -> None:
    challenge_names = set(MODEL.shape_for("ChallengeNameType").enum)
    assert set(FIRST_FACTORS) <= challenge_names
    assert set(POOL_FIRST_FACTORS) == set(MODEL.shape_for("AuthFactorType").enum) - {
        "SOFTWARE_TOKEN"
    }


def test_the_space_is_what_we_think() -> None:
    assert (len(POOLS), len(USERS), len(PREFERRED)) == (3 * 3 * 16 * 2, 32, 6)


def _expected_available(pool: ChoicePool, user: ChoiceUser) -> list[str]:
    """The invariant in words: what each first factor needs, then what MFA takes away."""
    allowed = pool.first_factors
    mfa_applies = pool.mfa.mode is PoolMfaMode.ON or (
        pool.mfa.mode is PoolMfaMode.OPTIONAL and bool(user.mfa.preference.enabled)
    )
    passkey_mfa = pool.passkey_mfa and user.passkey_mfa
    wanted = []
    for name in FIRST_FACTORS:
        needs = {
            "PASSWORD": "PASSWORD" in allowed,
            "PASSWORD_SRP": "PASSWORD" in allowed,
            "WEB_AUTHN": "WEB_AUTHN" in allowed and user.has_passkey,
            "EMAIL_OTP": "EMAIL_OTP" in allowed and user.mfa.has_email,
            "SMS_OTP": "SMS_OTP" in allowed and user.mfa.has_phone,
        }[name]
        if mfa_applies and name in PASSWORDLESS and not (name == "WEB_AUTHN" and passkey_mfa):
            needs = False
        if needs:
            wanted.append(name)
    return wanted


def _broken(pool: ChoicePool, user: ChoiceUser, preferred: str | None) -> str | None:
    p = predict_user_auth(pool, user, preferred)
    first = p.initiate
    if not (first.rule and first.source):
        return "incomplete prediction"
    if (first.outcome is Outcome.CHALLENGE) != (first.challenge is not None):
        return "challenge and outcome disagree"
    if (first.outcome is Outcome.ERROR) != (first.error_code is not None):
        return "error and outcome disagree"
    if not first.documented and "inferred" not in first.rule:
        return "inferred rule that doesn't say so"
    if pool.mfa.tier is Tier.LITE:
        ok = first.error_code == "FeatureUnavailableInTierException" and p.available == ()
        return None if ok else "USER_AUTH allowed on Lite"
    if list(p.available) != _expected_available(pool, user):
        return "wrong AvailableChallenges"
    if not p.available:
        return None if first.outcome is Outcome.ERROR else "nothing available but no error"
    if preferred is None or preferred not in p.available:
        if first.challenge != "SELECT_CHALLENGE" or first.options != p.available:
            return "no usable preference but no SELECT_CHALLENGE"
        if preferred is not None and first.documented:
            return "fallback from an unavailable preference marked documented"
        return None if p.chosen is None and p.then is None else "chose without a choice"
    if p.chosen != preferred or p.then is None:
        return "available preference not followed"
    if preferred in ("PASSWORD", "PASSWORD_SRP"):
        # Passkey MFA applies only when a passkey is the first factor: the password path is
        # the password rules, whatever the passkey settings.
        if p.then != predict_challenge(pool.mfa, user.mfa):
            return "password path differs from the password rules"
        expected_first = (
            (p.then.outcome, p.then.challenge)
            if preferred == "PASSWORD"
            else (Outcome.CHALLENGE, "PASSWORD_VERIFIER")
        )
        if (first.outcome, first.challenge) != expected_first:
            return "wrong answer to InitiateAuth for a password preference"
    else:
        if first.challenge != preferred:
            return "passwordless preference not asked for"
        if p.then.outcome is not Outcome.TOKENS:
            return "an available passwordless factor did not complete the sign-in"
    return None


@pytest.mark.slow
def test_every_input_keeps_the_invariants() -> None:
    failures = []
    count = 0
    for pool, user, preferred in itertools.product(POOLS, USERS, PREFERRED):
        count += 1
        broken = _broken(pool, user, preferred)
        if broken:
            failures.append((broken, pool, user, preferred))
            if len(failures) >= 5:
                break
    assert failures == []
    assert count == 288 * 32 * 6


def test_every_first_factor_and_outcome_is_reached() -> None:
    seen = set()
    for pool, user, preferred in itertools.product(POOLS[::5], USERS, PREFERRED):
        p = predict_user_auth(pool, user, preferred)
        seen.add((p.initiate.outcome, p.initiate.challenge, p.chosen))
    challenges = {c for _, c, _ in seen}
    assert {"SELECT_CHALLENGE", "PASSWORD_VERIFIER", "WEB_AUTHN", "EMAIL_OTP", "SMS_OTP"} <= (
        challenges
    )
    assert {o for o, _, _ in seen} == set(Outcome)


# -- the documented rules, one by one -----------------------------------------------------------

ALL_FIRST = "PASSWORD,EMAIL_OTP,SMS_OTP,WEB_AUTHN"
EVERYTHING = ChoiceUser(
    UserMfaFacts(MfaPreference(sms="enabled"), has_phone=True, has_email=True),
    has_passkey=True,
    passkey_mfa=True,
)


def test_required_mfa_offers_only_passwords_unless_passkey_mfa() -> None:
    on = PoolMfaConfig(mode="ON", factors="SMS")
    plain = predict_user_auth(ChoicePool(on, ALL_FIRST, passkey_mfa=False), EVERYTHING)
    assert plain.available == ("PASSWORD", "PASSWORD_SRP")
    assert plain.initiate.challenge == "SELECT_CHALLENGE"
    with_passkey = predict_user_auth(ChoicePool(on, ALL_FIRST, passkey_mfa=True), EVERYTHING)
    assert with_passkey.available == ("PASSWORD", "PASSWORD_SRP", "WEB_AUTHN")
    then = after_first_factor(ChoicePool(on, ALL_FIRST, passkey_mfa=True), EVERYTHING, "WEB_AUTHN")
    assert then.outcome is Outcome.TOKENS
    assert then.documented
    assert "satisfies MFA" in then.rule


def test_no_mfa_offers_passwordless_and_the_code_completes_the_sign_in() -> None:
    pool = ChoicePool(PoolMfaConfig(mode="OPTIONAL", factors="SMS"), ALL_FIRST)
    user = ChoiceUser(UserMfaFacts(MfaPreference(), has_phone=True, has_email=True))
    p = predict_user_auth(pool, user, "EMAIL_OTP")
    assert (p.initiate.challenge, p.chosen, p.then and p.then.outcome) == (
        "EMAIL_OTP",
        "EMAIL_OTP",
        Outcome.TOKENS,
    )
    assert p.then is not None
    assert p.then.row == 20
    assert p.then.documented


def test_preferred_password_answers_with_the_mfa_stage_and_remembered_devices_apply() -> None:
    mfa = PoolMfaConfig(mode="ON", factors="SMS", device_remembering=True)
    pool = ChoicePool(mfa, "PASSWORD")
    user = ChoiceUser(UserMfaFacts(MfaPreference(sms="preferred"), has_phone=True))
    assert predict_user_auth(pool, user, "PASSWORD").initiate.challenge == "SMS_MFA"
    remembered = SignInContext(remembered_device=True)
    p = predict_user_auth(pool, user, "PASSWORD", remembered)
    assert p.initiate.challenge == "DEVICE_SRP_AUTH"
    assert p.then is not None
    assert p.then.row == 17


def test_lite_pools_have_no_user_auth() -> None:
    pool = ChoicePool(PoolMfaConfig(tier="LITE"), ALL_FIRST)
    p = predict_user_auth(pool, EVERYTHING)
    assert p.initiate.error_code == "FeatureUnavailableInTierException"


def test_unknown_names_are_refused_listing_the_choices() -> None:
    with pytest.raises(MfaPreferenceError, match="use PASSWORD, PASSWORD_SRP"):
        predict_user_auth(ChoicePool(), ChoiceUser(), "SOFTWARE_TOKEN_MFA")
    with pytest.raises(MfaPreferenceError, match="unknown first factor"):
        ChoicePool(first_factors="PASSWORD,TOTP")


# -- passkey MFA preference ----------------------------------------------------------------------

_STATES = [FactorState.DISABLED, FactorState.ENABLED, FactorState.PREFERRED]
_COMPLETE = [
    MfaPreference(*s, webauthn=w)
    for s in itertools.product(_STATES, repeat=3)
    if list(s).count(FactorState.PREFERRED) <= 1
    for w in (False, True)
]


@given(
    tier=st.sampled_from(list(Tier)),
    pool_passkey=st.booleans(),
    after=st.sampled_from(_COMPLETE),
)
def test_passkey_mfa_needs_tier_pool_and_another_method(
    tier: Tier, pool_passkey: bool, after: MfaPreference
) -> None:
    refusal = passkey_mfa_refusal(tier, pool_passkey, after)
    ok = not after.webauthn or (tier is not Tier.LITE and pool_passkey and bool(after.enabled))
    assert (refusal is None) == ok
    if refusal is not None:
        code, message = refusal
        assert MODEL.shape_for(code).metadata.get("exception")  # a real Cognito exception
        assert message.endswith(".")


def test_configured_auth_factors_use_the_models_names_in_its_order() -> None:
    names = MODEL.shape_for("AuthFactorType").enum
    for user in USERS:
        for totp in (False, True):
            full = ChoiceUser(
                UserMfaFacts(user.mfa.preference, totp, user.mfa.has_phone, user.mfa.has_email),
                user.has_passkey,
                user.passkey_mfa,
            )
            factors = configured_auth_factors(full)
            assert factors == [n for n in names if n in factors]
            assert ("SOFTWARE_TOKEN" in factors) is totp
            assert ("WEB_AUTHN" in factors) is user.has_passkey
