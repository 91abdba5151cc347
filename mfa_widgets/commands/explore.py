"""``mfa-widgets explore``: run the default sweep and print the challenge matrix."""

from __future__ import annotations

import argparse
import json

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
    output.add_argument(
        "--csv", type=arguments.output_file, metavar="FILE", help="also write outcomes to FILE"
    )
    parser.add_argument(
        "--log", type=arguments.output_file, metavar="FILE", help="autosave/resume JSONL log"
    )
    parser.add_argument(
        "--workers",
        type=arguments.workers,
        default=None,
        help="scenarios in flight (default: from the quota)",
    )
    parser.set_defaults(func=run, extras=_extras)


def _extras(args: argparse.Namespace) -> list[tuple[str, str]]:
    """Without --endpoint-url the sweep starts its own sandbox."""
    if args.endpoint_url:
        return []
    return [("sandbox", "a sweep on a fresh sandbox (or pass --endpoint-url of a running one)")]


def run(args: argparse.Namespace) -> int:
    """Run the sweep on a sandbox and print the matrix; exit 1 when any cell disagrees."""
    from contextlib import ExitStack

    from mfa_widgets.aws_clients import new_session
    from mfa_widgets.sandbox import Sandbox
    from mfa_widgets.services.client import MfaClient
    from mfa_widgets.services.explore import Explorer, challenge_matrix, outcomes_frame
    from mfa_widgets.services.log import MfaLog

    log = MfaLog.load(args.log, resume=True) if args.log and args.log.exists() else None
    log = log or MfaLog(autosave=args.log)

    with ExitStack() as stack:
        if args.endpoint_url:
            session = new_session(region_name=args.region)
            client = MfaClient(session=session, endpoint_url=args.endpoint_url, region=args.region)
        else:
            client = MfaClient.for_sandbox(stack.enter_context(Sandbox()))
        # One cheap call first: an unreachable endpoint or missing credentials is one clear
        # error (exit 2), not forty failed scenarios.
        client.call("ListUserPools", MaxResults=1).raise_for_error()
        # progress: a bar with rate and time left on a terminal, nothing in a pipe or log
        outcomes = Explorer(client, log=log, workers=args.workers).run()
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
