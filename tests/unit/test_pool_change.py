"""A proposed pool change: read from Python and the command line, refused in one line, applied."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mfa_widgets.core.pool_change import (
    AUTH_FLOWS,
    MFA_FACTORS,
    PoolChange,
    PoolChangeError,
    PoolSignIn,
)
from mfa_widgets.core.preferences import Factor
from mfa_widgets.core.signin import POOL_FIRST_FACTORS, PoolMfaConfig, PoolMfaMode, Tier


def test_reads_names_in_any_case_and_alias() -> None:
    change = PoolChange(mfa="required", offer=["email", "webauthn"], withdraw="sms_mfa")
    assert change.mfa is PoolMfaMode.ON
    assert change.offer == {"EMAIL", "PASSKEY"}
    assert change.withdraw == {"SMS"}
    assert change.describe() == "MFA ON; offer EMAIL,PASSKEY; withdraw SMS"


def test_command_line_form() -> None:
    change = PoolChange.parse(
        ["mfa=ON", "tier=plus"],
        withdraw=["SMS"],
        deny_flows=["ALLOW_USER_PASSWORD_AUTH"],
        allow_first=["EMAIL_OTP"],
    )
    assert change == PoolChange(
        mfa="ON",
        tier="PLUS",
        withdraw="SMS",
        deny_flows="USER_PASSWORD_AUTH",
        allow_first="EMAIL_OTP",
    )


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({}, "changes nothing"),
        ({"mfa": "SOMETIMES"}, "OFF, OPTIONAL, ON"),
        ({"tier": "GOLD"}, "LITE, ESSENTIALS, PLUS"),
        ({"offer": "FAX"}, "SMS, TOTP, EMAIL, PASSKEY"),
        ({"offer": "SMS", "withdraw": "sms"}, "keep it in one of them"),
        ({"deny_flows": "CUSTOM_AUTH"}, "USER_PASSWORD_AUTH"),
        ({"allow_first": 3}, "pass names such as"),
        ({"withdraw_first": "PASSKEY"}, "PASSWORD, EMAIL_OTP"),
    ],
)
def test_bad_changes_are_one_line_errors(kwargs: dict[str, object], words: str) -> None:
    with pytest.raises(PoolChangeError) as caught:
        PoolChange(**kwargs)  # type: ignore[arg-type]
    message = str(caught.value)
    assert words in message
    assert "\n" not in message


@pytest.mark.parametrize(
    "setting", ["mfa", "mfa=", "colour=blue", "tier"], ids=["bare", "empty", "unknown", "no-="]
)
def test_bad_settings_name_the_fix(setting: str) -> None:
    with pytest.raises(PoolChangeError, match=re.escape("use mfa=OFF|OPTIONAL|ON or tier=")):
        PoolChange.parse([setting])


@pytest.mark.parametrize(
    ("pool", "change", "words"),
    [
        (PoolMfaConfig("ON", "SMS"), PoolChange(withdraw="SMS"), "needs at least one factor"),
        (PoolMfaConfig("ON", "SMS,EMAIL"), PoolChange(tier="LITE"), "withdraw EMAIL as well"),
        (PoolSignIn(passkey_mfa=True), PoolChange(tier="LITE"), "withdraw PASSKEY as well"),
        (PoolSignIn(), PoolChange(withdraw_first="PASSWORD"), "at least one"),
    ],
)
def test_refuses_a_pool_cognito_refuses(
    pool: PoolMfaConfig | PoolSignIn, change: PoolChange, words: str
) -> None:
    with pytest.raises(PoolChangeError, match=words):
        change.apply(pool)


def test_apply_changes_only_what_is_asked() -> None:
    today = PoolSignIn(PoolMfaConfig("OPTIONAL", "SMS,TOTP", "ESSENTIALS", "verified_email"))
    after = PoolChange(
        mfa="ON", offer="EMAIL,PASSKEY", withdraw="SMS", allow_flows="USER_AUTH"
    ).apply(today)
    assert after.mfa.mode is PoolMfaMode.ON
    assert after.mfa.factors == {Factor.TOTP, Factor.EMAIL}
    assert after.mfa.recovery is today.mfa.recovery
    assert after.passkey_mfa
    assert after.flows == today.flows | {"USER_AUTH"}
    assert after.password_flow == "USER_PASSWORD_AUTH"


def test_password_flow_falls_back_to_user_auth_then_none() -> None:
    only_choice = PoolSignIn(flows={"ALLOW_USER_AUTH"})
    assert only_choice.password_flow == "USER_AUTH"
    assert PoolSignIn(flows=()).password_flow is None


changes = (
    st.fixed_dictionaries(
        {
            "mfa": st.sampled_from([None, *PoolMfaMode]),
            "offer": st.frozensets(st.sampled_from(MFA_FACTORS)),
            "tier": st.sampled_from([None, *Tier]),
            "deny_flows": st.frozensets(st.sampled_from(AUTH_FLOWS)),
            "allow_first": st.frozensets(st.sampled_from(POOL_FIRST_FACTORS)),
        }
    )
    .filter(lambda kwargs: any(kwargs.values()))
    .map(lambda kwargs: PoolChange(**kwargs))
)


@settings(max_examples=150, deadline=None)  # a shared machine: time is not the property
@given(
    mode=st.sampled_from(PoolMfaMode),
    factors=st.frozensets(st.sampled_from(Factor), min_size=1),
    withdraw=st.frozensets(st.sampled_from(MFA_FACTORS)),
    change=changes | st.none(),
)
def test_apply_is_total(
    mode: PoolMfaMode,
    factors: frozenset[Factor],
    withdraw: frozenset[str],
    change: PoolChange | None,
) -> None:
    """Any change either gives a pool Cognito accepts or a one-line error: nothing else."""
    try:
        proposed = change or PoolChange(withdraw=withdraw)
    except PoolChangeError:  # withdrawing nothing changes nothing
        assert not withdraw
        return
    try:
        after = proposed.apply(PoolMfaConfig(mode, factors))
    except PoolChangeError as error:
        refusal = str(error)
        after = None
    if after is None:
        assert "\n" not in refusal
        return
    assert after.mfa.mode is PoolMfaMode.OFF or after.mfa.factors
    assert not (after.mfa.tier is Tier.LITE and Factor.EMAIL in after.mfa.factors)
    assert (
        PoolChange.parse([f"mfa={after.mfa.mode.value}"], withdraw=["SMS"])
        .describe()
        .startswith("MFA")
    )
