"""``mfa-widgets sandbox``: run the local Cognito sandbox with a demo pool and users.

It serves on 127.0.0.1 only, in the foreground, until Ctrl-C. It prints the endpoint, the pool
and client ids, the demo users and their (freshly generated) passwords, and the ``export`` lines
that point the AWS CLI and SDKs at it. The passwords are printed here and nowhere else.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from mfa_widgets.commands import arguments, needs
from mfa_widgets.commands.foreground import serve_until_interrupted

HELP = "run the local Cognito sandbox with a demo pool and users"


def register(parser: argparse.ArgumentParser) -> None:
    """Add ``--port`` and ``--json`` and set the handler."""
    parser.add_argument(
        "--port",
        type=arguments.port,
        default=0,
        help="TCP port on 127.0.0.1 (default: a free port)",
    )
    parser.add_argument("--json", action="store_true", help="print the setup as one line of JSON")
    parser.add_argument(
        "--latency-ms",
        type=_milliseconds,
        default=0.0,
        metavar="MS",
        help="delay every answer by about MS milliseconds, as a real Region does (default 0: off)",
    )
    parser.add_argument(
        "--jitter-ms",
        type=_milliseconds,
        default=0.0,
        metavar="MS",
        help="spread of that delay (log-normal; e.g. --latency-ms 40 --jitter-ms 10)",
    )
    parser.add_argument(
        "--latency-seed", type=int, default=0, metavar="N", help="seed of the delays (default 0)"
    )
    parser.add_argument(
        "--quotas",
        action="store_true",
        help="throttle requests beyond Cognito's default request-rate quotas, as Cognito does",
    )
    parser.set_defaults(func=run, extras=needs.always("sandbox", "the local Cognito sandbox"))


def _milliseconds(text: str) -> float:
    """A non-negative number of milliseconds (argparse type)."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value < float("inf"):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number of milliseconds: give 0 or more, e.g. 40"
        )
    return value


def describe(sandbox: Any, demo: Any) -> dict[str, Any]:
    """The printable facts about a running sandbox and its demo setup."""
    return {
        "endpoint_url": sandbox.endpoint_url,
        "region": sandbox.region,
        "user_pool_id": demo.pool.pool_id,
        "client_id": demo.pool.client_id,
        "users": [
            {
                "username": u.username,
                "password": u.password,
                "phone": u.phone,
                "email": u.email,
                "totp": u.totp,
            }
            for u in demo.users.values()
        ],
        "environment": sandbox.environment(),
    }


def _print_text(facts: dict[str, Any]) -> None:
    print(f"Cognito sandbox on {facts['endpoint_url']} (region {facts['region']})")
    print(f"  user pool  {facts['user_pool_id']}")
    print(f"  app client {facts['client_id']}")
    print("Demo users (passwords are generated for this run):")
    for user in facts["users"]:
        extras = ", ".join(
            x
            for x in (user["phone"], user["email"], "authenticator app" if user["totp"] else None)
            if x
        )
        print(f"  {user['username']:<6} {user['password']}  ({extras})")
    if facts.get("latency_ms"):
        print(
            f"Answers are delayed ~{facts['latency_ms']:g} ms (jitter {facts['jitter_ms']:g} ms)."
        )
    if facts.get("quotas"):
        print("Requests beyond Cognito's default quotas are throttled (TooManyRequestsException).")
    print("Point the AWS CLI or an SDK at it:")
    for name, value in facts["environment"].items():
        print(f"  export {name}={value}")
    print("Press Ctrl-C to stop.", flush=True)


def run(args: argparse.Namespace) -> int:
    """Start the sandbox, provision the demo, print it, and serve until interrupted."""
    from mfa_widgets.sandbox import Sandbox

    sandbox = Sandbox(port=args.port)

    def announce() -> None:
        facts = describe(sandbox, sandbox.provision_demo())
        if args.latency_ms:  # after the demo set-up, which need not wait for it
            sandbox.faults.latency(args.latency_ms, args.jitter_ms, seed=args.latency_seed)
            facts["latency_ms"], facts["jitter_ms"] = args.latency_ms, args.jitter_ms
        if args.quotas:
            sandbox.faults.enforce_quotas()
            facts["quotas"] = True
        if args.json:
            print(json.dumps(facts), flush=True)
        else:
            _print_text(facts)

    return serve_until_interrupted(sandbox, announce)
