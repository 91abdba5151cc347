"""Session set-up: boto3 sessions and ``cognito-idp`` clients, retry settings, the backend label.

Every :class:`boto3.Session` shares botocore's parsed data files (:func:`new_session`), so a new
client costs milliseconds; :func:`cognito_client` makes every client the toolkit uses.
"""

from __future__ import annotations

import functools
import os
from typing import Any
from urllib.parse import urlsplit

import boto3
import botocore.exceptions as bce
import botocore.loaders
import botocore.session
from botocore.config import Config

from mfa_widgets.core.loopback import proxies_for

__all__ = ["backend_label", "cognito_client", "new_session", "retry_settings"]


@functools.cache
def _shared_loader() -> botocore.loaders.Loader:
    return botocore.loaders.create_loader()


def new_session(**options: Any) -> boto3.Session:
    """A fresh ``boto3.Session`` that shares botocore's parsed data files with the others.

    Every new session would otherwise parse the endpoint and service JSON again (about half a
    second); credentials, profile and Region stay per session.
    """
    core = botocore.session.get_session()
    core.register_component("data_loader", _shared_loader())
    profile = options.get("profile_name")
    if profile and profile not in core.available_profiles:
        # boto3 would only notice at the first call; say so now, as boto3.Session(...) does.
        raise bce.ProfileNotFound(profile=profile)
    return boto3.Session(botocore_session=core, **options)


_AWS_SUFFIXES = (".amazonaws.com", ".amazonaws.com.cn", ".api.aws")


def cognito_client(
    session: boto3.Session | None = None,
    *,
    region: str | None = None,
    endpoint_url: str | None = None,
    config: Config | None = None,
) -> Any:
    """A boto3 ``cognito-idp`` client: the one call that makes one.

    Parameters
    ----------
    session
        The session whose credentials and profile the client uses (default: a
        :func:`new_session`).
    region, endpoint_url
        Where the client sends; ``None`` leaves it to the session's configuration.
    config
        Botocore settings (retries, connection pool).

    An endpoint on this machine (the sandbox, also when the environment or the config file
    names it) is called directly, whatever ``http_proxy`` says (:mod:`mfa_widgets.core.loopback`);
    any other keeps the user's proxy settings.
    """
    session = session or new_session()
    made = session.client(
        "cognito-idp", region_name=region, endpoint_url=endpoint_url, config=config
    )
    proxies = proxies_for(made.meta.endpoint_url)
    if proxies is None:
        return made
    direct = Config(proxies=proxies)
    return session.client(
        "cognito-idp",
        region_name=region,
        endpoint_url=made.meta.endpoint_url,
        config=config.merge(direct) if config is not None else direct,
    )


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
