"""The :class:`MfaClient` façade: a method checks its arguments, makes one call, returns a result.

Clients are made by :mod:`mfa_widgets.aws_clients` (retry settings and the backend's label in
:mod:`~mfa_widgets.services.client.session`), error translation is in
:mod:`~mfa_widgets.services.client.translate`, response parsing in
:mod:`~mfa_widgets.services.client.responses`, argument checks in
:mod:`~mfa_widgets.services.client.checks`, and a sign-in, every flow and every step of it, in
:mod:`~mfa_widgets.services.client.signin` (:meth:`MfaClient.sign_in` starts it there).
"""

from __future__ import annotations

import contextlib
import copy
import os
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import boto3
import botocore.exceptions as bce
from botocore.config import Config

from mfa_widgets.aws_clients import cognito_client, new_session
from mfa_widgets.core.errors import (
    CognitoError,
    ConfigurationError,
    InvalidArgumentError,
    MfaWidgetsError,
    TokenError,
)
from mfa_widgets.core.preferences import MfaPreference
from mfa_widgets.core.redaction import (
    redact_request,
    secret_values,
)
from mfa_widgets.core.results import CallResult, SignInAttempt, TotpEnrollment
from mfa_widgets.core.tokens import check_access_token, inspect_token
from mfa_widgets.core.validation import (
    need_count,
    need_instance,
    need_seconds,
    need_text,
)
from mfa_widgets.services.aws_settings import check_settings
from mfa_widgets.services.call_trace import trace_call
from mfa_widgets.services.client.checks import (
    _ATTEMPT_FIX,
    _NEXT_FIX,
    _check_either,
    _check_log,
    _check_operation,
    _check_options,
    _check_own_pool,
    _check_pool,
    _check_preference,
    _check_token_arg,
    _check_user,
)
from mfa_widgets.services.client.responses import (
    _event_summary,
    _factors_data,
    _ms_since,
    _pool_config,
    _public_response,
    _snake,
    _user_data,
    _user_summary,
)
from mfa_widgets.services.client.session import backend_label, retry_settings
from mfa_widgets.services.client.signin import SignIn, start
from mfa_widgets.services.client.token_origin import token_mismatch
from mfa_widgets.services.client.translate import _error_fields, _note, _to_cognito_error
from mfa_widgets.services.log import MfaLog
from mfa_widgets.services.srp import SrpProof

__all__ = ["MfaClient"]

_TOKEN_CODES = {
    "malformed": "MalformedToken",
    "empty": "MalformedToken",
    "id_token": "WrongTokenType",
    "not_access_token": "WrongTokenType",
    "expired": "ExpiredToken",
    "missing_scope": "MissingScope",
}


class MfaClient:
    """Read and write Cognito user MFA preferences, sign in, and register authenticators.

    Parameters
    ----------
    region
        AWS Region, e.g. ``"eu-west-1"``. Default: boto3's configuration, else the token's issuer.
    endpoint_url
        A custom endpoint (the sandbox, a VPC endpoint). Default: boto3's configuration,
        including ``AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER``.
    profile
        A named profile from the AWS config files.
    session
        A ready ``boto3.Session`` (ignored when ``client`` is given).
    client
        A ready cognito-idp client; used as is for every call.
    log
        An :class:`~mfa_widgets.services.log.MfaLog` that receives one row per call.
    backend
        The label written to the log; default: from the endpoint calls really go to,
        ``"aws:<region>"`` or ``"endpoint:<host:port>"``.
    retry_mode
        ``"standard"``, ``"adaptive"`` (long admin jobs: also slows down when throttled) or
        ``"legacy"``. Default: the configured ``AWS_RETRY_MODE`` / profile ``retry_mode``, else
        ``"standard"``.
    max_attempts
        Total attempts per call, the first included (as ``AWS_MAX_ATTEMPTS``). Default: the
        configured ``AWS_MAX_ATTEMPTS`` / profile ``max_attempts``, else the mode's default.
    connect_timeout, read_timeout
        Seconds before a connection attempt or an answer times out.
    max_pool_connections
        Connections kept open for calls in flight at once (audits and sweeps run ~20 threads).
    """

    def __init__(
        self,
        *,
        region: str | None = None,
        endpoint_url: str | None = None,
        profile: str | None = None,
        session: boto3.Session | None = None,
        client: Any = None,
        log: MfaLog | None = None,
        backend: str | None = None,
        retry_mode: str | None = None,
        max_attempts: int | None = None,
        connect_timeout: float = 5.0,
        read_timeout: float = 15.0,
        max_pool_connections: int = 64,
    ) -> None:
        _check_options(region, endpoint_url, profile, session, log, backend, retry_mode)
        if max_attempts is not None:
            need_count(max_attempts, "max_attempts", minimum=1, maximum=20)
        need_seconds(connect_timeout, "connect_timeout")
        need_seconds(read_timeout, "read_timeout")
        try:
            self._session = session or new_session(profile_name=profile, region_name=region)
        except bce.ProfileNotFound:
            raise ConfigurationError(
                f"no profile named {profile!r:.60} in the AWS config files: check the name "
                "(`aws configure list-profiles`), or leave profile out to use the default chain"
            ) from None
        if client is None:  # the settings botocore would reject only at the first call
            check_settings(self._session)
        # botocore reads AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER (named after the service id);
        # the shorter ..._COGNITO_IDP, which people reach for first, is honoured here too.
        self._endpoint_url = endpoint_url or os.environ.get("AWS_ENDPOINT_URL_COGNITO_IDP") or None
        self._config = Config(
            retries=retry_settings(self._session, retry_mode, max_attempts),  # type: ignore[arg-type]
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            max_pool_connections=max_pool_connections,
            user_agent_extra="mfa-widgets",
        )
        self._clients: dict[str, Any] = {}
        self._fixed_client = client
        self._region = region or (client.meta.region_name if client else None)
        # boto3 reads AWS_DEFAULT_REGION; AWS_REGION is what the other SDKs and Lambda set.
        self._region = self._region or self._session.region_name or os.environ.get("AWS_REGION")
        self._backend = backend
        self._last_client: Any = client
        self._good_tokens: dict[str, float] = {}
        self._pool: str | None = None  # set by with_pool: tokens from another pool are refused
        self.log = log
        #: Called with each operation's name before it is sent (see :meth:`with_pacer`).
        self.pacer: Callable[[str], object] | None = None

    @classmethod
    def for_sandbox(
        cls, sandbox: Any, log: MfaLog | None = None, *, in_process: bool = False
    ) -> MfaClient:
        """A client for a running :class:`mfa_widgets.sandbox.Sandbox` (dummy credentials).

        It shares the sandbox's cached boto3 client (two attempts per call), so creating one
        costs nothing. With ``in_process`` the sandbox answers in this process, no socket
        (``Sandbox.in_process_client``): for tests whose subject is not HTTP.
        """
        made = sandbox.in_process_client if in_process else sandbox.client
        return cls(client=made(max_attempts=2), region=sandbox.region, log=log, backend="sandbox")

    def with_log(self, log: MfaLog | None) -> MfaClient:
        """A client sharing this one's connections and settings but logging to ``log``."""
        _check_log(log)
        clone = copy.copy(self)
        clone.log = log
        return clone

    def with_pacer(self, pacer: Callable[[str], object] | None) -> MfaClient:
        """A client sharing this one's connections but waiting on ``pacer(operation)`` first.

        ``pacer`` is usually a :class:`~mfa_widgets.services.pacing.QuotaPacer`, which paces
        every call by its quota category (set-up calls included); ``None`` removes pacing.
        """
        clone = copy.copy(self)
        clone.pacer = pacer
        return clone

    def with_pool(self, user_pool_id: str | None) -> MfaClient:
        """A client like this one for the users of ``user_pool_id`` (``None``: any pool).

        A call with an access token issued by another pool then fails before it is sent, with a
        ``TokenFromAnotherPool`` error naming both pools (Cognito would answer only "Invalid
        Access Token", or change a user of the wrong pool when both live in one account).
        """
        if user_pool_id is not None:
            _check_own_pool(user_pool_id)
        clone = copy.copy(self)
        clone._pool = user_pool_id
        clone._good_tokens = {}
        return clone

    @property
    def user_pool_id(self) -> str | None:
        """The pool set by :meth:`with_pool`, or ``None`` when tokens may come from any pool."""
        return self._pool

    # -- configuration --------------------------------------------------------------------------

    @property
    def region(self) -> str | None:
        """The configured Region, or ``None`` when it will come from the token."""
        return self._region

    @property
    def backend(self) -> str:
        """The label logged with every call: ``sandbox``, ``aws:<region>`` or ``endpoint:<host>``.

        Taken from the endpoint of the boto3 client calls really go to (so an endpoint URL from
        the environment or the config file is named), else ``aws:<region>``.
        """
        if self._backend:
            return self._backend
        client = self._last_client
        if client is None and self._region is not None:
            client = self._client()
        if client is None:
            return "aws:unknown"
        return backend_label(client.meta.endpoint_url, client.meta.region_name)

    @property
    def retries(self) -> dict[str, Any]:
        """The retry settings the boto3 clients use (``mode``, ``total_max_attempts``)."""
        client = self._fixed_client or self._client()
        return dict(client.meta.config.retries or {})

    def with_retry_mode(self, retry_mode: str, max_attempts: int | None = None) -> MfaClient:
        """A client like this one with other retries, e.g. ``"adaptive"`` for a long admin job.

        It shares the session, log and settings; its boto3 clients are new. A client built
        around a given boto3 client (``client=``) keeps that client's own retries.
        """
        clone = copy.copy(self)
        clone._config = self._config.merge(
            Config(retries=retry_settings(self._session, retry_mode, max_attempts))  # type: ignore[arg-type]
        )
        clone._clients = {}
        clone._last_client = self._fixed_client
        return clone

    def _client(self, access_token: str | None = None) -> Any:
        """The boto3 client for the configured Region (or the token's Region)."""
        if self._fixed_client is not None:
            return self._fixed_client
        region = self._region
        if region is None and access_token:
            region = inspect_token(access_token).region
        if region is None:
            raise CognitoError(
                "NoRegion",
                "the client has no Region and no access token to read one from",
                "configure",
            )
        if region not in self._clients:
            self._clients[region] = cognito_client(
                self._session, region=region, endpoint_url=self._endpoint_url, config=self._config
            )
        self._last_client = self._clients[region]
        return self._last_client

    def call(self, operation: str, **params: Any) -> CallResult:
        """Call any cognito-idp operation by its API name, with logging and redaction.

        ``data["response"]`` holds the response without sessions, tokens and secrets.

        Examples
        --------
        >>> client.call("AdminUpdateUserAttributes", UserPoolId=pool_id, Username="alice",
        ...             UserAttributes=[{"Name": "phone_number", "Value": "+15555550100"}])
        ... # doctest: +SKIP
        """
        username = params.get("Username")
        with self._refusing(str(operation), username):
            _check_operation(operation)
        return self._call(
            operation, params, username=username if isinstance(username, str) else None
        )

    # -- preferences with an access token -------------------------------------------------------

    def get_preference(self, access_token: str) -> CallResult:
        """Read the user's MFA preference with ``GetUser``."""
        with self._refusing("GetUser"):
            _check_token_arg(access_token)
        return self._read_user("GetUser", {"AccessToken": access_token}, access_token)

    def set_preference(
        self,
        access_token: str,
        preference: MfaPreference,
        *,
        current: MfaPreference | None = None,
    ) -> CallResult:
        """Write a preference with ``SetUserMFAPreference``, then read the state back.

        Parameters
        ----------
        access_token
            The user's access token (scope ``aws.cognito.signin.user.admin``).
        preference
            The wanted state; factors that are ``None`` are left unchanged.
        current
            The state the caller last read. When given, only the factors that differ are sent.
        """
        with self._refusing("SetUserMFAPreference"):
            _check_token_arg(access_token)
            _check_preference(preference, current)
        return self._write_preference(
            "SetUserMFAPreference", {"AccessToken": access_token}, preference, current, "GetUser"
        )

    # -- preferences with IAM credentials -------------------------------------------------------

    def admin_get_preference(self, user_pool_id: str, username: str) -> CallResult:
        """Read a user's MFA preference and attributes with ``AdminGetUser``."""
        with self._refusing("AdminGetUser", username):
            _check_user(user_pool_id, username)
        return self._read_user("AdminGetUser", {"UserPoolId": user_pool_id, "Username": username})

    def admin_set_preference(
        self,
        user_pool_id: str,
        username: str,
        preference: MfaPreference,
        *,
        current: MfaPreference | None = None,
    ) -> CallResult:
        """Write a preference with ``AdminSetUserMFAPreference``, then read it back."""
        with self._refusing("AdminSetUserMFAPreference", username):
            _check_user(user_pool_id, username)
            _check_preference(preference, current)
        params = {"UserPoolId": user_pool_id, "Username": username}
        return self._write_preference(
            "AdminSetUserMFAPreference", params, preference, current, "AdminGetUser"
        )

    def list_users(
        self, user_pool_id: str, *, limit: int = 60, pagination_token: str | None = None
    ) -> CallResult:
        """List one page of users (``ListUsers``): ``data["users"]`` and ``data["next"]``."""
        with self._refusing("ListUsers"):
            _check_pool(user_pool_id)
            need_count(limit, "limit", minimum=1, maximum=60)
            if pagination_token is not None:
                need_text(pagination_token, "pagination_token", _NEXT_FIX, secret=True)
        params: dict[str, Any] = {"UserPoolId": user_pool_id, "Limit": limit}
        if pagination_token:
            params["PaginationToken"] = pagination_token

        def summarise(response: Mapping[str, Any]) -> dict[str, Any]:
            users = [_user_summary(u) for u in response.get("Users", [])]
            return {"users": users, "next": response.get("PaginationToken")}

        return self._call("ListUsers", params, data=summarise)

    def get_pool_config(self, user_pool_id: str) -> CallResult:
        """Read the pool's MFA mode, factors, tier and recovery channel.

        Calls ``GetUserPoolMfaConfig`` and ``DescribeUserPool``; ``data["pool"]`` is a
        :class:`~mfa_widgets.core.signin.PoolMfaConfig`.
        """
        with self._refusing("GetUserPoolMfaConfig"):
            _check_pool(user_pool_id)
        started = time.perf_counter()
        mfa = self._call("GetUserPoolMfaConfig", {"UserPoolId": user_pool_id}, log=False)
        if not mfa.ok:
            return self._finish(mfa.replaced(latency_ms=_ms_since(started)))
        described = self._call("DescribeUserPool", {"UserPoolId": user_pool_id}, log=False)
        if not described.ok:
            return self._finish(described.replaced(latency_ms=_ms_since(started)))
        pool = _pool_config(mfa.data["response"], described.data["response"].get("UserPool", {}))
        result = CallResult(
            "GetUserPoolMfaConfig",
            {"UserPoolId": user_pool_id},
            _ms_since(started),
            data={"pool": pool},
        )
        return self._finish(result)

    # -- authenticator (TOTP) registration ------------------------------------------------------

    def associate_totp(
        self, *, access_token: str | None = None, session: str | None = None, username: str = ""
    ) -> CallResult:
        """Start registering an authenticator app: ``data["enrollment"]`` holds the secret.

        Pass ``access_token`` for a signed-in user, or ``session`` from an ``MFA_SETUP``
        challenge.
        """
        with self._refusing("AssociateSoftwareToken", username):
            _check_either(access_token, session)
            need_text(username, "username", "pass the user's name, or '' if unknown", empty=True)
        params = {"AccessToken": access_token} if access_token else {"Session": session or ""}

        def enrollment(response: Mapping[str, Any]) -> dict[str, Any]:
            found = TotpEnrollment(
                secret=str(response.get("SecretCode", "")),
                username=username,
                session=str(response.get("Session", "")),
            )
            return {"enrollment": found}

        return self._call(
            "AssociateSoftwareToken", params, access_token=access_token, data=enrollment
        )

    def verify_totp(
        self,
        code: str,
        *,
        access_token: str | None = None,
        session: str | None = None,
        device_name: str = "mfa_widgets",
    ) -> CallResult:
        """Finish registering an authenticator with a current code (``VerifySoftwareToken``).

        ``data["status"]`` is ``"SUCCESS"`` when it verified; ``data["session"]`` (not shown in
        ``repr``) continues an ``MFA_SETUP`` sign-in.
        """
        with self._refusing("VerifySoftwareToken"):
            need_text(code, "code", "pass the 6-digit code the authenticator shows", secret=True)
            _check_either(access_token, session)
            need_text(
                device_name, "device_name", "pass a short label, e.g. 'phone'", max_length=131
            )
        params: dict[str, Any] = {"UserCode": code, "FriendlyDeviceName": device_name}
        params.update({"AccessToken": access_token} if access_token else {"Session": session or ""})
        return self._call(
            "VerifySoftwareToken",
            params,
            access_token=access_token,
            secrets=(code,),
            data=lambda r: {"status": r.get("Status"), "session": r.get("Session", "")},
        )

    # -- sign-in --------------------------------------------------------------------------------

    #: Start a sign-in and return the conversation (the sign-in's module documents it).
    sign_in = start

    # -- plumbing -------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _refusing(self, operation: str, username: object = None) -> Iterator[None]:
        """Log a call refused for its arguments (an error row), then let the error propagate.

        Nothing was sent; the row records the attempt so the log tells the whole story.
        """
        try:
            yield
        except InvalidArgumentError as error:
            if self.log is not None:
                self._append_to_log(
                    {
                        "operation": operation,
                        "backend": self.backend,
                        "username": username if isinstance(username, str) else None,
                        "outcome": "error",
                        "error_code": type(error).__name__,
                        "error_message": str(error),
                        "note": "refused before sending: nothing was sent",
                    }
                )
            raise

    def _read_user(
        self, operation: str, params: dict[str, Any], access_token: str | None = None
    ) -> CallResult:
        return self._call(
            operation,
            params,
            access_token=access_token,
            data=_user_data,
            state=MfaPreference.from_user,
            username=params.get("Username"),
        )

    def _write_preference(
        self,
        operation: str,
        params: dict[str, Any],
        preference: MfaPreference,
        current: MfaPreference | None,
        read_operation: str,
    ) -> CallResult:
        started = time.perf_counter()
        change = preference if current is None else preference.changes_from(current)
        token = params.get("AccessToken")
        username = params.get("Username")
        request = {**params, **change.to_request()}
        if not change.is_empty:
            written = self._call(operation, request, access_token=token, log=False)
            if not written.ok:
                failed = written.replaced(latency_ms=_ms_since(started))
                return self._finish(failed, requested=change, username=username)
        read = self._call(
            read_operation,
            dict(params),
            access_token=token,
            data=_user_data,
            state=MfaPreference.from_user,
            log=False,
        )
        wrote = not change.is_empty
        data = {**read.data, "sent": change, "skipped": change.is_empty}
        warnings: tuple[str, ...] = ()
        if wrote and read.error is not None:
            # The write worked: report it as applied, with the failed read-back beside it.
            data["read_back_error"] = read.error
            warnings = (
                f"the change was applied, but reading the state back failed ({read.error.code}: "
                f"{read.error.message}); read it again with {read_operation}",
            )
        result = CallResult(
            operation,
            redact_request(request),
            _ms_since(started),
            error=None if wrote else read.error,
            state=read.known_state,
            data=data,
            warnings=warnings,
        )
        return self._finish(
            result, requested=change, username=username or read.data.get("username")
        )

    def _call(
        self,
        operation: str,
        params: dict[str, Any],
        *,
        access_token: str | None = None,
        secrets: Iterable[str] = (),
        data: Callable[[Mapping[str, Any]], Mapping[str, Any]] | None = None,
        state: Callable[[Mapping[str, Any]], MfaPreference] | None = None,
        username: str | None = None,
        log: bool = True,
    ) -> CallResult:
        """Call ``operation``; convert the response or the error; log unless told not to."""
        response, error, latency = self._send(operation, params, access_token, secrets)
        if error is not None or response is None:
            result = CallResult(operation, redact_request(params), latency, error=error)
        else:
            extra = dict(data(response) if data else {})
            extra.setdefault("response", _public_response(response))
            result = CallResult(
                operation,
                redact_request(params),
                latency,
                state=state(response) if state else None,
                data=extra,
            )
        if not log:
            return result
        return self._finish(result, username=username or result.data.get("username"))

    def _send(
        self,
        operation: str,
        params: dict[str, Any],
        access_token: str | None,
        secrets: Iterable[str],
    ) -> tuple[Mapping[str, Any] | None, CognitoError | None, float]:
        """Send one request; return the response or the (redacted) error, and the latency."""
        if self.pacer is not None:
            self.pacer(operation)  # before the clock starts: waiting is not the call's latency
        started = time.perf_counter()
        known_secrets = (*secrets, *secret_values(params))
        try:
            if access_token is not None:
                self._check_token(access_token, operation)
            response: Mapping[str, Any] = getattr(self._client(access_token), _snake(operation))(
                **params
            )
        except Exception as error:
            failed, latency = _to_cognito_error(error, operation, known_secrets), _ms_since(started)
            trace_call(operation, params, failed, latency, lambda: self.backend)
            return None, failed, latency
        latency = _ms_since(started)
        trace_call(operation, params, None, latency, lambda: self.backend)
        return response, None, latency

    def _check_token(self, access_token: str, operation: str) -> None:
        """Fail fast, before any network call, on a token Cognito would refuse.

        A token that passed is remembered (in kernel memory only) until it expires, so a write
        and its read-back decode it once.
        """
        if time.time() < self._good_tokens.get(access_token, 0.0):
            return
        try:
            info = check_access_token(access_token)
        except TokenError as error:
            code = _TOKEN_CODES.get(error.problem, "MalformedToken")
            raise CognitoError(code, str(error), operation) from None
        mismatch = token_mismatch(info, self._region, self._pool)
        if mismatch is not None:
            raise CognitoError(mismatch.code, mismatch.message, operation, hint=mismatch.hint)
        if len(self._good_tokens) > 16:
            self._good_tokens.clear()
        if info.exp is not None:
            self._good_tokens[access_token] = float(info.exp)

    def _finish(
        self,
        result: CallResult,
        *,
        requested: MfaPreference | None = None,
        username: str | None = None,
    ) -> CallResult:
        """Log ``result`` (when a log is attached) and return it.

        A log that cannot store or save the row never loses the result: the failure is added to
        ``result.warnings`` instead of raised (the call already happened).
        """
        if self.log is not None:
            state = result.known_state
            problem = self._append_to_log(
                {
                    "operation": result.operation,
                    "backend": self.backend,
                    "username": username,
                    "requested": requested.as_dict() if requested else {},
                    "outcome": "ok" if result.ok else "error",
                    **_error_fields(result.error),
                    "latency_ms": result.latency_ms,
                    "enabled": None if state is None else tuple(f.name for f in state.enabled),
                    "preferred": state.preferred.name if state and state.preferred else None,
                    "note": _note(result.error, result.warnings),
                }
            )
            if problem:
                return result.replaced(warnings=(*result.warnings, problem))
        return result

    def _append_to_log(self, row: dict[str, Any]) -> str | None:
        """Append ``row`` to the log; the problem in words when that failed, else ``None``."""
        assert self.log is not None
        try:
            self.log.append(row)
        except (OSError, MfaWidgetsError) as error:
            return f"the call is not (fully) logged: {error}"
        return None

    # -- auth factors, TOTP reset, choice-based sign-in, passkeys, events -----------------------

    def get_auth_factors(self, access_token: str) -> CallResult:
        """Read what the user can sign in with (``GetUserAuthFactors``).

        ``data["factors"]`` is ``ConfiguredUserAuthFactors`` (``PASSWORD``, ``EMAIL_OTP``,
        ``SMS_OTP``, ``WEB_AUTHN``, ``SOFTWARE_TOKEN``): it says whether an authenticator app is
        registered, which ``GetUser`` never says. ``state`` is the MFA preference.
        """
        with self._refusing("GetUserAuthFactors"):
            _check_token_arg(access_token)
        return self._call(
            "GetUserAuthFactors",
            {"AccessToken": access_token},
            access_token=access_token,
            data=_factors_data,
            state=MfaPreference.from_user,
        )

    def admin_get_auth_factors(self, user_pool_id: str, username: str) -> CallResult:
        """``AdminGetUserAuthFactors``: as :meth:`get_auth_factors`, with IAM credentials."""
        with self._refusing("AdminGetUserAuthFactors", username):
            _check_user(user_pool_id, username)
        return self._call(
            "AdminGetUserAuthFactors",
            {"UserPoolId": user_pool_id, "Username": username},
            data=_factors_data,
            state=MfaPreference.from_user,
            username=username,
        )

    def admin_reset_totp(self, user_pool_id: str, username: str) -> CallResult:
        """Reset a lost authenticator (``AdminDeleteSoftwareToken``), then read the factors back.

        The registration and any TOTP preference are removed; other factors stay. The user can
        register a new authenticator with :meth:`associate_totp`. ``data["factors"]`` is what is
        left. When the reset worked but the read-back failed, the result is still ``ok``, with
        the failure in ``warnings`` and ``data["read_back_error"]`` (the reset is real).
        """
        with self._refusing("AdminDeleteSoftwareToken", username):
            _check_user(user_pool_id, username)
        started = time.perf_counter()
        params = {"UserPoolId": user_pool_id, "Username": username}
        deleted = self._call("AdminDeleteSoftwareToken", params, log=False)
        if not deleted.ok:
            return self._finish(deleted.replaced(latency_ms=_ms_since(started)), username=username)
        read = self._call(
            "AdminGetUserAuthFactors",
            dict(params),
            data=_factors_data,
            state=MfaPreference.from_user,
            log=False,
        )
        data: dict[str, Any] = dict(read.data)
        warnings: tuple[str, ...] = ()
        if read.error is not None:
            # The reset worked: report it as applied, with the failed read-back beside it.
            data["read_back_error"] = read.error
            warnings = (
                f"the authenticator was reset, but reading the factors back failed "
                f"({read.error.code}: {read.error.message}); read them again with "
                "AdminGetUserAuthFactors",
            )
        result = CallResult(
            "AdminDeleteSoftwareToken",
            dict(params),
            _ms_since(started),
            state=read.known_state,
            data=data,
            warnings=warnings,
        )
        return self._finish(result, username=username)

    def start_passkey_registration(self, access_token: str) -> CallResult:
        """``StartWebAuthnRegistration``: ``data["options"]`` for the authenticator."""
        with self._refusing("StartWebAuthnRegistration"):
            _check_token_arg(access_token)
        return self._call(
            "StartWebAuthnRegistration",
            {"AccessToken": access_token},
            access_token=access_token,
            data=lambda r: {"options": r.get("CredentialCreationOptions")},
        )

    def complete_passkey_registration(
        self, access_token: str, credential: Mapping[str, Any]
    ) -> CallResult:
        """``CompleteWebAuthnRegistration`` with the authenticator's RegistrationResponseJSON."""
        with self._refusing("CompleteWebAuthnRegistration"):
            _check_token_arg(access_token)
            need_instance(credential, Mapping, "credential", "pass authenticator.create(options)")
        return self._call(
            "CompleteWebAuthnRegistration",
            {"AccessToken": access_token, "Credential": dict(credential)},
            access_token=access_token,
        )

    def register_passkey(self, access_token: str, authenticator: Any) -> CallResult:
        """Register a passkey made by ``authenticator.create(options)``: start, create, finish."""
        started = self.start_passkey_registration(access_token)
        if not started.ok:
            return started
        try:
            credential = authenticator.create(started.data["options"])
        except ValueError as error:
            failed = CognitoError("NoPasskey", str(error), "CompleteWebAuthnRegistration")
            return started.replaced(operation="CompleteWebAuthnRegistration", error=failed)
        return self.complete_passkey_registration(access_token, credential)

    def list_passkeys(self, access_token: str) -> CallResult:
        """``ListWebAuthnCredentials`` (every page): ``data["passkeys"]``."""
        with self._refusing("ListWebAuthnCredentials"):
            _check_token_arg(access_token)
        started = time.perf_counter()
        passkeys: list[dict[str, Any]] = []
        params: dict[str, Any] = {"AccessToken": access_token}
        while True:
            page = self._call(
                "ListWebAuthnCredentials", params, access_token=access_token, log=False
            )
            if not page.ok:
                return self._finish(page.replaced(latency_ms=_ms_since(started)))
            response = page.data["response"]
            passkeys.extend(response.get("Credentials", []))
            if not response.get("NextToken"):
                break
            params = {**params, "NextToken": response["NextToken"]}
        result = CallResult(
            "ListWebAuthnCredentials",
            redact_request({"AccessToken": access_token}),
            _ms_since(started),
            data={"passkeys": passkeys},
        )
        return self._finish(result)

    def delete_passkey(self, access_token: str, credential_id: str) -> CallResult:
        """``DeleteWebAuthnCredential``."""
        with self._refusing("DeleteWebAuthnCredential"):
            _check_token_arg(access_token)
            need_text(credential_id, "credential_id", "pass an id from list_passkeys()")
        return self._call(
            "DeleteWebAuthnCredential",
            {"AccessToken": access_token, "CredentialId": credential_id},
            access_token=access_token,
        )

    def admin_list_auth_events(
        self, user_pool_id: str, username: str, *, max_results: int = 60
    ) -> CallResult:
        """``AdminListUserAuthEvents``: ``data["events"]``, newest first, one dict each.

        Each event has ``time``, ``response`` (``Pass``/``Fail``/``InProgress``), ``password`` and
        ``mfa`` (``Success``/``Failure``/``None``): did MFA happen.
        """
        with self._refusing("AdminListUserAuthEvents", username):
            _check_user(user_pool_id, username)
            need_count(max_results, "max_results", minimum=1, maximum=60)

        def events(response: Mapping[str, Any]) -> dict[str, Any]:
            return {"events": [_event_summary(e) for e in response.get("AuthEvents", [])]}

        return self._call(
            "AdminListUserAuthEvents",
            {"UserPoolId": user_pool_id, "Username": username, "MaxResults": max_results},
            data=events,
            username=username,
        )

    # -- the old sign-in names (one release, then gone): use sign_in(...) and its SignIn --------

    def sign_in_srp(self, client_id: str, username: str, srp: SrpProof, **kw: Any) -> SignIn:
        """Deprecated: use ``sign_in(client_id, username, srp=srp)``."""
        _deprecated("sign_in_srp(...)", "sign_in(client_id, username, srp=srp)")
        return self.sign_in(client_id, username, flow="srp", srp=srp, **kw)

    def sign_in_choice(self, client_id: str, username: str, **kw: Any) -> SignIn:
        """Deprecated: use ``sign_in(client_id, username, flow="choice", ...)``."""
        _deprecated("sign_in_choice(...)", 'sign_in(client_id, username, flow="choice", ...)')
        password = kw.pop("password", None)
        return self.sign_in(client_id, username, password, flow="choice", **kw)

    def answer_challenge(self, attempt: SignInAttempt, answer: str, **kw: Any) -> SignIn:
        """Deprecated: use ``step.answer(code)`` (or ``step.choose(factor)``)."""
        _deprecated("answer_challenge(step, answer)", "step.answer(answer)")
        return self._conversation(attempt, kw).answer(answer, predicted=kw.get("predicted"))

    def continue_setup(self, attempt: SignInAttempt, session: str) -> SignIn:
        """Deprecated: use ``step.set_up(session)``."""
        _deprecated("continue_setup(step, session)", "step.set_up(session)")
        return self._conversation(attempt, {}).set_up(session)

    def select_challenge(self, attempt: SignInAttempt, factor: str, **kw: Any) -> SignIn:
        """Deprecated: use ``step.choose(factor, password=...)``."""
        _deprecated("select_challenge(step, factor)", "step.choose(factor)")
        return self._conversation(attempt, kw).choose(
            factor, password=kw.get("password"), predicted=kw.get("predicted")
        )

    def answer_code(self, attempt: SignInAttempt, code: str, **kw: Any) -> SignIn:
        """Deprecated: use ``step.answer(code)``."""
        _deprecated("answer_code(step, code)", "step.answer(code)")
        return self._conversation(attempt, kw).answer(code, predicted=kw.get("predicted"))

    def answer_passkey(self, attempt: SignInAttempt, authenticator: Any, **kw: Any) -> SignIn:
        """Deprecated: use ``step.answer(authenticator)``."""
        _deprecated("answer_passkey(step, authenticator)", "step.answer(authenticator)")
        return self._conversation(attempt, kw).answer(authenticator, predicted=kw.get("predicted"))

    def answer_srp(self, attempt: SignInAttempt, srp: SrpProof, **kw: Any) -> SignIn:
        """Deprecated: use ``step.answer(srp)``."""
        _deprecated("answer_srp(step, srp)", "step.answer(srp)")
        return self._conversation(attempt, kw).answer(srp, predicted=kw.get("predicted"))

    def _conversation(self, attempt: Any, options: Mapping[str, Any]) -> SignIn:
        with self._refusing("RespondToAuthChallenge", getattr(attempt, "username", None)):
            need_instance(attempt, SignInAttempt, "attempt", _ATTEMPT_FIX)
        return SignIn.of(attempt, self, options.get("client_secret"))


def _deprecated(old: str, new: str) -> None:
    warnings.warn(
        f"MfaClient.{old} is deprecated and goes in the next release: use {new}",
        DeprecationWarning,
        stacklevel=3,
    )
