"""What a user can sign in with, as the passkey and authenticator-reset panels show it."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from mfa_widgets.core.factor_names import describe_auth_factors
from mfa_widgets.widgets._common import block

__all__ = ["factors_html"]


def factors_html(data: Mapping[str, Any]) -> str:
    """``GetUserAuthFactors``'s answer (``data["factors"]``, ``data["totp_registered"]``) as HTML.

    The factors are named by :func:`~mfa_widgets.core.factor_names.describe_auth_factors`, the
    same words every panel uses.
    """
    names = describe_auth_factors(data.get("factors", ()))
    registered = "yes" if data.get("totp_registered") else "no"
    return block(
        f"<b>Can sign in with:</b> {html.escape(names)}<br>"
        f"<b>Authenticator app registered:</b> {registered}"
    )
