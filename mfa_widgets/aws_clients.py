"""The one place that makes boto3 sessions and ``cognito-idp`` clients, for every layer.

The services (:class:`~mfa_widgets.services.client.MfaClient`, the conformance runner), the
sandbox (its own client, a classroom world's), the training lab and the commands all get their
clients here; ``tests/layers/test_client_factory.py`` fails when any other module of the package
makes one. It sits below the services and the sandbox, which never import each other, and above
the pure core (the import contract in ``pyproject.toml``).

- :func:`new_session`: a ``boto3.Session`` sharing botocore's parsed data files with the others,
  so a new client costs milliseconds, not the half second of parsing the endpoint and service
  JSON again.
- :func:`cognito_client`: a ``cognito-idp`` client; one on this machine (the sandbox, the
  classroom) is called directly whatever ``http_proxy`` says (:mod:`mfa_widgets.core.loopback`).
- :func:`cognito_service_model`: botocore's ``cognito-idp`` service model, parsed once.
- :class:`RetryMode`: botocore's retry modes, the one list every check of them reads.
"""

from __future__ import annotations

import functools
from typing import Any

import boto3
import botocore.exceptions as bce
import botocore.loaders
import botocore.session
from botocore.config import Config
from botocore.model import ServiceModel

from mfa_widgets.core.loopback import proxies_for
from mfa_widgets.core.string_enum import StrEnum

__all__ = ["RetryMode", "cognito_client", "cognito_service_model", "new_session"]

_SERVICE = "cognito-idp"


class RetryMode(StrEnum):
    """Botocore's retry modes (``retry_mode`` in the configuration, ``AWS_RETRY_MODE``)."""

    STANDARD = "standard"
    ADAPTIVE = "adaptive"
    LEGACY = "legacy"


@functools.cache
def _shared_loader() -> botocore.loaders.Loader:
    return botocore.loaders.create_loader()


def new_session(**options: Any) -> boto3.Session:
    """A fresh ``boto3.Session`` that shares botocore's parsed data files with the others.

    Parameters
    ----------
    **options
        ``boto3.Session``'s keywords (``profile_name``, ``region_name``, credentials); they stay
        per session.

    Raises
    ------
    botocore.exceptions.ProfileNotFound
        At once for a profile the configuration does not have (boto3 would only notice at the
        first call).
    """
    core = botocore.session.get_session()
    core.register_component("data_loader", _shared_loader())
    profile = options.get("profile_name")
    if profile and profile not in core.available_profiles:
        raise bce.ProfileNotFound(profile=profile)
    return boto3.Session(botocore_session=core, **options)


def cognito_client(
    session: boto3.Session | None = None,
    *,
    region: str | None = None,
    endpoint_url: str | None = None,
    config: Config | None = None,
    credentials: tuple[str, str] | None = None,
) -> Any:
    """A boto3 ``cognito-idp`` client: the one call that makes one.

    An endpoint on this machine (the sandbox, also when the environment or the config file
    names it) is called directly, whatever ``http_proxy`` says (:mod:`mfa_widgets.core.loopback`);
    any other keeps the user's proxy settings.

    Parameters
    ----------
    session
        The session whose credentials and profile the client uses (default: a
        :func:`new_session`).
    region, endpoint_url
        Where the client sends; ``None`` leaves it to the session's configuration.
    config
        Botocore settings (retries, connection pool).
    credentials
        An access key id and secret for this client only (the sandbox's dummy pair); ``None``
        keeps the session's.
    """
    session = session or new_session()
    keys: dict[str, str] = {}
    if credentials is not None:
        keys = {"aws_access_key_id": credentials[0], "aws_secret_access_key": credentials[1]}
    if endpoint_url is None:  # the configuration may name one: botocore resolves it
        made = session.client(_SERVICE, region_name=region, config=config, **keys)
        if proxies_for(made.meta.endpoint_url) is None:
            return made
        endpoint_url = made.meta.endpoint_url
    proxies = proxies_for(endpoint_url)
    if proxies is not None:
        direct = Config(proxies=proxies)
        config = config.merge(direct) if config is not None else direct
    return session.client(
        _SERVICE, region_name=region, endpoint_url=endpoint_url, config=config, **keys
    )


@functools.cache
def cognito_service_model() -> ServiceModel:
    """Botocore's ``cognito-idp`` service model (operations, shapes, errors), parsed once."""
    raw = _shared_loader().load_service_model(_SERVICE, "service-2")
    return ServiceModel(raw, _SERVICE)
