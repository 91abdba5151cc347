"""``MfaClient`` honours the standard AWS configuration chain, retries included.

Every case talks to the real sandbox over HTTP, configured the way a user would: environment
variables or a temporary AWS config file. Retries are counted on the server side: the sandbox
answers ``ListUserPools`` with HTTP 500 (retried in every mode) and counts the requests.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mfa_widgets.sandbox import Sandbox
from mfa_widgets.services.client import MfaClient, backend_label
from mfa_widgets.services.log import MfaLog

AWS_VARIABLES = (
    "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_MAX_ATTEMPTS",
    "AWS_RETRY_MODE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER",
    "AWS_ENDPOINT_URL_COGNITO_IDP", "AWS_DEFAULTS_MODE", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
)  # fmt: skip


@pytest.fixture
def aws_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty AWS configuration: no variables, a config file of our own, dummy credentials."""
    for name in AWS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    config = tmp_path / "config"
    config.write_text("[default]\n")
    credentials = tmp_path / "credentials"
    credentials.write_text("[default]\naws_access_key_id = testing\naws_secret_access_key = x\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    return config


def _attempts(sandbox: Sandbox, client: MfaClient) -> int:
    """Requests the sandbox received for one call that always fails with a 500."""
    rule = sandbox.faults.server_error("ListUserPools")
    try:
        result = client.call("ListUserPools", MaxResults=1)
    finally:
        sandbox.faults.clear()
    assert result.error is not None
    assert result.error.code == "InternalErrorException"
    return rule.seen


def test_endpoint_from_the_environment_is_used_and_logged(
    sandbox: Sandbox, aws_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", sandbox.endpoint_url)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    log = MfaLog()
    assert MfaClient(log=log).call("ListUserPools", MaxResults=1).ok
    assert list(log.frame["backend"]) == [f"endpoint:127.0.0.1:{sandbox.port}"]


def test_endpoint_and_retries_from_the_config_file(sandbox: Sandbox, aws_home: Path) -> None:
    aws_home.write_text(
        "[default]\nregion = us-east-1\n"
        f"endpoint_url = {sandbox.endpoint_url}\nretry_mode = standard\nmax_attempts = 2\n"
    )
    log = MfaLog()
    client = MfaClient(log=log)
    assert client.retries == {"mode": "standard", "total_max_attempts": 2}
    assert _attempts(sandbox, client) == 2
    assert set(log.frame["backend"]) == {f"endpoint:127.0.0.1:{sandbox.port}"}


@pytest.mark.parametrize(("mode", "attempts"), [("legacy", 2), ("standard", 1)])
def test_retry_variables_are_honoured(
    sandbox: Sandbox, aws_home: Path, monkeypatch: pytest.MonkeyPatch, mode: str, attempts: int
) -> None:
    monkeypatch.setenv("AWS_RETRY_MODE", mode)
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", str(attempts))
    client = MfaClient(region="us-east-1", endpoint_url=sandbox.endpoint_url)
    assert client.retries == {"mode": mode, "total_max_attempts": attempts}
    assert _attempts(sandbox, client) == attempts


def test_only_max_attempts_configured_keeps_standard_mode(
    sandbox: Sandbox, aws_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    client = MfaClient(region="us-east-1", endpoint_url=sandbox.endpoint_url)
    assert client.retries == {"mode": "standard", "total_max_attempts": 1}
    assert _attempts(sandbox, client) == 1


def test_nothing_configured_means_standard_mode_with_its_three_attempts(
    sandbox: Sandbox, aws_home: Path
) -> None:
    client = MfaClient(region="us-east-1", endpoint_url=sandbox.endpoint_url)
    assert client.retries["mode"] == "standard"
    assert _attempts(sandbox, client) == 3


def test_explicit_arguments_win_over_the_configuration(
    sandbox: Sandbox, aws_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_RETRY_MODE", "legacy")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "5")
    client = MfaClient(
        region="us-east-1", endpoint_url=sandbox.endpoint_url, retry_mode="standard", max_attempts=1
    )
    assert client.retries == {"mode": "standard", "total_max_attempts": 1}
    assert _attempts(sandbox, client) == 1


def test_adaptive_mode_for_long_admin_jobs(sandbox: Sandbox, aws_home: Path) -> None:
    log = MfaLog()
    client = MfaClient(region="us-east-1", endpoint_url=sandbox.endpoint_url, log=log)
    admin = client.with_retry_mode("adaptive", max_attempts=2)
    assert admin.retries == {"mode": "adaptive", "total_max_attempts": 2}
    assert client.retries["mode"] == "standard"
    assert _attempts(sandbox, admin) == 2
    assert admin.log is log


def test_a_named_profile_configures_retries(
    sandbox: Sandbox, aws_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    aws_home.write_text(
        "[default]\nregion = us-east-1\n\n[profile jobs]\nregion = us-east-1\n"
        f"endpoint_url = {sandbox.endpoint_url}\nretry_mode = adaptive\nmax_attempts = 2\n"
    )
    (aws_home.parent / "credentials").write_text(
        "[jobs]\naws_access_key_id = testing\naws_secret_access_key = x\n"
    )
    client = MfaClient(profile="jobs")
    assert client.retries == {"mode": "adaptive", "total_max_attempts": 2}
    assert client.backend == f"endpoint:127.0.0.1:{sandbox.port}"
    assert _attempts(sandbox, client) == 2


def test_aws_endpoints_are_labelled_with_their_region(aws_home: Path) -> None:
    assert MfaClient(region="eu-west-1").backend == "aws:eu-west-1"
    assert backend_label("https://cognito-idp.cn-north-1.amazonaws.com.cn", "cn-north-1") == (
        "aws:cn-north-1"
    )
    assert backend_label("http://localhost:4566", "us-east-1") == "endpoint:localhost:4566"


def test_the_sandbox_client_keeps_its_label(sandbox: Sandbox) -> None:
    assert MfaClient.for_sandbox(sandbox).backend == "sandbox"
