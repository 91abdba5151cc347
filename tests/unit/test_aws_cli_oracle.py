"""The real AWS CLI as the oracle for the passkey, auth-factor and device commands we render.

``--web-authn-mfa-settings`` is checked by ``test_preferences_passkey_mfa.py`` with the CLI as
installed: awscli 1.46 bundles botocore 1.43, whose model has ``WebAuthnMfaSettings``. It lacks
``AdminDeleteSoftwareToken`` (launched August 2026), so the authenticator-reset command is
checked with the same CLI reading the venv's botocore model (``aws_cli_newest``); once the
bundled model has the operation, the installed CLI checks it too.
"""

from __future__ import annotations

import shlex
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mfa_widgets.core.aws_cli import render_delete_software_token
from mfa_widgets.core.errors import CliSyntaxError

OPERATION = "AdminDeleteSoftwareToken"
oracle_settings = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Usernames: any printable text (the model's UsernameType is letters, marks, symbols, numbers
# and punctuation), including leading dashes, quotes and shell metacharacters.
_names = st.text(
    st.characters(blacklist_categories=["Cc", "Cs", "Zl", "Zp"]), min_size=1, max_size=16
).filter(lambda s: "://" not in s)  # the CLI would fetch a URL-looking value (paramfile)
_pools = st.builds(
    "{}_{}".format,
    st.sampled_from(["us-east-1", "eu-west-2", "ap-southeast-2", "us-gov-west-1"]),
    st.text(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=20
    ),
)


def test_the_newest_oracle_knows_the_operation_and_says_whether_the_installed_one_does(
    aws_cli: Any, aws_cli_newest: Any
) -> None:
    assert aws_cli_newest.knows(OPERATION)
    assert aws_cli_newest.knows("SetUserMFAPreference")
    # Both read WebAuthnMfaSettings the same way (the installed model already has it).
    for oracle in (aws_cli, aws_cli_newest):
        shape = oracle.model.operation_model("SetUserMFAPreference").input_shape
        assert "WebAuthnMfaSettings" in shape.members


@settings(oracle_settings, max_examples=60)
@given(pool=_pools, username=_names)
def test_the_reset_command_parses_in_the_aws_cli_to_the_same_request(
    aws_cli: Any, aws_cli_newest: Any, pool: str, username: str
) -> None:
    command = render_delete_software_token(pool, username)
    words = shlex.split(command)
    assert words[:3] == ["aws", "cognito-idp", "admin-delete-software-token"]
    oracles = [aws_cli_newest] + ([aws_cli] if aws_cli.knows(OPERATION) else [])
    for oracle in oracles:
        sent = oracle.request(words[2:])
        assert sent == {"UserPoolId": pool, "Username": username}, oracle.last_error


@pytest.mark.parametrize(
    ("pool", "username"),
    [("", "alice"), ("us-east-1_abc", ""), ("not a pool", "alice"), ("us-east-1_", "alice")],
)
def test_what_we_refuse_to_render_the_aws_cli_refuses_or_cognito_would(
    aws_cli_newest: Any, pool: str, username: str
) -> None:
    with pytest.raises(CliSyntaxError):
        render_delete_software_token(pool, username)
    if not pool or not username:  # the CLI refuses empty required values itself
        args = ["admin-delete-software-token", "--user-pool-id", pool, "--username", username]
        assert aws_cli_newest.request(args) is None
