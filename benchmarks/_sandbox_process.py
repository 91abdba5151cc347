"""A sandbox in its own process, as a shared endpoint runs, and a way to steer it.

With the server in another process, the benchmarked client's threads overlap its work instead of
sharing one interpreter lock with it, as they would against real Cognito.

Two forms:

* :func:`sandbox_process` runs ``mfa-widgets sandbox --json`` (optionally with ``--latency-ms``)
  and yields its endpoint;
* :class:`SandboxProcess` runs this module (``python -m benchmarks._sandbox_process``), which
  answers commands sent as JSON lines on its stdin: ``populate`` a pool with thousands of users
  straight into moto's backend (seconds for 10,000, where API calls at the quota would take
  minutes; provisioning is not what is measured), switch the ``latency`` model and the
  ``quotas`` guard on and off, and report their ``stats`` (answers delayed, requests throttled).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def sandbox_process(latency_ms: float = 0.0, jitter_ms: float = 0.0) -> Iterator[str]:
    """Start ``mfa-widgets sandbox`` and yield its endpoint URL; stop it afterwards."""
    command = [sys.executable, "-m", "mfa_widgets", "sandbox", "--json"]
    if latency_ms:
        command += ["--latency-ms", str(latency_ms), "--jitter-ms", str(jitter_ms)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        yield str(json.loads(process.stdout.readline())["endpoint_url"])
    finally:
        process.terminate()
        process.wait(timeout=15)


class SandboxProcess:
    """A sandbox in a child process that takes commands (see the module notes).

    Use it as a context manager; :attr:`endpoint` is its URL.
    """

    def __init__(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "benchmarks._sandbox_process"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        self.endpoint = str(self._read()["endpoint_url"])

    def _read(self) -> dict[str, Any]:
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line:
            raise RuntimeError("the benchmark sandbox process ended; see its error output above")
        answer: dict[str, Any] = json.loads(line)
        if "error" in answer:
            raise RuntimeError(f"benchmark sandbox: {answer['error']}")
        return answer

    def request(self, op: str, **arguments: Any) -> dict[str, Any]:
        """Send one command and return its answer."""
        assert self._process.stdin is not None
        self._process.stdin.write(json.dumps({"op": op, **arguments}) + "\n")
        self._process.stdin.flush()
        return self._read()

    def populate(self, users: int, *, phone_every: int = 2, email_every: int = 3) -> str:
        """A pool requiring MFA (SMS or TOTP) with ``users`` users; returns its id.

        Every ``phone_every``-th user has a phone number and every ``email_every``-th an email.
        """
        answer = self.request(
            "populate", users=users, phone_every=phone_every, email_every=email_every
        )
        return str(answer["pool_id"])

    def latency(self, median_ms: float, jitter_ms: float = 0.0, seed: int = 0) -> None:
        """Delay every answer (0: off)."""
        self.request("latency", median_ms=median_ms, jitter_ms=jitter_ms, seed=seed)

    def quotas(self, on: bool = True) -> None:
        """Throttle above Cognito's default quotas (or stop)."""
        self.request("quotas", on=on)

    def stats(self) -> dict[str, Any]:
        """Since the quotas were switched on: ``throttled``, ``admitted`` and achieved ``rates``
        (requests/s between the first and the latest request) by category, the answers
        ``delayed`` by the latency model, and the sandbox process's ``cpu_seconds`` so far."""
        return self.request("stats")

    def close(self) -> None:
        """Stop the child process."""
        if self._process.poll() is None:
            assert self._process.stdin is not None
            self._process.stdin.close()
            try:
                self._process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._process.terminate()
                self._process.wait(timeout=15)

    def __enter__(self) -> SandboxProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def raw_client(endpoint: str, max_pool_connections: int = 10) -> Any:
    """A plain boto3 cognito-idp client for ``endpoint`` (dummy credentials)."""
    import boto3
    from botocore.config import Config

    return boto3.client(
        "cognito-idp",
        region_name="us-east-1",
        endpoint_url=endpoint,
        aws_access_key_id="bench",
        aws_secret_access_key="bench",
        config=Config(max_pool_connections=max_pool_connections),
    )


def toolkit_client(endpoint: str, **options: Any) -> Any:
    """An :class:`~mfa_widgets.services.client.MfaClient` for ``endpoint`` (dummy credentials)."""
    import boto3

    from mfa_widgets import MfaClient

    session = boto3.Session("bench", "bench", region_name="us-east-1")
    return MfaClient(session=session, endpoint_url=endpoint, backend="sandbox", **options)


# -- the child process ------------------------------------------------------------------------


def _populate(sandbox: Any, users: int, phone_every: int, email_every: int) -> dict[str, Any]:
    """Create the pool over the API and its users straight in moto's backend (no HTTP)."""
    pool = sandbox.create_pool(name=f"bench-{users}", mfa="ON", factors=("SMS", "TOTP"))

    def specs() -> Iterator[tuple[str, dict[str, str]]]:
        for i in range(users):
            attributes = {}
            if i % phone_every == 0:
                attributes["phone_number"] = "+15555550100"
            if email_every and i % email_every == 0:
                attributes["email"] = f"user-{i}@example.com"
            yield f"user-{i:05d}", attributes

    view = sandbox.bridge.pool(pool.pool_id)
    sandbox.bridge.add_users(view, specs())
    return {"pool_id": pool.pool_id, "client_id": pool.client_id}


def _serve() -> None:
    from mfa_widgets.sandbox import Sandbox

    guard: Any = None
    with Sandbox() as sandbox:
        print(json.dumps({"endpoint_url": sandbox.endpoint_url}), flush=True)
        for line in sys.stdin:
            request = json.loads(line)
            op = request.pop("op")
            try:
                if op == "populate":
                    answer = _populate(sandbox, **request)
                elif op == "latency":
                    model = sandbox.faults.latency(**request)
                    answer = {"on": model is not None}
                elif op == "quotas":
                    guard = sandbox.faults.enforce_quotas() if request["on"] else None
                    if guard is None:
                        sandbox.faults.lift_quotas()
                    answer = {"on": guard is not None}
                elif op == "stats":
                    model = sandbox.faults.current_latency
                    answer = {
                        "throttled": dict(guard.throttled) if guard else {},
                        "admitted": dict(guard.admitted) if guard else {},
                        "delayed": model.delayed if model else 0,
                        "cpu_seconds": time.process_time(),
                        "rates": {c: guard.achieved_rate(c) for c in guard.rates} if guard else {},
                    }
                else:
                    answer = {"error": f"unknown command {op!r}"}
            except Exception as error:  # reported to the parent, which raises it
                answer = {"error": f"{op}: {type(error).__name__}: {error}"}
            print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    _serve()
