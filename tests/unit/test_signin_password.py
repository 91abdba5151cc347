"""The challenge rules against the reference decision table (§2) and over the whole input space.

Rows 19 and 20 (choice-based ``USER_AUTH`` sign-in) are about the first factor, which the engine
does not model; every other row has at least one case here, named by its row number.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mfa_widgets import MfaPreference, MfaPreferenceError
from mfa_widgets.core.preferences import Factor, FactorState
from mfa_widgets.core.signin import (
    Adaptive,
    Outcome,
    PoolMfaConfig,
    PoolMfaMode,
    Prediction,
    Recovery,
    SignInContext,
    Tier,
    UserMfaFacts,
    explain,
    input_space,
    parse_factors,
    predict,
    predict_challenge,
)

SMS, TOTP, EMAIL = "SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP"


@dataclass(frozen=True)
class Case:
    """One decision-table case: keyword inputs and the expected answer."""

    name: str
    inputs: dict[str, Any]
    challenge: str | None
    options: tuple[str, ...] = ()
    row: int | None = None
    documented: bool = True
    error_code: str | None = None


TABLE = [
    Case(
        "row01-off-pool-ignores-preferred-sms", {"pool_mfa": "OFF", "preferred": "SMS"}, None, row=1
    ),
    Case("row02-optional-nothing-enabled", {"pool_mfa": "OPTIONAL", "phone": True}, None, row=2),
    Case(
        "row03-on-totp-preferred",
        {"pool_mfa": "ON", "pool_factors": "SMS,TOTP", "enabled": "SMS", "preferred": "TOTP"},
        TOTP,
        row=3,
    ),
    Case(
        "row03-optional-email-preferred",
        {
            "pool_mfa": "OPTIONAL",
            "pool_factors": "SMS,EMAIL",
            "enabled": "SMS",
            "preferred": "EMAIL",
        },
        EMAIL,
        row=3,
    ),
    Case(
        "row03-preferred-recovery-channel-still-used",
        {"pool_mfa": "ON", "pool_factors": "SMS", "preferred": "SMS", "recovery": "phone"},
        SMS,
        row=3,
    ),
    Case(
        "row04-optional-two-enabled-none-preferred",
        {"pool_mfa": "OPTIONAL", "pool_factors": "SMS,TOTP", "enabled": "SMS,TOTP"},
        "SELECT_MFA_TYPE",
        (SMS, TOTP),
        row=4,
    ),
    Case(
        "row04-optional-three-enabled",
        {"pool_mfa": "OPTIONAL", "pool_factors": "SMS,TOTP,EMAIL", "enabled": "EMAIL,TOTP,SMS"},
        "SELECT_MFA_TYPE",
        (SMS, TOTP, EMAIL),
        row=4,
    ),
    Case(
        "row05-optional-single-sms-inferred",
        {"pool_mfa": "OPTIONAL", "pool_factors": "SMS,TOTP", "enabled": "SMS"},
        SMS,
        row=5,
        documented=False,
    ),
    Case(
        "row06-optional-totp-registered-enabled",
        {"pool_mfa": "OPTIONAL", "pool_factors": "TOTP", "enabled": "TOTP"},
        TOTP,
        row=6,
    ),
    Case(
        "row07-on-totp-only-pool",
        {"pool_mfa": "ON", "pool_factors": "TOTP", "totp_registered": True, "phone": True},
        TOTP,
        row=7,
    ),
    Case(
        "row08-on-totp-plus-phone",
        {"pool_mfa": "ON", "pool_factors": "SMS,TOTP", "totp_registered": True, "phone": True},
        "SELECT_MFA_TYPE",
        (SMS, TOTP),
        row=8,
    ),
    Case(
        "row08-on-totp-plus-phone-and-email",
        {
            "pool_mfa": "ON",
            "pool_factors": "SMS,TOTP,EMAIL",
            "totp_registered": True,
            "phone": True,
            "email": True,
        },
        "SELECT_MFA_TYPE",
        (SMS, TOTP, EMAIL),
        row=8,
    ),
    Case(
        "row08-recovery-email-left-out",
        {
            "pool_mfa": "ON",
            "pool_factors": "SMS,TOTP,EMAIL",
            "recovery": "email",
            "totp_registered": True,
            "phone": True,
            "email": True,
        },
        "SELECT_MFA_TYPE",
        (SMS, TOTP),
        row=8,
    ),
    Case(
        "row09-on-legacy-sms-default",
        {"pool_mfa": "ON", "pool_factors": "SMS,TOTP", "phone": True},
        SMS,
        row=9,
    ),
    Case(
        "row10-on-email-only-attribute",
        {"pool_mfa": "ON", "pool_factors": "EMAIL,TOTP", "email": True},
        EMAIL,
        row=10,
    ),
    Case(
        "row11-on-both-attributes-eligible",
        {"pool_mfa": "ON", "pool_factors": "SMS,EMAIL", "phone": True, "email": True},
        "SELECT_MFA_TYPE",
        (SMS, EMAIL),
        row=11,
    ),
    Case(
        "row12-on-email-is-recovery",
        {
            "pool_mfa": "ON",
            "pool_factors": "SMS,EMAIL",
            "recovery": "email",
            "phone": True,
            "email": True,
        },
        SMS,
        row=12,
    ),
    Case(
        "row12-on-phone-is-recovery",
        {
            "pool_mfa": "ON",
            "pool_factors": "SMS,EMAIL",
            "recovery": "phone",
            "phone": True,
            "email": True,
        },
        EMAIL,
        row=12,
    ),
    Case(
        "row13-only-attribute-is-recovery",
        {"pool_mfa": "ON", "pool_factors": "SMS,TOTP", "recovery": "phone", "phone": True},
        None,
        row=13,
        documented=False,
        error_code="MFAMethodNotFoundException",
    ),
    Case(
        "row14-on-no-eligible-attribute-setup-totp",
        {"pool_mfa": "ON", "pool_factors": "TOTP", "phone": True},
        "MFA_SETUP",
        (TOTP,),
        row=14,
    ),
    Case(
        "row15-on-no-eligible-attribute-no-totp",
        {"pool_mfa": "ON", "pool_factors": "SMS", "email": True},
        None,
        row=15,
        documented=False,
        error_code="MFAMethodNotFoundException",
    ),
    Case(
        "row16-on-nothing-set-up",
        {"pool_mfa": "ON", "pool_factors": "SMS,TOTP,EMAIL"},
        "MFA_SETUP",
        (SMS, TOTP, EMAIL),
        row=16,
    ),
    Case(
        "row16-recovery-email-not-offered",
        {"pool_mfa": "ON", "pool_factors": "SMS,TOTP,EMAIL", "recovery": "email"},
        "MFA_SETUP",
        (SMS, TOTP),
        row=16,
    ),
    Case(
        "row17-remembered-device-skips-mfa",
        {"pool_mfa": "ON", "pool_factors": "TOTP", "preferred": "TOTP", "remembered_device": True},
        "DEVICE_SRP_AUTH",
        row=17,
    ),
    Case(
        "row17-pool-without-device-remembering",
        {
            "pool_mfa": "ON",
            "pool_factors": "TOTP",
            "preferred": "TOTP",
            "remembered_device": True,
            "device_remembering": False,
        },
        TOTP,
        row=3,
    ),
    Case(
        "row18-require-mfa-uses-phone",
        {"pool_mfa": "OPTIONAL", "tier": "PLUS", "adaptive": "require_mfa", "phone": True},
        SMS,
        row=9,
    ),
    Case(
        "row18-require-mfa-no-factor-blocked",
        {"pool_mfa": "OPTIONAL", "tier": "PLUS", "adaptive": "require_mfa"},
        None,
        row=18,
        documented=False,
        error_code="NotAuthorizedException",
    ),
    Case(
        "row18-optional-mfa-no-factor-signs-in",
        {"pool_mfa": "OPTIONAL", "tier": "PLUS", "adaptive": "optional_mfa"},
        None,
        row=18,
    ),
    Case(
        "row18-block",
        {"pool_mfa": "OPTIONAL", "tier": "PLUS", "adaptive": "block", "preferred": "SMS"},
        None,
        row=18,
        documented=False,
        error_code="NotAuthorizedException",
    ),
    # Choices where the docs are silent (module docstring items); all inferred.
    Case(
        "inferred-amplify-js-11260-preferred-not-offered",
        {"pool_mfa": "ON", "pool_factors": "TOTP", "enabled": "TOTP", "preferred": "SMS"},
        TOTP,
        row=7,
        documented=False,
    ),
    Case(
        "inferred-email-on-lite",
        {"pool_mfa": "ON", "pool_factors": "EMAIL,TOTP", "tier": "LITE", "preferred": "EMAIL"},
        "MFA_SETUP",
        (TOTP,),
        row=14,
        documented=False,
    ),
    Case(
        "inferred-pool-totp-disabled-after-registration",
        {"pool_mfa": "ON", "pool_factors": "SMS", "totp_registered": True, "phone": True},
        SMS,
        row=9,
        documented=False,
    ),
    Case(
        "inferred-enabled-recovery-factor-kept",
        {"pool_mfa": "OPTIONAL", "pool_factors": "SMS,TOTP", "enabled": "SMS", "recovery": "phone"},
        SMS,
        row=None,
        documented=False,
    ),
    Case(
        "inferred-adaptive-needs-plus",
        {"pool_mfa": "OPTIONAL", "tier": "ESSENTIALS", "adaptive": "block"},
        None,
        row=2,
        documented=False,
    ),
]


@pytest.mark.parametrize("case", TABLE, ids=[c.name for c in TABLE])
def test_decision_table(case: Case) -> None:
    prediction = predict(**case.inputs)
    assert prediction.challenge == case.challenge, prediction.rule
    assert prediction.options == case.options
    assert prediction.row == case.row
    assert prediction.documented is case.documented, prediction.rule
    assert prediction.error_code == case.error_code
    expected = (
        Outcome.ERROR
        if case.error_code
        else Outcome.CHALLENGE
        if case.challenge
        else Outcome.TOKENS
    )
    assert prediction.outcome is expected


def test_rule_is_plain_words_naming_the_factor() -> None:
    prediction = predict(pool_mfa="ON", pool_factors="SMS,TOTP", preferred="SMS", phone=True)
    assert prediction.rule == (
        "SMS is enabled and preferred, and MFA is required, so Cognito asks for an SMS code."
    )
    assert prediction.source == "MFA guide, runtime logic step 3"


def test_inferred_rules_say_why_in_the_rule() -> None:
    prediction = predict(pool_mfa="ON", pool_factors="TOTP", enabled="TOTP", preferred="SMS")
    assert "amplify-js#11260" in prediction.rule
    assert "SMS is preferred, but the pool doesn't offer SMS MFA" in prediction.rule


def test_step_8_setup_explains_that_sms_needs_a_phone_number() -> None:
    prediction = predict(pool_mfa="ON", pool_factors="SMS,TOTP")
    assert SMS in prediction.options
    assert "add a phone_number attribute and sign in again" in prediction.rule


def test_keyword_form_of_predict_challenge() -> None:
    by_keywords = predict_challenge(
        pool_mfa="ON", pool_factors="SMS,TOTP", phone=True, enabled="SMS,TOTP", preferred=None
    )
    pool = PoolMfaConfig(PoolMfaMode.ON, frozenset({Factor.SMS, Factor.TOTP}))
    user = UserMfaFacts(
        MfaPreference(sms="enabled", totp="enabled", email="disabled"),
        totp_registered=True,
        has_phone=True,
    )
    assert by_keywords == predict_challenge(pool, user)
    assert by_keywords.challenge == "SELECT_MFA_TYPE"


def test_keyword_and_positional_forms_cannot_mix() -> None:
    pool = PoolMfaConfig()
    with pytest.raises(MfaPreferenceError, match="not a mix"):
        predict_challenge(pool, pool_mfa="ON")


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"pool_mfa": "SOMETIMES"}, "use one of OFF, OPTIONAL, ON"),
        ({"tier": "GOLD"}, "use one of LITE, ESSENTIALS, PLUS"),
        ({"recovery": "pigeon"}, "email, phone, admin"),
        ({"adaptive": "maybe"}, "none, allow, optional_mfa, require_mfa, block"),
        ({"preferred": "FOO"}, "or none for no preferred factor"),
        ({"enabled": "SMS,FAX"}, "use one of sms, totp, email"),
    ],
)
def test_bad_keyword_values_name_the_accepted_forms(inputs: dict[str, str], message: str) -> None:
    with pytest.raises(MfaPreferenceError, match=message):
        predict(**inputs)


def test_pool_config_reads_names_and_computes_usable_factors() -> None:
    pool = PoolMfaConfig("on", "sms,email", "lite", "phone")  # type: ignore[arg-type]
    assert pool.mode is PoolMfaMode.ON
    assert pool.recovery is Recovery.PHONE
    assert pool.factors == frozenset({Factor.SMS, Factor.EMAIL})
    assert pool.usable_factors == frozenset({Factor.SMS})
    assert pool.recovery_factor is Factor.SMS
    assert PoolMfaConfig(tier=Tier.PLUS, factors=frozenset(Factor)).usable_factors == frozenset(
        Factor
    )


def test_parse_factors_accepts_text_lists_and_nothing() -> None:
    assert parse_factors("sms, TOTP") == frozenset({Factor.SMS, Factor.TOTP})
    assert parse_factors(["EMAIL_OTP"]) == frozenset({Factor.EMAIL})
    assert parse_factors("none") == parse_factors(None) == parse_factors("") == frozenset()


def test_incomplete_preference_counts_unchanged_as_disabled() -> None:
    pool = PoolMfaConfig(PoolMfaMode.OPTIONAL)
    partial = UserMfaFacts(MfaPreference(sms="enabled"), has_phone=True)
    complete = UserMfaFacts(
        MfaPreference(sms="enabled", totp="disabled", email="disabled"), has_phone=True
    )
    assert predict_challenge(pool, partial) == predict_challenge(pool, complete)


def test_explain_and_json_carry_the_same_facts() -> None:
    prediction = predict(pool_mfa="ON", pool_factors="SMS,TOTP", recovery="phone", phone=True)
    text = explain(prediction)
    assert "error — MFAMethodNotFoundException" in text
    assert "decision table row 13" in text
    assert "Documented: no" in text
    data = prediction.to_json()
    assert data["outcome"] == "error"
    assert data["challenge"] is None
    assert data["error_code"] == "MFAMethodNotFoundException"
    assert json.loads(json.dumps(data)) == data
    assert predict(pool_mfa="OFF").summary == "tokens issued (no MFA challenge)"


# -- the whole input space ----------------------------------------------------------------------

POOLS, USERS, CONTEXTS = input_space()
RECOVERY_FACTOR = {Recovery.EMAIL: EMAIL, Recovery.PHONE: SMS, Recovery.ADMIN_ONLY: None}
ORDER = (SMS, TOTP, EMAIL)


def _receivable(user: UserMfaFacts) -> set[Factor]:
    present = {Factor.SMS: user.has_phone, Factor.TOTP: user.totp_registered}
    present[Factor.EMAIL] = user.has_email
    return {f for f, ok in present.items() if ok}


@dataclass(frozen=True)
class Facts:
    """Per-pool and per-user facts the invariants read, computed once (the loop is long)."""

    usable: frozenset[str]
    recovery: str | None
    preferred: Factor | None
    receivable: frozenset[Factor]


def _broken_invariant(
    pool: PoolMfaConfig, user: UserMfaFacts, ctx: SignInContext, facts: Facts
) -> str | None:
    """The first invariant the prediction for one input breaks, or ``None``."""
    p = predict_challenge(pool, user, ctx)
    if not (isinstance(p, Prediction) and p.rule and p.source):
        return "incomplete prediction"
    if (p.outcome is Outcome.CHALLENGE) != (p.challenge is not None):
        return "challenge and outcome disagree"
    if (p.outcome is Outcome.ERROR) != (p.error_code is not None):
        return "error code and outcome disagree"
    if p.outcome is Outcome.ERROR and p.documented:
        return "error marked documented (exception names are inferred)"
    if p.documented and p.row is None:
        return "documented rule without a table row"
    blocked = pool.tier is Tier.PLUS and ctx.adaptive is Adaptive.BLOCK
    if pool.mode is PoolMfaMode.OFF and p.outcome is not (
        Outcome.ERROR if blocked else Outcome.TOKENS
    ):
        return "OFF pool challenged"
    if p.challenge in ("SELECT_MFA_TYPE", "MFA_SETUP"):
        if len(set(p.options)) != len(p.options):
            return "repeated option"
        if not set(p.options) <= facts.usable:
            return "option the pool can't use"
        if list(p.options) != [o for o in ORDER if o in p.options]:
            return "options out of order"
        if facts.recovery in p.options:
            return "recovery channel offered as an option"
    elif p.options:
        return "options outside SELECT_MFA_TYPE/MFA_SETUP"
    if p.challenge == "SELECT_MFA_TYPE" and len(p.options) < 2:
        return "SELECT_MFA_TYPE with fewer than two options"
    if p.challenge == "MFA_SETUP":
        if not p.options:
            return "empty MFA_SETUP"
        # SMS_MFA is listed only by step 8 (no phone, no email, no TOTP), as the guide says.
        if SMS in p.options and (p.row != 16 or user.has_phone):
            return "SMS_MFA setup outside step 8"
    preferred = facts.preferred
    skipped = ctx.remembered_device and pool.device_remembering
    if (
        preferred is not None
        and pool.mode is not PoolMfaMode.OFF
        and preferred in pool.usable_factors
        and preferred in facts.receivable
        and not blocked
        and p.challenge != ("DEVICE_SRP_AUTH" if skipped else preferred.api_name)
    ):
        return "a usable preferred factor did not win"
    if skipped:
        without = predict_challenge(pool, user, SignInContext(False, ctx.adaptive))
        skips = without.outcome is Outcome.CHALLENGE and without.challenge != "MFA_SETUP"
        if (p.challenge == "DEVICE_SRP_AUTH") != skips:
            return "remembered device rule"
    return None


def _failures(limit: int = 5) -> tuple[int, list[tuple[Any, ...]]]:
    """Check every input; returns (inputs checked, the first ``limit`` failures)."""
    failures: list[tuple[Any, ...]] = []
    count = 0
    pools = [(p, frozenset(f.api_name for f in p.usable_factors)) for p in POOLS]
    for user in USERS:
        preferred, receivable = user.preference.preferred, frozenset(_receivable(user))
        for pool, usable in pools:
            facts = Facts(usable, RECOVERY_FACTOR[pool.recovery], preferred, receivable)
            for ctx in CONTEXTS:
                count += 1
                broken = _broken_invariant(pool, user, ctx, facts)
                if broken:
                    failures.append((broken, pool, user, ctx, predict_challenge(pool, user, ctx)))
                    if len(failures) >= limit:
                        return count, failures
    return count, failures


@pytest.mark.slow
def test_every_input_answers_and_keeps_the_invariants() -> None:
    count, failures = _failures()
    assert failures == []
    assert count == 432 * 160 * 10


def test_every_table_row_the_engine_models_is_reached() -> None:
    rows = {
        predict_challenge(pool, user, ctx).row
        for pool, user, ctx in itertools.product(POOLS[::7], USERS, CONTEXTS)
    }
    assert set(range(1, 19)) <= rows


# -- properties ---------------------------------------------------------------------------------

factor_names = st.sets(st.sampled_from(["SMS", "TOTP", "EMAIL"])).map(",".join)
keyword_inputs = st.fixed_dictionaries(
    {
        "pool_mfa": st.sampled_from(["OFF", "optional", "on"]),
        "pool_factors": factor_names,
        "tier": st.sampled_from(["lite", "essentials", "plus"]),
        "recovery": st.sampled_from(["email", "phone", "admin"]),
        "enabled": factor_names,
        "preferred": st.sampled_from([None, "none", "sms", "totp", "email"]),
        "phone": st.sampled_from([None, False, True]),
        "email": st.sampled_from([None, False, True]),
        "totp_registered": st.sampled_from([None, False, True]),
        "remembered_device": st.booleans(),
        "adaptive": st.sampled_from([a.value for a in Adaptive]),
    }
)


@given(keyword_inputs)
def test_keyword_form_matches_the_positional_form(inputs: dict[str, Any]) -> None:
    by_keywords = predict(**inputs)
    preferred = None if inputs["preferred"] in (None, "none") else Factor.parse(inputs["preferred"])
    enabled = parse_factors(inputs["enabled"]) | ({preferred} if preferred else set())

    def state(f: Factor) -> FactorState:
        if f is preferred:
            return FactorState.PREFERRED
        return FactorState.ENABLED if f in enabled else FactorState.DISABLED

    def flag(name: str, factor: Factor) -> bool:
        value: bool | None = inputs[name]
        return factor in enabled if value is None else value

    user = UserMfaFacts(
        MfaPreference(sms=state(Factor.SMS), totp=state(Factor.TOTP), email=state(Factor.EMAIL)),
        totp_registered=flag("totp_registered", Factor.TOTP),
        has_phone=flag("phone", Factor.SMS),
        has_email=flag("email", Factor.EMAIL),
    )
    pool = PoolMfaConfig(
        PoolMfaMode(inputs["pool_mfa"].upper()),
        parse_factors(inputs["pool_factors"]),
        Tier(inputs["tier"].upper()),
        {"email": Recovery.EMAIL, "phone": Recovery.PHONE, "admin": Recovery.ADMIN_ONLY}[
            inputs["recovery"]
        ],
        device_remembering=inputs["remembered_device"],
    )
    context = SignInContext(inputs["remembered_device"], Adaptive(inputs["adaptive"]))
    assert by_keywords == predict_challenge(pool, user, context)
    data = by_keywords.to_json()
    assert json.loads(json.dumps(data)) == data
    assert {"challenge", "options", "rule", "documented", "outcome", "source"} <= set(data)
