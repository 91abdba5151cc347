"""Cognito's SRP: the toolkit's client side (pycognito) against the sandbox's server side.

Two halves written apart (pycognito's client, ``sandbox.srp``'s server over pycognito's
primitives) must agree on every generated name and password, and disagree when anything of
the secret differs, or the sandbox's check would prove nothing.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mfa_widgets.sandbox.cognito.signin.srp import (
    ServerSrp,
    password_verifier,
    verifier_from_config,
)
from mfa_widgets.services.srp import DeviceSecret, SrpProof, new_device_secret

_text = st.text(
    st.characters(blacklist_categories=["Cc", "Cs", "Zl", "Zp"]), min_size=1, max_size=24
)
_pools = st.builds(
    "{}_{}".format,
    st.sampled_from(["us-east-1", "eu-west-2"]),
    st.text("abcdefXYZ0123456789", min_size=1, max_size=12),
)
_salts = st.binary(min_size=1, max_size=16).map(bytes.hex)


@pytest.mark.slow  # a proof costs about a second of pure-Python big-number arithmetic
@settings(max_examples=12, deadline=None)
@given(pool=_pools, username=_text, password=_text, salt=_salts, wrong=_text)
def test_a_password_proof_is_accepted_exactly_when_the_password_is_right(
    pool: str, username: str, password: str, salt: str, wrong: str
) -> None:
    for tried, accepted in ((password, True), (wrong, wrong == password)):
        client = SrpProof(pool, "client", username, tried)
        server = ServerSrp(password_verifier(pool, username, password, salt), salt, client.srp_a)
        parameters = {**server.parameters, "USER_ID_FOR_SRP": username, "USERNAME": username}
        claim = client.answer("PASSWORD_VERIFIER", parameters)
        assert server.check(pool.split("_", 1)[1], username, claim) is accepted


@pytest.mark.slow
@settings(max_examples=8, deadline=None)
@given(key=_text, group=_text, flip=st.integers(min_value=0, max_value=200))
def test_a_device_proof_is_accepted_only_from_the_device_password(
    key: str, group: str, flip: int
) -> None:
    device = new_device_secret(key, group)
    verifier, salt = verifier_from_config(dict(device.verifier))
    index = flip % len(device.password)
    changed = device.password[:index] + ("A" if device.password[index] != "A" else "B")
    changed += device.password[index + 1 :]
    for secret, accepted in (
        (device, True),
        (DeviceSecret(key, group, changed, {}), False),
    ):
        client = SrpProof("us-east-1_x", "client", "someone", device=secret)
        server = ServerSrp(verifier, salt, client.srp_a)
        first = client.answer("DEVICE_SRP_AUTH", {})
        assert first == {"DEVICE_KEY": key, "SRP_A": client.srp_a}
        claim = client.answer("DEVICE_PASSWORD_VERIFIER", server.parameters)
        assert server.check(group, key, claim) is accepted
        # The claim is bound to this exchange's secret block.
        assert not server.check(group, key, {**claim, "PASSWORD_CLAIM_SECRET_BLOCK": "eA=="})


def test_the_client_refuses_what_it_cannot_answer_and_keeps_secrets_out_of_repr() -> None:
    proof = SrpProof("us-east-1_abc", "client", "alice", "Secret-Password-1")
    assert "Secret-Password-1" not in repr(proof)
    with pytest.raises(ValueError, match="DEVICE_SRP_AUTH needs the remembered device"):
        proof.answer("DEVICE_SRP_AUTH", {})
    with pytest.raises(ValueError, match="lack SALT, SRP_B"):
        proof.answer("PASSWORD_VERIFIER", {"SECRET_BLOCK": "eA=="})
    with pytest.raises(ValueError, match="not an SRP challenge"):
        proof.answer("SMS_MFA", {"SALT": "01", "SRP_B": "02", "SECRET_BLOCK": "eA=="})
    with pytest.raises(ValueError, match="not a pool id"):
        SrpProof("no-pool", "client", "alice", "x")
    device = new_device_secret("us-east-1_key", "-group")
    assert device.password not in repr(device)


@pytest.mark.parametrize(
    "config",
    [
        {"PasswordVerifier": "not base64!", "Salt": "c2FsdA=="},
        {"PasswordVerifier": "AAAA", "Salt": "c2FsdA=="},  # a zero verifier
        {"Salt": "c2FsdA=="},
    ],
)
def test_a_verifier_config_that_means_nothing_is_refused(config: dict[str, str]) -> None:
    with pytest.raises(ValueError, match="DeviceSecretVerifierConfig"):
        verifier_from_config(config)
