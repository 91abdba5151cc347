"""``mfa-widgets audit``: audit the MFA posture of every user in a pool and print the summary.

Credentials, Region and endpoint come from the standard boto3 chain (``AWS_PROFILE``,
``AWS_REGION``, ``AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER``, ...) unless ``--profile``,
``--region`` or ``--endpoint-url`` say otherwise. The local sandbox accepts any credentials: the
``export`` lines ``mfa-widgets sandbox`` prints set dummy ones and point the endpoint at it.

With ``--checkpoint FILE`` an interrupted audit (Ctrl-C, a lost connection) resumes where it
stopped when the same command is run again.
"""

from __future__ import annotations

import argparse

from mfa_widgets.commands import arguments
from mfa_widgets.services.csv_export import write_csv

HELP = "audit the MFA posture of every user in a pool"


def register(parser: argparse.ArgumentParser) -> None:
    """Add the audit arguments."""
    from mfa_widgets.services.pacing import QUOTAS

    parser.add_argument("--user-pool-id", required=True, help="the pool, e.g. eu-west-1_AbCdEf123")
    parser.add_argument("--endpoint-url", help="a custom endpoint, e.g. a running sandbox")
    parser.add_argument("--region", help="AWS Region (default: boto3's configuration)")
    parser.add_argument("--profile", help="named AWS profile (default: boto3's chain)")
    output = parser.add_mutually_exclusive_group()
    output.add_argument(
        "--csv", type=arguments.output_file, metavar="FILE", help="write the per-user table"
    )
    output.add_argument(
        "--parquet", type=arguments.output_file, metavar="FILE", help="write it as Parquet"
    )
    parser.add_argument(
        "--checkpoint",
        type=arguments.output_file,
        metavar="FILE",
        help="record progress; resume from it if present",
    )
    parser.add_argument(
        "--workers",
        type=arguments.workers,
        default=None,
        help="reads in flight (default: from the quota)",
    )
    parser.add_argument(
        "--read-rate",
        type=arguments.rate,
        default=QUOTAS["UserRead"],
        help="AdminGetUser requests/s (default: the UserRead quota, 120); 0 = unlimited",
    )
    parser.set_defaults(func=run, extras=_extras)


def _extras(args: argparse.Namespace) -> list[tuple[str, str]]:
    """Parquet output needs pyarrow: known before a single user is read."""
    return [("parquet", "Parquet export (--parquet)")] if args.parquet else []


def run(args: argparse.Namespace) -> int:
    """Run the audit, print the summary; exit 0 when complete, 1 when stopped early."""
    from mfa_widgets.services.audit import audit_pool

    client = arguments.admin_client(args)

    try:  # progress: a bar with rate and time left on a terminal, nothing in a pipe or log
        audit = audit_pool(
            client,
            args.user_pool_id,
            checkpoint=args.checkpoint,
            workers=args.workers,
            read_rate=args.read_rate,
        )
    except KeyboardInterrupt:
        if args.checkpoint:
            print(f"\ninterrupted: run the same command to resume from {args.checkpoint}")
        raise
    frame = audit.frame
    if args.csv:
        write_csv(frame, args.csv)
    if args.parquet:  # pyarrow was checked when the arguments were parsed (commands.needs)
        frame.to_parquet(args.parquet, index=False)
    summary = audit.summary()
    print(f"Pool {audit.pool_id}: {summary.total} users, MFA {audit.pool.mode.value}")
    print(summary.challenges.to_string(index=False))
    print()
    print(summary.flags[["flag", "users", "percent"]].to_string(index=False))
    if not audit.complete:
        hint = f": run again to resume from {args.checkpoint}" if args.checkpoint else ""
        print(f"\nThe audit stopped before the last page{hint}")
        return 1
    return 0
