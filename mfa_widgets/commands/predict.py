"""``mfa-widgets predict``: which challenge Cognito returns for a pool and a user, and why.

Values are read case-insensitively and checked by :func:`mfa_widgets.core.signin.predict`; a
bad value raises :class:`~mfa_widgets.core.errors.MfaPreferenceError`, which ``mfa-widgets``
prints as one line (naming the accepted forms) with exit code 2.

A ``--preferred`` factor counts as enabled even when ``--enabled`` leaves it out, as in
``SetUserMFAPreference`` where a preferred factor must be enabled. ``--phone``, ``--email`` and
``--totp-registered`` default to "implied by the enabled factors" (Cognito refuses to enable a
factor the user can't receive); use ``--no-phone`` etc. to model the inconsistent cases.
``--remembered-device`` implies the pool remembers devices unless ``--no-device-remembering``.
"""

from __future__ import annotations

import argparse
import json

from mfa_widgets.core.signin import explain, predict

HELP = "predict the sign-in challenge Cognito returns for a pool and user"


def register(parser: argparse.ArgumentParser) -> None:
    """Add the ``predict`` arguments to ``parser`` and set ``func``."""
    pool = parser.add_argument_group("pool")
    pool.add_argument(
        "--pool-mfa", required=True, metavar="{OFF,OPTIONAL,ON}", help="MfaConfiguration"
    )
    pool.add_argument(
        "--pool-factors",
        required=True,
        metavar="SMS,TOTP,EMAIL",
        help="factors the pool offers, comma-separated ('none' for none)",
    )
    pool.add_argument("--tier", default="ESSENTIALS", metavar="LITE|ESSENTIALS|PLUS")
    pool.add_argument(
        "--recovery",
        default="admin",
        metavar="email|phone|admin",
        help="primary account-recovery channel (default: admin)",
    )
    pool.add_argument(
        "--device-remembering",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="the pool lets remembered devices skip MFA (default: same as --remembered-device)",
    )
    user = parser.add_argument_group("user")
    user.add_argument(
        "--enabled", default="", metavar="SMS,TOTP,EMAIL", help="factors the user enabled"
    )
    user.add_argument(
        "--preferred",
        default=None,
        metavar="SMS|TOTP|EMAIL|none",
        help="the preferred factor (implies it is enabled)",
    )
    for flag, what in (
        ("--phone", "has a phone_number attribute"),
        ("--email", "has an email attribute"),
        ("--totp-registered", "verified an authenticator app"),
    ):
        user.add_argument(
            flag,
            action=argparse.BooleanOptionalAction,
            default=None,
            help=f"the user {what} (default: implied by --enabled/--preferred)",
        )
    sign_in = parser.add_argument_group("this sign-in")
    sign_in.add_argument(
        "--remembered-device",
        action="store_true",
        help="a confirmed, remembered device key is presented (USER_SRP_AUTH)",
    )
    sign_in.add_argument(
        "--adaptive",
        default="none",
        metavar="none|allow|optional_mfa|require_mfa|block",
        help="adaptive-authentication decision for this sign-in (Plus plan)",
    )
    parser.add_argument("--json", action="store_true", help="print the prediction as JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the prediction for the parsed arguments; returns 0."""
    prediction = predict(
        pool_mfa=args.pool_mfa,
        pool_factors=args.pool_factors,
        tier=args.tier,
        recovery=args.recovery,
        device_remembering=args.device_remembering,
        enabled=args.enabled,
        preferred=args.preferred,
        phone=args.phone,
        email=args.email,
        totp_registered=args.totp_registered,
        remembered_device=args.remembered_device,
        adaptive=args.adaptive,
    )
    if args.json:
        print(json.dumps(prediction.to_json(), indent=2))
    else:
        print(explain(prediction))
    return 0
