"""What a user can sign in with, as the passkey and authenticator-reset panels show it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mfa_widgets.core.factor_names import describe_auth_factors
from mfa_widgets.widgets._common import block
from mfa_widgets.widgets.markup import Html, markup

__all__ = ["factors_html"]


def factors_html(data: Mapping[str, Any]) -> Html:
    """``GetUserAuthFactors``'s answer (``data["factors"]``, ``data["totp_registered"]``) as HTML.

    The factors are named by :func:`~mfa_widgets.core.factor_names.describe_auth_factors`, the
    same words every panel uses.
    """
    names = describe_auth_factors(data.get("factors", ()))
    registered = "yes" if data.get("totp_registered") else "no"
    return block(
        markup(
            "<b>Can sign in with:</b> {}<br><b>Authenticator app registered:</b> {}",
            names,
            registered,
        )
    )
