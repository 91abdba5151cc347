"""Code sends per user per window: the outbox refuses one more as Cognito does.

Thirty unauthenticated ``EMAIL_OTP`` starts (``USER_AUTH``, first factor) used to send thirty
emails. Now at most ``MAX_SENDS_PER_USER`` codes go to one user of a pool in ``SEND_WINDOW``;
one more is ``LimitExceededException`` with Cognito's message, and nothing is sent. The limit is
per user: another user of the same pool still gets a code.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from botocore.exceptions import ClientError

from mfa_widgets.sandbox import Sandbox, SandboxPool
from mfa_widgets.sandbox.store.outbox import MAX_SENDS_PER_USER, TOO_MANY_SENDS
from tests.widgets.test_probe_choice_flow import choice_pool as choice_pool  # the fixture

_names = itertools.count()


def _start_email(cognito: Any, pool: SandboxPool, username: str) -> dict[str, Any]:
    return dict(
        cognito.initiate_auth(
            ClientId=pool.client_id,
            AuthFlow="USER_AUTH",
            AuthParameters={"USERNAME": username, "PREFERRED_CHALLENGE": "EMAIL_OTP"},
        )
    )


def _email_user(sandbox: Sandbox, pool: SandboxPool, name: str | None = None) -> str:
    """A user of ``pool`` with an email address (a fresh name unless ``name``); the name."""
    name = name or f"sends{next(_names)}"
    sandbox.create_user(pool, name, email=f"{name}@example.com")
    return name


def _sent_to(sandbox: Sandbox, pool: SandboxPool, username: str) -> int:
    return sum(1 for d in sandbox.outbox if (d.pool_id, d.username) == (pool.pool_id, username))


def test_codes_to_one_user_stop_at_the_limit(sandbox: Sandbox, choice_pool: SandboxPool) -> None:
    cognito = sandbox.in_process_client()
    name, other = _email_user(sandbox, choice_pool), _email_user(sandbox, choice_pool)
    for _ in range(MAX_SENDS_PER_USER):  # at the limit: every start sends a code
        assert _start_email(cognito, choice_pool, name)["ChallengeName"] == "EMAIL_OTP"
    assert _sent_to(sandbox, choice_pool, name) == MAX_SENDS_PER_USER
    with pytest.raises(ClientError) as refused:  # one past it
        _start_email(cognito, choice_pool, name)
    assert refused.value.response["Error"]["Code"] == "LimitExceededException"
    assert refused.value.response["Error"]["Message"] == TOO_MANY_SENDS
    assert _sent_to(sandbox, choice_pool, name) == MAX_SENDS_PER_USER  # nothing more was sent
    # per user: another user of the same pool is not affected
    assert _start_email(cognito, choice_pool, other)["ChallengeName"] == "EMAIL_OTP"


def test_the_window_passes_on_the_sandboxs_clock(
    sandbox: Sandbox, choice_pool: SandboxPool
) -> None:
    """Waiting simulated with ``clock.advance`` waits out the window, as it waits out a lockout."""
    from mfa_widgets.sandbox.store.outbox import SEND_WINDOW

    cognito = sandbox.in_process_client()
    name = _email_user(sandbox, choice_pool)
    for _ in range(MAX_SENDS_PER_USER):
        _start_email(cognito, choice_pool, name)
    with pytest.raises(ClientError):
        _start_email(cognito, choice_pool, name)
    sandbox.state.clock.advance(SEND_WINDOW.total_seconds())
    assert _start_email(cognito, choice_pool, name)["ChallengeName"] == "EMAIL_OTP"


def test_thirty_unauthenticated_starts_send_at_most_the_limit(
    sandbox: Sandbox, choice_pool: SandboxPool
) -> None:
    cognito = sandbox.in_process_client()
    name = _email_user(sandbox, choice_pool)
    codes: list[str] = []
    for _ in range(30):
        try:
            _start_email(cognito, choice_pool, name)
            codes.append("sent")
        except ClientError as error:
            codes.append(error.response["Error"]["Code"])
    assert codes == ["sent"] * MAX_SENDS_PER_USER + ["LimitExceededException"] * (
        30 - MAX_SENDS_PER_USER
    )
    assert _sent_to(sandbox, choice_pool, name) == MAX_SENDS_PER_USER


def test_the_explorers_sweep_stays_within_the_limit(sandbox: Sandbox) -> None:
    """The sweep signs many users in, each a few times: every one stays within the limit."""
    from collections import Counter

    from mfa_widgets import MfaClient
    from mfa_widgets.services.explore import Explorer, outcomes_frame

    before = len(sandbox.outbox)
    outcomes = Explorer(MfaClient.for_sandbox(sandbox, in_process=True), workers=4).run()
    frame = outcomes_frame(outcomes)
    assert frame["agrees"].all(), frame[~frame["agrees"]]
    sent = Counter(d.recipient for d in list(sandbox.outbox)[before:])
    assert len(sent) >= 10  # many users got a code (18 in the default sweep)
    assert max(sent.values()) <= MAX_SENDS_PER_USER


def test_a_user_made_again_with_the_same_name_is_a_new_user(
    sandbox: Sandbox, choice_pool: SandboxPool
) -> None:
    """The limit counts the user (its ``sub``): a lab exercise set up again starts afresh."""
    cognito = sandbox.in_process_client()
    name = _email_user(sandbox, choice_pool)
    sent = [_start_email(cognito, choice_pool, name) for _ in range(MAX_SENDS_PER_USER)]
    assert len(sent) == MAX_SENDS_PER_USER
    cognito.admin_delete_user(UserPoolId=choice_pool.pool_id, Username=name)
    _email_user(sandbox, choice_pool, name)
    assert _start_email(cognito, choice_pool, name)["ChallengeName"] == "EMAIL_OTP"
