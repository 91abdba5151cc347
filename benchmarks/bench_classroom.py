"""Capacity of one classroom: many learners, each with a lab of their own, working at once.

``run()`` starts ``mfa-widgets classroom`` in its own process with ``MFA_BENCH_LEARNERS`` learners
(default 100, a conference workshop; issue 29) and measures the class twice, each time with a
fresh classroom: *spread*, where they all import and join first (untimed), then are released
together with thinks spread as below; and *lockstep*, where they are released before joining, so
the whole class joins in the same moment (timed), then every think is the same length, so all act
in the same second. Either way each learner works through every exercise of the lab as a person
would (:func:`~mfa_widgets.training.simulate.simulate_learner`: think, set up, check too early,
think, solve, check).

Learners. Each learner is a :class:`~mfa_widgets.training.Lab` of its own (its own join, boto3
session, client and kept-alive connections, as on a laptop of its own), on a thread of its own.
The learners are shared out over ``MFA_BENCH_LEARNER_PROCESSES`` processes (default twice the
cores: 4 here), so a process holds 25 of them. Until December 2026 every learner had a process of
its own: on 2 cores, 100 Pythons with boto3 then needed 1.4 to 3 times the CPU the classroom did,
pushed the load to 60-100, and most of a learner's latency was its own process waiting for a core
(the learners' p99 was 504-732 ms spread, 1.3-1.7 s lockstep, while the classroom's own p99 was
134-201 ms). In a real workshop each learner's calls are made by their own machine or kernel; a
few processes of many learners come closer to that, and do the same calls.

Think time. Before each step a learner thinks for ``MFA_BENCH_PAUSE`` seconds on average
(default 1), each think drawn uniformly within ±50% of that (``MFA_BENCH_SPREAD``, default 0.5),
seeded per learner. People in a class take tens of seconds to minutes per step, so a 1 s mean
is a stress many times a real class's pace; the spread is there because people never act in
lockstep (with a fixed wait all thirty learners fire the same burst in the same millisecond,
six times per exercise, which measures a queue no class makes). The spread keeps the mean, so
the calls per second offered are those of a fixed wait. The lockstep run sets the spread to 0,
which is what happens in a class after "now run the check cell"; ``MFA_BENCH_PAUSE=0`` makes
both a stress test with no thinking at all.

It reports:

* errors: any exception in a learner, a call answered with an error, or a final check that did
  not pass. Target: 0;
* p99 call latency over every HTTP call a learner's process made: every Cognito call, timed
  around each boto3 call (the lab's set-up calls too, not only those in the learner's log), and
  every classroom lab API call, timed around each request. Target on this machine: 250 ms
  spread, 500 ms lockstep;
* the classroom process's peak resident memory (``VmHWM``). Target: 1 GiB;
* the classroom's own p99 per request, as the server sees it (``Classroom.timings``: from the
  request reaching its front door to the answer, the wait for the lock the worlds share
  included; not the learner's process, the network or waitress's queue), beside the learners'
  p99 and with the same target: the learners share the classroom's 2 cores, so part of their
  latency is their own work waiting for a core or for their process's interpreter, and this row
  says what the classroom adds.

The classroom runs as a trainer runs it, with ``--state-dir`` (a temporary folder): the roster
and progress are saved as the class works.

The p99 row also carries p50 and p95, the calls per second offered, the 1-minute load average
before the run and after it (the learners' own processes count in the second), and the
classroom's CPU seconds per learner (all exercises), a figure that depends far less on what else
the machine is doing than latency does, and the learners' own CPU seconds per learner (each
learner thread's CPU time) over the same work, for comparison.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path
from typing import Any

from benchmarks._timing import quick, row

LEARNERS = int(os.environ.get("MFA_BENCH_LEARNERS", "100"))
#: Seconds each learner waits between steps (people take minutes; 0 makes it a stress test).
PAUSE = float(os.environ.get("MFA_BENCH_PAUSE", "1.0"))
#: How much one think differs from the mean, as a fraction (uniform; 0 = lockstep).
SPREAD = float(os.environ.get("MFA_BENCH_SPREAD", "0.5"))
#: How many processes the learners are shared out over (each learner a thread of one).
PROCESSES = int(os.environ.get("MFA_BENCH_LEARNER_PROCESSES", str(2 * (os.cpu_count() or 1))))


def _timed_calls() -> Any:
    """Time every call a learner makes, into the calling thread's own list; the thread-local.

    Patches this process's :class:`~mfa_widgets.training.classroom.ClassroomWorld` once: every
    classroom lab API request (timed around it), and every Cognito call of every boto3 client
    it makes (``before-call`` to ``after-call``: the lab's set-up calls too, not only those in
    the learner's log). Each learner runs on its own thread, so each appends to its own list.
    """
    from mfa_widgets.training.classroom import ClassroomWorld

    mine = threading.local()
    plain_request, plain_client = ClassroomWorld.request, ClassroomWorld.client

    def timed(self: Any, route: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        started = time.perf_counter()
        try:
            return plain_request(self, route, body)
        finally:
            mine.ms.append((time.perf_counter() - started) * 1000)

    def start(context: dict[str, Any], **_: Any) -> None:
        context["bench_started"] = time.perf_counter()

    def stop(context: dict[str, Any], **_: Any) -> None:
        mine.ms.append((time.perf_counter() - context.pop("bench_started")) * 1000)

    def timed_client(self: Any, max_attempts: int | None = 1) -> Any:
        client = plain_client(self, max_attempts)
        if not getattr(client, "_bench_timed", False):
            client.meta.events.register("before-call.cognito-idp", start)
            client.meta.events.register("after-call.cognito-idp", stop)
            client.meta.events.register("after-call-error.cognito-idp", stop)
            client._bench_timed = True
        return client

    ClassroomWorld.request = timed  # type: ignore[method-assign]
    ClassroomWorld.client = timed_client  # type: ignore[method-assign]
    return mine


def _learners(
    seeded_links: list[tuple[int, str]],
    go: Any,
    results: Any,
    pause: float,
    spread: float,
    join_at_go: bool,
) -> None:
    """One learner process: each of its learners on a thread of its own, all at once."""
    import mfa_widgets.training  # noqa: F401 - imported once, before the threads start

    mine = _timed_calls()
    threads = [
        threading.Thread(
            target=_learner,
            args=(mine, link, go, results, pause, spread, seed, join_at_go),
            name=f"learner-{seed}",
        )
        for seed, link in seeded_links
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _learner(
    mine: Any,
    link: str,
    go: Any,
    results: Any,
    pause: float,
    spread: float,
    seed: int,
    join_at_go: bool,
) -> None:
    """One learner: join, wait for the start, do every exercise, report timings.

    The learner has its own :class:`~mfa_widgets.training.Lab`, so its own boto3 session,
    client and kept-alive connections, as on a laptop of its own. With ``join_at_go`` the
    learner waits for the start before joining, so the whole class joins in the same moment,
    and the joining calls are timed with the rest.
    """
    from mfa_widgets.training import Lab
    from mfa_widgets.training.simulate import simulate_learner

    mine.ms = ms = []
    errors: list[str] = []
    cpu_started = time.thread_time()
    ready = False
    try:
        if join_at_go:
            results.put(("ready", None))
            ready = True
            go.wait()
            lab = Lab(classroom=link)
        else:
            lab = Lab(classroom=link)
            results.put(("ready", None))
            ready = True
            go.wait()
            ms.clear()  # joining happened before the start; measure the class at work
            cpu_started = time.thread_time()
        for result in simulate_learner(lab, pause=pause, spread=spread, seed=seed):
            if not result.passed:
                errors.append(f"check not passed: {result.message}")
        errors += [f"call failed: {e}" for e in lab.log.frame["error_code"].dropna() if e]
    except Exception:  # a benchmark reports every failure rather than stopping
        if not ready:  # the run waits for everyone's "ready" before it starts
            results.put(("ready", None))
        errors.append(traceback.format_exc(limit=3))
    cpu = time.thread_time() - cpu_started
    results.put(("done", {"ms": ms, "errors": errors, "cpu_s": cpu}))


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` so far (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(
    learners: int,
    pause: float = PAUSE,
    spread: float = SPREAD,
    join_at_go: bool = False,
    processes: int | None = None,
) -> dict[str, Any]:
    """Run ``learners`` simulated learners against one classroom process; the figures.

    ``pause`` is each learner's mean think before a step, in seconds; ``spread`` how much one
    think differs from it (a fraction, uniform); ``join_at_go`` makes everyone join at the
    start, timed (else they join before it, untimed); ``processes`` is how many learner
    processes share them (default :data:`PROCESSES`).
    """
    processes = processes or PROCESSES
    from mfa_widgets.training.classroom import TrainerConnection

    load_before = os.getloadavg()[0]  # the machine's other work, before ours starts
    state = tempfile.TemporaryDirectory(prefix="bench-classroom-")
    command = [sys.executable, "-m", "mfa_widgets", "classroom", "--learners", str(learners)]
    classroom = subprocess.Popen(
        [*command, "--json", "--state-dir", state.name], stdout=subprocess.PIPE, text=True
    )
    context = multiprocessing.get_context("spawn")
    go, results = context.Event(), context.Queue()
    try:
        assert classroom.stdout is not None
        facts = json.loads(classroom.stdout.readline())
        links = list(facts["learners"].values())
        seeded = list(enumerate(links))
        workers = [
            context.Process(
                target=_learners,
                args=(seeded[group::processes], go, results, pause, spread, join_at_go),
            )
            for group in range(min(processes, len(seeded)))
        ]
        for worker in workers:
            worker.start()
        done: list[dict[str, Any]] = []  # a learner that fails before the start ends early
        ready = 0
        while ready < len(links):  # everyone has imported the toolkit and joined
            kind, payload = results.get(timeout=600)
            if kind == "ready":
                ready += 1
            else:
                done.append(payload)
        trainer = TrainerConnection(facts["trainer_link"])
        before = trainer.timings()["requests"] + 1  # this request too: figures start after it
        started, cpu_before = time.perf_counter(), _cpu_seconds(classroom.pid)
        go.set()
        while len(done) < len(links):
            done.append(results.get(timeout=600)[1])
        wall = time.perf_counter() - started
        server_cpu = _cpu_seconds(classroom.pid) - cpu_before
        for worker in workers:
            worker.join(timeout=60)
        memory = _peak_rss_mib(classroom.pid)
        server = trainer.timings(since=before)
    finally:
        classroom.terminate()
        classroom.wait(timeout=30)
        state.cleanup()
    latencies = sorted(ms for learner in done for ms in learner["ms"])
    errors = [error for learner in done for error in learner["errors"]]
    return {
        "learners": learners,
        "processes": min(processes, learners),
        "calls": len(latencies),
        "errors": errors,
        "p50_ms": statistics.median(latencies) if latencies else float("nan"),
        "p95_ms": _percentile(latencies, 0.95),
        "p99_ms": _percentile(latencies, 0.99),
        "memory_mib": memory,
        "wall_s": wall,
        "pause_s": pause,
        "spread": spread,
        "join_at_go": join_at_go,
        "load_average_before": load_before,
        "load_average_after": os.getloadavg()[0],
        "server_cpu_s_per_learner": server_cpu / learners,
        "learner_cpu_s_per_learner": statistics.fmean(learner["cpu_s"] for learner in done),
        "server": server,
    }


def _percentile(ordered: list[float], fraction: float) -> float:
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


_JOINED = ", all joining at the start (timed)"


def _rows(found: dict[str, Any], how: str, p99_target: str) -> list[dict[str, Any]]:
    """The errors, p99 latency and peak memory rows of one :func:`measure`."""
    n = found["learners"]
    who = (
        f"{n} learners on {found['processes']} processes, {found['pause_s']:g} s think per step "
        f"(±{found['spread']:.0%}){_JOINED if found['join_at_go'] else ''}, "
        f"{found['calls']} calls in {found['wall_s']:.1f} s "
        f"({found['calls'] / found['wall_s']:.0f}/s)"
    )
    return [
        row(
            f"classroom: errors with {n} learners at once, {how}",
            len(found["errors"]),
            "errors",
            "<= 0",
            who,
            first_errors=found["errors"][:3],
        ),
        row(
            f"classroom: p99 call latency with {n} learners, {how}",
            found["p99_ms"],
            "ms",
            p99_target,
            f"{who}; p50 {found['p50_ms']:.1f} ms, p95 {found['p95_ms']:.1f} ms",
            server_cpu_s_per_learner=round(found["server_cpu_s_per_learner"], 3),
            learner_cpu_s_per_learner=round(found["learner_cpu_s_per_learner"], 3),
            load_average_before=round(found["load_average_before"], 1),
            load_average_after=round(found["load_average_after"], 1),
        ),
        _server_row(found, how, p99_target, who),
        row(
            f"classroom: peak memory of the classroom process ({n} learners, {how})",
            found["memory_mib"],
            "MiB",
            "<= 1,024",
            who,
        ),
    ]


def _server_row(found: dict[str, Any], how: str, p99_target: str, who: str) -> dict[str, Any]:
    """The classroom's own p99 per request (server side), beside the learners' p99."""
    server = found["server"]
    total, wait = server["total_ms"], server["lock_wait_ms"]
    return row(
        f"classroom: p99 of the classroom's own time per request, {found['learners']} learners, "
        f"{how}",
        total["p99"] if total["p99"] is not None else float("nan"),
        "ms",
        p99_target,
        f"{who}; {server['kept']} requests timed at the server's front door: p50 "
        f"{total['p50']} ms, max {total['max']} ms; of it waiting for the shared lock: p99 "
        f"{wait['p99']} ms, max {wait['max']} ms; the learners' own p99 {found['p99_ms']:.0f} ms",
        server_cpu_s_per_learner=round(found["server_cpu_s_per_learner"], 3),
        learner_cpu_s_per_learner=round(found["learner_cpu_s_per_learner"], 3),
        slowest=server.get("slowest", [])[:3],
    )


def run() -> list[dict[str, Any]]:
    """The classroom's capacity rows (errors, p99 latency, peak memory), spread and lockstep."""
    learners = min(LEARNERS, 5) if quick() else LEARNERS
    spread_out = measure(learners)
    lockstep = measure(learners, spread=0.0, join_at_go=True)
    return _rows(spread_out, "thinking spread", "<= 250") + _rows(
        lockstep, "lockstep (all act in the same second)", "<= 500"
    )


if __name__ == "__main__":  # pragma: no cover
    print(json.dumps(measure(LEARNERS), indent=2, default=str))
