"""The user's AWS settings, checked when a client is made: one line naming the fix.

botocore reads ``AWS_PROFILE``, ``AWS_RETRY_MODE``, ``AWS_MAX_ATTEMPTS``, the endpoint variables
and ``AWS_CA_BUNDLE`` (and the profile's own ``retry_mode``/``max_attempts``) only when a client
is created or a call is signed, and then fails with its own exception, far from the setting that
caused it. :func:`check_settings` reads them up front and raises a
:class:`~mfa_widgets.core.errors.ConfigurationError` naming the variable and its fix.
"""

from __future__ import annotations

import os
from typing import Any

import botocore.exceptions as bce

from mfa_widgets.aws_clients import RetryMode
from mfa_widgets.core.errors import ConfigurationError

__all__ = ["check_settings"]

_RETRY_MODES = tuple(RetryMode)
#: The endpoint variables botocore (and this toolkit) read for cognito-idp.
_ENDPOINT_VARIABLES = (
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER",
    "AWS_ENDPOINT_URL_COGNITO_IDP",
)


def _where(variable: str, profile: str | None) -> str:
    """Where a setting came from, for the message."""
    if os.environ.get(variable):
        return variable
    return f"retry settings of profile {profile or 'default'!r} in the AWS config file"


def _check_profile(session: Any) -> None:
    variable = "AWS_PROFILE" if os.environ.get("AWS_PROFILE") else "AWS_DEFAULT_PROFILE"
    named = os.environ.get(variable)
    if not named or session.profile_name != named:
        return  # an explicit profile= was checked by boto3 itself
    if named not in session.available_profiles:
        raise ConfigurationError(
            f"{variable}={named!r:.60} names no profile in the AWS config files: fix the name "
            f"(`aws configure list-profiles`) or unset {variable}"
        )


def _check_retries(session: Any) -> None:
    core = session._session  # botocore's session: the settings as botocore will read them
    profile = session.profile_name
    try:
        mode = core.get_config_variable("retry_mode")
        attempts = core.get_config_variable("max_attempts")
    except (ValueError, TypeError):
        raise ConfigurationError(
            f"{_where('AWS_MAX_ATTEMPTS', profile)} is not a whole number of attempts: set it to "
            "e.g. 3, or unset it"
        ) from None
    if mode is not None and mode not in _RETRY_MODES:
        raise ConfigurationError(
            f"{_where('AWS_RETRY_MODE', profile)} gives retry mode {str(mode)!r:.40}: use one "
            f"of {', '.join(_RETRY_MODES)}, or unset it"
        )
    if attempts is not None and int(attempts) < 1:  # botocore: InvalidMaxRetryAttemptsError
        raise ConfigurationError(
            f"{_where('AWS_MAX_ATTEMPTS', profile)} asks for {attempts} attempts: set it to 1 or "
            "more, or unset it"
        )


def _check_environment() -> None:
    for variable in _ENDPOINT_VARIABLES:
        url = os.environ.get(variable, "")
        if url and (not url.startswith(("http://", "https://")) or any(c.isspace() for c in url)):
            raise ConfigurationError(
                f"{variable}={url!r:.60} is not an http(s) URL: set it to e.g. "
                "http://127.0.0.1:5000 (a sandbox), or unset it"
            )
    bundle = os.environ.get("AWS_CA_BUNDLE", "")
    if bundle and not os.path.isfile(bundle):
        raise ConfigurationError(
            f"AWS_CA_BUNDLE={bundle!r:.80} is not a file: point it at your organisation's CA "
            "bundle (a .pem file), or unset it"
        )


def check_settings(session: Any) -> None:
    """Raise :class:`ConfigurationError` for the first AWS setting botocore would reject.

    Parameters
    ----------
    session
        The ``boto3.Session`` the clients will be made from.
    """
    _check_environment()
    _check_profile(session)
    try:
        _check_retries(session)
    except bce.ProfileNotFound:  # AWS_DEFAULT_PROFILE, or a profile gone since the session
        raise ConfigurationError(
            f"profile {session.profile_name!r:.60} is not in the AWS config files: fix the name "
            "(`aws configure list-profiles`) or unset AWS_PROFILE"
        ) from None
