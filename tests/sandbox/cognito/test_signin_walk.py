"""Walking a sign-in from the request to its decision visits each module once.

The measure. One request is traced with :func:`sys.setprofile`, keeping only the frames whose
file is under ``mfa_widgets/sandbox/`` (every other frame, botocore's, moto's, the core rules',
a dataclass's generated ``__init__``, is transparent: a sandbox frame called through it counts as
called by the nearest sandbox frame below it). From the trace:

* a **visit** of module ``M`` begins when a frame of ``M`` is called from a frame of another
  module (or from outside the sandbox) and ends when that frame returns; calls within ``M``
  belong to the visit. Visits nest: the walk is a tree of visits;
* **steps** are the length of the sequence of modules control passes through (a module again
  each time control comes back to it: A calls B, B returns, is A, B, A), **modules** the
  distinct modules visited;
* a **return to a module already left** is a visit of a module that was visited before in the
  walk: the walk went on to other modules and came back. Control coming back to the caller when
  a visit ends is not one (A calls B, B returns to A: one visit of B, and A's visit goes on);
  calling B again later is one.

"Each module once" is then: no visit of a module already visited. It is asserted in two views:

* **the emulator's modules** (``mfa_widgets/sandbox/cognito/``: the operations table, the sign-in
  machine, its facts, gates and stages), strictly: every visit counts;
* **every module of the sandbox**, with a *leaf visit* folded into its caller: a visit that
  enters no other sandbox module (a read or a write of the moto bridge or the store, a wire
  helper) is a call the caller makes, like a call into the standard library, not a step of the
  walk. A visit that goes on into other modules (the facts reading the bridge and the store, the
  gates counting a failure) is a step and counts.

Before the sign-in pipeline (commit ``df7603d``) one ``USER_AUTH`` ``InitiateAuth`` with its
password walked 133 steps through 21 modules with 47 returns (strictly, over every module), 37
steps through 11 modules with 8 returns over the emulator's, and 29 / 10 / 5 over every module
with leaf visits folded: the machine and its gates called back into each other, and the user's
facts were read three times. After it: 101 / 22 / 30, 23 / 12 / 0 and 19 / 10 / 0 (the 30
left in the strict view are leaf reads and writes of the bridge, the store and the wire
helpers). An answer (the ``PASSWORD`` or ``EMAIL_OTP`` challenge of a ``USER_AUTH`` sign-in)
visited the gates twice, to bind the session and then to check the secret; it is one call now.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

import mfa_widgets.sandbox
from mfa_widgets.sandbox import Sandbox, SandboxPool, SandboxUser
from mfa_widgets.sandbox.cognito.signin.machine import FLOWS
from mfa_widgets.services.srp import SrpProof

ROOT = str(Path(mfa_widgets.sandbox.__file__).parent) + os.sep
EMULATOR = "cognito."


@dataclass
class Visit:
    """One visit of a module, and the visits it made (in order)."""

    module: str
    visits: list[Visit] = field(default_factory=list)


def _module(frame: FrameType) -> str | None:
    name = frame.f_code.co_filename
    if not name.startswith(ROOT):
        return None
    return name[len(ROOT) :].removesuffix(".py").replace(os.sep, ".")


def trace(call: Callable[[], Any], keep: Callable[[str], bool] = lambda _: True) -> Visit:
    """The tree of module visits ``call`` makes (only modules ``keep`` accepts are seen)."""
    root = Visit("")
    stack = [root]

    def seen(frame: FrameType | None) -> str | None:
        module = None if frame is None else _module(frame)
        return module if module is not None and keep(module) else None

    def caller(frame: FrameType) -> str | None:
        below = frame.f_back
        while below is not None:
            module = seen(below)
            if module is not None:
                return module
            below = below.f_back
        return None

    def profile(frame: FrameType, event: str, _: object) -> None:
        if event not in ("call", "return"):
            return
        module = seen(frame)
        if module is None or caller(frame) == module:
            return
        if event == "call":
            visit = Visit(module)
            stack[-1].visits.append(visit)
            stack.append(visit)
        else:
            stack.pop()

    sys.setprofile(profile)
    try:
        call()
    finally:
        sys.setprofile(None)
    return root


@dataclass(frozen=True)
class Walk:
    """The measure of a traced walk (see the module docstring)."""

    steps: int
    modules: int
    returns: dict[str, int]
    path: tuple[str, ...]

    @property
    def returned(self) -> int:
        """How many visits were of a module already visited."""
        return sum(self.returns.values())


def measure(root: Visit, fold_leaves: bool = False) -> Walk:
    """Steps, modules and returns of the walk ``root`` (leaf visits folded if asked)."""
    path: list[str] = []
    seen: set[str] = set()
    returns: dict[str, int] = {}

    def go(visit: Visit) -> None:
        for inner in visit.visits:
            if fold_leaves and not inner.visits:
                continue
            if inner.module in seen:
                returns[inner.module] = returns.get(inner.module, 0) + 1
            seen.add(inner.module)
            path.append(inner.module)
            go(inner)
            if visit.module:
                path.append(visit.module)

    go(root)
    return Walk(len(path), len(seen), returns, tuple(path))


# -- the measure itself -------------------------------------------------------------------------


def test_a_leaf_called_twice_by_its_caller_is_a_return_and_a_callback_is_one() -> None:
    # A calls B, B returns, A calls B again: B's second visit is a return (strict view)
    twice = Visit("", [Visit("a", [Visit("b"), Visit("b")])])
    assert measure(twice).returns == {"b": 1}
    assert measure(twice, fold_leaves=True).returns == {}  # a leaf: folded into a
    # A calls B, B calls back into A: a return, in both views
    back = Visit("", [Visit("a", [Visit("b", [Visit("a", [Visit("c")])])])])
    assert measure(back).returns == {"a": 1}
    assert measure(back, fold_leaves=True).returns == {"a": 1}
    # a pipeline: each module once, however deep
    pipeline = Visit("", [Visit("a", [Visit("b", [Visit("c")]), Visit("d")])])
    walked = measure(pipeline)
    assert (walked.returned, walked.modules, walked.steps) == (0, 4, 7)  # a b c b a d a


# -- one sign-in of each flow -------------------------------------------------------------------


@dataclass
class Place:
    sandbox: Sandbox
    pool: SandboxPool
    user: SandboxUser
    cognito: Any


@pytest.fixture(scope="module")
def place(sandbox: Sandbox) -> Place:
    pool = sandbox.create_pool(name="walk", mfa="OPTIONAL", factors=("SMS", "TOTP", "EMAIL"))
    cognito = sandbox.in_process_client()
    cognito.update_user_pool(
        UserPoolId=pool.pool_id,
        Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]}},
        UserPoolTier="ESSENTIALS",
        MfaConfiguration="OPTIONAL",
    )
    flows = [
        "ALLOW_USER_AUTH",
        "ALLOW_USER_PASSWORD_AUTH",
        "ALLOW_USER_SRP_AUTH",
        "ALLOW_ADMIN_USER_PASSWORD_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
    ]
    cognito.update_user_pool_client(
        UserPoolId=pool.pool_id, ClientId=pool.client_id, ExplicitAuthFlows=flows
    )
    user = sandbox.create_user(pool, "walker", email="walker@example.com")
    return Place(sandbox, pool, user, cognito)


def _sign_in(place: Place, flow: str) -> Callable[[], Any]:
    """One ``InitiateAuth`` of ``flow`` with its secret, to its decision."""
    user, pool, cognito = place.user, place.pool, place.cognito
    parameters = {"USERNAME": user.username, "PASSWORD": user.password}
    if flow == "USER_AUTH":
        parameters["PREFERRED_CHALLENGE"] = "PASSWORD"
    if flow == "USER_SRP_AUTH":
        proof = SrpProof(pool.pool_id, pool.client_id, user.username, user.password)
        parameters = {"USERNAME": user.username, "SRP_A": proof.srp_a}
    if FLOWS[flow][1]:
        return lambda: cognito.admin_initiate_auth(
            UserPoolId=pool.pool_id,
            ClientId=pool.client_id,
            AuthFlow=flow,
            AuthParameters=parameters,
        )
    return lambda: cognito.initiate_auth(
        ClientId=pool.client_id, AuthFlow=flow, AuthParameters=parameters
    )


@pytest.fixture(params=sorted(FLOWS))
def walked(request: pytest.FixtureRequest, place: Place) -> tuple[str, Visit, Visit]:
    flow = str(request.param)
    sign_in = _sign_in(place, flow)
    answer = sign_in()  # once untraced: first-use imports and caches are not the walk
    decided = "AuthenticationResult" in answer or answer.get("ChallengeName")
    assert decided, answer
    everything = trace(sign_in)
    emulator = trace(sign_in, keep=lambda module: module.startswith(EMULATOR))
    return flow, everything, emulator


def test_the_emulator_modules_are_each_visited_once(walked: tuple[str, Visit, Visit]) -> None:
    flow, _, emulator = walked
    walk = measure(emulator)
    assert walk.returned == 0, (flow, walk.returns, " -> ".join(walk.path))


def test_every_sandbox_module_is_visited_once_leaf_calls_aside(
    walked: tuple[str, Visit, Visit],
) -> None:
    flow, everything, _ = walked
    walk = measure(everything, fold_leaves=True)
    assert walk.returned == 0, (flow, walk.returns, " -> ".join(walk.path))


def test_the_user_auth_walk_is_the_pipeline(place: Place) -> None:
    """Request, operations table, machine, facts (read once), gates (one call), decision."""
    sign_in = _sign_in(place, "USER_AUTH")
    sign_in()
    walk = measure(trace(sign_in, keep=lambda module: module.startswith(EMULATOR)))
    visited = [module for module in walk.path if module != "cognito.signin.machine"]
    assert visited[:2] == ["cognito.app", "cognito.operations"], walk.path
    signin = [module for module in dict.fromkeys(walk.path) if ".signin." in module]
    machine, facts, gates = (f"cognito.signin.{name}" for name in ("machine", "facts", "gates"))
    assert signin[:3] == [machine, facts, gates], walk.path  # the facts before the gates


def _answer(place: Place, factor: str) -> Callable[[], Any]:
    """A ``USER_AUTH`` sign-in's second request: the answer to ``factor``'s challenge."""
    user, pool, cognito = place.user, place.pool, place.cognito
    asked = cognito.initiate_auth(
        ClientId=pool.client_id,
        AuthFlow="USER_AUTH",
        AuthParameters={"USERNAME": user.username, "PREFERRED_CHALLENGE": factor},
    )
    assert asked["ChallengeName"] == factor, asked
    answers = {"USERNAME": user.username}
    if factor == "PASSWORD":
        answers["PASSWORD"] = user.password
    else:
        answers[f"{factor}_CODE"] = place.sandbox.latest_code(user.username, "EMAIL", pool)
    return lambda: cognito.respond_to_auth_challenge(
        ClientId=pool.client_id,
        ChallengeName=factor,
        Session=asked["Session"],
        ChallengeResponses=answers,
    )


@pytest.mark.parametrize("factor", ["PASSWORD", "EMAIL_OTP"])
def test_an_answer_to_its_decision_visits_each_emulator_module_once(
    place: Place, factor: str
) -> None:
    """The answer is bound to its session and its secret checked in one call of the gates."""
    assert "AuthenticationResult" in _answer(place, factor)()
    emulator = trace(_answer(place, factor), keep=lambda module: module.startswith(EMULATOR))
    walk = measure(emulator)
    assert walk.returned == 0, (factor, walk.returns, " -> ".join(walk.path))
