"""The preference model: invariants over every combination of states, and what edits mean."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mfa_widgets import Factor, FactorState, MfaPreference, MfaPreferenceError

D, E, P = FactorState.DISABLED, FactorState.ENABLED, FactorState.PREFERRED
STATES: list[FactorState | None] = [None, D, E, P]


def _valid(states: tuple[FactorState | None, ...]) -> bool:
    return sum(s is P for s in states) <= 1


#: Every valid preference (4 states ^ 3 factors, minus those with two or three preferred).
ALL = [MfaPreference(*s) for s in itertools.product(STATES, repeat=3) if _valid(s)]
#: Every complete preference (what GetUser describes).
COMPLETE = [p for p in ALL if p.is_complete]

states = st.sampled_from(STATES)
factors = st.sampled_from(list(Factor))
preferences = st.sampled_from(ALL)
complete_preferences = st.sampled_from(COMPLETE)


def test_the_state_space_is_what_we_think() -> None:
    # 4^3 = 64 combinations; 10 have two or more PREFERRED (3 pairs x 3 other states for the
    # third factor, plus all three). Complete ones: 3^3 = 27, minus 3 x 2 + 1 = 7.
    assert len(ALL) == 54
    assert len(COMPLETE) == 20


# -- invariants ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "states", [s for s in itertools.product(STATES, repeat=3) if not _valid(s)]
)
def test_two_preferred_factors_are_refused_naming_them(states: tuple[FactorState, ...]) -> None:
    with pytest.raises(MfaPreferenceError, match="at most one factor can be preferred") as error:
        MfaPreference(*states)
    for factor, state in zip(Factor, states, strict=True):
        assert (factor.name in str(error.value)) == (state is P)


@pytest.mark.parametrize("preference", ALL, ids=lambda p: p.describe())
def test_invariants_hold_for_every_valid_preference(preference: MfaPreference) -> None:
    preferred = [f for f, s in preference if s is P]
    assert len(preferred) <= 1
    assert preference.preferred == (preferred[0] if preferred else None)
    if preference.preferred is not None:
        assert preference.preferred in preference.enabled
    assert preference.enabled == {f for f, s in preference if s in (E, P)}


@pytest.mark.parametrize("preference", ALL, ids=lambda p: p.describe())
def test_request_never_has_two_preferred_and_preferred_is_enabled(
    preference: MfaPreference,
) -> None:
    request = preference.to_request()
    assert set(request) == {f.request_key for f, s in preference if s is not None}
    assert sum(block["PreferredMfa"] for block in request.values()) <= 1
    for block in request.values():
        assert set(block) == {"Enabled", "PreferredMfa"}
        assert not block["PreferredMfa"] or block["Enabled"]
    assert MfaPreference.from_request(request) == preference


@pytest.mark.parametrize("preference", ALL, ids=lambda p: p.describe())
def test_get_user_response_round_trips(preference: MfaPreference) -> None:
    response = preference.to_response()
    assert ("PreferredMfaSetting" in response) == (preference.preferred is not None)
    assert ("UserMFASettingList" in response) == bool(preference.enabled)  # left out when empty
    read_back = MfaPreference.from_user(response)
    # Unchanged factors have no GetUser representation: they read back as disabled.
    expected = MfaPreference(*(s or D for _, s in preference))
    assert read_back == expected
    assert read_back.is_complete
    assert read_back.notes == ()


def test_preferences_are_hashable_and_immutable() -> None:
    assert len(set(ALL)) == len(ALL)
    with pytest.raises(AttributeError):
        ALL[0].sms = P  # type: ignore[misc]


# -- edits, as a person expects them ---------------------------------------------------------------


@given(preferences, factors, states)
def test_with_state_sets_that_factor_and_demotes_only_the_old_preferred(
    preference: MfaPreference, factor: Factor, state: FactorState | None
) -> None:
    result = preference.with_state(factor, state)
    assert result.state(factor) is state
    for other, before in preference:
        if other is factor:
            continue
        after = result.state(other)
        demoted = state is P and before is P
        assert after is (E if demoted else before)


@given(preferences, st.sampled_from([None, *Factor]))
def test_with_preferred_moves_the_preference_and_keeps_everything_else_enabled(
    preference: MfaPreference, factor: Factor | None
) -> None:
    result = preference.with_preferred(factor)
    assert result.preferred is factor
    expected_enabled = preference.enabled | ({factor} if factor else set())
    assert result.enabled == expected_enabled


def test_with_preferred_none_on_a_value_without_preference_is_the_same_value() -> None:
    value = MfaPreference(sms=E)
    assert value.with_preferred(None) is value


@given(preferences, complete_preferences)
def test_changes_from_sends_only_differences_and_reaches_the_same_state(
    wanted: MfaPreference, current: MfaPreference
) -> None:
    changes = wanted.changes_from(current)
    for factor, state in changes:
        if state is not None:
            assert state is wanted.state(factor)
            assert state is not current.state(factor)
        else:
            assert wanted.state(factor) in (None, current.state(factor))
    assert changes.merged_onto(current) == wanted.merged_onto(current)


@given(complete_preferences)
def test_no_change_means_an_empty_request(current: MfaPreference) -> None:
    assert current.changes_from(current).is_empty
    assert current.changes_from(current).to_request() == {}


@given(preferences, complete_preferences)
def test_merged_onto_keeps_left_out_factors_and_stays_complete(
    update: MfaPreference, current: MfaPreference
) -> None:
    result = update.merged_onto(current)
    assert result.is_complete
    for factor, wanted in update:
        if wanted is not None:
            assert result.state(factor) is wanted
        elif current.state(factor) is P and update.preferred is not None:
            assert result.state(factor) is E  # demoted by the new preferred factor
        else:
            assert result.state(factor) is current.state(factor)


@given(complete_preferences, st.lists(st.tuples(factors, states), max_size=8))
def test_any_sequence_of_edits_keeps_the_invariants(
    start: MfaPreference, edits: list[tuple[Factor, FactorState | None]]
) -> None:
    value = start
    for factor, state in edits:
        value = value.with_state(factor, state)
        assert sum(s is P for _, s in value) <= 1
        assert value.state(factor) is state
    last_edit = dict(edits)
    for factor, state in last_edit.items():
        if state is not P:
            # the last edit of a factor wins, unless a later factor took the preference
            assert value.state(factor) is state


def test_making_totp_preferred_demotes_sms_to_enabled() -> None:
    value = MfaPreference(sms="preferred", totp="enabled", email="disabled")
    changed = value.with_preferred("totp")
    assert changed == MfaPreference(sms=E, totp=P, email=D)
    assert changed.changes_from(value) == MfaPreference(sms=E, totp=P)
    assert changed.describe() == "SMS enabled, TOTP preferred, EMAIL disabled"


def test_disabling_the_preferred_factor_clears_the_preference() -> None:
    value = MfaPreference(sms=P, totp=E).with_state(Factor.SMS, "disabled")
    assert value.preferred is None
    assert value.enabled == {Factor.TOTP}


def test_notes_survive_edits_but_not_equality() -> None:
    read = MfaPreference.from_user({"UserMFASettingList": [], "MFAOptions": [{"x": 1}]})
    assert read.notes
    assert read.with_state("sms", E).notes == read.notes
    assert read == MfaPreference(sms=D, totp=D, email=D)


# -- parsing names, states and server shapes -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "factor"),
    [
        ("sms", Factor.SMS),
        ("SMS_MFA", Factor.SMS),
        ("SMSMfaSettings", Factor.SMS),
        ("totp", Factor.TOTP),
        ("software-token", Factor.TOTP),
        ("SOFTWARE_TOKEN_MFA", Factor.TOTP),
        ("Email", Factor.EMAIL),
        ("EMAIL_OTP", Factor.EMAIL),
        ("EmailMfaSettings", Factor.EMAIL),
    ],
)
def test_factor_parse_accepts_every_name(text: str, factor: Factor) -> None:
    assert Factor.parse(text) is factor


def test_factor_parse_rejects_unknown_names_listing_the_choices() -> None:
    with pytest.raises(MfaPreferenceError, match="use one of sms, totp, email"):
        Factor.parse("webauthn")


@pytest.mark.parametrize(
    ("value", "state"),
    [
        ("PREFERRED", P),
        (" enabled ", E),
        ("off", D),
        ("on", E),
        (True, E),
        (False, D),
        (None, None),
        ("unchanged", None),
        (P, P),
    ],
)
def test_state_parse(value: object, state: FactorState | None) -> None:
    assert FactorState.parse(value) is state  # type: ignore[arg-type]


def test_state_parse_rejects_unknown_words_listing_the_choices() -> None:
    with pytest.raises(MfaPreferenceError, match="use disabled, enabled, preferred"):
        FactorState.parse("maybe")


@pytest.mark.parametrize(
    ("settings", "state"),
    [
        (None, None),
        ({}, None),
        ({"Enabled": True}, E),
        ({"Enabled": False}, D),
        ({"Enabled": True, "PreferredMfa": True}, P),
        ({"Enabled": True, "PreferredMfa": False}, E),
    ],
)
def test_settings_blocks(settings: dict[str, bool] | None, state: FactorState | None) -> None:
    assert FactorState.from_settings(Factor.SMS, settings) is state


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"Enabled": False, "PreferredMfa": True}, "SMS is preferred but not enabled"),
        ({"PreferredMfa": True}, "set Enabled=true for SMSMfaSettings"),
        ({"enabled": True}, "unknown keys"),
        ({"Enabled": "false"}, r"SMSMfaSettings\.Enabled must be true or false"),
        ({"Enabled": 1}, "must be true or false"),
    ],
)
def test_bad_settings_blocks_are_refused(settings: dict[str, object], message: str) -> None:
    with pytest.raises(MfaPreferenceError, match=message):
        FactorState.from_settings(Factor.SMS, settings)


def test_from_request_ignores_identity_keys_and_reads_passkey_mfa() -> None:
    # Until issue 14 WebAuthnMfaSettings was ignored here; passkey MFA is now modelled (on/off).
    request = {
        "AccessToken": "x",
        "WebAuthnMfaSettings": {"Enabled": True},
        "EmailMfaSettings": {"Enabled": True, "PreferredMfa": True},
    }
    assert MfaPreference.from_request(request) == MfaPreference(email=P, webauthn=True)


def test_from_user_reads_an_inconsistent_preferred_factor_as_disabled_with_a_note() -> None:
    read = MfaPreference.from_user(
        {"UserMFASettingList": ["SMS_MFA"], "PreferredMfaSetting": "SOFTWARE_TOKEN_MFA"}
    )
    assert read == MfaPreference(sms=E, totp=D, email=D)
    assert "not in UserMFASettingList" in read.notes[0]


@pytest.mark.parametrize("preferred", [None, ""])
def test_from_user_treats_empty_preferred_as_none(preferred: str | None) -> None:
    response = {"UserMFASettingList": ["EMAIL_OTP"], "PreferredMfaSetting": preferred}
    assert MfaPreference.from_user(response).preferred is None


def test_as_dict_is_plain_strings() -> None:
    assert MfaPreference(totp=P).as_dict() == {"sms": None, "totp": "preferred", "email": None}
