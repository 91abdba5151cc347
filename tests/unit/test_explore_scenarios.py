"""default_scenarios: the shape of the sweep and its dimensions, for any modes and preferences."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mfa_widgets.core.preferences import Factor, MfaPreference
from mfa_widgets.core.signin import PoolMfaMode
from mfa_widgets.services.explore.scenarios import (
    CHOICE_FLOW,
    SRP_FLOW,
    SWEPT_CHALLENGES,
    default_scenarios,
    surface_scenarios,
    valid_preferences,
)

DEFAULT_KEYS = {s.key for s in default_scenarios()}


@settings(deadline=None, max_examples=60)
@given(
    modes=st.lists(st.sampled_from(list(PoolMfaMode)), min_size=1, max_size=3, unique=True),
    preferences=st.lists(st.sampled_from(valid_preferences()), max_size=6, unique=True),
    flows=st.booleans(),
    passkey=st.booleans(),
    device=st.booleans(),
)
def test_each_dimension_adds_its_scenarios_after_the_password_sweep(
    modes: list[PoolMfaMode],
    preferences: list[MfaPreference],
    flows: bool,
    passkey: bool,
    device: bool,
) -> None:
    everything = default_scenarios(
        modes,
        preferences=preferences,
        flows=flows,
        passkey_mfa=passkey,
        remembered_device=device,
    )
    sweep = default_scenarios(modes)
    assert everything[: len(sweep)] == sweep  # the password-flow sweep first, unchanged
    found = everything[len(sweep) :]
    with_totp = sum(Factor.TOTP in p.enabled for p in preferences)
    expected = len(modes) * (
        flows * len(preferences) * (1 + len(SWEPT_CHALLENGES))
        + passkey * with_totp * 2 * 3
        + device * with_totp * 2 * 2  # two flows: password, SRP
    )
    assert len(found) == expected
    keys = [s.key for s in found]
    assert len(set(keys)) == len(keys)  # resume tells every cell apart
    assert not set(keys) & DEFAULT_KEYS  # and never confuses one with a default cell
    for scenario in found:
        assert scenario.has_dimensions
        assert scenario.variant in scenario.key
        if scenario.passkey_mfa is not None or scenario.remembered_device is not None:
            # passkey MFA needs another method; a device needs a signed-in session first
            assert Factor.TOTP in scenario.preference.enabled
        if scenario.passkey_mfa is not None:
            assert scenario.flow == CHOICE_FLOW
            assert scenario.request.webauthn is scenario.passkey_mfa
        else:
            assert scenario.request == scenario.preference
        prediction, label = scenario.predict()
        if scenario.flow == SRP_FLOW:  # the password's SRP proof comes first, then the rules
            assert label.startswith("PASSWORD_VERIFIER > ")
            label = label.removeprefix("PASSWORD_VERIFIER > ")
        assert label.split(" > ")[0].split(" [")[0] in {prediction.challenge or "NONE", "ERROR"}


def test_surface_scenarios_is_a_deprecated_alias_of_the_dimensions() -> None:
    with pytest.warns(DeprecationWarning, match="default_scenarios"):
        found = surface_scenarios(["OPTIONAL"], flows=False)
    everything = default_scenarios(["OPTIONAL"], passkey_mfa=True, remembered_device=True)
    assert found == [s for s in everything if s.has_dimensions]
