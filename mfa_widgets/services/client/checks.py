"""Argument checks for :class:`~mfa_widgets.services.client.MfaClient`: one-line errors, a fix."""

from __future__ import annotations

import functools
from typing import Any

import boto3

from mfa_widgets.aws_clients import RetryMode, cognito_service_model
from mfa_widgets.core.errors import (
    ArgumentTypeError,
    ConfigurationError,
    InvalidArgumentError,
)
from mfa_widgets.core.preferences import MfaPreference
from mfa_widgets.core.signin import Prediction
from mfa_widgets.core.validation import (
    need_instance,
    need_region,
    need_text,
    shown,
)
from mfa_widgets.services.log import MfaLog

_ATTEMPT_FIX = "pass the step that sign_in (or the previous answer) returned"
_NEXT_FIX = "pass the previous page's data['next'], or None for the first page"
_POOL_FIX = "pass the user pool id, e.g. 'eu-west-1_AbCdEf123'"
_USER_FIX = "pass the user's name (or alias) as text, at most 128 characters"
_RETRY_MODES = tuple(RetryMode)


def _check_options(
    region: Any,
    endpoint_url: Any,
    profile: Any,
    session: Any,
    log: Any,
    backend: Any,
    retry_mode: Any,
) -> None:
    """Refuse constructor options boto3 would misread or only reject at the first call."""
    if region is not None:
        need_region(region)
    if endpoint_url is not None:
        url = need_text(endpoint_url, "endpoint_url", "pass a URL such as http://127.0.0.1:5000")
        if (
            not url.startswith(("http://", "https://"))
            or len(url) > 2048
            or any(c.isspace() for c in url)
        ):
            raise ConfigurationError(
                f"endpoint_url {shown(url)} is not an http(s) URL: pass e.g. "
                "'http://127.0.0.1:5000' (the sandbox) or 'https://cognito-idp.eu-west-1.amazonaws.com'"
            )
    if profile is not None:
        need_text(profile, "profile", "pass a profile name from ~/.aws/config, or None")
    if session is not None and not isinstance(session, boto3.Session):
        raise ArgumentTypeError(f"session cannot be {shown(session)}: pass a boto3.Session or None")
    _check_log(log)
    if backend is not None:
        need_text(
            backend, "backend", "pass a short label such as 'sandbox', or None", max_length=200
        )
    if retry_mode is not None and retry_mode not in _RETRY_MODES:
        raise InvalidArgumentError(
            f"retry_mode {shown(retry_mode)} is not a botocore retry mode: use 'standard' or "
            "'adaptive', or None for the configured one"
        )


def _check_log(log: Any) -> None:
    if log is not None and not isinstance(log, MfaLog):
        raise ArgumentTypeError(
            f"log cannot be {shown(log)}: pass an MfaLog (e.g. MfaLog(autosave='calls.jsonl')) "
            "or None"
        )


def _check_operation(operation: Any) -> None:
    """An operation name cognito-idp has, e.g. ``AdminGetUser`` (close names are suggested)."""
    name = need_text(
        operation, "operation", "pass an API name such as 'AdminGetUser'", max_length=100
    )
    known = _operation_names()
    if name not in known:
        import difflib

        close = difflib.get_close_matches(name, known, n=3)
        also = f" (did you mean {', '.join(close)}?)" if close else ""
        raise InvalidArgumentError(
            f"{name!r:.60} is not a cognito-idp operation{also}: pass the API name as in the "
            "Cognito API reference, e.g. 'AdminGetUser'"
        )


@functools.cache
def _operation_names() -> tuple[str, ...]:
    return tuple(cognito_service_model().operation_names)


def _check_token_arg(access_token: Any) -> None:
    need_text(
        access_token,
        "access_token",
        "pass AuthenticationResult['AccessToken'] from a sign-in",
        empty=True,
        secret=True,
    )


def _check_preference(preference: Any, current: Any) -> None:
    fix = "pass an MfaPreference, e.g. MfaPreference(sms='preferred', totp='enabled')"
    need_instance(preference, MfaPreference, "preference", fix)
    if current is not None:
        need_instance(
            current, MfaPreference, "current", "pass the MfaPreference last read, or None"
        )


def _check_pool(user_pool_id: Any) -> None:
    need_text(user_pool_id, "user_pool_id", _POOL_FIX, empty=True, max_length=55)


def _check_own_pool(user_pool_id: Any) -> None:
    """The pool a client is for (``MfaClient.with_pool``): unlike a call's, never blank."""
    need_text(user_pool_id, "user_pool_id", _POOL_FIX, max_length=55)


def _check_username(username: Any) -> None:
    need_text(username, "username", _USER_FIX, empty=True, max_length=128)


def _check_user(user_pool_id: Any, username: Any) -> None:
    _check_pool(user_pool_id)
    _check_username(username)


def _check_either(access_token: Any, session: Any) -> None:
    if access_token is not None:
        _check_token_arg(access_token)
    if session is not None:
        need_text(session, "session", "pass the Session of the MFA_SETUP challenge", secret=True)
    if not access_token and not session:
        raise InvalidArgumentError(
            "neither access_token nor session was given: pass access_token=... for a signed-in "
            "user, or session=attempt.session during an MFA_SETUP challenge"
        )


def _check_secret_and_prediction(client_secret: Any, predicted: Any) -> None:
    if client_secret is not None:
        need_text(client_secret, "client_secret", "pass the app client's secret", secret=True)
    if predicted is not None and not isinstance(predicted, (Prediction, str)):
        raise ArgumentTypeError(
            f"predicted cannot be {shown(predicted)}: pass a Prediction, a challenge name, or None"
        )
