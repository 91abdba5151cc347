"""``mfa-widgets impact``: what a proposed pool change does to every user, before you make it.

Example: ``mfa-widgets impact --pool-id eu-west-1_AbC --set mfa=ON --withdraw SMS``. The pool is
only read: with ``--from AUDIT`` (a checkpoint written by ``mfa-widgets audit --checkpoint``) the
users come from the file and no user is read again; otherwise the pool is audited now (reads
only). ``--rehearse`` copies the users' MFA facts into a local sandbox (started for the run),
applies the change there and signs every copy in, or a ``--sample``.

Credentials, Region and endpoint come from the standard boto3 chain, as for ``mfa-widgets audit``.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from mfa_widgets.commands import arguments

if TYPE_CHECKING:
    from mfa_widgets.services.impact import Impact

HELP = "predict (and rehearse) the impact of a pool MFA change on every user"


def register(parser: argparse.ArgumentParser) -> None:
    """Add the impact arguments."""
    parser.add_argument(
        "--pool-id", "--user-pool-id", dest="pool_id", required=True, help="the audited pool"
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="mfa=OFF|OPTIONAL|ON or tier=LITE|ESSENTIALS|PLUS (repeat for both)",
    )
    for flag, help_text in (
        ("--offer", "factors to offer: SMS, TOTP, EMAIL, PASSKEY"),
        ("--withdraw", "factors to withdraw (same names)"),
        ("--allow-flow", "app-client flows to allow, e.g. USER_AUTH"),
        ("--deny-flow", "app-client flows to take away, e.g. USER_PASSWORD_AUTH"),
        ("--allow-first", "USER_AUTH first factors to allow, e.g. EMAIL_OTP"),
        ("--withdraw-first", "USER_AUTH first factors to withdraw"),
    ):
        parser.add_argument(flag, action="append", default=[], metavar="NAMES", help=help_text)
    parser.add_argument(
        "--from",
        dest="saved",
        type=arguments.input_file,
        metavar="AUDIT",
        help="a saved audit (checkpoint)",
    )
    parser.add_argument("--client-id", help="the app client whose flows matter (read live)")
    parser.add_argument("--rehearse", action="store_true", help="rehearse on a local sandbox")
    parser.add_argument(
        "--sample",
        type=arguments.workers,
        default=None,
        help="rehearse at most this many users (attention first)",
    )
    parser.add_argument(
        "--csv", type=arguments.output_file, metavar="FILE", help="write the per-user table"
    )
    parser.add_argument("--endpoint-url", help="a custom endpoint, e.g. a running sandbox")
    parser.add_argument("--region", help="AWS Region (default: boto3's configuration)")
    parser.add_argument("--profile", help="named AWS profile (default: boto3's chain)")
    parser.set_defaults(func=run, extras=_extras)


def _extras(args: argparse.Namespace) -> list[tuple[str, str]]:
    """A rehearsal runs on a local sandbox: known before the pool is read."""
    return [("sandbox", "a rehearsal (--rehearse)")] if args.rehearse else []


def run(args: argparse.Namespace) -> int:
    """Print the impact summary, the transitions and the users who need attention first."""
    from mfa_widgets.core.pool_change import PoolChange
    from mfa_widgets.services.audit import AuditError
    from mfa_widgets.services.impact import fix_plans, impact

    change = PoolChange.parse(
        args.set,
        offer=args.offer,
        withdraw=args.withdraw,
        allow_flows=args.allow_flow,
        deny_flows=args.deny_flow,
        allow_first=args.allow_first,
        withdraw_first=args.withdraw_first,
    )
    client = arguments.admin_client(args) if args.saved is None or args.client_id else None
    source = args.saved if args.saved is not None else args.pool_id
    # progress (a live audit, a rehearsal): a bar on a terminal, nothing in a pipe or a log
    found = impact(source, change, client=client, client_id=args.client_id)
    if found.audit.pool_id != args.pool_id:
        raise AuditError(
            f"the saved audit is of pool {found.audit.pool_id}, not {args.pool_id}: pass the "
            "matching --pool-id or another --from file"
        )
    if args.csv:
        found.frame.to_csv(args.csv, index=False)
    print(found.summary())
    print()
    print(found.transitions().to_string())
    first = found.attention()
    print(f"\nUsers who need attention first: {len(first)}")
    if len(first):
        print(first[["username", "verdict", "what_to_do"]].head(20).to_string(index=False))
    for factor, plan in fix_plans(found).items():
        print(f"\nBulk change (dry run), prefer {factor}: {len(plan.to_send)} calls")
        print(plan.cli_script())
    if args.rehearse:
        _rehearse(found, args.sample)
    return 0


def _rehearse(found: Impact, sample: int | None) -> None:
    from mfa_widgets.sandbox import Sandbox
    from mfa_widgets.services.client import MfaClient
    from mfa_widgets.services.rehearsal import rehearse

    with Sandbox() as sandbox:
        done = rehearse(
            found,
            MfaClient.for_sandbox(sandbox),
            sample=sample,
            write_rate=0,  # the sandbox started for this run does not throttle
            auth_rate=0,
        )
    print(f"\nRehearsal on the sandbox: {done.summary()}")
    wrong = done.frame()
    wrong = wrong[~wrong["agrees"]]
    if len(wrong):
        print(wrong.to_string(index=False))
