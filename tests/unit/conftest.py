"""Shared fixtures for the core unit tests: the real AWS CLI as an oracle, and JWT building."""

from __future__ import annotations

import base64
import contextlib
import gzip
import importlib.metadata
import io
import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

AWS_BIN = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "aws"
if not AWS_BIN.exists():  # a git worktree runs the main checkout's venv: the aws beside python
    AWS_BIN = Path(sys.executable).parent / "aws"

# Dummy, isolated AWS configuration: nothing here may reach real AWS or read a user's profile.
AWS_ENV = {
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_CONFIG_FILE": "/nonexistent/aws-config",
    "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/aws-credentials",
    "AWS_MAX_ATTEMPTS": "1",
    "AWS_PAGER": "",
}


class AwsCliOracle:
    """Runs the installed awscli in-process and captures the request it would send.

    The request is captured at botocore's ``provide-client-params`` event, i.e. after the CLI
    parsed every argument but before anything is sent; botocore's own parameter validation is
    then applied, as the client would. Nothing reaches the network.
    """

    class _CapturedError(Exception):
        pass

    def __init__(self, data_path: Path | None = None) -> None:
        from awscli.clidriver import create_clidriver

        saved = os.environ.get("AWS_DATA_PATH")
        if data_path is not None:  # first, before awscli's own data folder (set on import)
            os.environ["AWS_DATA_PATH"] = os.pathsep.join(filter(None, [str(data_path), saved]))
        try:
            self._driver = create_clidriver()
            # The loader reads AWS_DATA_PATH once, here: later oracles are not affected.
            self.model = self._driver.session.get_service_model("cognito-idp")
        finally:
            if saved is None:
                os.environ.pop("AWS_DATA_PATH", None)
            else:
                os.environ["AWS_DATA_PATH"] = saved
        self._captured: dict[str, Any] = {}
        self._operation = ""
        self.last_error = ""
        self._driver.session.register("provide-client-params.cognito-idp.*", self._capture)

    def knows(self, operation: str) -> bool:
        """Whether this CLI's model has ``operation`` (e.g. ``AdminDeleteSoftwareToken``)."""
        return operation in self.model.operation_names

    def _capture(self, params: dict[str, Any], event_name: str = "", **_: Any) -> None:
        self._captured = json.loads(json.dumps(params))  # plain dicts, no OrderedDict
        self._operation = event_name.rsplit(".", 1)[-1]
        raise self._CapturedError

    def request(self, args: list[str]) -> dict[str, Any] | None:
        """The validated request for ``aws cognito-idp <args>``, or None when the CLI refuses.

        The CLI's error text is then in ``last_error``.
        """
        from botocore.exceptions import ParamValidationError
        from botocore.validate import validate_parameters

        self._captured = {}
        errors = io.StringIO()
        with contextlib.redirect_stderr(errors), contextlib.redirect_stdout(io.StringIO()):
            self._driver.main(["cognito-idp", *args])
        self.last_error = errors.getvalue().strip()
        if not self._captured:
            return None
        model = self.model.operation_model(self._operation)
        try:
            validate_parameters(self._captured, model.input_shape)
        except ParamValidationError as error:
            self.last_error = str(error)
            return None
        return self._captured


@pytest.fixture(scope="session")
def aws_cli() -> Iterator[AwsCliOracle]:
    """The real AWS CLI (PyPI ``awscli``), isolated from any user configuration."""
    saved = {key: os.environ.get(key) for key in AWS_ENV}
    os.environ.update(AWS_ENV)
    try:
        yield AwsCliOracle()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="session")
def aws_cli_newest(aws_cli: AwsCliOracle, tmp_path_factory: pytest.TempPathFactory) -> AwsCliOracle:
    """The real AWS CLI reading the venv's botocore cognito-idp model (``AWS_DATA_PATH``).

    awscli 1.46 parses arguments with the model of the botocore it bundles (1.43), which lacks
    ``AdminDeleteSoftwareToken``. The CLI loads service models from ``AWS_DATA_PATH`` first, so
    given the installed botocore's model, the same CLI code parses the newer operations.
    """
    # Read from the botocore distribution's files: once awscli is imported, the name
    # ``botocore`` may be awscli's bundled copy.
    model = importlib.metadata.distribution("botocore").locate_file(
        "botocore/data/cognito-idp/2016-04-18/service-2.json.gz"
    )
    folder = tmp_path_factory.mktemp("aws-data")
    target = folder / "cognito-idp" / "2016-04-18"
    target.mkdir(parents=True)
    (target / "service-2.json").write_bytes(gzip.decompress(Path(str(model)).read_bytes()))
    return AwsCliOracle(folder)


@pytest.fixture
def aws_bin() -> str:
    """The real ``aws`` command of the project's venv."""
    return str(AWS_BIN)


@pytest.fixture
def aws_subprocess_env() -> dict[str, str]:
    """Environment for running the real ``aws`` binary in a subprocess."""
    return {**os.environ, **AWS_ENV}


def _segment(value: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


@pytest.fixture
def make_jwt() -> Callable[..., str]:
    """Build an (unsigned) JWT with the given claims, shaped like Cognito's."""

    def build(**claims: Any) -> str:
        header = {"kid": "dummy", "alg": "RS256"}
        return f"{_segment(header)}.{_segment(claims)}.c2lnbmF0dXJlLW5vdC1jaGVja2Vk"

    return build


_ORACLE_FIXTURES = {"aws_cli", "aws_cli_newest", "aws_bin", "aws_subprocess_env"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that runs the real AWS CLI as ``oracle`` (``make unit`` leaves them out)."""
    for item in items:
        if _ORACLE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.oracle)
