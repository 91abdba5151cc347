"""The :class:`Explorer`: runs scenarios against a backend, paced by Cognito's quotas, logged."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from mfa_widgets.core.errors import ArgumentTypeError
from mfa_widgets.core.results import SignInAttempt
from mfa_widgets.core.signin import (
    Prediction,
)
from mfa_widgets.core.signin.labels import observed_label
from mfa_widgets.core.validation import need_flag, need_instance, need_job_options
from mfa_widgets.services.client import MfaClient
from mfa_widgets.services.log import LogEvent, MfaLog
from mfa_widgets.services.pacing import QUOTAS, QuotaPacer, run_bounded, workers_for
from mfa_widgets.services.progress import progress_for
from mfa_widgets.services.srp import SrpProof

if TYPE_CHECKING:
    pass
from mfa_widgets.services.explore.provisioning import PreparedUser, Provisioner, WireProvisioner
from mfa_widgets.services.explore.scenarios import (
    CHOICE_FLOW,
    DEVICE_STEPS,
    ROUND_TRIPS_PER_SCENARIO,
    SRP_FLOW,
    Scenario,
    _with_options,
    default_scenarios,
)

__all__ = ["Explorer", "ScenarioOutcome"]


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
                step = step.answer(device)
                labels.append(observed_label(step))
        return attempt, " > ".join(labels)
    wanted = scenario.preferred_challenge
    srp: SrpProof | None = None
    if wanted == "PASSWORD_SRP":
        srp = SrpProof(user.pool_id, user.client_id, user.username, user.password)
    attempt = client.sign_in(
        user.client_id,
        user.username,
        user.password if wanted == "PASSWORD" else None,
        flow="choice",
        preferred=wanted,
        predicted=prediction,
        srp=srp,
    )
    observed = _with_options(observed_label(attempt), attempt.options)
    if attempt.challenge == "WEB_AUTHN" and user.authenticator is not None:
        observed = f"{observed} > {observed_label(attempt.answer(user.authenticator))}"
    elif attempt.challenge == "PASSWORD_VERIFIER" and srp is not None:
        observed = f"{observed} > {observed_label(attempt.answer(srp))}"
    return attempt, observed


def _observe_srp(
    client: MfaClient, scenario: Scenario, user: PreparedUser, prediction: Prediction
) -> tuple[SignInAttempt, str]:
    """``USER_SRP_AUTH`` to its end: the password's SRP, then the device's when it is remembered."""
    device = user.device if scenario.remembered_device else None
    srp = SrpProof(user.pool_id, user.client_id, user.username, user.password, device=device)
    # The log rows compare step by step: InitiateAuth always asks for the password's proof,
    # and the prediction is what answering it brings.
    attempt = client.sign_in(
        user.client_id,
        user.username,
        flow="srp",
        srp=srp,
        device_key=device.device_key if device else None,
        predicted="PASSWORD_VERIFIER",
    )
    labels = [observed_label(attempt)]
    step = attempt
    expected: Prediction | None = prediction
    while step.challenge in ("PASSWORD_VERIFIER", *DEVICE_STEPS[:2]):
        step = step.answer(srp, predicted=expected)
        labels.append(observed_label(step))
        expected = None
    return attempt, " > ".join(labels)


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
