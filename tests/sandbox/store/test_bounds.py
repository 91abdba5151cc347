"""What abandoned sign-ins leave behind is dropped: expired sessions, codes, outbox records."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from mfa_widgets.sandbox.store.codes import RESET_CODE_SECONDS, CodeCheck, SentCodes
from mfa_widgets.sandbox.store.outbox import KEEP_FOR, Delivery, Outbox
from mfa_widgets.sandbox.store.state import SESSION_SECONDS, SandboxState


def delivery(when: datetime, n: int = 0) -> Delivery:
    return Delivery(f"user{n}", "SMS", "+*******0100", f"{n:06d}", "pool", when)


@settings(max_examples=20, deadline=None)
@given(st.integers(min_value=1, max_value=3000), st.integers(min_value=1, max_value=500))
def test_the_outbox_keeps_at_most_its_limit(sent, limit):
    outbox = Outbox(max_records=limit)
    now = datetime.now(timezone.utc)
    for n in range(sent):
        outbox.deliver(delivery(now, n))
    assert len(outbox) == min(sent, limit)
    assert outbox.latest(f"user{sent - 1}").code == f"{sent - 1:06d}"  # newest kept


def test_old_outbox_records_are_dropped():
    outbox = Outbox()
    then = datetime.now(timezone.utc) - KEEP_FOR - timedelta(seconds=1)
    for n in range(50):
        outbox.deliver(delivery(then, n))
    outbox.deliver(delivery(datetime.now(timezone.utc), 99))
    assert [d.username for d in outbox] == ["user99"]


@settings(max_examples=10, deadline=None)
@given(st.integers(min_value=1, max_value=2000))
def test_expired_sessions_are_dropped(abandoned):
    state = SandboxState()
    for n in range(abandoned):
        state.open_session(
            pool_id="p", client_id="c", username=f"u{n}", challenge="SMS_MFA", code="123456"
        )
    assert state.session_count() == abandoned
    state.clock.advance(SESSION_SECONDS + 31)
    state.open_session(pool_id="p", client_id="c", username="late", challenge="SMS_MFA")
    assert state.session_count() == 1


def test_expired_reset_codes_are_dropped():
    state = SandboxState()
    codes = SentCodes(state.clock)
    for n in range(500):
        codes.issue(("p", f"sub{n}"))
    state.clock.advance(RESET_CODE_SECONDS + 61)
    fresh = codes.issue(("p", "late"))
    assert len(codes) == 1
    assert codes.consume(("p", "late"), fresh) == CodeCheck.OK
    assert codes.consume(("p", "late"), fresh) == CodeCheck.MISMATCH
