"""``mfa-widgets explore``: run the default sweep and print the challenge matrix."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from mfa_widgets.commands import arguments
from mfa_widgets.services.csv_export import write_csv

HELP = "sweep preference combinations and print the challenge matrix"


def register(parser: argparse.ArgumentParser) -> None:
    """Add the explore arguments."""
    parser.add_argument(
        "--endpoint-url",
        help="a running sandbox (e.g. from `mfa-widgets sandbox`); default: start a fresh one",
    )
    parser.add_argument("--region", default="us-east-1", help="Region of --endpoint-url")
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print the outcomes as JSON")
    output.add_argument("--csv", type=Path, metavar="FILE", help="also write outcomes to FILE")
    parser.add_argument("--log", type=Path, metavar="FILE", help="autosave/resume JSONL log")
    parser.add_argument(
        "--workers",
        type=arguments.workers,
        default=None,
        help="scenarios in flight (default: from the quota)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run the sweep on a sandbox and print the matrix; exit 1 when any cell disagrees."""
    from contextlib import ExitStack

    import boto3

    from mfa_widgets.sandbox import Sandbox
    from mfa_widgets.services.client import MfaClient
    from mfa_widgets.services.explore import Explorer, challenge_matrix, outcomes_frame
    from mfa_widgets.services.log import MfaLog

    log = MfaLog.load(args.log, resume=True) if args.log and args.log.exists() else None
    log = log or MfaLog(autosave=args.log)

    def progress(done: int, total: int) -> None:
        print(f"\rscenarios {done}/{total}", end="", file=sys.stderr, flush=True)

    with ExitStack() as stack:
        if args.endpoint_url:
            session = boto3.Session(region_name=args.region)
            client = MfaClient(session=session, endpoint_url=args.endpoint_url, region=args.region)
        else:
            client = MfaClient.for_sandbox(stack.enter_context(Sandbox()))
        # One cheap call first: an unreachable endpoint or missing credentials is one clear
        # error (exit 2), not forty failed scenarios.
        client.call("ListUserPools", MaxResults=1).raise_for_error()
        outcomes = Explorer(client, log=log, workers=args.workers).run(progress=progress)
        print(file=sys.stderr)
    frame = outcomes_frame(outcomes)
    if args.csv:
        write_csv(frame, args.csv)
    if args.json:
        print(json.dumps(frame.to_dict(orient="records"), indent=2, default=str))
    else:
        print(challenge_matrix(log).to_string())
        mismatches = frame[~frame["agrees"]]
        print(f"\n{len(frame)} scenarios run, {len(mismatches)} differ from the prediction")
    return 0 if bool(frame["agrees"].all()) else 1
