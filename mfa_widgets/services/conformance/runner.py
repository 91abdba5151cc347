"""Send the conformance corpus to an endpoint and compare every answer with the recorded one.

A :class:`Target` says where to send (an endpoint URL, or real Cognito in a Region), how to read
delivered codes (the sandbox's outbox; nothing elsewhere) and what the run may do (SMS only with
``allow_sms``). :func:`run_cases` builds each case's situation (a pool per distinct pool
configuration, a fresh user per case, the case's steps), sends its request and returns one row
per case: ``pass``, ``differs`` (with a short diff) or ``skipped`` (with why).

Every pool the run creates is named with :data:`POOL_PREFIX` and recorded in a
:class:`CreatedResources`; :func:`run_cases` deletes them all when it ends, however it ends
(an error, Ctrl-C). The boto3 client comes from
:func:`mfa_widgets.aws_clients.cognito_client`, the one place that makes them.
"""

from __future__ import annotations

import json
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import pandas as pd
from botocore import xform_name
from botocore.config import Config
from botocore.exceptions import ClientError

from mfa_widgets.aws_clients import cognito_client, new_session
from mfa_widgets.core.errors import InvalidArgumentError
from mfa_widgets.core.preferences import Factor
from mfa_widgets.core.requests import PASSWORD_AUTH_FLOWS, mfa_config_request
from mfa_widgets.core.signin import PoolMfaConfig
from mfa_widgets.core.totp import STEP_SECONDS, totp_code
from mfa_widgets.services.conformance.corpus import Case, load_corpus
from mfa_widgets.services.conformance.matching import differences

__all__ = [
    "COLUMNS",
    "POOL_PREFIX",
    "CreatedResources",
    "Target",
    "run_cases",
    "score",
]

#: Every pool a run creates starts with this, so a person can tell it apart in the console.
POOL_PREFIX = "mfa-widgets-conformance-DELETE-ME"

#: The report's columns.
COLUMNS = ["case", "area", "title", "kind", "source", "seen", "status", "diff", "reason", "known"]

#: Reads the newest code delivered to a user: ``(pool_id, username, channel) -> code``.
CodeReader = Callable[[str, str, str], str]

_PASSWORD = "Conformance-Pa55word!"  # noqa: S105 - the throwaway users' password
_NEW_PASSWORD = "Conformance-Ne3w-Pa55!"  # noqa: S105
_PHONE = "+15555550100"


@dataclass(frozen=True)
class Target:
    """Where a run sends the corpus.

    Parameters
    ----------
    name
        ``sandbox``, ``moto`` or ``cognito``: the name known differences are listed under.
    region
        The AWS Region.
    endpoint_url
        The endpoint (the sandbox's, plain moto's); ``None`` for real Cognito.
    profile
        An AWS profile (real Cognito only).
    local
        Dummy credentials (a local endpoint needs no AWS account).
    read_code
        How to read a delivered SMS or email code; ``None`` skips the cases that need one.
    allow_sms
        Whether cases whose pool offers SMS MFA may run (real SMS costs money).
    sms_role_arn
        The SNS caller role for SMS (a placeholder ARN on local endpoints).
    wait_for_fresh_totp
        Wait for the next 30-second step rather than use the next step's code early (real
        Cognito; the sandbox accepts one step either side, as Cognito does).
    """

    name: str
    region: str = "us-east-1"
    endpoint_url: str | None = None
    profile: str | None = None
    local: bool = True
    read_code: CodeReader | None = None
    allow_sms: bool = False
    sms_role_arn: str = "arn:aws:iam::123456789012:role/mfa-widgets-conformance-sms"
    wait_for_fresh_totp: bool = False

    def client(self) -> Any:
        """A boto3 ``cognito-idp`` client for this target (two attempts per call)."""
        options: dict[str, Any] = {"region_name": self.region}
        if self.local:
            options.update(aws_access_key_id="testing", aws_secret_access_key="testing")  # noqa: S106
        else:
            options["profile_name"] = self.profile
        config = Config(retries={"mode": "standard", "total_max_attempts": 2})
        return cognito_client(
            new_session(**options),
            region=self.region,
            endpoint_url=self.endpoint_url,
            config=config,
        )


@dataclass
class CreatedResources:
    """What a run created (pool ids), so all of it can be deleted, also after Ctrl-C."""

    pools: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def delete_all(self, client: Any) -> None:
        """Delete every pool created (users and app clients go with it); Ctrl-C waits."""
        with _uninterruptible():
            for pool_id in list(self.pools):
                if pool_id in self.deleted:
                    continue
                try:
                    client.delete_user_pool(UserPoolId=pool_id)
                    self.deleted.append(pool_id)
                except ClientError as error:
                    if _code(error) == "ResourceNotFoundException":
                        self.deleted.append(pool_id)
                    else:
                        self.failures.append(f"{pool_id}: {_code(error)}")

    @property
    def left(self) -> list[str]:
        """Pools created and not deleted."""
        return [p for p in self.pools if p not in self.deleted]


@contextmanager
def _uninterruptible() -> Iterator[None]:
    """Hold Ctrl-C off while cleaning up (main thread only); it is delivered afterwards."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[Any] = []
    previous = signal.signal(signal.SIGINT, lambda *args: caught.append(args))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if caught:
            raise KeyboardInterrupt


class _SkipError(Exception):
    """The case cannot run on this target (said why)."""


class _SetupError(Exception):
    """Building the case's situation failed on this target."""


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", "Unknown"))


def _outcome(call: Callable[[], Any]) -> dict[str, Any]:
    """``{"response": ...}`` or ``{"error": {"Code", "Message"}}`` for one call."""
    try:
        response = dict(call())
    except ClientError as error:
        details = error.response.get("Error", {})
        return {"error": {"Code": details.get("Code"), "Message": details.get("Message")}}
    response.pop("ResponseMetadata", None)
    return {"response": response}


def _pool_key(spec: Mapping[str, Any]) -> str:
    return json.dumps(spec, sort_keys=True)


@dataclass
class _Pool:
    pool_id: str
    client_id: str
    spec: Mapping[str, Any]


class _World:
    """The pools of one run, created on first use and reused by cases with the same spec."""

    def __init__(self, target: Target, client: Any, created: CreatedResources) -> None:
        self.target = target
        self.client = client
        self.created = created
        self.pools: dict[str, _Pool] = {}
        self.stamp = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S")

    def mfa_request(self, pool_id: str, spec: Mapping[str, Any], mode: str | None = None) -> Any:
        factors = frozenset(Factor.parse(f) for f in spec.get("factors", ("TOTP",)))
        config = PoolMfaConfig(
            mode=mode or spec.get("mfa", "OPTIONAL"),  # type: ignore[arg-type]
            factors=factors,
            tier=spec.get("tier", "ESSENTIALS"),  # type: ignore[arg-type]
        )
        request = mfa_config_request(pool_id, config, self.target.sms_role_arn)
        if "passkeys" in spec:
            request["WebAuthnConfiguration"] = dict(spec["passkeys"])
        return request

    def pool(self, spec: Mapping[str, Any]) -> _Pool:
        key = _pool_key(spec)
        if key in self.pools:
            return self.pools[key]
        name = f"{POOL_PREFIX}-{self.stamp}-{len(self.pools) + 1}"
        create: dict[str, Any] = {
            "PoolName": name,
            "UserPoolTier": spec.get("tier", "ESSENTIALS"),
            "AccountRecoverySetting": {
                "RecoveryMechanisms": [{"Priority": 1, "Name": spec.get("recovery", "admin_only")}]
            },
        }
        if "first_factors" in spec:
            create["Policies"] = {
                "SignInPolicy": {"AllowedFirstAuthFactors": spec["first_factors"]}
            }
        if "devices" in spec:
            create["DeviceConfiguration"] = dict(spec["devices"])
        try:
            pool_id = self.client.create_user_pool(**create)["UserPool"]["Id"]
        except ClientError as error:
            raise _SetupError(f"CreateUserPool: {_code(error)}") from None
        self.created.pools.append(pool_id)
        flows = list(PASSWORD_AUTH_FLOWS)
        if "first_factors" in spec:
            flows.append("ALLOW_USER_AUTH")
        try:
            self.client.set_user_pool_mfa_config(**self.mfa_request(pool_id, spec))
            client_id = self.client.create_user_pool_client(
                UserPoolId=pool_id, ClientName=f"{name}-app", ExplicitAuthFlows=flows
            )["UserPoolClient"]["ClientId"]
        except ClientError as error:
            raise _SetupError(f"pool set-up: {_code(error)}: {error}") from None
        made = _Pool(pool_id, client_id, spec)
        self.pools[key] = made
        return made


class _Run:
    """One case's state: the variables ``$name`` in its steps and request refer to."""

    def __init__(self, world: _World, case: Case, pool: _Pool, number: int) -> None:
        self.world = world
        self.client = world.client
        self.case = case
        self.pool = pool
        self.username = f"c{number:03d}-{case.area}"
        self.values: dict[str, Any] = {
            "username": self.username,
            "password": _PASSWORD,
            "new_password": _NEW_PASSWORD,
            "pool_id": pool.pool_id,
            "client_id": pool.client_id,
            "phone": _PHONE,
            "email": f"{self.username}@example.com",
        }
        self.secret: str | None = None
        self.used_codes: list[str] = []
        self.srp: Any = None
        self.device: Any = None
        self.authenticator: Any = None
        self.last: dict[str, Any] = {}

    # -- variables -----------------------------------------------------------------------------

    def value(self, name: str) -> Any:
        if name in self.values:
            return self.values[name]
        if name == "totp_code":
            return self.fresh_totp()
        if name == "used_totp_code":
            if not self.used_codes:
                raise _SetupError("no TOTP code was used yet")
            return self.used_codes[-1]
        if name in ("sms_code", "email_code"):
            reader = self.world.target.read_code
            if reader is None:
                raise _SkipError("needs a delivered code, which only the sandbox's outbox shows")
            channel = "SMS" if name == "sms_code" else "EMAIL"
            return reader(self.pool.pool_id, self.username, channel)
        if name in ("session", "access_token", "new_device"):
            raise _SetupError(f"no {name} to use: the previous answer held none")
        raise InvalidArgumentError(f"conformance case {self.case.id}: no variable ${name}")

    def resolve(self, data: Any) -> Any:
        if isinstance(data, str) and data.startswith("$") and data[1:].isidentifier():
            return self.value(data[1:])
        if isinstance(data, Mapping):
            return {k: self.resolve(v) for k, v in data.items()}
        if isinstance(data, list):
            return [self.resolve(v) for v in data]
        return data

    def fresh_totp(self) -> str:
        if self.secret is None:
            raise _SetupError("the user has no authenticator (user.totp)")
        now = time.time()
        code = totp_code(self.secret, now)
        if code in self.used_codes:
            if self.world.target.wait_for_fresh_totp:
                time.sleep(STEP_SECONDS - now % STEP_SECONDS + 0.5)
                code = totp_code(self.secret)
            else:
                code = totp_code(self.secret, now + STEP_SECONDS)
        self.used_codes.append(code)
        return code

    # -- calls ---------------------------------------------------------------------------------

    def _remember(self, response: Mapping[str, Any]) -> None:
        self.last = dict(response)
        if response.get("Session"):
            self.values["session"] = response["Session"]
        result = response.get("AuthenticationResult") or {}
        if result.get("AccessToken"):
            self.values["access_token"] = result["AccessToken"]
        if result.get("NewDeviceMetadata"):
            self.values["new_device"] = dict(result["NewDeviceMetadata"])
        if response.get("SecretCode"):  # AssociateSoftwareToken: the authenticator's secret
            self.secret = str(response["SecretCode"])

    def call(self, operation: str, params: Mapping[str, Any]) -> dict[str, Any]:
        """Call ``operation`` with ``params`` (variables resolved, ids filled in)."""
        method = getattr(self.client, xform_name(operation))
        filled = self._filled(operation, self.resolve(dict(params)))
        response: dict[str, Any] = method(**filled)
        self._remember(response)
        return response

    def _filled(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        shape = self.client.meta.service_model.operation_model(operation).input_shape
        members = shape.members if shape is not None else {}
        defaults = {
            "UserPoolId": self.pool.pool_id,
            "ClientId": self.pool.client_id,
            "Username": self.username,
        }
        for key, value in defaults.items():
            if key in members and key not in params:
                params[key] = value
        for key in ("AccessToken", "Session"):
            wanted = "access_token" if key == "AccessToken" else "session"
            if key in members and key not in params and wanted in self.values:
                if operation in ("AssociateSoftwareToken", "VerifySoftwareToken"):
                    continue  # these take one or the other: the case says which
                params[key] = self.values[wanted]
        return params

    def special(self, name: str, params: Mapping[str, Any]) -> dict[str, Any]:
        """The steps that are more than one call (SRP, devices, passkeys)."""
        if name == "sign_in":
            auth = {"USERNAME": self.username, "PASSWORD": self.values["password"]}
            auth.update(self.resolve(dict(params.get("AuthParameters", {}))))  # e.g. a wrong one
            return self.call(
                "InitiateAuth", {"AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": auth}
            )
        if name == "srp_sign_in":
            from mfa_widgets.services.srp import SrpProof

            self.srp = SrpProof(
                self.pool.pool_id,
                self.pool.client_id,
                self.username,
                str(params.get("password", self.values["password"])),
                device=self.device,
            )
            auth = {"USERNAME": self.username, "SRP_A": self.srp.srp_a}
            if self.device is not None and params.get("with_device", True):
                auth["DEVICE_KEY"] = self.device.device_key
            return self.call("InitiateAuth", {"AuthFlow": "USER_SRP_AUTH", "AuthParameters": auth})
        if name in ("srp_answer", "device_srp_answer", "device_verifier_answer"):
            challenge = self.last.get("ChallengeName", "")
            answers = {
                "USERNAME": self.last.get("ChallengeParameters", {}).get("USERNAME")
                or self.username
            }
            answers.update(self.srp.answer(challenge, self.last.get("ChallengeParameters", {})))
            if self.device is not None:
                answers.setdefault("DEVICE_KEY", self.device.device_key)
            return self.call(
                "RespondToAuthChallenge",
                {"ChallengeName": challenge, "ChallengeResponses": answers},
            )
        if name == "remember_device":
            from mfa_widgets.services.srp import new_device_secret

            issued = self.values.get("new_device")
            if not issued:
                raise _SetupError("the sign-in issued no NewDeviceMetadata")
            self.device = new_device_secret(issued["DeviceKey"], issued["DeviceGroupKey"])
            confirmed = self.call(
                "ConfirmDevice",
                {
                    "DeviceKey": self.device.device_key,
                    "DeviceSecretVerifierConfig": dict(self.device.verifier),
                    "DeviceName": "conformance-device",
                },
            )
            if params.get("confirm_only"):
                return confirmed
            return self.call(
                "UpdateDeviceStatus",
                {"DeviceKey": self.device.device_key, "DeviceRememberedStatus": "remembered"},
            )
        if name == "register_passkey":
            authenticator = self._authenticator()
            started = self.call("StartWebAuthnRegistration", {})
            credential = authenticator.create(started["CredentialCreationOptions"])
            return self.call("CompleteWebAuthnRegistration", {"Credential": credential})
        if name == "passkey_answer":
            options = self.last.get("ChallengeParameters", {}).get(
                "CREDENTIAL_REQUEST_OPTIONS", "{}"
            )
            credential = json.dumps(self._authenticator().get(options))
            return self.call(
                "RespondToAuthChallenge",
                {
                    "ChallengeName": "WEB_AUTHN",
                    "ChallengeResponses": {"USERNAME": self.username, "CREDENTIAL": credential},
                },
            )
        raise InvalidArgumentError(f"conformance case {self.case.id}: no step {name!r}")

    def _authenticator(self) -> Any:
        if self.authenticator is None:
            from mfa_widgets.services.passkey_authenticator import SoftwareAuthenticator

            rp_id = self.pool.spec.get("passkeys", {}).get("RelyingPartyId", "localhost")
            self.authenticator = SoftwareAuthenticator(origin=f"https://{rp_id}")
            if rp_id == "localhost":
                self.authenticator = SoftwareAuthenticator(origin="http://localhost")
        return self.authenticator

    def step(self, step: Mapping[str, Any]) -> dict[str, Any]:
        op = str(step.get("op", ""))
        params = step.get("params") or {}
        if op[:1].islower():
            return self.special(op, params)
        return self.call(op, params)

    # -- the situation -------------------------------------------------------------------------

    def build_user(self) -> None:
        spec = self.case.user
        attributes: list[dict[str, str]] = []
        if spec.get("phone"):
            attributes += [{"Name": "phone_number", "Value": _PHONE}]
            if spec.get("phone_verified", True):
                attributes += [{"Name": "phone_number_verified", "Value": "true"}]
        if spec.get("email", True):
            attributes += [{"Name": "email", "Value": self.values["email"]}]
            if spec.get("email_verified", True):
                attributes += [{"Name": "email_verified", "Value": "true"}]
        self.client.admin_create_user(
            UserPoolId=self.pool.pool_id,
            Username=self.username,
            UserAttributes=attributes,
            TemporaryPassword=_PASSWORD,
            MessageAction="SUPPRESS",
        )
        if spec.get("temporary"):
            return
        self.client.admin_set_user_password(
            UserPoolId=self.pool.pool_id, Username=self.username, Password=_PASSWORD, Permanent=True
        )
        needs_tokens = spec.get("totp") or spec.get("passkey") or spec.get("signed_in")
        if not needs_tokens:
            self._preference()
            return
        # Tokens need a sign-in without MFA: the pool is OPTIONAL (with TOTP) meanwhile.
        spec_pool = self.pool.spec
        setup = dict(spec_pool)
        setup["factors"] = sorted({*spec_pool.get("factors", ("TOTP",)), "TOTP"})
        switched = spec_pool.get("mfa", "OPTIONAL") != "OPTIONAL" or "TOTP" not in spec_pool.get(
            "factors", ("TOTP",)
        )
        if switched:
            self.client.set_user_pool_mfa_config(
                **self.world.mfa_request(self.pool.pool_id, setup, "OPTIONAL")
            )
        try:
            self.special("sign_in", {})
            if spec.get("totp"):
                self.secret = self.call("AssociateSoftwareToken", {"AccessToken": "$access_token"})[
                    "SecretCode"
                ]
                verify: dict[str, Any] = {"AccessToken": "$access_token", "UserCode": "$totp_code"}
                if isinstance(spec["totp"], str):
                    verify["FriendlyDeviceName"] = spec["totp"]
                self.call("VerifySoftwareToken", verify)
            if spec.get("passkey"):
                self.special("register_passkey", {})
            self._preference()
        finally:
            if switched:
                self.client.set_user_pool_mfa_config(
                    **self.world.mfa_request(self.pool.pool_id, spec_pool)
                )
        self.values.pop("session", None)
        self.last = {}

    def _preference(self) -> None:
        preference = self.case.user.get("preference")
        if preference:
            self.client.admin_set_user_mfa_preference(
                UserPoolId=self.pool.pool_id, Username=self.username, **dict(preference)
            )


def _skip_reason(case: Case, target: Target) -> str | None:
    factors = set(case.pool.get("factors", ("TOTP",)))
    if target.name == "cognito":
        if "SMS" in factors and not target.allow_sms:
            return "the pool offers SMS MFA, which sends paid text messages: pass --allow-sms"
        if "EMAIL" in factors:
            return "email MFA needs an Amazon SES sender; the run keeps the pool's own sender"
        if "passkeys" in case.pool:
            return "passkeys need a relying party (a domain) this run does not own"
    if "code-reader" in case.needs and target.read_code is None:
        return "needs a delivered code, which only the sandbox's outbox shows"
    return None


def _run_one(world: _World, case: Case, number: int) -> tuple[str, str, str]:
    """``(status, diff, reason)`` for one case."""
    reason = _skip_reason(case, world.target)
    if reason:
        return "skipped", "", reason
    try:
        pool = world.pool(case.pool)
        run = _Run(world, case, pool, number)
        try:
            run.build_user()
            for index, step in enumerate(case.steps, 1):
                try:
                    run.step(step)
                except ClientError as error:
                    if step.get("may_fail"):
                        continue
                    raise _SetupError(
                        f"step {index} ({step.get('op')}): {_code(error)}: "
                        f"{error.response.get('Error', {}).get('Message', '')}"
                    ) from None
        except ClientError as error:
            raise _SetupError(f"user set-up: {_code(error)}") from None
        request = case.request
        if str(request.get("op", ""))[:1].islower():
            actual = _outcome(lambda: run.special(str(request["op"]), request.get("params") or {}))
        else:
            actual = _outcome(lambda: run.call(str(request["op"]), request.get("params") or {}))
        expected = run.resolve(dict(case.expect))
    except _SkipError as skip:
        return "skipped", "", str(skip)
    except _SetupError as failed:
        return "differs", f"set-up failed: {failed}"[:300], ""
    except (LookupError, ValueError, TypeError) as error:  # an answer of a shape we cannot follow
        return "differs", f"could not follow the answers: {type(error).__name__}: {error}"[:300], ""
    found = differences(expected, actual)
    if not found:
        return "pass", "", ""
    return "differs", "; ".join(found)[:300], ""


def run_cases(
    target: Target,
    cases: Iterable[Case] | None = None,
    *,
    created: CreatedResources | None = None,
    progress: Callable[[str, str], object] | None = None,
) -> pd.DataFrame:
    """Run ``cases`` (default: the whole corpus) against ``target``; one row per case.

    Parameters
    ----------
    target
        Where to send them.
    cases
        The cases; :func:`~mfa_widgets.services.conformance.corpus.load_corpus` by default.
    created
        Records the pools created (pass one to inspect it afterwards); every one is deleted
        before this returns or raises, Ctrl-C included.
    progress
        Called with ``(case id, status)`` after each case.

    Returns
    -------
    pandas.DataFrame
        The columns :data:`COLUMNS`; ``known`` is true where the case lists this target's
        answer as a known difference (the reason is then in ``reason``).
    """
    chosen = tuple(load_corpus() if cases is None else cases)
    created = created if created is not None else CreatedResources()
    client = target.client()
    world = _World(target, client, created)
    rows = []
    try:
        for number, case in enumerate(chosen, 1):
            status, diff, reason = _run_one(world, case, number)
            known = target.name in case.known_differences
            if known and status == "differs":
                reason = f"known difference: {case.known_differences[target.name]}"
            rows.append(
                {
                    "case": case.id,
                    "area": case.area,
                    "title": case.title,
                    "kind": case.kind,
                    "source": case.source,
                    "seen": case.sources[0].seen,
                    "status": status,
                    "diff": diff,
                    "reason": reason,
                    "known": known,
                }
            )
            if progress is not None:
                progress(case.id, status)
    finally:
        created.delete_all(client)
    frame: pd.DataFrame = pd.DataFrame(rows, columns=COLUMNS)
    frame["status"] = pd.Categorical(frame["status"], categories=["pass", "differs", "skipped"])
    frame["known"] = frame["known"].astype(bool)
    return frame


def score(frame: pd.DataFrame) -> str:
    """``"52/60 pass (87%), 3 skipped"``: passes out of the cases that ran."""
    ran = int((frame["status"] != "skipped").sum())
    passed = int((frame["status"] == "pass").sum())
    skipped = len(frame) - ran
    share = f" ({100 * passed / ran:.0f}%)" if ran else ""
    tail = f", {skipped} skipped" if skipped else ""
    return f"{passed}/{ran} pass{share}{tail}"
