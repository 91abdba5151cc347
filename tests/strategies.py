"""Hypothesis strategies shared by test modules."""

from __future__ import annotations

from hypothesis import strategies as st

from mfa_widgets.services.log import LogEvent

CHALLENGES = ("SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP", None)

#: Log events varied in every column kind: open categories, text to escape, missing values.
log_events = st.builds(
    LogEvent,
    st.sampled_from(["GetUser", "InitiateAuth", "AdminInitiateAuth", "SetUserMFAPreference"]),
    backend=st.sampled_from(["sandbox", "aws:eu-west-1", "endpoint:http://x"]),
    username=st.one_of(st.none(), st.text("ab<&>\"' z", min_size=1, max_size=8)),
    outcome=st.sampled_from(["ok", "error", "challenge"]),
    error_code=st.one_of(st.none(), st.just("InvalidParameterException")),
    latency_ms=st.one_of(st.none(), st.floats(0, 5000)),
    enabled=st.sampled_from([None, (), ("SMS",), ("SMS", "TOTP", "EMAIL")]),
    preferred=st.sampled_from([None, "SMS"]),
    predicted_challenge=st.sampled_from(CHALLENGES),
    observed_challenge=st.sampled_from(CHALLENGES),
    scenario=st.one_of(st.none(), st.just("key-1")),
)
