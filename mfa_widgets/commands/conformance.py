"""``mfa-widgets conformance``: run the corpus of real Cognito answers against an endpoint.

``--target sandbox`` (default) and ``--target moto`` start a local endpoint in this process;
``--target cognito --region R`` sends the corpus to real Amazon Cognito: it creates temporary
pools named ``mfa-widgets-conformance-DELETE-ME-...``, asks first (``--yes`` skips the
question), never sends SMS unless ``--allow-sms``, and deletes everything it created when it ends
(Ctrl-C included). ``--out FILE.csv`` or ``FILE.json`` writes the table, to share the answers seen.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mfa_widgets.commands import arguments

HELP = "run the corpus of real Cognito answers against the sandbox, moto or real Cognito"

_COLUMNS = ["case", "status", "diff", "reason"]


def register(parser: argparse.ArgumentParser) -> None:
    """Add the conformance arguments."""
    parser.add_argument(
        "--target",
        choices=("sandbox", "moto", "cognito"),
        default="sandbox",
        help="where to send the corpus (default: a fresh sandbox)",
    )
    parser.add_argument("--region", help="AWS Region (needed for --target cognito)")
    parser.add_argument("--profile", help="named AWS profile for --target cognito")
    parser.add_argument(
        "--endpoint-url", help="send --target cognito's calls here (e.g. a stand-in endpoint)"
    )
    parser.add_argument(
        "--allow-sms", action="store_true", help="run the SMS cases on Cognito (costs money)"
    )
    parser.add_argument("--sms-role-arn", help="the IAM role Cognito sends SMS with")
    parser.add_argument("--yes", action="store_true", help="do not ask before creating pools")
    parser.add_argument(
        "--out",
        type=arguments.output_file,
        metavar="FILE",
        help="write the table as CSV or JSON (by extension)",
    )
    parser.add_argument("--case", action="append", metavar="ID", help="run only this case")
    parser.set_defaults(func=run, extras=_extras)


def _extras(args: argparse.Namespace) -> list[tuple[str, str]]:
    """The sandbox and plain moto targets run locally: known before any case."""
    if args.target == "cognito":
        return []
    return [("sandbox", f"the conformance run on --target {args.target}")]


def _confirm(args: argparse.Namespace) -> bool:
    from mfa_widgets.services.conformance import POOL_PREFIX

    sms = "with SMS (paid)" if args.allow_sms else "no SMS is sent"
    print(
        f"This creates temporary user pools named {POOL_PREFIX}-... in {args.region} "
        f"(profile {args.profile or 'default'}; {sms}) and deletes them when it ends.",
        file=sys.stderr,
    )
    try:
        answer = input("Go ahead? [y/N] ")
    except EOFError:
        answer = ""
    return answer.strip().lower() in ("y", "yes")


def run(args: argparse.Namespace) -> int:
    """Run, print the table and the score; exit 0 (differences are findings, not failures)."""
    from mfa_widgets import conformance
    from mfa_widgets.core.errors import InvalidArgumentError
    from mfa_widgets.services.conformance import CreatedResources
    from mfa_widgets.services.progress import ProgressBar

    out: Path | None = args.out
    if out is not None and out.suffix.lower() not in (".csv", ".json"):
        raise InvalidArgumentError(f"--out {str(out)!r:.80} must end in .csv or .json")
    cases = None
    if args.case:
        known = {case.id: case for case in conformance.load_corpus()}
        missing = [name for name in args.case if name not in known]
        if missing:
            raise InvalidArgumentError(
                f"no case {missing[0]!r:.80}: `mfa-widgets conformance` lists the case ids"
            )
        cases = [known[name] for name in args.case]
    if args.target == "cognito":
        if not args.region:
            raise InvalidArgumentError("--target cognito needs --region, e.g. --region eu-west-1")
        if not args.yes and not _confirm(args):
            print("nothing created", file=sys.stderr)
            return 1
    created = CreatedResources()

    # a bar with the rate and time left on a terminal, nothing in a pipe or a log
    bar = ProgressBar("conformance", "case")
    total = len(cases) if cases is not None else len(conformance.load_corpus())
    done = 0

    def progress(case: str, status: str) -> None:
        nonlocal done
        done += 1
        bar(done, total)

    try:
        table = conformance.run(
            args.target,
            region=args.region,
            profile=args.profile,
            endpoint_url=args.endpoint_url,
            allow_sms=args.allow_sms,
            sms_role_arn=args.sms_role_arn,
            cases=cases,
            created=created,
            progress=progress,
        )
    finally:
        bar.close()
        if created.pools:
            left = created.left
            gone = f"deleted {len(created.deleted)} of {len(created.pools)} pools created"
            print(gone + (f"; NOT deleted: {', '.join(left)}" if left else ""), file=sys.stderr)
    print(table[_COLUMNS].to_string(index=False, max_colwidth=90))
    print()
    print(f"{args.target}: {conformance.score(table)}")
    if out is not None:
        if out.suffix.lower() == ".csv":
            table.to_csv(out, index=False)
        else:
            table.to_json(out, orient="records", indent=1)
        print(f"wrote {out}")
    return 0
