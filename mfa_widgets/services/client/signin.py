"""One sign-in conversation: :class:`SignIn`, what :meth:`MfaClient.sign_in` returns for every flow.

A sign-in is a conversation with Cognito: the first call (a password, an SRP claim or a choice-based
``USER_AUTH``) and the answers to each challenge, until tokens or an error. :class:`SignIn` is the
latest step (it *is* a :class:`~mfa_widgets.core.results.SignInAttempt`: ``challenge``,
``options``, ``tokens``, ``error``, ...) and knows how to go on:

- :meth:`SignIn.answer` answers the challenge: a code (``SMS_MFA``, ``SOFTWARE_TOKEN_MFA``,
  ``EMAIL_OTP``, ``SMS_OTP``), a passkey from an authenticator (``WEB_AUTHN``), or an SRP proof
  (``PASSWORD_VERIFIER``, ``DEVICE_SRP_AUTH``, ``DEVICE_PASSWORD_VERIFIER``);
- :meth:`SignIn.choose` picks among ``options`` (``SELECT_CHALLENGE``, with the password for
  ``PASSWORD``; ``SELECT_MFA_TYPE``);
- :meth:`SignIn.set_up` finishes ``MFA_SETUP`` with the session ``verify_totp`` returned.

Each returns the next step, a new :class:`SignIn` (a step is never changed in place, so two clicks
that answer one step are two answers to the same step, and Cognito refuses the second).

The requests of every step are built here too (:func:`start` for the first call of each flow, then
one function per kind of answer, all through ``(Admin)RespondToAuthChallenge``), so a sign-in
walked from the probe's button to Cognito's answer and back runs one module of this layer; the
client lends its plumbing (the send, the argument-refusal log row, the log).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from mfa_widgets.core.errors import ArgumentTypeError, CognitoError, InvalidArgumentError
from mfa_widgets.core.preferences import Factor
from mfa_widgets.core.results import SignInAttempt, Tokens
from mfa_widgets.core.signin import Prediction, SignInFlow
from mfa_widgets.core.signin.labels import observed_label, prediction_label
from mfa_widgets.core.validation import need_instance, need_text, shown
from mfa_widgets.services.client.checks import (
    _ATTEMPT_FIX,
    _check_pool,
    _check_secret_and_prediction,
    _check_username,
)
from mfa_widgets.services.client.responses import _secret_hash
from mfa_widgets.services.client.translate import _error_fields
from mfa_widgets.services.srp import SRP_PARAMETERS, SrpProof

__all__ = ["SRP_CHALLENGES", "SignIn", "start"]

#: The challenges answered with an SRP proof.
SRP_CHALLENGES = frozenset({"PASSWORD_VERIFIER", "DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER"})
#: One-time codes sent by Cognito, as a first factor (passwordless) or as MFA.
_CODES = frozenset({"EMAIL_OTP", "SMS_OTP"})


@dataclass(frozen=True)
class SignIn(SignInAttempt):
    """The latest step of a sign-in, and the way on (see the module's docstring).

    Attributes
    ----------
    client
        The :class:`~mfa_widgets.services.client.MfaClient` the conversation goes through.
    client_secret
        The app client's secret, if it has one (sent as ``SECRET_HASH`` with every answer).
    """

    client: Any = field(default=None, repr=False, compare=False)
    client_secret: str | None = field(default=None, repr=False, compare=False)

    @classmethod
    def of(cls, attempt: SignInAttempt, client: Any, client_secret: str | None = None) -> SignIn:
        """``attempt`` as a step of a conversation through ``client``."""
        values = {f.name: getattr(attempt, f.name) for f in dataclasses.fields(SignInAttempt)}
        return cls(**values, client=client, client_secret=client_secret)

    def answer(self, answer: Any, *, predicted: Prediction | str | None = None) -> SignIn:
        """Answer the current challenge and return the next step.

        Parameters
        ----------
        answer
            A code as text for a code challenge; an authenticator whose ``.get(options)``
            returns the passkey's answer (e.g. ``SoftwareAuthenticator``) for ``WEB_AUTHN``; an
            :class:`~mfa_widgets.services.srp.SrpProof` for an SRP challenge; a factor name for
            ``SELECT_MFA_TYPE`` (or use :meth:`choose`).
        predicted
            The challenge the core predicted next, logged beside what Cognito answers.
        """
        client = self._client_or_refuse("answer")
        challenge = self.challenge or ""
        secret = self.client_secret
        if challenge in SRP_CHALLENGES or isinstance(answer, SrpProof):
            if not isinstance(answer, SrpProof):
                raise ArgumentTypeError(
                    f"{challenge} is answered with an SrpProof, not a {type(answer).__name__}: "
                    "pass SrpProof(pool_id, client_id, username, password)"
                )
            step = _answer_srp(client, self, answer, client_secret=secret, predicted=predicted)
        elif challenge == "WEB_AUTHN":
            step = _answer_passkey(client, self, answer, client_secret=secret, predicted=predicted)
        elif challenge == "SELECT_CHALLENGE":
            return self.choose(answer, predicted=predicted)
        elif challenge in _CODES:  # a first factor or MFA: either way, <challenge>_CODE
            step = _answer_code(client, self, answer, client_secret=secret, predicted=predicted)
        else:
            step = _answer_mfa(client, self, answer, client_secret=secret, predicted=predicted)
        return SignIn.of(step, client, secret)

    def choose(
        self,
        option: str,
        *,
        password: str | None = None,
        predicted: Prediction | str | None = None,
    ) -> SignIn:
        """Pick one of ``options``: a first factor for ``SELECT_CHALLENGE`` or an MFA factor.

        Parameters
        ----------
        option
            One of :attr:`options`, e.g. ``"EMAIL_OTP"``, ``"PASSWORD"``, ``"WEB_AUTHN"``,
            ``"SOFTWARE_TOKEN_MFA"``.
        password
            The password, when ``option`` is ``"PASSWORD"``.
        predicted
            The challenge the core predicted next.
        """
        client = self._client_or_refuse("choose")
        secret = self.client_secret
        if self.challenge == "SELECT_MFA_TYPE":
            step = _answer_mfa(client, self, option, client_secret=secret, predicted=predicted)
        else:
            step = _select(
                client, self, option, password=password, client_secret=secret, predicted=predicted
            )
        return SignIn.of(step, client, secret)

    def set_up(self, session: str, *, predicted: Prediction | str | None = None) -> SignIn:
        """Finish ``MFA_SETUP`` with the session :meth:`MfaClient.verify_totp` returned."""
        client = self._client_or_refuse("set_up")
        step = _set_up(client, self, session, predicted=predicted)
        return SignIn.of(step, client, self.client_secret)

    def _client_or_refuse(self, verb: str) -> Any:
        if self.client is None:
            raise InvalidArgumentError(
                f"this sign-in step has no client to {verb} through: use the step "
                "MfaClient.sign_in(...) (or the previous answer) returned"
            )
        return self.client


#: The flows :func:`start` (and :meth:`MfaClient.sign_in`) start.
_FLOWS = tuple(SignInFlow)


def start(
    client: Any,
    client_id: str,
    username: str,
    password: str | None = None,
    *,
    flow: str | None = None,
    preferred: str | None = None,
    srp: SrpProof | None = None,
    device_key: str | None = None,
    user_pool_id: str | None = None,
    client_secret: str | None = None,
    predicted: Prediction | str | None = None,
) -> SignIn:
    """Start a sign-in and return the conversation: its first step and the way on.

    This is :meth:`MfaClient.sign_in` (``client`` is the client it is called on). Every flow
    starts here and goes on through the
    :class:`~mfa_widgets.services.client.signin.SignIn` it returns (``answer``, ``choose``,
    ``set_up``), until ``signed_in`` or an ``error``.

    Parameters
    ----------
    client_id, username
        The app client and the user (or an alias).
    password
        The password (the password flow, or ``USER_AUTH`` with ``preferred="PASSWORD"``).
    flow
        ``"password"`` (``USER_PASSWORD_AUTH``; ``ADMIN_USER_PASSWORD_AUTH`` with
        ``user_pool_id``), ``"srp"`` (``USER_SRP_AUTH``: the password never leaves the client)
        or ``"choice"`` (``USER_AUTH``: passwordless codes, passkeys, or the password).
        Default: ``"choice"`` with ``preferred``, ``"srp"`` with ``srp``, else ``"password"``.
    preferred
        ``USER_AUTH``'s ``PREFERRED_CHALLENGE`` (``PASSWORD``, ``PASSWORD_SRP``,
        ``WEB_AUTHN``, ``EMAIL_OTP``, ``SMS_OTP``); without it Cognito answers
        ``SELECT_CHALLENGE`` (choose with :meth:`SignIn.choose`).
    srp
        The SRP proof (``"srp"``, or ``"choice"`` with ``PASSWORD_SRP``); answer
        ``PASSWORD_VERIFIER`` with it too.
    device_key
        A confirmed device (``DEVICE_KEY``): a remembered one may skip MFA.
    user_pool_id
        Use the admin flow (IAM credentials) for the pool.
    client_secret
        The app client's secret, if it has one.
    predicted
        The challenge the core predicted, logged beside Cognito's answer.
    """
    with client._refusing("InitiateAuth", username):
        if flow is not None and flow not in _FLOWS:
            raise InvalidArgumentError(
                f"flow {shown(flow)} is not a sign-in flow: use one of {', '.join(_FLOWS)}"
            )
    chosen = flow or ("choice" if preferred else "srp" if srp is not None else "password")
    if chosen == "choice":
        attempt = _start_choice(
            client,
            client_id,
            username,
            preferred=preferred,
            password=password,
            user_pool_id=user_pool_id,
            client_secret=client_secret,
            predicted=predicted,
            srp=srp,
        )
    elif chosen == "srp":
        attempt = _start_srp(
            client,
            client_id,
            username,
            srp,  # type: ignore[arg-type]  # checked inside
            device_key=device_key,
            client_secret=client_secret,
            predicted=predicted,
        )
    else:
        attempt = _start_password(
            client,
            client_id,
            username,
            password,  # type: ignore[arg-type]  # checked inside
            user_pool_id=user_pool_id,
            client_secret=client_secret,
            predicted=predicted,
            device_key=device_key,
        )
    return SignIn.of(attempt, client, client_secret)


def _start_password(
    client: Any,
    client_id: str,
    username: str,
    password: str,
    *,
    user_pool_id: str | None = None,
    client_secret: str | None = None,
    predicted: Prediction | str | None = None,
    device_key: str | None = None,
) -> SignInAttempt:
    """Start a password sign-in and return the challenge (or tokens) Cognito answers with.

    With ``user_pool_id`` the admin flow (``AdminInitiateAuth`` with
    ``ADMIN_USER_PASSWORD_AUTH``, IAM credentials) is used; otherwise ``InitiateAuth`` with
    ``USER_PASSWORD_AUTH`` (no credentials needed). ``device_key`` presents a confirmed
    device (``DEVICE_KEY``): a remembered one may skip MFA (``DEVICE_SRP_AUTH``).
    """
    with client._refusing("AdminInitiateAuth" if user_pool_id else "InitiateAuth", username):
        need_text(client_id, "client_id", "pass the app client id of the user pool")
        _check_username(username)
        need_text(password, "password", "pass the user's password", empty=True, secret=True)
        if user_pool_id is not None:
            _check_pool(user_pool_id)
        _check_secret_and_prediction(client_secret, predicted)
        if device_key is not None:
            need_text(device_key, "device_key", "pass the DeviceKey of a confirmed device")
    auth = {"USERNAME": username, "PASSWORD": password}
    if device_key:
        auth["DEVICE_KEY"] = device_key
    if client_secret:
        auth["SECRET_HASH"] = _secret_hash(username, client_id, client_secret)
    if user_pool_id:
        operation = "AdminInitiateAuth"
        params: dict[str, Any] = {
            "UserPoolId": user_pool_id,
            "ClientId": client_id,
            "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
            "AuthParameters": auth,
        }
    else:
        operation = "InitiateAuth"
        params = {
            "ClientId": client_id,
            "AuthFlow": "USER_PASSWORD_AUTH",
            "AuthParameters": auth,
        }
    return _step(
        client, operation, params, username, client_id, user_pool_id, (password,), predicted
    )


def _start_srp(
    client: Any,
    client_id: str,
    username: str,
    srp: SrpProof,
    *,
    device_key: str | None = None,
    client_secret: str | None = None,
    predicted: Prediction | str | None = None,
) -> SignInAttempt:
    """Start an SRP sign-in (``USER_SRP_AUTH``): the password never leaves the client.

    Cognito answers ``PASSWORD_VERIFIER``; answer it with :meth:`answer_srp`. This is the
    flow AWS documents for device tracking: with ``device_key`` (and ``srp`` made with the
    device), a remembered device then goes through ``DEVICE_SRP_AUTH`` instead of MFA.
    """
    with client._refusing("InitiateAuth", username):
        need_text(client_id, "client_id", "pass the app client id of the user pool")
        _check_username(username)
        need_instance(srp, SrpProof, "srp", "pass SrpProof(pool_id, client_id, username, pw)")
        _check_secret_and_prediction(client_secret, predicted)
        if device_key is not None:
            need_text(device_key, "device_key", "pass the DeviceKey of a confirmed device")
    auth = {"USERNAME": username, "SRP_A": srp.srp_a}
    if device_key:
        auth["DEVICE_KEY"] = device_key
    if client_secret:
        auth["SECRET_HASH"] = _secret_hash(username, client_id, client_secret)
    params = {"ClientId": client_id, "AuthFlow": "USER_SRP_AUTH", "AuthParameters": auth}
    return _step(
        client, "InitiateAuth", params, username, client_id, None, (), predicted, "PASSWORD_SRP"
    )


def _start_choice(
    client: Any,
    client_id: str,
    username: str,
    *,
    preferred: str | None = None,
    password: str | None = None,
    user_pool_id: str | None = None,
    client_secret: str | None = None,
    predicted: Prediction | str | None = None,
    srp: SrpProof | None = None,
) -> SignInAttempt:
    """Start a choice-based sign-in (``AuthFlow=USER_AUTH``).

    Without ``preferred`` Cognito answers ``SELECT_CHALLENGE`` (``attempt.options`` lists
    ``AvailableChallenges``; answer with :meth:`select_challenge`). With ``preferred``
    (``PASSWORD``, ``PASSWORD_SRP``, ``WEB_AUTHN``, ``EMAIL_OTP``, ``SMS_OTP``) the flow goes
    there when it is available; ``PASSWORD`` goes with ``password``, ``PASSWORD_SRP`` with
    ``srp`` (its ``SRP_A``; answer ``PASSWORD_VERIFIER`` with :meth:`answer_srp`).
    """
    with client._refusing("InitiateAuth", username):
        need_text(client_id, "client_id", "pass the app client id")
        need_text(username, "username", "pass the user's name")
        if preferred is not None:
            need_text(preferred, "preferred", "pass PASSWORD, EMAIL_OTP, SMS_OTP or WEB_AUTHN")
        if password is not None:
            need_text(password, "password", "pass the user's password", secret=True)
        if user_pool_id is not None:
            _check_pool(user_pool_id)
        _check_secret_and_prediction(client_secret, predicted)
    auth = {"USERNAME": username}
    if preferred:
        auth["PREFERRED_CHALLENGE"] = str(preferred).upper()
    if password:
        auth["PASSWORD"] = password
    if srp is not None:
        auth["SRP_A"] = srp.srp_a
    if client_secret:
        auth["SECRET_HASH"] = _secret_hash(username, client_id, client_secret)
    params: dict[str, Any] = {"ClientId": client_id, "AuthFlow": "USER_AUTH"}
    params["AuthParameters"] = auth
    operation = "InitiateAuth"
    if user_pool_id:
        operation = "AdminInitiateAuth"
        params["UserPoolId"] = user_pool_id
    secrets = (password,) if password else ()
    return _step(
        client,
        operation,
        params,
        username,
        client_id,
        user_pool_id,
        secrets,
        predicted,
        first_factor=auth.get("PREFERRED_CHALLENGE"),
    )


def _answer_mfa(
    client: Any,
    attempt: SignInAttempt,
    answer: str,
    *,
    client_secret: str | None = None,
    predicted: Prediction | str | None = None,
) -> SignInAttempt:
    """Answer the challenge of ``attempt``: a code, a factor name, or ``""`` for MFA_SETUP.

    For ``SELECT_MFA_TYPE`` the answer is a factor (``"SMS_MFA"``, ``"totp"``, ...); for
    ``MFA_SETUP`` call :meth:`associate_totp` and :meth:`verify_totp` with the attempt's
    session first, then answer with the session they returned (``answer`` is ignored).
    """
    with client._refusing("RespondToAuthChallenge", getattr(attempt, "username", None)):
        need_instance(attempt, SignInAttempt, "attempt", _ATTEMPT_FIX)
        need_text(
            answer, "answer", "pass the code (or factor name) as text", empty=True, secret=True
        )
        _check_secret_and_prediction(client_secret, predicted)
    challenge = attempt.challenge or ""
    responses: dict[str, str] = {}
    secrets: tuple[str, ...] = ()
    if challenge == "SELECT_MFA_TYPE":
        responses["ANSWER"] = Factor.parse(answer).api_name
    elif challenge in {f.api_name for f in Factor}:
        responses[Factor.parse(challenge).challenge_code_key] = answer
        secrets = (answer,)
    return _respond(client, attempt, responses, secrets, client_secret, predicted)


def _set_up(
    client: Any,
    attempt: SignInAttempt,
    session: str,
    predicted: Prediction | str | None = None,
) -> SignInAttempt:
    """Finish an ``MFA_SETUP`` challenge with the session ``verify_totp`` returned."""
    with client._refusing("RespondToAuthChallenge", getattr(attempt, "username", None)):
        need_instance(attempt, SignInAttempt, "attempt", _ATTEMPT_FIX)
        need_text(session, "session", "pass verify_totp(...).data['session']", secret=True)
    return _answer_mfa(
        client,
        SignInAttempt(
            attempt.username,
            attempt.operation,
            0.0,
            challenge="MFA_SETUP",
            session=session,
            client_id=attempt.client_id,
            user_pool_id=attempt.user_pool_id,
        ),
        "",
        predicted=predicted,
    )


def _select(
    client: Any,
    attempt: SignInAttempt,
    factor: str,
    *,
    password: str | None = None,
    client_secret: str | None = None,
    predicted: Prediction | str | None = None,
) -> SignInAttempt:
    """Answer ``SELECT_CHALLENGE`` with one of ``attempt.options`` (``PASSWORD`` + password)."""
    with client._refusing("RespondToAuthChallenge", getattr(attempt, "username", None)):
        need_instance(attempt, SignInAttempt, "attempt", _ATTEMPT_FIX)
        need_text(factor, "factor", "pass one of attempt.options, e.g. 'PASSWORD'")
        if password is not None:
            need_text(password, "password", "pass the user's password", secret=True)
        _check_secret_and_prediction(client_secret, predicted)
    responses = {"ANSWER": str(factor).upper()}
    if password:
        responses["PASSWORD"] = password
    return _respond(
        client,
        attempt,
        responses,
        (password,) if password else (),
        client_secret,
        predicted,
        first_factor=responses["ANSWER"],
    )


def _answer_code(
    client: Any,
    attempt: SignInAttempt,
    code: str,
    *,
    client_secret: str | None = None,
    predicted: Prediction | str | None = None,
) -> SignInAttempt:
    """Answer a code challenge: ``SMS_OTP``/``EMAIL_OTP`` (passwordless) or an MFA code."""
    with client._refusing("RespondToAuthChallenge", getattr(attempt, "username", None)):
        need_instance(attempt, SignInAttempt, "attempt", _ATTEMPT_FIX)
        need_text(code, "code", "pass the code that was sent", secret=True)
        _check_secret_and_prediction(client_secret, predicted)
    key = f"{attempt.challenge}_CODE"
    return _respond(client, attempt, {key: code}, (code,), client_secret, predicted)


def _answer_passkey(
    client: Any,
    attempt: SignInAttempt,
    authenticator: Any,
    *,
    client_secret: str | None = None,
    predicted: Prediction | str | None = None,
) -> SignInAttempt:
    """Answer ``WEB_AUTHN`` with a passkey from ``authenticator`` (e.g. the software one).

    ``authenticator.get(options)`` must return the AuthenticationResponseJSON for the
    attempt's ``CREDENTIAL_REQUEST_OPTIONS``.
    """
    with client._refusing("RespondToAuthChallenge", getattr(attempt, "username", None)):
        need_instance(attempt, SignInAttempt, "attempt", _ATTEMPT_FIX)
        _check_secret_and_prediction(client_secret, predicted)
    try:
        credential = json.dumps(authenticator.get(attempt.passkey_options or "{}"))
    except (LookupError, ValueError) as error:
        failed = CognitoError("NoPasskey", str(error), "RespondToAuthChallenge")
        return replace(attempt, error=failed, challenge=None)
    return _respond(
        client, attempt, {"CREDENTIAL": credential}, (), client_secret, predicted, "WEB_AUTHN"
    )


def _answer_srp(
    client: Any,
    attempt: SignInAttempt,
    srp: SrpProof,
    *,
    client_secret: str | None = None,
    predicted: Prediction | str | None = None,
) -> SignInAttempt:
    """Answer an SRP challenge with ``srp``'s values (computed by pycognito).

    ``PASSWORD_VERIFIER`` (after ``USER_SRP_AUTH`` or ``PASSWORD_SRP``) gets the password
    claim; ``DEVICE_SRP_AUTH`` the device's ``SRP_A``; ``DEVICE_PASSWORD_VERIFIER`` the
    device claim. The password and device password are never sent.
    """
    with client._refusing("RespondToAuthChallenge", getattr(attempt, "username", None)):
        need_instance(attempt, SignInAttempt, "attempt", _ATTEMPT_FIX)
        need_instance(srp, SrpProof, "srp", "pass SrpProof(pool_id, client_id, username, ...)")
        _check_secret_and_prediction(client_secret, predicted)
    try:
        responses = srp.answer(attempt.challenge or "", attempt.srp_parameters)
    except ValueError as error:
        failed = CognitoError("NoSrpAnswer", str(error), "RespondToAuthChallenge")
        return replace(attempt, error=failed, challenge=None)
    first = "PASSWORD_SRP" if attempt.challenge == "PASSWORD_VERIFIER" else None
    responses.pop("USERNAME", None)  # _respond names the user
    return _respond(client, attempt, responses, (), client_secret, predicted, first)


def _respond(
    client: Any,
    attempt: SignInAttempt,
    responses: dict[str, str],
    secrets: tuple[str, ...],
    client_secret: str | None,
    predicted: Prediction | str | None,
    first_factor: str | None = None,
) -> SignInAttempt:
    """``(Admin)RespondToAuthChallenge`` for ``attempt`` with ``responses`` (+ USERNAME)."""
    answers = {"USERNAME": attempt.username, **responses}
    if client_secret:
        answers["SECRET_HASH"] = _secret_hash(attempt.username, attempt.client_id, client_secret)
    params: dict[str, Any] = {
        "ChallengeName": attempt.challenge or "",
        "Session": attempt.session,
        "ChallengeResponses": answers,
        "ClientId": attempt.client_id,
    }
    operation = "RespondToAuthChallenge"
    if attempt.user_pool_id:
        operation = "AdminRespondToAuthChallenge"
        params["UserPoolId"] = attempt.user_pool_id
    return _step(
        client,
        operation,
        params,
        attempt.username,
        attempt.client_id,
        attempt.user_pool_id,
        secrets,
        predicted,
        first_factor=first_factor,
    )


def _step(
    client: Any,
    operation: str,
    params: dict[str, Any],
    username: str,
    client_id: str,
    user_pool_id: str | None,
    secrets: tuple[str, ...],
    predicted: Prediction | str | None,
    first_factor: str | None = None,
) -> SignInAttempt:
    response, error, latency = client._send(operation, params, None, secrets)
    attempt = _attempt_from(
        operation, response or {}, error, latency, username, client_id, user_pool_id
    )
    flow = params.get("AuthFlow")
    if flow is not None and first_factor is None and "PASSWORD" in params["AuthParameters"]:
        first_factor = "PASSWORD"
    return _logged(client, attempt, predicted, flow, first_factor)


def _logged(
    client: Any,
    attempt: SignInAttempt,
    predicted: Prediction | str | None,
    flow: str | None = None,
    first_factor: str | None = None,
) -> SignInAttempt:
    if client.log is None:
        return attempt
    predicted_name = prediction_label(predicted) if isinstance(predicted, Prediction) else predicted
    if attempt.error is not None:
        outcome = "error"
    elif attempt.signed_in:
        outcome = "tokens"
    else:
        outcome = "challenge"
    problem = client._append_to_log(
        {
            "operation": attempt.operation,
            "backend": client.backend,
            "username": attempt.username,
            "outcome": outcome,
            **_error_fields(attempt.error),
            "latency_ms": attempt.latency_ms,
            "predicted_challenge": predicted_name,
            "observed_challenge": observed_label(attempt),
            "flow": flow,
            "first_factor": first_factor,
        }
    )
    return replace(attempt, warnings=(*attempt.warnings, problem)) if problem else attempt


def _parse_options(raw: str | None) -> tuple[str, ...]:
    """Read ``MFAS_CAN_CHOOSE``/``MFAS_CAN_SETUP``: a JSON string (moto sends a Python repr)."""
    if not raw:
        return ()
    try:
        values = json.loads(raw)
    except ValueError:
        values = [v.strip(" '\"") for v in raw.strip("[]").split(",")]
    return tuple(str(v) for v in values if v)


def _attempt_from(
    operation: str,
    response: Mapping[str, Any],
    error: CognitoError | None,
    latency: float,
    username: str,
    client_id: str,
    user_pool_id: str | None,
) -> SignInAttempt:
    parameters = response.get("ChallengeParameters") or {}
    options = _parse_options(parameters.get("MFAS_CAN_CHOOSE") or parameters.get("MFAS_CAN_SETUP"))
    options = options or tuple(response.get("AvailableChallenges") or ())  # SELECT_CHALLENGE
    delivery = {}
    if "CODE_DELIVERY_DESTINATION" in parameters:
        delivery = {
            "medium": str(parameters.get("CODE_DELIVERY_DELIVERY_MEDIUM", "")),
            "destination": str(parameters["CODE_DELIVERY_DESTINATION"]),
        }
    result = response.get("AuthenticationResult")
    return SignInAttempt(
        username=username,
        operation=operation,
        latency_ms=latency,
        challenge=None if error or result else response.get("ChallengeName"),
        options=options,
        delivery=delivery,
        error=error,
        tokens=Tokens.from_result(result) if result else None,
        session=str(response.get("Session", "")),
        client_id=client_id,
        user_pool_id=user_pool_id,
        passkey_options=str(parameters.get("CREDENTIAL_REQUEST_OPTIONS", "")),
        srp_parameters={k: str(parameters[k]) for k in SRP_PARAMETERS if k in parameters},
    )
