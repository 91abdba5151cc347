"""The challenge explorer: sweep preference scenarios against a backend and compare challenges.

For each :class:`Scenario` (pool MFA mode x the user's factor states x attributes) the explorer
prepares a user, applies the preference through :class:`~mfa_widgets.services.client.MfaClient`
(the admin
API, so no token is needed), signs in, and records the challenge the core predicted next to the
one the backend returned.

The 2026 surface is opt-in (:func:`surface_scenarios`, keys of their own so the default sweep's
keys never change): the flow (the password flow, or ``USER_AUTH`` with each
``PREFERRED_CHALLENGE`` or none, which asks for ``SELECT_CHALLENGE``), passkey MFA off/on for a
user with a passkey registered from the software authenticator (pools with
``MULTI_FACTOR_WITH_USER_VERIFICATION``), and a pool that remembers devices, signing in without a
device or from a confirmed one. :func:`~mfa_widgets.core.user_auth.predict_user_auth` predicts
the choice-based cells; a passkey first factor is answered and labelled ``"WEB_AUTHN > NONE"``,
``PASSWORD_SRP`` answers ``PASSWORD_VERIFIER`` with a real SRP claim (``"PASSWORD_VERIFIER >
SMS_MFA"``), and a remembered device is followed through its own SRP to the tokens
(``"DEVICE_SRP_AUTH > DEVICE_PASSWORD_VERIFIER > NONE"``); the SRP values are pycognito's.

Throughput: every call (the set-up calls too) is paced by a client-side
:class:`~mfa_widgets.services.pacing.QuotaPacer` set to Cognito's quotas (preference writes and
authenticator registration 25 requests/s, sign-in 120 requests/s), and enough scenarios run at
once to keep the write quota busy while each waits on the network
(:func:`~mfa_widgets.services.pacing.workers_for`), so a sweep against real Cognito runs at the
quota without throttling errors.

Resume: a scenario's log rows are appended to the log together when it finishes (with the
scenario's key), so with an autosaved log an interrupted sweep resumes by skipping the scenarios
already in the file. A scenario cut off half way left no rows and runs again: nothing is lost
and nothing is logged twice.
"""

from __future__ import annotations

import html
import itertools
import secrets
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal, Protocol

from mfa_widgets.core.challenges import (
    PoolMfaConfig,
    PoolMfaMode,
    Prediction,
    SignInContext,
    UserMfaFacts,
    parse_factors,
    predict_challenge,
)
from mfa_widgets.core.errors import ArgumentTypeError, MfaPreferenceError
from mfa_widgets.core.extras import require_extra
from mfa_widgets.core.labels import observed_label, prediction_label
from mfa_widgets.core.preferences import Factor, FactorState, MfaPreference
from mfa_widgets.core.requests import PASSWORD_AUTH_FLOWS, contact_attributes, mfa_config_request
from mfa_widgets.core.results import SignInAttempt, Tokens
from mfa_widgets.core.totp import totp_code
from mfa_widgets.core.user_auth import (
    POOL_FIRST_FACTORS,
    ChoicePool,
    ChoiceUser,
    predict_user_auth,
)
from mfa_widgets.core.validation import need_flag, need_instance, need_job_options
from mfa_widgets.services.client import MfaClient
from mfa_widgets.services.log import LogEvent, MfaLog
from mfa_widgets.services.pacing import QUOTAS, QuotaPacer, run_bounded, workers_for
from mfa_widgets.services.progress import progress_for
from mfa_widgets.services.srp import DeviceSecret, SrpProof, new_device_secret

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Explorer",
    "PreparedUser",
    "Provisioner",
    "Scenario",
    "ScenarioOutcome",
    "WireProvisioner",
    "challenge_matrix",
    "default_scenarios",
    "matrix_html",
    "plot_matrix",
    "surface_scenarios",
]

ALL_FACTORS = frozenset(Factor)
#: Round trips one scenario makes one after another (create, password, attributes, write,
#: read-back, sign-in; more to register an authenticator): sizes the default thread count.
ROUND_TRIPS_PER_SCENARIO = 8
SWEEP_PHONE = "+15555550100"  # a fictional number (555-01xx)
_SHORT = {FactorState.DISABLED: "-", FactorState.ENABLED: "on", FactorState.PREFERRED: "PREF"}
#: The password flow (``USER_PASSWORD_AUTH``) and choice-based sign-in (``USER_AUTH``).
PASSWORD_FLOW, CHOICE_FLOW = "USER_PASSWORD_AUTH", "USER_AUTH"
#: The SRP password flow: the one AWS documents for device tracking (remembered devices).
SRP_FLOW = "USER_SRP_AUTH"
#: ``PREFERRED_CHALLENGE`` values the surface sweep sends (``None``: ``SELECT_CHALLENGE``).
#: ``PASSWORD_SRP`` sends a real ``SRP_A`` and answers ``PASSWORD_VERIFIER`` with a real claim
#: (:mod:`mfa_widgets.services.srp`, pycognito's SRP).
SWEPT_CHALLENGES = (None, "PASSWORD", "PASSWORD_SRP", "WEB_AUTHN", "EMAIL_OTP", "SMS_OTP")
#: A remembered device's sign-in after the password, to its end (the device-tracking guide).
DEVICE_STEPS = ("DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER", "NONE")
#: The relying party of the sweep's passkey pools and the origin of its software authenticator.
PASSKEY_RP, PASSKEY_ORIGIN = "localhost", "http://localhost"
#: The WebAuthn configuration of a surface pool: passkey MFA possible (rule F).
SURFACE_WEBAUTHN = {
    "RelyingPartyId": PASSKEY_RP,
    "UserVerification": "required",
    "FactorConfiguration": "MULTI_FACTOR_WITH_USER_VERIFICATION",
}
#: Remember every confirmed device (no user prompt); new devices still need MFA.
REMEMBER_DEVICES = {"ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": False}


@dataclass(frozen=True)
class Scenario:
    """One point of the sweep: a pool mode and factors, a preference, the user's attributes."""

    mode: PoolMfaMode
    preference: MfaPreference
    has_phone: bool = True
    has_email: bool = True
    pool_factors: frozenset[Factor] = ALL_FACTORS
    #: ``None``: the password flow in a plain pool (the default sweep); :data:`PASSWORD_FLOW` or
    #: :data:`CHOICE_FLOW` (``USER_AUTH``): that flow in a pool allowing every first factor.
    flow: str | None = None
    #: ``PREFERRED_CHALLENGE`` of a ``USER_AUTH`` sign-in; ``None`` asks for SELECT_CHALLENGE.
    preferred_challenge: str | None = None
    #: ``None``: no passkey; ``False``/``True``: a registered passkey, passkey MFA off/on.
    passkey_mfa: bool | None = None
    #: ``None``: the pool tracks no devices; ``False``/``True``: it remembers devices and the
    #: sign-in presents no device / a confirmed, remembered device (answering DEVICE_SRP_AUTH
    #: and DEVICE_PASSWORD_VERIFIER with the device's real SRP proof).
    remembered_device: bool | None = None

    @property
    def surface(self) -> bool:
        """True for a scenario of the 2026 surface (choice flow, passkey or device dimension)."""
        return bool(self.variant)

    @property
    def variant(self) -> str:
        """The 2026-surface dimensions as a short label; ``""`` for a password-flow scenario."""
        parts = []
        if self.flow == CHOICE_FLOW:
            parts.append(f"{self.flow}>{self.preferred_challenge or 'SELECT_CHALLENGE'}")
        elif self.flow is not None:
            parts.append(self.flow)
        if self.passkey_mfa is not None:
            parts.append(f"passkey-MFA:{'on' if self.passkey_mfa else 'off'}")
        if self.remembered_device is not None:
            parts.append(f"device:{'remembered' if self.remembered_device else 'none'}")
        return " ".join(parts)

    @property
    def needs_tokens(self) -> bool:
        """Preparing the user needs a signed-in session (to register a passkey or a device)."""
        return self.passkey_mfa is not None or self.remembered_device is not None

    @property
    def totp_registered(self) -> bool:
        """Users whose preference enables TOTP get a registered authenticator first."""
        return Factor.TOTP in self.preference.enabled

    @property
    def combination(self) -> str:
        """The preference as a short label, e.g. ``"SMS:PREF TOTP:on EMAIL:-"``."""
        return " ".join(f"{f.name}:{_SHORT[s or FactorState.DISABLED]}" for f, s in self.preference)

    @property
    def attributes(self) -> str:
        """The user's attributes, e.g. ``"phone+email"``."""
        present = [
            name for name, has in (("phone", self.has_phone), ("email", self.has_email)) if has
        ]
        return "+".join(present) or "no phone/email"

    @property
    def pool(self) -> PoolMfaConfig:
        """The pool the scenario runs in: its MFA mode and offered factors (default plan)."""
        return PoolMfaConfig(
            mode=self.mode,
            factors=self.pool_factors,
            device_remembering=self.remembered_device is not None,
        )

    def contact_attributes(self, username: str) -> list[dict[str, str]]:
        """The phone number and email address the scenario's user has (verified)."""
        return contact_attributes(
            SWEEP_PHONE if self.has_phone else None,
            f"{username}@example.com" if self.has_email else None,
        )

    @property
    def key(self) -> str:
        """A stable identifier used to resume a sweep."""
        factors = ",".join(sorted(f.name for f in self.pool_factors))
        key = f"{self.mode.value}[{factors}] {self.combination} ({self.attributes})"
        return f"{key} | {self.variant}" if self.variant else key  # old keys stay as they were

    @property
    def request(self) -> MfaPreference:
        """The preference to write: the scenario's, with passkey MFA when the scenario sets it."""
        if self.passkey_mfa is None:
            return self.preference
        return replace(self.preference, webauthn=self.passkey_mfa)

    def facts(self, state: MfaPreference | None = None) -> UserMfaFacts:
        """The user facts the core predicts from (``state`` read back from the server wins)."""
        return UserMfaFacts(
            preference=state or self.preference,
            totp_registered=self.totp_registered,
            has_phone=self.has_phone,
            has_email=self.has_email,
        )

    def predict(self, state: MfaPreference | None = None) -> tuple[Prediction, str]:
        """The core's prediction of the scenario's sign-in and its cell label.

        The password flow is :func:`~mfa_widgets.core.challenges.predict_challenge` (with the
        remembered device, if any); ``USER_AUTH`` is
        :func:`~mfa_widgets.core.user_auth.predict_user_auth`. A passkey first factor is
        followed to its end, labelled ``"WEB_AUTHN > NONE"`` (or ``> ERROR``);
        ``SELECT_CHALLENGE`` carries its ``AvailableChallenges``, e.g.
        ``"SELECT_CHALLENGE [PASSWORD,PASSWORD_SRP,WEB_AUTHN]"``.
        """
        facts = self.facts(state)
        context = SignInContext(remembered_device=bool(self.remembered_device))
        if self.flow != CHOICE_FLOW:
            prediction = predict_challenge(self.pool, facts, context)
            label = prediction_label(prediction)
            if label == DEVICE_STEPS[0]:  # followed to its end: the device's SRP, then tokens
                label = " > ".join(DEVICE_STEPS)
            if self.flow == SRP_FLOW:  # the password is proven first (PASSWORD_VERIFIER)
                label = f"PASSWORD_VERIFIER > {label}"
            return prediction, label
        pool = ChoicePool(self.pool, frozenset(POOL_FIRST_FACTORS), passkey_mfa=True)
        user = ChoiceUser(facts, self.passkey_mfa is not None, bool(self.passkey_mfa))
        choice = predict_user_auth(pool, user, self.preferred_challenge, context)
        label = _with_options(prediction_label(choice.initiate), choice.initiate.options)
        if choice.chosen in _FOLLOWED and choice.then is not None:
            label = f"{label} > {prediction_label(choice.then)}"
        return choice.initiate, label


def valid_preferences(
    offered: Iterable[Factor] = ALL_FACTORS, *, has_phone: bool = True, has_email: bool = True
) -> list[MfaPreference]:
    """Every complete preference Cognito accepts for such a pool and user (20 of 27 at most).

    At most one factor is preferred, and only factors the user can enable are enabled: the pool
    offers them, and SMS needs a phone number, email an email address.
    """
    usable = set(offered)
    if not has_phone:
        usable.discard(Factor.SMS)
    if not has_email:
        usable.discard(Factor.EMAIL)
    found = []
    for states in itertools.product(FactorState, repeat=len(Factor)):
        single = sum(s is FactorState.PREFERRED for s in states) <= 1
        allowed = all(f in usable or not s.enabled for f, s in zip(Factor, states, strict=True))
        if single and allowed:
            sms, totp, email = states
            found.append(MfaPreference(sms=sms, totp=totp, email=email))
    return found


def default_scenarios(
    modes: Iterable[PoolMfaMode | str] = (PoolMfaMode.OPTIONAL, PoolMfaMode.ON),
    pool_factors: Iterable[Factor | str] = ALL_FACTORS,
    attributes: Iterable[tuple[bool, bool]] = ((True, True),),
) -> list[Scenario]:
    """Every valid preference combination under each pool mode (40 scenarios by default).

    Preferences the pool or the user cannot have (a factor the pool does not offer, SMS without
    a phone number, email without an address) are left out: Cognito refuses to set them.

    Parameters
    ----------
    modes
        Pool MFA modes to sweep.
    pool_factors
        The factors every pool offers.
    attributes
        ``(has_phone, has_email)`` pairs to sweep.
    """
    fix = "pass e.g. modes=['OPTIONAL', 'ON'], attributes=[(True, True)]"
    offered = parse_factors(pool_factors)
    chosen = [
        PoolMfaConfig(mode=mode).mode for mode in _all_of(modes, (str, PoolMfaMode), "modes", fix)
    ]
    pairs = _all_of(attributes, tuple, "attributes", fix)
    if not all(len(p) == 2 and all(isinstance(x, bool) for x in p) for p in pairs):
        raise MfaPreferenceError(f"attributes are (has_phone, has_email) pairs of booleans: {fix}")
    return [
        Scenario(mode, preference, phone, email, offered)
        for mode in chosen
        for phone, email in pairs
        for preference in valid_preferences(offered, has_phone=phone, has_email=email)
    ]


_OFF = FactorState.DISABLED
#: The preferences of the surface sweep: none, SMS preferred, TOTP on, TOTP preferred + email.
SURFACE_PREFERENCES = (
    MfaPreference(sms=_OFF, totp=_OFF, email=_OFF),
    MfaPreference(sms=FactorState.PREFERRED, totp=_OFF, email=_OFF),
    MfaPreference(sms=_OFF, totp=FactorState.ENABLED, email=_OFF),
    MfaPreference(sms=_OFF, totp=FactorState.PREFERRED, email=FactorState.ENABLED),
)


def surface_scenarios(
    modes: Iterable[PoolMfaMode | str] = (PoolMfaMode.OPTIONAL, PoolMfaMode.ON),
    preferences: Iterable[MfaPreference] = SURFACE_PREFERENCES,
    *,
    flows: bool = True,
    passkey_mfa: bool = True,
    remembered_device: bool = True,
) -> list[Scenario]:
    """The sweep's 2026 dimensions, opt-in next to :func:`default_scenarios` (80 by default).

    Every pool offers SMS, TOTP and email, allows every first factor and passkey MFA
    (``MULTI_FACTOR_WITH_USER_VERIFICATION``); users have a phone number and an email address.

    Parameters
    ----------
    modes
        Pool MFA modes to sweep.
    preferences
        The users' MFA preferences.
    flows
        The flow dimension: the password flow, and ``USER_AUTH`` with no
        ``PREFERRED_CHALLENGE`` (SELECT_CHALLENGE) and with each of :data:`SWEPT_CHALLENGES`.
    passkey_mfa
        For preferences that enable TOTP (passkey MFA needs another method): a user with a
        passkey, passkey MFA off and on, signing in with ``USER_AUTH`` (SELECT_CHALLENGE, a
        preferred passkey, a preferred password).
    remembered_device
        For preferences that enable TOTP: a pool that remembers devices, signing in without a
        device and from a confirmed, remembered device, with the password flow and with
        ``USER_SRP_AUTH`` (the flow AWS documents for device tracking; the other is inferred).
    """
    fix = "pass e.g. surface_scenarios(['OPTIONAL', 'ON'], [MfaPreference(totp='enabled')])"
    chosen = [
        PoolMfaConfig(mode=mode).mode for mode in _all_of(modes, (str, PoolMfaMode), "modes", fix)
    ]
    wanted = _all_of(preferences, MfaPreference, "preferences", fix)
    for flag, name in (
        (flows, "flows"),
        (passkey_mfa, "passkey_mfa"),
        (remembered_device, "remembered_device"),
    ):
        need_flag(flag, name)
    with_totp = [p for p in wanted if Factor.TOTP in p.enabled]
    found: list[Scenario] = []
    for mode in chosen:
        base = Scenario(mode, MfaPreference())
        if flows:
            found += [
                replace(
                    base,
                    preference=p,
                    flow=PASSWORD_FLOW if c == "" else CHOICE_FLOW,
                    preferred_challenge=c or None,
                )
                for p in wanted
                for c in ("", *SWEPT_CHALLENGES)
            ]
        if passkey_mfa:
            found += [
                replace(base, preference=p, flow=CHOICE_FLOW, preferred_challenge=c, passkey_mfa=on)
                for p in with_totp
                for on in (False, True)
                for c in (None, "WEB_AUTHN", "PASSWORD")
            ]
        if remembered_device:
            found += [
                replace(base, preference=p, flow=flow, remembered_device=on)
                for flow in (PASSWORD_FLOW, SRP_FLOW)
                for p in with_totp
                for on in (False, True)
            ]
    return found


@dataclass(frozen=True)
class PreparedUser:
    """A user ready for one scenario; the password stays out of ``repr``."""

    pool_id: str
    client_id: str
    username: str
    password: str = field(repr=False)
    pool: PoolMfaConfig = field(default_factory=PoolMfaConfig)
    #: The confirmed device of a remembered-device scenario.
    device_key: str = field(default="", repr=False)
    #: Its keys and device password (the SRP proof of ``DEVICE_SRP_AUTH``).
    device: DeviceSecret | None = field(default=None, repr=False)
    #: The software authenticator holding the user's passkey (passkey scenarios).
    authenticator: Any = field(default=None, repr=False)


class Provisioner(Protocol):
    """Prepares pools and users for scenarios on some backend."""

    def prepare(self, scenario: Scenario, index: int) -> PreparedUser:
        """Create (or reuse) a pool for the scenario and a fresh user in it."""


class WireProvisioner:
    """Prepares scenarios over the wire with :class:`MfaClient`: works on any endpoint.

    One pool per (mode, factors), with an app client allowing the password flows, and one fresh
    user per scenario. A user whose scenario enables TOTP registers an authenticator the way a
    person would: signs in (in an ON pool, through the ``MFA_SETUP`` challenge), associates,
    and verifies a code computed from the secret; the phone number and email are added after.
    """

    def __init__(self, client: MfaClient, prefix: str = "sweep") -> None:
        self._client = client.with_log(None)
        self._prefix = prefix
        self._pools: dict[_PoolKey, PreparedUser] = {}
        self._lock = threading.Lock()
        self._pool_locks: dict[_PoolKey, threading.Lock] = {}

    def _pool(self, scenario: Scenario) -> PreparedUser:
        key = (
            scenario.mode,
            scenario.pool_factors,
            scenario.surface,
            scenario.remembered_device is not None,
        )
        with self._lock:  # one lock per pool: the pools of a sweep are created in parallel
            pool_lock = self._pool_locks.setdefault(key, threading.Lock())
        with pool_lock:
            if key not in self._pools:
                self._pools[key] = self._create_pool(scenario)
            return self._pools[key]

    def _create_pool(self, scenario: Scenario) -> PreparedUser:
        call = self._client.call
        name = f"{self._prefix}-{scenario.mode.value.lower()}"
        config = scenario.pool
        surface: dict[str, Any] = {}
        flows = list(PASSWORD_AUTH_FLOWS)
        if scenario.surface:  # every first factor, passkey MFA possible, devices remembered
            surface["Policies"] = {"SignInPolicy": {"AllowedFirstAuthFactors": POOL_FIRST_FACTORS}}
            flows.append("ALLOW_USER_AUTH")
        if config.device_remembering:
            surface["DeviceConfiguration"] = REMEMBER_DEVICES
        created = call("CreateUserPool", PoolName=name, UserPoolTier=config.tier.value, **surface)
        pool_id = created.raise_for_error().data["response"]["UserPool"]["Id"]
        request = mfa_config_request(pool_id, config)
        if scenario.surface:
            request["WebAuthnConfiguration"] = SURFACE_WEBAUTHN
        call("SetUserPoolMfaConfig", **request).raise_for_error()
        app = call(
            "CreateUserPoolClient",
            UserPoolId=pool_id,
            ClientName=f"{name}-app",
            ExplicitAuthFlows=flows,
        ).raise_for_error()
        client_id = app.data["response"]["UserPoolClient"]["ClientId"]
        return PreparedUser(pool_id, client_id, "", "", config)

    def prepare(self, scenario: Scenario, index: int) -> PreparedUser:
        """Create the scenario's user: attributes as the scenario says, TOTP registered."""
        pool = self._pool(scenario)
        username = f"{self._prefix}-{index:04d}-{secrets.token_hex(3)}"
        password = f"Sweep-{secrets.token_urlsafe(12)}9!"
        call = self._client.call
        call(
            "AdminCreateUser", UserPoolId=pool.pool_id, Username=username, MessageAction="SUPPRESS"
        ).raise_for_error()
        call(
            "AdminSetUserPassword",
            UserPoolId=pool.pool_id,
            Username=username,
            Password=password,
            Permanent=True,
        ).raise_for_error()
        tokens = None
        if scenario.totp_registered:
            tokens = self._register_totp(pool, username, password)
        if scenario.needs_tokens and tokens is None:
            tokens = self._signed_in(pool, username, password)
        prepared = replace(pool, username=username, password=password)
        if tokens is not None and scenario.needs_tokens:
            prepared = self._passkey_and_device(scenario, prepared, tokens)
        attributes = scenario.contact_attributes(username)
        if attributes:
            call(
                "AdminUpdateUserAttributes",
                UserPoolId=pool.pool_id,
                Username=username,
                UserAttributes=attributes,
            ).raise_for_error()
        return prepared

    def _signed_in(self, pool: PreparedUser, username: str, password: str) -> Tokens:
        """Sign in before any MFA is set up (an OPTIONAL or OFF pool answers with tokens)."""
        attempt = self._client.sign_in(pool.client_id, username, password)
        if attempt.error:
            raise attempt.error
        if attempt.tokens is None:
            raise ValueError(
                f"the user must sign in to register a passkey or device, but Cognito asked for "
                f"{attempt.challenge}: in an ON pool, use a preference that enables TOTP"
            )
        return attempt.tokens

    def _passkey_and_device(
        self, scenario: Scenario, user: PreparedUser, tokens: Tokens
    ) -> PreparedUser:
        """Register a passkey (software authenticator) and confirm the sign-in's device."""
        client = self._client
        if scenario.passkey_mfa is not None:
            # Imported here: the authenticator needs cryptography (the sandbox extra), and the
            # default sweep must run on a core install.
            from mfa_widgets.services.passkey_authenticator import SoftwareAuthenticator

            authenticator = SoftwareAuthenticator(PASSKEY_ORIGIN)
            client.register_passkey(tokens.access_token, authenticator).raise_for_error()
            user = replace(user, authenticator=authenticator)
        if scenario.remembered_device is not None:
            if not tokens.device_key:
                raise ValueError("the pool remembers devices but the sign-in issued no device")
            device = new_device_secret(tokens.device_key, tokens.device_group_key)
            client.call(
                "ConfirmDevice",
                AccessToken=tokens.access_token,
                DeviceKey=tokens.device_key,
                DeviceSecretVerifierConfig=dict(device.verifier),
                DeviceName="sweep",
            ).raise_for_error()
            user = replace(user, device_key=tokens.device_key, device=device)
        return user

    def _register_totp(self, pool: PreparedUser, username: str, password: str) -> Tokens | None:
        """Register an authenticator; return the tokens of the sign-in it took."""
        client = self._client
        attempt = client.sign_in(pool.client_id, username, password)
        if attempt.error:
            raise attempt.error
        token = attempt.tokens.access_token if attempt.tokens else None
        session = None if token else attempt.session
        started = client.associate_totp(access_token=token, session=session).raise_for_error()
        enrollment = started.data["enrollment"]
        code = totp_code(enrollment.secret)
        verified = client.verify_totp(
            code, access_token=token, session=enrollment.session or None
        ).raise_for_error()
        if token is None:  # finish the MFA_SETUP sign-in so the registration sticks
            done = client.continue_setup(attempt, verified.data["session"])
            if done.error:
                raise done.error
            return done.tokens
        return attempt.tokens


@dataclass(frozen=True)
class ScenarioOutcome:
    """What one scenario gave: the prediction, the observed challenge, and any error."""

    scenario: Scenario
    predicted: str
    observed: str | None
    prediction: Prediction
    error: str | None = None

    @property
    def agrees(self) -> bool:
        """True when the backend returned the predicted challenge."""
        return self.observed == self.predicted


class Explorer:
    """Run scenarios against a backend, paced by Cognito's quotas, and log every call.

    Parameters
    ----------
    client
        The client used for every call (its log is not used: rows go to ``log``).
    provisioner
        Prepares pools and users; default :class:`WireProvisioner` on ``client``.
    log
        Receives every call's row, tagged with the scenario's key; with ``autosave`` it makes
        the sweep resumable.
    workers
        Scenarios in flight at once (default: enough to keep the write quota busy with 100 ms
        round trips, from the scenarios of each run; 19 for the default sweep at 25/s).
    write_rate, auth_rate
        Client-side limits in requests/s for the UserResourceUpdate category (preference writes,
        authenticator registration) and sign-in calls; ``0`` means unlimited.
    pacer
        Paces every call by its quota category (default: Cognito's quotas with the two rates
        above); pass one :class:`~mfa_widgets.services.pacing.QuotaPacer` to several jobs of one
        account and Region so they share the quotas.
    """

    def __init__(
        self,
        client: MfaClient,
        provisioner: Provisioner | None = None,
        log: MfaLog | None = None,
        *,
        workers: int | None = None,
        write_rate: float = QUOTAS["UserResourceUpdate"],
        auth_rate: float = QUOTAS["UserAuthentication"],
        pacer: QuotaPacer | None = None,
    ) -> None:
        need_instance(client, MfaClient, "client", "pass an MfaClient, e.g. for a sandbox")
        if log is not None:
            need_instance(log, MfaLog, "log", "pass an MfaLog, or None for a new one")
        need_job_options(workers=workers, rates={"write_rate": write_rate, "auth_rate": auth_rate})
        self.pacer = pacer or QuotaPacer(
            {"UserResourceUpdate": write_rate, "UserAuthentication": auth_rate}
        )
        self.write_limiter = self.pacer.limiter("UserResourceUpdate")
        self.auth_limiter = self.pacer.limiter("UserAuthentication")
        self.client = client.with_pacer(self.pacer)
        self.provisioner = provisioner or WireProvisioner(self.client)
        self.log = log if log is not None else MfaLog()
        self.workers = workers

    def done_keys(self) -> set[str]:
        """Keys of scenarios already completed in the log (used to resume)."""
        return {e.scenario for e in self.log.events if e.scenario and _is_final(e)}

    def run(
        self,
        scenarios: Sequence[Scenario] | None = None,
        *,
        progress: Callable[[int, int], None] | Literal[False] | None = None,
        resume: bool = True,
        stop: threading.Event | None = None,
    ) -> list[ScenarioOutcome]:
        """Run the scenarios (default: :func:`default_scenarios`) and return their outcomes.

        Parameters
        ----------
        scenarios
            What to sweep.
        progress
            Called as ``progress(done, total)`` after each scenario (from a worker thread).
            Default: a progress bar when a terminal or notebook shows it; ``False``: none.
        resume
            Skip scenarios whose final row is already in the log.
        stop
            When set, scenarios not yet started are skipped (those in flight finish), so the
            outcomes list only what ran.
        """
        need_job_options(workers=self.workers, rates={}, progress=progress, stop=stop)
        need_flag(resume, "resume")
        if scenarios is not None and (
            not isinstance(scenarios, Iterable)
            or isinstance(scenarios, str)
            or not all(isinstance(x, Scenario) for x in scenarios)
        ):
            raise ArgumentTypeError(
                "scenarios must be a list of Scenario (e.g. default_scenarios()), or None"
            )
        todo = list(scenarios if scenarios is not None else default_scenarios())
        skipped = self.done_keys() if resume else set()
        pending = [(i, s) for i, s in enumerate(todo) if s.key not in skipped]
        total, done = len(todo), len(todo) - len(pending)
        finished: list[tuple[int, ScenarioOutcome]] = []

        def work(item: tuple[int, Scenario]) -> ScenarioOutcome:
            try:
                return self._run_one(*item)
            except Exception as error:  # one broken scenario must not sink the sweep
                reason = f"unexpected {type(error).__name__}: {error}"
                return self._record_failure(item[1], MfaLog(), reason)

        shown, bar = progress_for(progress, "sweep", "scenario")

        def record(item: tuple[int, Scenario], outcome: ScenarioOutcome) -> None:
            nonlocal done  # run_bounded calls this under its lock, one scenario at a time
            finished.append((item[0], outcome))
            done += 1
            if shown:
                shown(done, total)

        if shown:
            shown(done, total)
        workers = self.workers or _workers_for([s for _, s in pending], self.write_limiter.rate)
        try:
            run_bounded(work, pending, workers=workers, on_done=record, stop=stop)
        finally:
            if bar is not None:
                bar.close()
        return [outcome for _, outcome in sorted(finished, key=lambda pair: pair[0])]

    def _run_one(self, index: int, scenario: Scenario) -> ScenarioOutcome:
        scratch = MfaLog()
        client = self.client.with_log(scratch)
        try:
            user = self.provisioner.prepare(scenario, index)
        except Exception as error:
            return self._record_failure(scenario, scratch, f"could not prepare the user: {error}")
        written = client.admin_set_preference(user.pool_id, user.username, scenario.request)
        if written.error is not None:  # signing in now would test some other preference
            refused = written.error
            reason = f"could not apply the preference: {refused.code}: {refused.message}"
            return self._record_failure(scenario, scratch, reason)
        prediction, predicted = scenario.predict(written.state)
        attempt, observed = _observe(client, scenario, user, prediction)
        self._flush(scenario, scratch)
        failure = written.error or attempt.error
        return ScenarioOutcome(
            scenario,
            predicted,
            observed,
            prediction,
            error=f"{failure.code}: {failure.message}" if failure else None,
        )

    def _record_failure(self, scenario: Scenario, scratch: MfaLog, reason: str) -> ScenarioOutcome:
        prediction, predicted = scenario.predict()
        scratch.append(
            LogEvent(
                "AdminInitiateAuth",
                backend=self.client.backend,
                outcome="error",
                error_code="ScenarioFailed",
                error_message=reason,
            )
        )
        self._flush(scenario, scratch)
        return ScenarioOutcome(scenario, predicted, None, prediction, reason)

    def _flush(self, scenario: Scenario, scratch: MfaLog) -> None:
        """Append a finished scenario's rows to the main log, tagged with its key."""
        for event in scratch.events:
            self.log.append(_tagged(event, scenario.key))


def _observe(
    client: MfaClient, scenario: Scenario, user: PreparedUser, prediction: Prediction
) -> tuple[SignInAttempt, str]:
    """Sign in as the scenario says; the first step and the cell's observed label.

    A ``WEB_AUTHN`` challenge is answered with the user's passkey, labelled as
    :meth:`Scenario.predict` labels it.
    """
    if scenario.flow == SRP_FLOW:
        return _observe_srp(client, scenario, user, prediction)
    if scenario.flow != CHOICE_FLOW:
        attempt = client.sign_in(
            user.client_id,
            user.username,
            user.password,
            predicted=prediction,
            device_key=user.device_key if scenario.remembered_device else None,
        )
        labels = [observed_label(attempt)]
        if attempt.challenge == DEVICE_STEPS[0] and user.device is not None:
            # The device's own SRP: DEVICE_SRP_AUTH (SRP_A), DEVICE_PASSWORD_VERIFIER (claim).
            device = SrpProof(user.pool_id, user.client_id, user.username, device=user.device)
            step = attempt
            while step.challenge in DEVICE_STEPS[:2]:
                step = client.answer_srp(step, device)
                labels.append(observed_label(step))
        return attempt, " > ".join(labels)
    wanted = scenario.preferred_challenge
    srp: SrpProof | None = None
    if wanted == "PASSWORD_SRP":
        srp = SrpProof(user.pool_id, user.client_id, user.username, user.password)
    attempt = client.sign_in_choice(
        user.client_id,
        user.username,
        preferred=wanted,
        password=user.password if wanted == "PASSWORD" else None,
        predicted=prediction,
        srp=srp,
    )
    observed = _with_options(observed_label(attempt), attempt.options)
    if attempt.challenge == "WEB_AUTHN" and user.authenticator is not None:
        observed = (
            f"{observed} > {observed_label(client.answer_passkey(attempt, user.authenticator))}"
        )
    elif attempt.challenge == "PASSWORD_VERIFIER" and srp is not None:
        observed = f"{observed} > {observed_label(client.answer_srp(attempt, srp))}"
    return attempt, observed


def _observe_srp(
    client: MfaClient, scenario: Scenario, user: PreparedUser, prediction: Prediction
) -> tuple[SignInAttempt, str]:
    """``USER_SRP_AUTH`` to its end: the password's SRP, then the device's when it is remembered."""
    device = user.device if scenario.remembered_device else None
    srp = SrpProof(user.pool_id, user.client_id, user.username, user.password, device=device)
    # The log rows compare step by step: InitiateAuth always asks for the password's proof,
    # and the prediction is what answering it brings.
    attempt = client.sign_in_srp(
        user.client_id,
        user.username,
        srp,
        device_key=device.device_key if device else None,
        predicted="PASSWORD_VERIFIER",
    )
    labels = [observed_label(attempt)]
    step: SignInAttempt = attempt
    expected: Prediction | None = prediction
    while step.challenge in ("PASSWORD_VERIFIER", *DEVICE_STEPS[:2]):
        step = client.answer_srp(step, srp, predicted=expected)
        labels.append(observed_label(step))
        expected = None
    return attempt, " > ".join(labels)


def _with_options(label: str, options: Sequence[str]) -> str:
    """A ``SELECT_CHALLENGE`` label with its ``AvailableChallenges``, so they are compared too."""
    if label != "SELECT_CHALLENGE":
        return label
    return f"{label} [{','.join(options)}]"


_PoolKey = tuple[PoolMfaMode, frozenset[Factor], bool, bool]
#: First factors whose sign-in the sweep follows past the first answer (a passkey, SRP).
_FOLLOWED = frozenset({"WEB_AUTHN", "PASSWORD_SRP"})


def _workers_for(scenarios: Sequence[Scenario], write_rate: float) -> int:
    """Scenarios in flight that keep the write quota busy.

    The quota's rate in scenarios per second (each makes one preference write, two more to
    register an authenticator) times the round trips one scenario waits for
    (:func:`~mfa_widgets.services.pacing.workers_for`).
    """
    writes = sum(3 if s.totp_registered else 1 for s in scenarios) / max(1, len(scenarios))
    per_second = write_rate / writes if write_rate > 0 else 0.0
    return workers_for(per_second, calls_per_item=ROUND_TRIPS_PER_SCENARIO)


def _tagged(event: LogEvent, key: str) -> LogEvent:
    data = event.to_json()
    data["scenario"] = key
    return LogEvent.from_json(data)


def _is_final(event: LogEvent) -> bool:
    """The last row a scenario writes is its sign-in (or its failure)."""
    return event.operation in {"InitiateAuth", "AdminInitiateAuth"}


# -- the challenge matrix ---------------------------------------------------------------------


def outcomes_frame(outcomes: Iterable[ScenarioOutcome]) -> pd.DataFrame:
    """One row per scenario: mode, combination, attributes, predicted, observed, agrees, rule."""
    import pandas as pd

    outcomes = _all_of(outcomes, ScenarioOutcome, "outcomes", "pass what Explorer.run returned")

    rows = [
        {
            "mode": o.scenario.mode.value,
            "combination": o.scenario.combination,
            "attributes": o.scenario.attributes,
            "variant": o.scenario.variant,
            "predicted": o.predicted,
            "observed": o.observed,
            "agrees": o.agrees,
            "rule": o.prediction.rule,
            "documented": o.prediction.documented,
            "error": o.error,
        }
        for o in outcomes
    ]
    frame: pd.DataFrame = pd.DataFrame(rows, columns=list(_OUTCOME_COLUMNS))
    return frame


_OUTCOME_COLUMNS = (
    "mode",
    "combination",
    "attributes",
    "variant",
    "predicted",
    "observed",
    "agrees",
    "rule",
    "documented",
    "error",
)


def challenge_matrix(log_or_frame: MfaLog | pd.DataFrame) -> pd.DataFrame:
    """Pivot a sweep into preference combination x pool mode -> ``observed`` (``predicted``).

    Scenarios of :func:`surface_scenarios` add their variant to the row label, e.g.
    ``"SMS:- TOTP:on EMAIL:- | USER_AUTH>WEB_AUTHN passkey-MFA:on"``.

    Accepts the sweep's :class:`MfaLog` (sign-in rows with a scenario key) or a frame from
    :func:`outcomes_frame`. Each cell is the observed challenge; a cell whose prediction
    differs reads ``"observed (predicted X)"``.
    """
    frame = _sweep_frame(log_or_frame)
    if frame.empty:
        return frame
    cells = frame.assign(
        cell=[
            obs if agree else f"{obs} (predicted {pred})"
            for obs, pred, agree in zip(
                frame["observed"], frame["predicted"], frame["agrees"], strict=True
            )
        ]
    )
    if "variant" in cells and cells["variant"].astype(bool).any():  # the 2026 dimensions
        cells = cells.assign(
            combination=[
                f"{c} | {v}" if v else c
                for c, v in zip(cells["combination"], cells["variant"], strict=True)
            ]
        )
    matrix: pd.DataFrame = cells.pivot_table(
        index="combination", columns="mode", values="cell", aggfunc="first"
    )
    matrix.index.name = "preference (SMS TOTP EMAIL)"
    matrix.columns.name = "pool MFA"
    return matrix


def _sweep_frame(log_or_frame: MfaLog | pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    if not isinstance(log_or_frame, MfaLog):
        fix = "pass the sweep's MfaLog, or its frame (log.frame)"
        given: pd.DataFrame = need_instance(log_or_frame, pd.DataFrame, "log_or_frame", fix)
        return given

    rows = []
    for event in log_or_frame.events:
        if event.scenario and _is_final(event):
            mode, _, rest = event.scenario.partition("[")
            rest, _, variant = rest.partition(" | ")
            combination = rest.split("] ", 1)[1].rsplit(" (", 1)[0]
            rows.append(
                {
                    "mode": mode,
                    "combination": combination,
                    "variant": variant,
                    "predicted": event.predicted_challenge,
                    "observed": event.observed_challenge,
                    "agrees": bool(event.agrees),
                }
            )
    frame: pd.DataFrame = pd.DataFrame(
        rows, columns=["mode", "combination", "variant", "predicted", "observed", "agrees"]
    )
    return frame


#: Cell colours by challenge (colour-blind-safe palette).
CHALLENGE_COLOURS = {
    "NONE": "#e8f5e9",
    "SMS_MFA": "#fff3e0",
    "SOFTWARE_TOKEN_MFA": "#e3f2fd",
    "EMAIL_OTP": "#f3e5f5",
    "SELECT_MFA_TYPE": "#fffde7",
    "MFA_SETUP": "#fce4ec",
    "ERROR": "#eeeeee",
}


#: The challenge's accent in :func:`matrix_html`: a JupyterLab theme colour (Light and Dark).
_CHALLENGE_ACCENTS = {
    "NONE": "var(--jp-success-color1, #388e3c)",
    "SMS_MFA": "var(--jp-warn-color1, #f57c00)",
    "SOFTWARE_TOKEN_MFA": "var(--jp-brand-color1, #1976d2)",
    "EMAIL_OTP": "var(--jp-info-color1, #0097a7)",
    "SELECT_MFA_TYPE": "var(--jp-accent-color2, #81c784)",
    "MFA_SETUP": "var(--jp-error-color2, #e57373)",
    "ERROR": "var(--jp-error-color1, #d32f2f)",
}


def matrix_html(matrix: pd.DataFrame) -> str:
    """Render :func:`challenge_matrix` as an HTML table: coloured by challenge, all text escaped.

    Cells where the observed challenge differs from the prediction get a red border and the
    class ``mfa-mismatch``.
    """
    import pandas as pd

    need_instance(matrix, pd.DataFrame, "matrix", "pass what challenge_matrix returned")
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in matrix.columns)
    lines = [
        '<table class="mfa-matrix" style="border-collapse:collapse;font-size:13px">',
        f"<thead><tr><th>{html.escape(str(matrix.index.name or ''))}</th>{head}</tr></thead>",
        "<tbody>",
    ]
    for label, row in matrix.iterrows():
        cells = []
        for value in row:
            text = "" if value is None or value != value else str(value)  # NaN check
            challenge = text.split(" ", 1)[0]
            mismatch = "(predicted" in text
            # Theme colours (JupyterLab CSS variables): text on the theme's surface, the
            # challenge as a coloured left edge, a mismatch as an error-coloured frame.
            accent = _CHALLENGE_ACCENTS.get(challenge, "var(--jp-border-color1, #bdbdbd)")
            style = (
                "color:var(--jp-content-font-color1, inherit);"
                "background:var(--jp-layout-color2, transparent);padding:2px 6px;"
                f"box-shadow:inset 5px 0 0 {accent};padding-left:10px;"
            )
            style += (
                "border:2px solid var(--jp-error-color1, #d32f2f);"
                if mismatch
                else "border:1px solid var(--jp-border-color2, #e0e0e0);"
            )
            css = ' class="mfa-mismatch"' if mismatch else ""
            cells.append(f'<td{css} style="{style}">{html.escape(text)}</td>')
        lines.append(
            f'<tr><th style="text-align:left;font-family:monospace">{html.escape(str(label))}</th>'
            f"{''.join(cells)}</tr>"
        )
    lines.append("</tbody></table>")
    return "\n".join(lines)


def plot_matrix(matrix: pd.DataFrame, ax: Any = None) -> Any:
    """Draw the matrix as a coloured grid with matplotlib; mismatches are hatched. Returns ax."""
    require_extra("plot", "the challenge matrix chart")
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_rgb
    from matplotlib.patches import Rectangle

    if ax is None:
        _, ax = plt.subplots(figsize=(2.2 + 2.2 * len(matrix.columns), 0.32 * len(matrix) + 1))
    for y, (_, row) in enumerate(matrix.iterrows()):
        for x, value in enumerate(row):
            text = "" if value is None or value != value else str(value)
            challenge = text.split(" ", 1)[0]
            colour = to_rgb(CHALLENGE_COLOURS.get(challenge, "#ffffff"))
            mismatch = "(predicted" in text
            ax.add_patch(
                Rectangle(
                    (x, y),
                    1,
                    1,
                    facecolor=colour,
                    edgecolor="#c62828" if mismatch else "#999999",
                    hatch="//" if mismatch else None,
                    linewidth=2 if mismatch else 0.5,
                )
            )
            ax.text(x + 0.5, y + 0.5, challenge, ha="center", va="center", fontsize=7)
    ax.set_xlim(0, len(matrix.columns))
    ax.set_ylim(len(matrix), 0)
    ax.set_xticks([i + 0.5 for i in range(len(matrix.columns))], [str(c) for c in matrix.columns])
    ax.set_yticks([i + 0.5 for i in range(len(matrix))], [str(i) for i in matrix.index])
    ax.tick_params(axis="y", labelsize=7)
    ax.set_title("Sign-in challenge by preference and pool MFA mode")
    return ax


def _all_of(items: object, kind: type | tuple[type, ...], name: str, fix: str) -> list[Any]:
    """``items`` as a list when it is a collection of ``kind`` (a string is not); else refuse."""
    if isinstance(items, (str, bytes)) or not isinstance(items, Iterable):
        raise ArgumentTypeError(f"{name} must be a list, not a {type(items).__name__}: {fix}")
    found = list(items)
    if not all(isinstance(item, kind) for item in found):
        raise ArgumentTypeError(f"{name} holds an item of the wrong type: {fix}")
    return found
