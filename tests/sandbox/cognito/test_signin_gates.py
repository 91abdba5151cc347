"""Every sign-in path through the same gates, generated from the state machine's own lists.

The paths are :data:`~mfa_widgets.sandbox.cognito.signin.machine.FIRST_FACTORS` (each first
factor with every flow that reaches it) and the challenges are
:data:`~mfa_widgets.sandbox.cognito.signin.machine.ANSWERS`; a driver here walks each one on a
real sandbox, and the first tests fail when the machine gains a path or a challenge no driver
walks. On every path:

* a wrong secret that Cognito counts (a password or an SRP proof: documented; an MFA code:
  documented; a first-factor one-time code: our inference, see ``signin/gates.py``) counts
  towards the user's one lockout, whichever path it came through;
* a locked-out user is refused on every path with the plain flow's words ("Password attempts
  exceeded"), a disabled one with "User is disabled.";
* one right answer sent on 10 threads at once signs in once;
* thousands of abandoned sign-ins leave the sandbox's records as they were.
"""

from __future__ import annotations

import gc
import io
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from botocore.exceptions import ClientError

from mfa_widgets.sandbox import Sandbox, SandboxPool, SandboxUser
from mfa_widgets.sandbox.cognito.signin import gates
from mfa_widgets.sandbox.cognito.signin.machine import ANSWERS, FIRST_FACTORS
from mfa_widgets.sandbox.store.lockout import ATTEMPTS_EXCEEDED, FREE_FAILURES, Lockout
from mfa_widgets.sandbox.store.outbox import MAX_RECORDS, MAX_SENDS_PER_USER, Delivery
from mfa_widgets.sandbox.store.records import MAX_UNCONFIRMED_DEVICES, AuthEvent
from mfa_widgets.sandbox.store.state import SESSION_SECONDS
from mfa_widgets.services.passkey_authenticator import SoftwareAuthenticator
from mfa_widgets.services.srp import SrpProof, new_device_secret

ORIGIN = "http://localhost:8888"
FORGED = "Zm9yZ2VkLXNpZ25hdHVyZQ"  # base64 of "forged-signature"
PASSKEYS = {
    "RelyingPartyId": "localhost",
    "UserVerification": "required",
    "FactorConfiguration": "SINGLE_FACTOR",
}
LOCKED = ("NotAuthorizedException", ATTEMPTS_EXCEEDED)
DISABLED = ("NotAuthorizedException", "User is disabled.")

#: (flow, first factor, how USER_AUTH reaches it): every path the machine lists.
PATHS = [
    (flow, factor, how)
    for factor, flows in FIRST_FACTORS.items()
    for flow in flows
    for how in (("select", "preferred") if flow == "USER_AUTH" else ("",))
]
#: The paths whose first secret goes in an answer (not with InitiateAuth).
ANSWERED = [
    p for p in PATHS if not (p[1] == "PASSWORD" and (p[0] != "USER_AUTH" or p[2] == "preferred"))
]
#: The paths whose wrong secret Cognito counts towards the lockout.
COUNTED = {"PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP"}


def _error(call: Callable[[], Any]) -> tuple[str, str] | None:
    try:
        call()
    except ClientError as error:
        return error.response["Error"]["Code"], error.response["Error"]["Message"]
    return None


@dataclass
class World:
    """A pool where every first factor is allowed (and, for the device path, devices tracked)."""

    sandbox: Sandbox
    pool: SandboxPool
    cognito: Any
    devices: dict[str, Any] = field(default_factory=dict)
    passkeys: dict[str, SoftwareAuthenticator] = field(default_factory=dict)

    @classmethod
    def make(cls, sandbox: Sandbox, mfa: str = "OPTIONAL") -> World:
        pool = sandbox.create_pool(name="gates", mfa=mfa, factors=("SMS", "TOTP", "EMAIL"))
        cognito = sandbox.client()
        cognito.update_user_pool(
            UserPoolId=pool.pool_id,
            Policies={
                "SignInPolicy": {
                    "AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"]
                }
            },
            UserPoolTier="ESSENTIALS",
            MfaConfiguration=mfa,
            DeviceConfiguration={"ChallengeRequiredOnNewDevice": True},
        )
        flows = [
            "ALLOW_USER_PASSWORD_AUTH",
            "ALLOW_ADMIN_USER_PASSWORD_AUTH",
            "ALLOW_USER_SRP_AUTH",
            "ALLOW_USER_AUTH",
            "ALLOW_REFRESH_TOKEN_AUTH",
        ]
        cognito.update_user_pool_client(
            UserPoolId=pool.pool_id, ClientId=pool.client_id, ExplicitAuthFlows=flows
        )
        config = cognito.get_user_pool_mfa_config(UserPoolId=pool.pool_id)
        config.pop("ResponseMetadata")
        cognito.set_user_pool_mfa_config(
            UserPoolId=pool.pool_id, WebAuthnConfiguration=PASSKEYS, **config
        )
        return cls(sandbox, pool, cognito)

    def user(self, name: str) -> SandboxUser:
        user = self.sandbox.create_user(
            self.pool, name, phone="+15555550123", email=f"{name}@example.com"
        )
        token = self.sandbox.issue_token(self.pool, name)
        authenticator = SoftwareAuthenticator(ORIGIN)
        start = self.cognito.start_web_authn_registration(AccessToken=token)
        credential = authenticator.create(start["CredentialCreationOptions"])
        self.cognito.complete_web_authn_registration(AccessToken=token, Credential=credential)
        self.passkeys[name] = authenticator
        tokens = self.sandbox.sign_in(self.pool, name, user.password)
        issued = tokens["NewDeviceMetadata"]
        device = new_device_secret(issued["DeviceKey"], issued["DeviceGroupKey"])
        self.cognito.confirm_device(
            AccessToken=tokens["AccessToken"],
            DeviceKey=device.device_key,
            DeviceSecretVerifierConfig=dict(device.verifier),
        )
        self.devices[name] = device
        return user

    # -- walking a path ----------------------------------------------------------------------

    def initiate(self, flow: str, user: SandboxUser, **parameters: str) -> dict[str, Any]:
        parameters = {"USERNAME": user.username, **parameters}
        if flow.startswith("ADMIN_"):
            return dict(
                self.cognito.admin_initiate_auth(
                    UserPoolId=self.pool.pool_id,
                    ClientId=self.pool.client_id,
                    AuthFlow=flow,
                    AuthParameters=parameters,
                )
            )
        return dict(
            self.cognito.initiate_auth(
                ClientId=self.pool.client_id, AuthFlow=flow, AuthParameters=parameters
            )
        )

    def answer(self, user: SandboxUser, previous: dict[str, Any], **answers: str) -> Any:
        return self.cognito.respond_to_auth_challenge(
            ClientId=self.pool.client_id,
            ChallengeName=previous["ChallengeName"],
            Session=previous["Session"],
            ChallengeResponses={"USERNAME": user.username, **answers},
        )

    def to_secret(
        self, flow: str, factor: str, how: str, user: SandboxUser
    ) -> tuple[dict[str, Any] | None, Callable[[dict[str, Any] | None, bool], Any]]:
        """Walk ``path`` up to its first secret: (the challenge to answer, how to answer it).

        The answer function takes the challenge and whether the secret is right; for a path
        whose secret goes with InitiateAuth the challenge is ``None``.
        """
        password = user.password
        if flow == "USER_AUTH":
            if how == "preferred":
                if factor == "PASSWORD":
                    return None, lambda _, right: self.initiate(
                        flow,
                        user,
                        PREFERRED_CHALLENGE="PASSWORD",
                        PASSWORD=password if right else password + "x",
                    )
                if factor == "PASSWORD_SRP":
                    return self._srp(user, self.initiate, PREFERRED_CHALLENGE="PASSWORD_SRP")
                asked = self.initiate(flow, user, PREFERRED_CHALLENGE=factor)
                return asked, self._factor_answer(factor, user)
            select = self.initiate(flow, user)
            assert select["ChallengeName"] == "SELECT_CHALLENGE"
            if factor == "PASSWORD":
                return select, lambda challenge, right: self.answer(
                    user, challenge, ANSWER="PASSWORD", PASSWORD=password if right else "Wr0ng!x"
                )
            if factor == "PASSWORD_SRP":

                def chosen(_: str, u: SandboxUser, **extra: str) -> Any:
                    return self.answer(u, select, ANSWER="PASSWORD_SRP", **extra)

                return self._srp(user, chosen)
            asked = dict(self.answer(user, select, ANSWER=factor))
            return asked, self._factor_answer(factor, user)
        if factor == "PASSWORD":
            return None, lambda _, right: self.initiate(
                flow, user, PASSWORD=password if right else password + "x"
            )
        if factor == "PASSWORD_SRP":
            return self._srp(user, lambda f, u, **extra: self.initiate(flow, u, **extra))
        return self._device(flow, user)

    def _srp(
        self, user: SandboxUser, start: Callable[..., Any], **extra: str
    ) -> tuple[dict[str, Any], Callable[[dict[str, Any] | None, bool], Any]]:
        right = SrpProof(self.pool.pool_id, self.pool.client_id, user.username, user.password)
        wrong = SrpProof(self.pool.pool_id, self.pool.client_id, user.username, "Wr0ng-pass!")
        asked = dict(start("USER_SRP_AUTH", user, SRP_A=right.srp_a, **extra))
        assert asked["ChallengeName"] == "PASSWORD_VERIFIER"

        def answer(challenge: dict[str, Any] | None, ok: bool) -> Any:
            assert challenge is not None
            proof = (right if ok else wrong).answer(
                "PASSWORD_VERIFIER", challenge["ChallengeParameters"]
            )
            return self.answer(user, challenge, **proof)

        return asked, answer

    def _factor_answer(
        self, factor: str, user: SandboxUser
    ) -> Callable[[dict[str, Any] | None, bool], Any]:
        def answer(challenge: dict[str, Any] | None, right: bool) -> Any:
            assert challenge is not None
            assert challenge["ChallengeName"] == factor
            if factor == "WEB_AUTHN":
                options = challenge["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"]
                credential = self.passkeys[user.username].get(options)
                if not right:  # the user's passkey, its signature forged
                    credential["response"]["signature"] = FORGED
                return self.answer(user, challenge, CREDENTIAL=json.dumps(credential))
            channel = "EMAIL" if factor == "EMAIL_OTP" else "SMS"
            code = self.sandbox.latest_code(user.username, channel, self.pool)
            if not right:
                code = str((int(code) + 1) % 10**6).zfill(6)
            return self.answer(user, challenge, **{f"{factor}_CODE": code})

        return answer

    def _device(
        self, flow: str, user: SandboxUser
    ) -> tuple[dict[str, Any], Callable[[dict[str, Any] | None, bool], Any]]:
        device = self.devices[user.username]
        key = device.device_key
        # A remembered device replaces an MFA challenge: the user needs one.
        self.cognito.admin_set_user_mfa_preference(
            UserPoolId=self.pool.pool_id,
            Username=user.username,
            SMSMfaSettings={"Enabled": True, "PreferredMfa": True},
        )
        if flow == "USER_SRP_AUTH":
            asked, answer = self._srp(
                user, lambda f, u, **extra: self.initiate(flow, u, **extra), DEVICE_KEY=key
            )
            first = dict(answer(asked, True))
        else:
            first = self.initiate(flow, user, PASSWORD=user.password, DEVICE_KEY=key)
        assert first["ChallengeName"] == "DEVICE_SRP_AUTH", first
        srp = SrpProof(self.pool.pool_id, self.pool.client_id, user.username, device=device)
        start = srp.answer("DEVICE_SRP_AUTH", first["ChallengeParameters"])
        verifier = dict(self.answer(user, first, **start))
        assert verifier["ChallengeName"] == "DEVICE_PASSWORD_VERIFIER"

        def answer_device(challenge: dict[str, Any] | None, right: bool) -> Any:
            assert challenge is not None
            claim = srp.answer("DEVICE_PASSWORD_VERIFIER", challenge["ChallengeParameters"])
            if not right:  # the device's proof, forged
                claim["PASSWORD_CLAIM_SIGNATURE"] = FORGED
            return self.answer(user, challenge, **claim)

        return verifier, answer_device

    def sign_in(self, path: tuple[str, str, str], user: SandboxUser, right: bool = True) -> Any:
        challenge, answer = self.to_secret(*path, user)
        return answer(challenge, right)


@pytest.fixture(scope="module")
def world(sandbox: Sandbox) -> World:
    return World.make(sandbox)


_count = iter(range(10**6))


@pytest.fixture
def user(world: World) -> SandboxUser:
    return world.user(f"gate{next(_count)}")


def _label(path: tuple[str, str, str]) -> str:
    return "-".join(part for part in path if part)


# -- the lists are walked ----------------------------------------------------------------------


def test_every_first_factor_and_flow_is_a_path() -> None:
    assert {factor for _, factor, _ in PATHS} == set(FIRST_FACTORS)
    assert {s.name for s in gates.SECRETS} == {
        "password",
        "SRP password proof",
        "MFA code",
        "one-time code (first factor)",
        "passkey",
        "device proof",
    }


@pytest.mark.parametrize("path", PATHS, ids=_label)
def test_the_right_secret_signs_in_on_every_path(
    world: World, user: SandboxUser, path: tuple[str, str, str]
) -> None:
    assert "AccessToken" in world.sign_in(path, user)["AuthenticationResult"]


# -- one lockout, counted on every path, enforced on every path ---------------------------------


@pytest.mark.parametrize("path", PATHS, ids=_label)
def test_wrong_secrets_count_towards_one_lockout_on_every_path(
    world: World, user: SandboxUser, path: tuple[str, str, str]
) -> None:
    with world.sandbox.state.clock.held():  # the first lockout lasts one second
        refused = [
            _error(lambda: world.sign_in(path, user, right=False)) for _ in range(FREE_FAILURES)
        ]
        assert all(error is not None for error in refused), refused
        if path[1] not in COUNTED:  # a passkey or a device proof: not counted (our inference)
            key = (world.pool.pool_id, _sub(world, user))
            assert world.sandbox.state.lockout.locked_for(key) == 0
            return
        # locked now, on this path and on every other one, with the plain flow's words
        for other in PATHS:
            assert _error(lambda other=other: world.sign_in(other, user)) == LOCKED, other


def test_wrong_secrets_on_different_paths_add_up(world: World, user: SandboxUser) -> None:
    counted = [p for p in PATHS if p[1] in COUNTED]
    with world.sandbox.state.clock.held():
        for path in counted[:FREE_FAILURES]:
            assert _error(lambda path=path: world.sign_in(path, user, right=False)) != LOCKED
        plain = ("USER_PASSWORD_AUTH", "PASSWORD", "")
        assert _error(lambda: world.sign_in(plain, user)) == LOCKED


def _sub(world: World, user: SandboxUser) -> str:
    found = world.sandbox.bridge.find_user(
        world.sandbox.bridge.pool(world.pool.pool_id), user.username
    )
    assert found is not None
    return found.id


@pytest.mark.parametrize("path", PATHS, ids=_label)
def test_a_disabled_user_is_refused_on_every_path(
    world: World, user: SandboxUser, path: tuple[str, str, str]
) -> None:
    world.cognito.admin_disable_user(UserPoolId=world.pool.pool_id, Username=user.username)
    assert _error(lambda: world.sign_in(path, user)) == DISABLED


@pytest.mark.parametrize("path", ANSWERED, ids=_label)
def test_a_user_disabled_mid_sign_in_is_refused_at_the_answer(
    world: World, user: SandboxUser, path: tuple[str, str, str]
) -> None:
    challenge, answer = world.to_secret(*path, user)
    world.cognito.admin_disable_user(UserPoolId=world.pool.pool_id, Username=user.username)
    assert _error(lambda: answer(challenge, True)) == DISABLED


# -- one answer, once ---------------------------------------------------------------------------


def _race(call: Callable[[], Any], threads: int = 10) -> list[Any]:
    results: list[Any] = [None] * threads
    start = threading.Barrier(threads)

    def run(index: int) -> None:
        start.wait()
        try:
            results[index] = call()
        except ClientError as error:
            results[index] = error.response["Error"]["Code"]

    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return results


@pytest.mark.parametrize("path", ANSWERED, ids=_label)
def test_one_answer_racing_on_ten_threads_signs_in_once(
    world: World, user: SandboxUser, path: tuple[str, str, str]
) -> None:
    challenge, answer = world.to_secret(*path, user)
    results = _race(lambda: answer(challenge, True))
    signed_in = [r for r in results if isinstance(r, dict) and "AuthenticationResult" in r]
    assert len(signed_in) == 1, results


# -- every challenge: one answer racing on ten threads moves the sign-in on once -----------------


@pytest.fixture(scope="module")
def mfa_world(sandbox: Sandbox) -> World:
    return World.make(sandbox, mfa="ON")


def _prefer(world: World, name: str, **settings: dict[str, bool]) -> None:
    world.cognito.admin_set_user_mfa_preference(
        UserPoolId=world.pool.pool_id, Username=name, **settings
    )


def _password_first(world: World, name: str, password: str) -> dict[str, Any]:
    who = SandboxUser(name, password, world.pool.pool_id)
    return world.initiate("USER_PASSWORD_AUTH", who, PASSWORD=password)


def _mfa_code(challenge: str) -> Callable[[World, SandboxUser], tuple[dict[str, Any], Any]]:
    factor = {"SMS_MFA": "SMSMfaSettings", "EMAIL_OTP": "EmailMfaSettings"}

    def drive(world: World, user: SandboxUser) -> tuple[dict[str, Any], Any]:
        if challenge == "SOFTWARE_TOKEN_MFA":
            setting = "SoftwareTokenMfaSettings"
            token = world.sandbox.issue_token(world.pool, user.username)
            world.cognito.associate_software_token(AccessToken=token)
            code = world.sandbox.totp_code(world.pool, user.username)
            world.cognito.verify_software_token(AccessToken=token, UserCode=code)
        else:
            setting = factor[challenge]
        _prefer(world, user.username, **{setting: {"Enabled": True, "PreferredMfa": True}})
        asked = world.initiate("USER_PASSWORD_AUTH", user, PASSWORD=user.password)
        assert asked["ChallengeName"] == challenge, asked
        if challenge == "SOFTWARE_TOKEN_MFA":
            code = world.sandbox.totp_code(world.pool, user.username)
        else:
            channel = "SMS" if challenge == "SMS_MFA" else "EMAIL"
            code = world.sandbox.latest_code(user.username, channel, world.pool)
        return asked, {f"{challenge}_CODE": code}

    return drive


def _select_mfa_type(world: World, user: SandboxUser) -> tuple[dict[str, Any], Any]:
    on = {"Enabled": True, "PreferredMfa": False}
    _prefer(world, user.username, SMSMfaSettings=on, EmailMfaSettings=on)
    asked = world.initiate("USER_PASSWORD_AUTH", user, PASSWORD=user.password)
    assert asked["ChallengeName"] == "SELECT_MFA_TYPE", asked
    return asked, {"ANSWER": "SMS_MFA"}


def _select_challenge(world: World, user: SandboxUser) -> tuple[dict[str, Any], Any]:
    asked = world.initiate("USER_AUTH", user)
    return asked, {"ANSWER": "EMAIL_OTP"}


def _new_password(world: World, user: SandboxUser) -> tuple[dict[str, Any], Any]:
    name = user.username + "new"
    world.cognito.admin_create_user(
        UserPoolId=world.pool.pool_id,
        Username=name,
        TemporaryPassword="Temp-Passw0rd!",
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "phone_number", "Value": "+15555550123"}],
    )
    asked = _password_first(world, name, "Temp-Passw0rd!")
    assert asked["ChallengeName"] == "NEW_PASSWORD_REQUIRED", asked
    return asked, {"USERNAME": name, "NEW_PASSWORD": "New-Passw0rd-1!"}


def _mfa_setup(world: World, user: SandboxUser) -> tuple[dict[str, Any], Any]:
    name = user.username + "setup"
    made = world.sandbox.create_user(world.pool, name, phone=None, email=None)
    asked = _password_first(world, name, made.password)
    assert asked["ChallengeName"] == "MFA_SETUP", asked
    associated = world.cognito.associate_software_token(Session=asked["Session"])
    code = world.sandbox.totp_code(world.pool, name)
    verified = world.cognito.verify_software_token(Session=associated["Session"], UserCode=code)
    return {**asked, "Session": verified["Session"]}, {"USERNAME": name}


#: How to reach each challenge the machine answers, outside the first-factor paths.
CHALLENGE_DRIVERS: dict[str, Callable[[World, SandboxUser], tuple[dict[str, Any], Any]]] = {
    "SMS_MFA": _mfa_code("SMS_MFA"),
    "EMAIL_OTP": _mfa_code("EMAIL_OTP"),
    "SOFTWARE_TOKEN_MFA": _mfa_code("SOFTWARE_TOKEN_MFA"),
    "SELECT_MFA_TYPE": _select_mfa_type,
    "SELECT_CHALLENGE": _select_challenge,
    "NEW_PASSWORD_REQUIRED": _new_password,
    "MFA_SETUP": _mfa_setup,
}
#: Challenges whose race the first-factor paths already run (their last answer).
RACED_ON_PATHS = {
    "PASSWORD",
    "PASSWORD_VERIFIER",
    "SMS_OTP",
    "WEB_AUTHN",
    "DEVICE_PASSWORD_VERIFIER",
}


def test_every_challenge_of_the_machine_is_driven() -> None:
    assert set(CHALLENGE_DRIVERS) | RACED_ON_PATHS | {"DEVICE_SRP_AUTH"} == set(ANSWERS)


@pytest.mark.parametrize("challenge", sorted(CHALLENGE_DRIVERS))
def test_one_answer_to_each_challenge_racing_on_ten_threads_moves_on_once(
    sandbox: Sandbox, world: World, mfa_world: World, challenge: str
) -> None:
    place = world if challenge == "SELECT_CHALLENGE" else mfa_world
    user = place.user(f"race{next(_count)}")
    asked, answers = CHALLENGE_DRIVERS[challenge](place, user)
    answers = {"USERNAME": user.username, **answers}
    results = _race(
        lambda: place.cognito.respond_to_auth_challenge(
            ClientId=place.pool.client_id,
            ChallengeName=asked["ChallengeName"],
            Session=asked["Session"],
            ChallengeResponses=answers,
        )
    )
    moved_on = [r for r in results if isinstance(r, dict)]
    assert len(moved_on) == 1, results


def test_one_device_srp_answer_racing_on_ten_threads_moves_on_once(
    world: World, user: SandboxUser
) -> None:
    device = world.devices[user.username]
    _prefer(world, user.username, SMSMfaSettings={"Enabled": True, "PreferredMfa": True})
    first = world.initiate(
        "USER_PASSWORD_AUTH", user, PASSWORD=user.password, DEVICE_KEY=device.device_key
    )
    assert first["ChallengeName"] == "DEVICE_SRP_AUTH"
    srp = SrpProof(world.pool.pool_id, world.pool.client_id, user.username, device=device)
    start = srp.answer("DEVICE_SRP_AUTH", first["ChallengeParameters"])
    results = _race(lambda: world.answer(user, first, **start))
    assert len([r for r in results if isinstance(r, dict)]) == 1, results


# -- abandoned sign-ins leave nothing behind ------------------------------------------------------


def _call(sandbox: Sandbox, operation: str, body: dict[str, Any]) -> dict[str, Any]:
    """One request straight to the sandbox's WSGI app (no socket: thousands stay fast)."""
    raw = json.dumps(body).encode()
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/",
        "CONTENT_LENGTH": str(len(raw)),
        "CONTENT_TYPE": "application/x-amz-json-1.1",
        "HTTP_X_AMZ_TARGET": f"AWSCognitoIdentityProviderService.{operation}",
        "wsgi.input": io.BytesIO(raw),
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "0",
        "wsgi.url_scheme": "http",
    }
    status: list[str] = []
    chunks = sandbox.wsgi_app(environ, lambda s, h, e=None: status.append(s))
    answer: dict[str, Any] = json.loads(b"".join(chunks) or b"{}")
    return answer


def _sandbox_objects() -> int:
    """How many objects of the sandbox's own classes are alive."""
    gc.collect()
    return sum(1 for o in gc.get_objects() if _ours(type(o)))


def _ours(kind: type) -> bool:
    """A class of the sandbox's, except the outbox's records (kept an hour, bounded) and the
    auth events (kept per user, bounded by ``MAX_EVENTS``: a completed sign-in records one)."""
    module = vars(kind).get("__module__")
    ours = isinstance(module, str) and module.startswith("mfa_widgets.sandbox")
    return ours and kind not in (Delivery, AuthEvent)


#: Abandoned sign-ins of each kind (ten kinds: 2,000 in all; the last completes each one and
#: leaves its new device unconfirmed).
ABANDONED = 200


def test_thousands_of_abandoned_sign_ins_of_each_kind_leave_nothing_behind(
    sandbox: Sandbox, world: World, mfa_world: World
) -> None:
    user = world.user(f"abandon{next(_count)}")
    roaming = world.user(f"abandon{next(_count)}")  # signs in, never confirms the device
    mfa_user = mfa_world.user(f"abandon{next(_count)}")
    _prefer(mfa_world, mfa_user.username, SMSMfaSettings={"Enabled": True, "PreferredMfa": True})
    srp_a = SrpProof(world.pool.pool_id, world.pool.client_id, user.username, "x").srp_a
    device = world.devices[user.username]

    def start(place: World, who: SandboxUser, flow: str, **parameters: str) -> dict[str, Any]:
        return _call(
            sandbox,
            "InitiateAuth",
            {
                "ClientId": place.pool.client_id,
                "AuthFlow": flow,
                "AuthParameters": {"USERNAME": who.username, **parameters},
            },
        )

    kinds: dict[str, Callable[[], dict[str, Any]]] = {
        "USER_SRP_AUTH": lambda: start(world, user, "USER_SRP_AUTH", SRP_A=srp_a),
        "SELECT_CHALLENGE": lambda: start(world, user, "USER_AUTH"),
        "PASSWORD": lambda: start(world, user, "USER_AUTH", PREFERRED_CHALLENGE="PASSWORD"),
        "PASSWORD_SRP": lambda: start(
            world, user, "USER_AUTH", PREFERRED_CHALLENGE="PASSWORD_SRP", SRP_A=srp_a
        ),
        "EMAIL_OTP": lambda: start(world, user, "USER_AUTH", PREFERRED_CHALLENGE="EMAIL_OTP"),
        "SMS_OTP": lambda: start(world, user, "USER_AUTH", PREFERRED_CHALLENGE="SMS_OTP"),
        "WEB_AUTHN": lambda: start(world, user, "USER_AUTH", PREFERRED_CHALLENGE="WEB_AUTHN"),
        "SMS_MFA": lambda: start(
            mfa_world, mfa_user, "USER_PASSWORD_AUTH", PASSWORD=mfa_user.password
        ),
        "DEVICE_SRP_AUTH": lambda: start(
            mfa_world,
            mfa_user,
            "USER_PASSWORD_AUTH",
            PASSWORD=mfa_user.password,
            DEVICE_KEY=mfa_world.devices[mfa_user.username].device_key,
        ),
        "NEW_DEVICE": lambda: start(
            world, roaming, "USER_PASSWORD_AUTH", PASSWORD=roaming.password
        ),
    }
    assert device.device_key  # the device path of the first pool is walked above

    def settle() -> int:
        sandbox.state.clock.advance(SESSION_SECONDS + 60)  # every open session expires
        kinds["SELECT_CHALLENGE"]()  # the next session sweeps the expired ones
        return _sandbox_objects()

    for name, kind in kinds.items():  # warm every path once
        assert _started(name, kind()), name
    before_sessions, before = sandbox.state.session_count(), settle()
    sends = {"EMAIL_OTP", "SMS_OTP", "SMS_MFA", "DEVICE_SRP_AUTH"}  # each start sends a code
    for name, kind in kinds.items():
        for _ in range(ABANDONED):
            answer = kind()
            # a code-sending start past the per-user send limit is refused, nothing sent
            refused = name in sends and answer.get("__type") == "LimitExceededException"
            assert refused or _started(name, answer), name
    after = settle()
    for who, place in ((user, world), (mfa_user, mfa_world)):
        sent = [
            d
            for d in sandbox.outbox
            if (d.username, d.pool_id) == (who.username, place.pool.pool_id)
        ]
        assert len(sent) <= MAX_SENDS_PER_USER  # the per-user send limit held
    assert sandbox.state.session_count() <= before_sessions + 1
    assert after - before < 50, (before, after)
    assert len(sandbox.outbox) <= MAX_RECORDS  # delivered codes: kept an hour, bounded
    found = world.cognito.admin_get_user(UserPoolId=world.pool.pool_id, Username=roaming.username)
    sub = next(a["Value"] for a in found["UserAttributes"] if a["Name"] == "sub")
    kept = sandbox.state.records.user(world.pool.pool_id, sub).devices.values()
    assert sum(not d.confirmed for d in kept) == MAX_UNCONFIRMED_DEVICES
    assert sum(d.confirmed for d in kept) == 1  # the device confirmed in World.user stays


def _started(kind: str, answer: dict[str, Any]) -> bool:
    """The sign-in of ``kind`` went as far as it should: a session, or tokens and a new device."""
    if kind == "NEW_DEVICE":
        return "NewDeviceMetadata" in answer.get("AuthenticationResult", {})
    return "Session" in answer


def test_issued_tokens_are_dropped_when_their_time_comes() -> None:
    with Sandbox() as own:  # its own moto account: moving its tokens' time touches no other test
        place = World.make(own)
        user = place.user("tokens")
        before = own.bridge.token_count()
        for _ in range(20):
            place.sign_in(("USER_PASSWORD_AUTH", "PASSWORD", ""), user)
        assert own.bridge.token_count() == before + 60  # access, ID and refresh tokens
        # two hours on: access and ID tokens went (an hour valid, an hour known as expired)
        own.bridge.sweep_tokens(now=time.time() + 2 * 3600 + 60)
        assert own.bridge.token_count() <= before + 20
        # 30 days on (the app client's RefreshTokenValidity default): refresh tokens went too
        own.bridge.sweep_tokens(now=time.time() + 31 * 86400)
        assert own.bridge.token_count() == 0


#: How long the test holds the window after each lockout check (the store's hook below).
HOLD_SECONDS = 0.02


def test_wrong_codes_racing_on_one_session_are_counted_one_by_one(
    mfa_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sixteen wrong codes sent at once on one session: counted as if sent one by one.

    The window is held open: every lockout check sleeps :data:`HOLD_SECONDS` after it decides,
    as a slow machine would between the check and the count. Where the check, the code check and
    the count are separate steps, every thread passes the check before any failure is counted
    (the pre-change code, 9070364, answered 16 ``CodeMismatchException`` of 16, in 10 runs of 10);
    in one critical section the sleep holds the lock and the answers stay as if sent in turn.
    """
    check = Lockout.check

    def held(self: Lockout, key: tuple[str, str]) -> None:
        check(self, key)
        time.sleep(HOLD_SECONDS)

    monkeypatch.setattr(Lockout, "check", held)
    user = mfa_world.user(f"codes{next(_count)}")
    _prefer(mfa_world, user.username, SMSMfaSettings={"Enabled": True, "PreferredMfa": True})
    asked = mfa_world.initiate("USER_PASSWORD_AUTH", user, PASSWORD=user.password)
    code = mfa_world.sandbox.latest_code(user.username, "SMS", mfa_world.pool)
    wrong = str((int(code) + 1) % 10**6).zfill(6)
    results = _race(lambda: mfa_world.answer(user, asked, SMS_MFA_CODE=wrong), threads=16)
    # as if sent one by one: four mismatches, then the fifth locks the user out
    assert results.count("CodeMismatchException") == FREE_FAILURES - 1, results
