"""The fault-injection seam: the middleware asks :class:`Faults` how to answer each request.

Off by default (no rules). A rule picks the requests it hits — some operations or all of them,
every one, a random share (seeded, so a run is repeatable) or every k-th — and says what happens
to them:

* ``error``: a Cognito error document (e.g. ``TooManyRequestsException``, or
  ``InternalErrorException`` with HTTP 500);
* ``raw``: an HTTP status with a non-JSON body, as a load balancer in front of a service sends
  (e.g. ``502 Bad Gateway`` with an HTML page);
* ``stall``: wait ``seconds`` before answering normally (a client with a shorter read timeout
  gives up first);
* ``reset``: drop the connection without answering.

Apart from the rules, a **latency model** (:meth:`Faults.latency`) delays every answer by a
random draw from a log-normal distribution (a given median and jitter, seeded), as a real Region
20-100 ms away does. The serving thread sleeps (no CPU is used while it waits) and the server
answers each connection on its own thread, so concurrent calls wait in parallel, as they would
on the network: a client needs enough calls in flight to reach a quota, as against real Cognito.
``faults.latency(0)`` (or :meth:`Faults.clear`) switches it off; it is off by default.

:meth:`Faults.enforce_quotas` makes the sandbox throttle as Cognito does when a client exceeds
the request-rate quota of an operation's category (:mod:`mfa_widgets.core.quotas`): answers
beyond the rate get ``TooManyRequestsException``, counted per category, so a benchmark can show
that a paced job ran at the quota with no throttling.

Faults can be stopped mid-run from any thread: :meth:`Faults.clear` removes every rule and wakes
stalled requests at once, and :meth:`Faults.kill` is a kill switch that makes the sandbox drop
every connection (cognito-idp or not) until :meth:`Faults.revive` or :meth:`Faults.clear`.

Examples
--------
>>> faults = Faults()
>>> rule = faults.throttle(share=0.3, seed=7)          # 30% of all calls throttled
>>> rule = faults.server_error(["AdminInitiateAuth"], every=4, html=True)  # each 4th: 502 HTML
>>> model = faults.latency(median_ms=40, jitter_ms=10, seed=1)  # every answer ~40 ms later
>>> guard = faults.enforce_quotas()                  # throttle above Cognito's quotas
>>> faults.clear()
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from mfa_widgets.core.quotas import CATEGORY_RATES, category_of
from mfa_widgets.sandbox.wire import WireError

__all__ = ["Fault", "FaultKind", "FaultRule", "Faults", "Latency", "QuotaGuard"]

FaultKind = Literal["error", "raw", "stall", "reset"]

#: A page like the ones load balancers answer with when the service behind them is down.
_HTML_PAGE = (
    "<html><head><title>{status} {reason}</title></head>"
    "<body><h1>{status} {reason}</h1></body></html>"
)
_REASONS = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


@dataclass(frozen=True)
class Fault:
    """What the middleware does with one request.

    Attributes
    ----------
    kind
        ``"error"``, ``"raw"``, ``"stall"`` or ``"reset"`` (see the module notes).
    error
        For ``"error"``: the Cognito error to answer with.
    status, body, content_type
        For ``"raw"``: the HTTP answer, sent as is.
    seconds
        For ``"stall"``: how long to wait before answering normally.
    """

    kind: FaultKind
    error: WireError | None = None
    status: int = 500
    body: bytes = b""
    content_type: str = "text/html"
    seconds: float = 0.0


@dataclass
class FaultRule:
    """One armed fault: which requests it hits and what happens to them.

    Attributes
    ----------
    operation
        The operation hit, or ``"*"`` for every cognito-idp operation (kept for the original
        ``inject`` form; see ``operations``).
    code, message, status
        The error answered by an ``"error"`` rule; ``status`` is also the HTTP status of a
        ``"raw"`` rule.
    times
        How many more requests the rule may hit (``None``: until cleared).
    kind
        What happens to a hit request.
    operations
        The operations hit (empty: every operation).
    share
        The probability that a matching request is hit (drawn from a seeded RNG).
    every
        Hit only every k-th matching request (the k-th, 2k-th, ...).
    seconds
        For ``"stall"``.
    body
        For ``"raw"``.
    seed
        Seed of the rule's random generator, so a run is repeatable.
    """

    operation: str
    code: str = "TooManyRequestsException"
    message: str = "Rate exceeded"
    status: int = 400
    times: int | None = 1
    kind: FaultKind = "error"
    operations: frozenset[str] = frozenset()
    share: float = 1.0
    every: int | None = None
    seconds: float = 0.0
    body: bytes = b""
    seed: int | None = 0
    seen: int = 0
    fired: int = 0
    _rng: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not 0.0 <= self.share <= 1.0:
            raise ValueError(f"share {self.share!r} must be a probability between 0 and 1")
        if self.every is not None and self.every < 1:
            raise ValueError(f"every {self.every!r} must be 1 or more (1: every request)")
        if not self.operations and self.operation != "*":
            self.operations = frozenset({self.operation})
        self._rng = random.Random(self.seed)  # noqa: S311 - repeatable fault shares, not crypto

    def matches(self, operation: str) -> bool:
        """True when the rule applies to ``operation`` at all."""
        return not self.operations or operation in self.operations

    def hits(self) -> bool:
        """Count one matching request and decide whether the fault fires (caller holds the lock)."""
        self.seen += 1
        if self.every is not None and self.seen % self.every:
            return False
        if self.share < 1.0 and self._rng.random() >= self.share:
            return False
        self.fired += 1
        if self.times is not None:
            self.times -= 1
        return True

    @property
    def spent(self) -> bool:
        """True when the rule may hit no more requests."""
        return self.times is not None and self.times <= 0

    def fault(self) -> Fault:
        """The action for a hit request."""
        if self.kind == "error":
            return Fault("error", error=WireError(self.code, self.message, self.status))
        if self.kind == "raw":
            return Fault("raw", status=self.status, body=self.body)
        return Fault(self.kind, seconds=self.seconds)


Operations = str | Iterable[str] | None


class QuotaGuard:
    """Cognito's request-rate quotas, enforced: one token bucket per quota category.

    A request whose category has no token left is throttled (the request takes no token).
    Buckets hold ``burst_seconds`` of the rate (at least one request; default half a second,
    Cognito does not publish its burst allowance): a client pacing itself at the rate passes
    even when a busy machine delays some requests and sends them bunched; one that runs faster
    than the rate for longer than that is throttled.

    Parameters
    ----------
    rates
        Requests per second by category (default :data:`~mfa_widgets.core.quotas.CATEGORY_RATES`).
    burst_seconds
        How far ahead of the rate a client may get before it is throttled.
    clock
        Injectable monotonic clock.

    Attributes
    ----------
    admitted, throttled
        Requests let through and refused, by category.
    first_admitted, last_admitted
        When (on ``clock``) the first and the latest request of each category was let through.
    """

    def __init__(
        self,
        rates: Mapping[str, float] | None = None,
        burst_seconds: float = 0.5,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rates = dict(CATEGORY_RATES if rates is None else rates)
        bad = {name: rate for name, rate in self.rates.items() if not rate > 0}
        if bad or not burst_seconds > 0:
            raise ValueError(
                f"quota rates {bad or ''} and burst_seconds {burst_seconds!r} must be positive"
            )
        self._capacity = {name: max(1.0, rate * burst_seconds) for name, rate in self.rates.items()}
        self._tokens = dict(self._capacity)
        self._clock = clock
        self._updated = {name: clock() for name in self.rates}
        self._lock = threading.Lock()
        self.admitted: dict[str, int] = dict.fromkeys(self.rates, 0)
        self.throttled: dict[str, int] = dict.fromkeys(self.rates, 0)
        self.first_admitted: dict[str, float] = {}
        self.last_admitted: dict[str, float] = {}

    def admit(self, operation: str) -> bool:
        """Take a token for ``operation``'s category; ``False`` when the quota is exceeded."""
        category = category_of(operation)
        if category is None or category not in self.rates:
            return True
        with self._lock:
            now = self._clock()
            elapsed = now - self._updated[category]
            self._updated[category] = now
            tokens = min(
                self._capacity[category],
                self._tokens[category] + elapsed * self.rates[category],
            )
            if tokens < 1.0:
                self._tokens[category] = tokens
                self.throttled[category] += 1
                return False
            self._tokens[category] = tokens - 1.0
            self.admitted[category] += 1
            self.first_admitted.setdefault(category, now)
            self.last_admitted[category] = now
            return True

    def achieved_rate(self, category: str) -> float | None:
        """Requests/s let through in ``category`` between its first and latest request.

        ``None`` until two requests of the category arrived at different times.
        """
        count = self.admitted.get(category, 0)
        span = self.last_admitted.get(category, 0.0) - self.first_admitted.get(category, 0.0)
        return (count - 1) / span if count > 1 and span > 0 else None

    @property
    def total_throttled(self) -> int:
        """Requests throttled in all categories."""
        return sum(self.throttled.values())


@dataclass
class Latency:
    """A latency model: each answer waits a log-normal draw with median ``median_ms``.

    Network round trips are skewed to the right (most close to the median, a few much slower),
    which a log-normal distribution models. ``jitter_ms`` sets its spread: about two thirds of
    the delays fall between ``median / (1 + jitter/median)`` and ``median * (1 + jitter/median)``
    (for a small jitter that is about ``median ± jitter``).

    Attributes
    ----------
    median_ms
        The median delay in milliseconds (more than 0).
    jitter_ms
        The spread in milliseconds (0: every delay is exactly the median).
    operations
        The operations delayed (empty: every cognito-idp operation).
    seed
        Seed of the model's random generator, so a run is repeatable.
    max_ms
        No delay exceeds this (default: 10 times the median), so a rare draw cannot look like
        a hung server.
    delayed, total_seconds
        How many answers were delayed, and for how long in all.
    """

    median_ms: float
    jitter_ms: float = 0.0
    operations: frozenset[str] = frozenset()
    seed: int | None = 0
    max_ms: float | None = None
    delayed: int = 0
    total_seconds: float = 0.0
    _rng: random.Random = field(init=False, repr=False)
    _lock: threading.Lock = field(init=False, repr=False, default_factory=threading.Lock)

    def __post_init__(self) -> None:
        if not (math.isfinite(self.median_ms) and self.median_ms > 0):
            raise ValueError(
                f"median_ms {self.median_ms!r} must be a positive number of milliseconds "
                "(use faults.latency(0) to switch latency off)"
            )
        if not (math.isfinite(self.jitter_ms) and self.jitter_ms >= 0):
            raise ValueError(f"jitter_ms {self.jitter_ms!r} must be 0 or more milliseconds")
        if self.max_ms is None:
            self.max_ms = 10 * self.median_ms
        elif self.max_ms < self.median_ms:
            raise ValueError(f"max_ms {self.max_ms!r} must be at least median_ms")
        self._rng = random.Random(self.seed)  # noqa: S311 - repeatable delays, not crypto

    @property
    def sigma(self) -> float:
        """The log-normal shape parameter the jitter gives."""
        return math.log1p(self.jitter_ms / self.median_ms)

    def draw(self, operation: str) -> float:
        """Seconds to delay an answer to ``operation`` (0.0 for an operation not delayed)."""
        if self.operations and operation not in self.operations:
            return 0.0
        with self._lock:
            factor = math.exp(self._rng.gauss(0.0, self.sigma)) if self.jitter_ms else 1.0
            seconds = min(self.median_ms * factor, float(self.max_ms or 0)) / 1000
            self.delayed += 1
            self.total_seconds += seconds
        return seconds


class Faults:
    """Injected failures consulted by the middleware; empty (inactive) by default.

    Every method is thread-safe, so a test or a demo can arm and stop faults while requests are
    being answered.
    """

    def __init__(self) -> None:
        self._rules: list[FaultRule] = []
        self._lock = threading.Lock()
        self._killed = False
        self._wake = threading.Event()
        self._latency: Latency | None = None
        self._quotas: QuotaGuard | None = None
        self.fired = 0

    # -- arming ---------------------------------------------------------------------------------

    def inject(
        self,
        operation: str,
        code: str = "TooManyRequestsException",
        message: str = "Rate exceeded",
        status: int = 400,
        times: int | None = 1,
    ) -> FaultRule:
        """Make the next ``times`` calls of ``operation`` fail with ``code``/``message``."""
        return self._arm(FaultRule(operation, code, message, status, times))

    def throttle(
        self,
        operations: Operations = None,
        *,
        share: float = 1.0,
        every: int | None = None,
        times: int | None = None,
        seed: int | None = 0,
    ) -> FaultRule:
        """Answer a share of requests with ``TooManyRequestsException`` (HTTP 400)."""
        return self._arm(
            _rule(operations, "error", share, every, times, seed, code="TooManyRequestsException")
        )

    def server_error(
        self,
        operations: Operations = None,
        *,
        status: int = 500,
        html: bool = False,
        share: float = 1.0,
        every: int | None = None,
        times: int | None = None,
        seed: int | None = 0,
    ) -> FaultRule:
        """Answer a share of requests with a 5xx.

        Parameters
        ----------
        status
            The HTTP status (500, 502, 503, ...).
        html
            ``False``: Cognito's ``InternalErrorException`` JSON document. ``True``: an HTML
            page with no JSON at all, as a proxy or load balancer sends.
        """
        if html:
            reason = _REASONS.get(status, "Server Error")
            page = _HTML_PAGE.format(status=status, reason=reason).encode()
            rule = _rule(operations, "raw", share, every, times, seed, status=status, body=page)
        else:
            rule = _rule(
                operations,
                "error",
                share,
                every,
                times,
                seed,
                code="InternalErrorException",
                message="Internal server error",
                status=status,
            )
        return self._arm(rule)

    def stall(
        self,
        seconds: float,
        operations: Operations = None,
        *,
        share: float = 1.0,
        every: int | None = None,
        times: int | None = None,
        seed: int | None = 0,
    ) -> FaultRule:
        """Wait ``seconds`` before answering a share of requests (cut short by :meth:`clear`)."""
        return self._arm(_rule(operations, "stall", share, every, times, seed, seconds=seconds))

    def reset(
        self,
        operations: Operations = None,
        *,
        share: float = 1.0,
        every: int | None = None,
        times: int | None = None,
        seed: int | None = 0,
    ) -> FaultRule:
        """Drop the connection of a share of requests without answering."""
        return self._arm(_rule(operations, "reset", share, every, times, seed))

    def latency(
        self,
        median_ms: float | None = 40.0,
        jitter_ms: float = 0.0,
        *,
        operations: Operations = None,
        seed: int | None = 0,
        max_ms: float | None = None,
    ) -> Latency | None:
        """Delay every answer by a log-normal draw (see :class:`Latency`); replaces any model.

        The serving thread sleeps, using no CPU, and concurrent requests wait in parallel.
        ``latency(0)`` or ``latency(None)`` switches latency off (so does :meth:`clear`).

        Parameters
        ----------
        median_ms, jitter_ms
            The median delay and its spread, in milliseconds (e.g. 40 and 10 for a nearby
            Region).
        operations
            Delay only these operations (default: every cognito-idp operation).
        seed
            Seed of the delays' random generator (``None``: a different run each time).
        max_ms
            The longest delay (default: 10 times the median).

        Returns
        -------
        Latency or None
            The model now in force (its ``delayed`` and ``total_seconds`` count what it did),
            or ``None`` when latency was switched off.

        Raises
        ------
        ValueError
            For a negative or non-finite median or jitter.
        """
        if not median_ms:
            with self._lock:
                self._latency = None
            return None
        names = frozenset({operations} if isinstance(operations, str) else operations or ())
        model = Latency(median_ms, jitter_ms, names, seed, max_ms)
        with self._lock:
            self._latency = model
        return model

    @property
    def current_latency(self) -> Latency | None:
        """The latency model in force, or ``None``."""
        return self._latency

    def delay(self, operation: str) -> None:
        """Wait the latency model's delay for one answer to ``operation`` (no model: return).

        Called by the middleware in the serving thread; :meth:`clear` cuts a wait short.
        """
        model = self._latency
        if model is not None:
            seconds = model.draw(operation)
            if seconds > 0:
                self._wake.wait(seconds)

    def enforce_quotas(
        self, rates: Mapping[str, float] | None = None, *, burst_seconds: float = 0.5
    ) -> QuotaGuard:
        """Throttle requests beyond Cognito's request-rate quotas (see :class:`QuotaGuard`).

        Parameters
        ----------
        rates
            Requests per second by category (default: Cognito's default quotas).
        burst_seconds
            How far ahead of the rate a client may get before it is throttled.

        Returns
        -------
        QuotaGuard
            The guard now in force; its ``throttled`` counts refusals by category.
            :meth:`clear` removes it.
        """
        guard = QuotaGuard(rates, burst_seconds)
        with self._lock:
            self._quotas = guard
        return guard

    def lift_quotas(self) -> None:
        """Stop enforcing quotas (other faults and the latency model stay)."""
        with self._lock:
            self._quotas = None

    def _arm(self, rule: FaultRule) -> FaultRule:
        with self._lock:
            self._rules.append(rule)
        return rule

    # -- stopping -------------------------------------------------------------------------------

    def clear(self) -> None:
        """Switch everything off: rules, latency, quotas, the kill switch; wake stalled requests."""
        with self._lock:
            self._rules.clear()
            self._latency = None
            self._quotas = None
            self._killed = False
            wake, self._wake = self._wake, threading.Event()
        wake.set()

    def kill(self) -> None:
        """The kill switch: drop every connection until :meth:`revive` or :meth:`clear`."""
        with self._lock:
            self._killed = True

    def revive(self) -> None:
        """Lift the kill switch (rules stay armed)."""
        with self._lock:
            self._killed = False

    # -- reading --------------------------------------------------------------------------------

    @property
    def active(self) -> bool:
        """True while any rule is armed, quotas are enforced or the kill switch is on.

        (The latency model is not a fault: :meth:`delay` applies it.)
        """
        return bool(self._rules) or self._killed or self._quotas is not None

    @property
    def killed(self) -> bool:
        """True while the kill switch is on."""
        return self._killed

    @property
    def rules(self) -> tuple[FaultRule, ...]:
        """The armed rules, in the order they are consulted."""
        with self._lock:
            return tuple(self._rules)

    def check_connection(self) -> Fault | None:
        """A ``reset`` fault for any request while the kill switch is on."""
        return Fault("reset") if self._killed else None

    def check(self, operation: str, request: Mapping[str, Any]) -> Fault | None:
        """The fault for this request of ``operation``, or ``None`` to answer normally.

        The first armed rule that matches ``operation`` and fires wins; a rule that has hit its
        ``times`` is removed.
        """
        quotas = self._quotas
        if quotas is not None and not quotas.admit(operation):
            error = WireError("TooManyRequestsException", "Rate exceeded", 400)
            return Fault("error", error=error)
        if not self._rules and not self._killed:
            return None
        with self._lock:
            if self._killed:
                return Fault("reset")
            for rule in self._rules:
                if rule.matches(operation) and rule.hits():
                    if rule.spent:
                        self._rules.remove(rule)
                    self.fired += 1
                    return rule.fault()
        return None

    def wait(self, seconds: float) -> None:
        """Sleep ``seconds`` for a stall; returns early when :meth:`clear` is called."""
        self._wake.wait(seconds)


def _rule(
    operations: Operations,
    kind: FaultKind,
    share: float,
    every: int | None,
    times: int | None,
    seed: int | None,
    **details: Any,
) -> FaultRule:
    names = frozenset({operations} if isinstance(operations, str) else operations or ())
    return FaultRule(
        "*",
        kind=kind,
        operations=names,
        share=share,
        every=every,
        times=times,
        seed=seed,
        **details,
    )
