r"""``mfa-widgets cli``: print an MFA preference as an AWS CLI command, boto3, JSON or skeleton.

Examples
--------
``mfa-widgets cli --sms preferred --totp enabled`` prints::

    aws cognito-idp set-user-mfa-preference \
        --access-token "$ACCESS_TOKEN" \
        --sms-mfa-settings Enabled=true,PreferredMfa=true \
        --software-token-mfa-settings Enabled=true,PreferredMfa=false

``--from-cli '<options or a whole command>'`` starts from a pasted command instead; factor flags
given as well override it. ``--webauthn enabled|disabled`` adds passkey MFA
(``--web-authn-mfa-settings Enabled=true``); it is on or off, never preferred.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from mfa_widgets.core.aws_cli import (
    ACCESS_TOKEN_PLACEHOLDER,
    CliRequest,
    parse_cli_args,
    render_boto3,
    render_cli,
    render_request_json,
    render_skeleton,
)
from mfa_widgets.core.errors import CliSyntaxError, MfaPreferenceError
from mfa_widgets.core.preferences import Factor, FactorState, MfaPreference, parse_switch
from mfa_widgets.core.redaction import looks_like_secret

HELP = "render an MFA preference as AWS CLI, boto3, JSON or skeleton"

_STATES = "disabled, enabled, preferred (or on/off)"
_SWITCH = "enabled or disabled (or on/off); passkey MFA is never preferred"


def register(parser: argparse.ArgumentParser) -> None:
    """Add the ``cli`` arguments to ``parser`` and set ``func``."""
    for factor in Factor:
        parser.add_argument(
            f"--{factor.key}",
            metavar="STATE",
            help=f"{factor.label}: {_STATES}; leave out to keep it unchanged",
        )
    parser.add_argument(
        "--webauthn",
        metavar="STATE",
        help=f"passkey MFA (WebAuthnMfaSettings): {_SWITCH}; leave out to keep it unchanged",
    )
    parser.add_argument(
        "--from-cli",
        metavar="TEXT",
        help="start from AWS CLI options or a whole set-user-mfa-preference command",
    )
    parser.add_argument(
        "--admin",
        action="store_true",
        help="render admin-set-user-mfa-preference (needs --user-pool-id and --username)",
    )
    parser.add_argument("--user-pool-id", metavar="ID", help="e.g. us-east-1_AbCdEf123")
    parser.add_argument("--username", metavar="NAME")
    parser.add_argument(
        "--access-token-placeholder",
        metavar="SHELL_TEXT",
        default=ACCESS_TOKEN_PLACEHOLDER,
        help=f"shell text written for the access token (default: {ACCESS_TOKEN_PLACEHOLDER})",
    )
    parser.add_argument(
        "--format",
        choices=("cli", "boto3", "json", "skeleton"),
        default="cli",
        help="cli (default): the aws command; boto3: a Python snippet; json: the "
        "--cli-input-json document; skeleton: what --generate-cli-skeleton prints",
    )
    parser.add_argument(
        "--syntax",
        choices=("shorthand", "json"),
        default="shorthand",
        help="how --format cli writes the settings values (default: shorthand)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the chosen rendering; errors are raised as :class:`MfaWidgetsError`."""
    if args.format == "skeleton":  # a fixed template: no preference needed
        admin = args.admin or args.user_pool_id is not None or args.username is not None
        print(render_skeleton(admin=admin))
        return 0
    request = _request(args)
    for note in request.notes:
        print(f"note: {note}", file=sys.stderr)
    print(_RENDERERS[args.format](request, args))
    return 0


def _request(args: argparse.Namespace) -> CliRequest:
    """Combine ``--from-cli`` and the factor/identity flags into one request."""
    base = parse_cli_args(args.from_cli) if args.from_cli else CliRequest(MfaPreference())
    preference = _flags_preference(args).merged_onto(base.preference)
    user_pool_id = args.user_pool_id or base.user_pool_id
    username = args.username or base.username
    if username and looks_like_secret(username):
        # A token or password pasted as the username would be printed into the command.
        raise CliSyntaxError(
            "--username looks like a token or password, not a username (it was not printed): "
            "pass the user's name, e.g. --username alice"
        )
    admin = args.admin or base.admin or user_pool_id is not None or username is not None
    if admin and not (user_pool_id and username):
        raise CliSyntaxError(
            "the admin variant needs --user-pool-id and --username, "
            "e.g. --admin --user-pool-id us-east-1_AbCdEf123 --username alice"
        )
    if preference.is_empty:
        raise CliSyntaxError(
            "nothing to set: give at least one of --sms, --totp, --email "
            f"(each {_STATES}), --webauthn ({_SWITCH}) or --from-cli"
        )
    return CliRequest(
        preference,
        access_token=None if admin else base.access_token,
        user_pool_id=user_pool_id if admin else None,
        username=username if admin else None,
        notes=base.notes,
    )


def _flags_preference(args: argparse.Namespace) -> MfaPreference:
    """The preference the factor flags ask for; two flags set to preferred is an error."""
    sms, totp, email = (_state_flag(f, getattr(args, f.key)) for f in Factor)
    try:
        webauthn = parse_switch(args.webauthn)
    except MfaPreferenceError:
        raise CliSyntaxError(f"--webauthn {args.webauthn!r}: use {_SWITCH}") from None
    try:
        return MfaPreference(sms=sms, totp=totp, email=email, webauthn=webauthn)
    except MfaPreferenceError:
        raise CliSyntaxError(
            "only one of --sms, --totp, --email can be preferred: set the others to enabled"
        ) from None


def _state_flag(factor: Factor, value: str | None) -> FactorState | None:
    """Read ``--sms``/``--totp``/``--email``; a bad value names the flag and the choices."""
    try:
        return FactorState.parse(value)
    except MfaPreferenceError:
        raise CliSyntaxError(f"--{factor.key} {value!r}: use {_STATES}") from None


def _render_cli(request: CliRequest, args: argparse.Namespace) -> str:
    # A token pasted with --from-cli is never echoed: the placeholder stands in for it.
    return render_cli(
        request.preference,
        placeholder=args.access_token_placeholder,
        syntax=args.syntax,
        user_pool_id=request.user_pool_id,
        username=request.username,
    )


def _render_boto3(request: CliRequest, args: argparse.Namespace) -> str:
    return render_boto3(
        request.preference, user_pool_id=request.user_pool_id, username=request.username
    )


def _render_json(request: CliRequest, args: argparse.Namespace) -> str:
    return render_request_json(
        request.preference, user_pool_id=request.user_pool_id, username=request.username
    )


_RENDERERS: dict[str, Callable[[CliRequest, argparse.Namespace], str]] = {
    "cli": _render_cli,
    "boto3": _render_boto3,
    "json": _render_json,
}
