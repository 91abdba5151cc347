"""The conformance corpus is well formed, cited, and its matcher can fail (no network)."""

from __future__ import annotations

import re
from datetime import date
from importlib import resources
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mfa_widgets.core.errors import InvalidArgumentError
from mfa_widgets.services.conformance import KINDS, CaseKind, load_corpus
from mfa_widgets.services.conformance.matching import differences

CORPUS = load_corpus()


def test_the_corpus_holds_at_least_sixty_cited_cases() -> None:
    assert len(CORPUS) >= 60
    for case in CORPUS:
        assert case.kind in KINDS, case.id
        assert case.sources, case.id
        for source in case.sources:
            assert len(source.where) > 10, case.id
            date.fromisoformat(source.seen)  # a real date, not "recently"
            assert source.says, f"{case.id}: say what the source showed"


def test_every_file_is_named_after_its_case() -> None:
    folder = resources.files("mfa_widgets.services.conformance").joinpath("cases")
    names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".yaml"))
    assert names == sorted(f"{case.id}.yaml" for case in CORPUS)


def test_the_corpus_covers_every_mfa_challenge() -> None:
    text = " ".join(repr(case) for case in CORPUS)
    for challenge in (
        "SMS_MFA",
        "EMAIL_OTP",
        "SOFTWARE_TOKEN_MFA",
        "SELECT_MFA_TYPE",
        "MFA_SETUP",
        "NEW_PASSWORD_REQUIRED",
        "SELECT_CHALLENGE",
        "WEB_AUTHN",
        "PASSWORD_VERIFIER",
        "DEVICE_SRP_AUTH",
        "DEVICE_PASSWORD_VERIFIER",
    ):
        assert challenge in text, challenge
    areas = {case.area for case in CORPUS}
    assert {"pref", "totp", "challenge", "choice", "passkey", "factors", "device", "error"} <= areas


def test_known_differences_name_a_target_and_a_reason() -> None:
    for case in CORPUS:
        for target, reason in case.known_differences.items():
            assert target in ("sandbox", "moto", "cognito"), case.id
            assert len(reason) > 20, f"{case.id}: say why the {target} differs"


def test_a_folder_with_a_broken_case_is_refused_in_one_line(tmp_path: Any) -> None:
    (tmp_path / "bad.yaml").write_text("id: x\ntitle: t\nkind: rumour\n")
    with pytest.raises(InvalidArgumentError, match=r"no .sources.|kind"):
        load_corpus(tmp_path)
    with pytest.raises(InvalidArgumentError, match="not a folder"):
        load_corpus(tmp_path / "missing")


@pytest.mark.parametrize("kind", ["rumour", "Recorded", "", "[recorded]"])
def test_a_case_of_a_kind_outside_the_enumeration_is_refused(tmp_path: Any, kind: str) -> None:
    (tmp_path / "bad.yaml").write_text(
        f"id: x\ntitle: t\nkind: '{kind}'\nsources: [{{where: w, seen: s}}]\n"
        "request: {}\nexpect: {}\n"
    )
    with pytest.raises(InvalidArgumentError, match="kind must be one of recorded, aws-example"):
        load_corpus(tmp_path)


def test_a_cases_kind_is_the_enumerations_member_and_equals_its_text() -> None:
    for case in load_corpus():
        assert isinstance(case.kind, CaseKind)
        assert case.kind in KINDS


def test_the_markers() -> None:
    assert differences({"a": "<absent>"}, {}) == []
    assert differences({"a": "<absent>"}, {"a": []}) != []  # an empty list is not absent
    assert differences({"a": "<present>"}, {"a": None}) == []
    assert differences({"a": "<present>"}, {}) != []
    assert differences({"p": "<masked-phone>"}, {"p": "+*******0100"}) == []
    assert differences({"p": "<masked-phone>"}, {"p": "+15555550100"}) != []
    assert differences({"e": "<masked-email>"}, {"e": "j***@g***"}) == []
    assert differences({"e": "<masked-email>"}, {"e": "jane@example.com"}) != []
    assert differences({"s": "re:[A-Z]+"}, {"s": "ABC"}) == []
    assert differences({"s": "re:[A-Z]+"}, {"s": "ABc"}) != []
    compact, spaced = '["SMS_MFA","SOFTWARE_TOKEN_MFA"]', '["SMS_MFA", "SOFTWARE_TOKEN_MFA"]'
    assert differences({"l": compact}, {"l": spaced}) != []
    assert differences({"l": [{"a": 1}]}, {"l": [{"a": 1, "b": 2}]}) == []
    assert differences({"l": [1, 2]}, {"l": [2, 1]}) != []


_plain_text = st.text(max_size=8).filter(lambda s: not s.startswith(("<", "re:")))
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | _plain_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_plain_text, inner, max_size=3),
    max_leaves=12,
)


@given(document=st.dictionaries(_plain_text, _json, max_size=4))
def test_an_answer_matches_itself_and_not_a_changed_copy(document: dict[str, Any]) -> None:
    assert differences(document, document) == []
    changed = {**document, "extra-key-the-answer-lacks": 1}
    found = differences(changed, document)
    assert found
    assert all(re.search("extra-key", line) for line in found)


def test_the_docs_page_lists_every_known_difference_and_names_only_real_cases() -> None:
    from pathlib import Path

    page = (Path(__file__).resolve().parents[2] / "docs" / "conformance.md").read_text()
    ids = {case.id for case in CORPUS}
    for case in CORPUS:
        if "sandbox" in case.known_differences:
            assert f"`{case.id}`" in page, case.id
    named = set(re.findall(r"`([a-z]+\.[a-z0-9-]+)`", page))
    assert named <= ids, named - ids
