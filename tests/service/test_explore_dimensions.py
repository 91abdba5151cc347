"""The explorer's dimensions on a real sandbox: flows, passkey MFA, remembered devices.

Every cell's prediction comes from the core (``predict_challenge`` / ``predict_user_auth``) and
its observation from :class:`MfaClient` over HTTP (a real passkey from the software
authenticator, a confirmed device); the sweep passes when they agree everywhere.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from pathlib import Path

from mfa_widgets import MfaClient, MfaLog
from mfa_widgets.sandbox import Sandbox
from mfa_widgets.services.explore import (
    Explorer,
    ScenarioOutcome,
    challenge_matrix,
    default_scenarios,
    outcomes_frame,
)
from mfa_widgets.services.explore.scenarios import DIMENSION_PREFERENCES, Scenario


def _dimensions(
    modes: tuple[str, ...] = ("OPTIONAL", "ON"),
    *,
    flows: bool = True,
    passkey_mfa: bool = True,
    remembered_device: bool = True,
) -> list[Scenario]:
    """The scenarios the dimensions add to the password-flow sweep."""
    found = default_scenarios(
        modes, flows=flows, passkey_mfa=passkey_mfa, remembered_device=remembered_device
    )
    return [s for s in found if s.has_dimensions]


def _differs(outcomes: list[ScenarioOutcome], field: str) -> bool:
    """Some cells that differ only in ``field`` observed different answers."""
    groups: dict[object, set[str | None]] = defaultdict(set)
    for outcome in outcomes:
        groups[replace(outcome.scenario, **{field: None})].add(outcome.observed)
    return any(len(seen) > 1 for seen in groups.values())


def test_password_sweep_keys_are_unchanged_and_dimension_keys_are_new() -> None:
    defaults = default_scenarios()
    assert all(s.variant == "" and " | " not in s.key for s in defaults)
    dimensions = _dimensions()
    keys = {s.key for s in dimensions}
    assert len(keys) == len(dimensions)  # resume needs one key per cell
    assert not keys & {s.key for s in defaults}
    only_flows = _dimensions(passkey_mfa=False, remembered_device=False)
    assert all(s.passkey_mfa is None and s.remembered_device is None for s in only_flows)


def test_dimension_sweep_agrees_in_every_cell(sandbox: Sandbox, tmp_path: Path) -> None:
    scenarios = _dimensions()
    log = MfaLog(autosave=tmp_path / "dimensions.jsonl")
    outcomes = Explorer(MfaClient.for_sandbox(sandbox, in_process=True), log=log, workers=4).run(
        scenarios
    )
    assert len(outcomes) == len(scenarios)
    frame = outcomes_frame(outcomes)
    assert frame["error"].isna().all(), frame[frame["error"].notna()]
    assert frame["agrees"].all(), frame[~frame["agrees"]]
    # every dimension was exercised and changes the answer somewhere
    observed = set(frame["observed"])
    assert {"EMAIL_OTP", "SMS_OTP"} <= observed
    # A remembered device is followed through its own SRP to the tokens, ...
    assert "DEVICE_SRP_AUTH > DEVICE_PASSWORD_VERIFIER > NONE" in observed
    # ... in the flow AWS documents for it too (USER_SRP_AUTH: the password's SRP first).
    srp_device = "PASSWORD_VERIFIER > DEVICE_SRP_AUTH > DEVICE_PASSWORD_VERIFIER > NONE"
    assert srp_device in observed
    # ... and PASSWORD_SRP through PASSWORD_VERIFIER to what follows the password.
    srp = frame[[s.preferred_challenge == "PASSWORD_SRP" for s in scenarios]]
    assert len(srp) == 2 * len(DIMENSION_PREFERENCES)  # each mode x preference
    assert all(o.startswith("PASSWORD_VERIFIER > ") for o in srp["observed"])
    assert {"PASSWORD_VERIFIER > NONE", "PASSWORD_VERIFIER > SMS_MFA"} <= set(srp["observed"])
    offered = {label for label in observed if label.startswith("SELECT_CHALLENGE [")}
    assert any("WEB_AUTHN" in label for label in offered)  # a passkey offered ...
    assert any("WEB_AUTHN" not in label for label in offered)  # ... and withheld
    assert "WEB_AUTHN > NONE" in observed  # a passkey sign-in, verified by the sandbox
    for dimension in ("preferred_challenge", "passkey_mfa", "remembered_device", "flow"):
        assert _differs(outcomes, dimension), dimension
    matrix = challenge_matrix(log)
    assert matrix.notna().to_numpy().sum() == len(scenarios)
    assert not matrix.astype(str).apply(lambda c: c.str.contains("predicted")).any().any()


def test_dimension_sweep_resumes_by_key(sandbox: Sandbox, tmp_path: Path) -> None:
    path = tmp_path / "resume.jsonl"
    scenarios = _dimensions(("OPTIONAL",), flows=False)
    first = Explorer(
        MfaClient.for_sandbox(sandbox, in_process=True), log=MfaLog(autosave=path), workers=2
    )
    first.run(scenarios[:3])
    first.log.close()
    resumed_log = MfaLog.load(path, resume=True)
    resumed = Explorer(MfaClient.for_sandbox(sandbox, in_process=True), log=resumed_log, workers=2)
    assert resumed.done_keys() == {s.key for s in scenarios[:3]}
    outcomes = resumed.run(scenarios)
    assert [o.scenario for o in outcomes] == scenarios[3:]  # only the missing ones ran
    assert all(o.agrees for o in outcomes)
    resumed_log.close()
    final = MfaLog.load(path)
    keys = [e.scenario for e in final.events if e.operation == "InitiateAuth"]
    assert sorted(keys) == sorted(s.key for s in scenarios)
