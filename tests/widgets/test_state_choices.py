"""Every trait with a fixed set of values holds an enumeration member and refuses anything else.

A member's text is accepted and stored as the member (so ``state.stage = "idle"`` and saved
state keep working); a value outside the set is a ``TraitError`` naming the allowed values.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import traitlets as t
from hypothesis import given
from hypothesis import strategies as st

from mfa_widgets.core.outcomes import OUTCOME_CATEGORIES
from mfa_widgets.core.signin import FIRST_FACTORS, SignInFlow
from mfa_widgets.core.string_enum import StrEnum
from mfa_widgets.widgets.state import (
    Backend,
    ConnectionState,
    LogColumns,
    LogViewState,
    PanelStatus,
    ProbeStage,
    ProbeState,
    StatusKind,
    TotpStage,
    TotpState,
)

#: (model, trait, the enumeration its values come from)
CHOICES: list[tuple[type[t.HasTraits], str, type[StrEnum]]] = [
    (PanelStatus, "kind", StatusKind),
    (ConnectionState, "backend", Backend),
    (TotpState, "stage", TotpStage),
    (ProbeState, "stage", ProbeStage),
    (ProbeState, "flow", SignInFlow),
    (LogViewState, "columns", LogColumns),
]
IDS = [f"{model.__name__}.{name}" for model, name, _ in CHOICES]


@pytest.mark.parametrize(("model", "name", "kind"), CHOICES, ids=IDS)
def test_the_trait_refuses_a_value_outside_its_enumeration(
    model: type[t.HasTraits], name: str, kind: type[StrEnum]
) -> None:
    state = model()
    before = getattr(state, name)
    with pytest.raises(t.TraitError, match=repr(next(iter(kind)).value)):
        setattr(state, name, "no-such-value")
    assert getattr(state, name) is before  # nothing lost


@pytest.mark.parametrize(("model", "name", "kind"), CHOICES, ids=IDS)
def test_the_members_text_is_stored_as_the_member_and_saves_as_the_text(
    model: type[t.HasTraits], name: str, kind: type[StrEnum]
) -> None:
    state = model()
    assert isinstance(getattr(state, name), kind)  # the default too
    for member in kind:
        setattr(state, name, member.value)
        value = getattr(state, name)
        assert value is member
        assert value == member.value  # comparisons with the old strings hold
        assert json.dumps(value) == json.dumps(member.value)  # saved state is unchanged


@pytest.mark.parametrize(("model", "name", "kind"), CHOICES, ids=IDS)
@given(value=st.one_of(st.text(max_size=12), st.integers(), st.none(), st.lists(st.text())))
def test_no_generated_value_outside_the_enumeration_gets_in(
    model: type[t.HasTraits], name: str, kind: type[StrEnum], value: Any
) -> None:
    state = model()
    allowed = {member.value for member in kind}
    if isinstance(value, str) and value in allowed:
        setattr(state, name, value)
        assert getattr(state, name) == value
    else:
        with pytest.raises(t.TraitError):
            setattr(state, name, value)


@pytest.mark.parametrize(
    ("name", "allowed"),
    [("preferred", ("", *FIRST_FACTORS)), ("category", ("", *OUTCOME_CATEGORIES))],
)
def test_the_probes_text_choices_refuse_a_value_outside_them(
    name: str, allowed: tuple[str, ...]
) -> None:
    state = ProbeState()
    for value in allowed:
        setattr(state, name, value)
    with pytest.raises(t.TraitError):
        setattr(state, name, "no-such-value")
