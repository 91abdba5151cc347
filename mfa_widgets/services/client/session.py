"""A client's settings: the retries it is made with and the label its backend gets in the log.

The sessions and clients themselves are made in one place for every layer,
:mod:`mfa_widgets.aws_clients` (:func:`~mfa_widgets.aws_clients.new_session`,
:func:`~mfa_widgets.aws_clients.cognito_client`).
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit

import boto3
import botocore.exceptions as bce

__all__ = ["backend_label", "retry_settings"]


_AWS_SUFFIXES = (".amazonaws.com", ".amazonaws.com.cn", ".api.aws")


def retry_settings(
    session: boto3.Session, retry_mode: str | None = None, max_attempts: int | None = None
) -> dict[str, Any]:
    """Botocore ``retries`` for a client: explicit arguments, else the user's configuration.

    Nothing configured by the user is overridden: a retry mode or attempt count from
    ``AWS_RETRY_MODE`` / ``AWS_MAX_ATTEMPTS`` or the profile is left for botocore to apply. When
    no mode is configured anywhere, ``"standard"`` replaces botocore's ``"legacy"`` default.

    Parameters
    ----------
    session
        The session whose profile is read.
    retry_mode
        ``"standard"``, ``"adaptive"`` or ``"legacy"``; wins over the configuration.
    max_attempts
        Total attempts per call, the first included; wins over the configuration.
    """
    retries: dict[str, Any] = {}
    if retry_mode is not None:
        retries["mode"] = retry_mode
    elif not _configured(session, "retry_mode", "AWS_RETRY_MODE"):
        retries["mode"] = "standard"
    if max_attempts is not None:
        retries["total_max_attempts"] = max_attempts
    return retries


def _configured(session: boto3.Session, key: str, env: str) -> bool:
    """Whether the user set ``key`` in the environment or the session's profile."""
    if os.environ.get(env):
        return True
    try:
        return key in session._session.get_scoped_config()
    except bce.ProfileNotFound:
        return False


def backend_label(endpoint_url: str, region: str | None) -> str:
    """The log's label for an endpoint: ``aws:<region>`` for AWS, else ``endpoint:<host:port>``."""
    host = urlsplit(endpoint_url).netloc
    if host.split(":")[0].endswith(_AWS_SUFFIXES):
        return f"aws:{region or 'unknown'}"
    return f"endpoint:{host}"
