"""Deprecated: choice-based sign-in is a flow of :class:`~mfa_widgets.widgets.probe.SignInProbe`.

``ChoiceSignInPanel(client, client_id, ...)`` warns and returns the probe set to the choice flow
(``SignInProbe(client, user_pool_id, client_id, flow="choice", ...)``). It goes in the next
release.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

from mfa_widgets.services.client import MfaClient
from mfa_widgets.widgets.probe import SignInProbe
from mfa_widgets.widgets.state import SignInFlow

__all__ = ["ChoiceSignInPanel"]


def ChoiceSignInPanel(  # noqa: N802 - the deprecated class name, kept one release
    client: MfaClient,
    client_id: str,
    *,
    user_pool_id: str | None = None,
    authenticator: Any = None,
    codes: Callable[[str, str], str] | None = None,
) -> SignInProbe:
    """Deprecated: use ``SignInProbe(client, user_pool_id, client_id, flow="choice", ...)``.

    Parameters
    ----------
    client, client_id
        The client calls go through and the app client (allowing ``ALLOW_USER_AUTH``).
    user_pool_id
        The pool (the probe signs in with ``InitiateAuth``; the admin variant is gone).
    authenticator
        Answers ``WEB_AUTHN`` (e.g. ``SoftwareAuthenticator``).
    codes
        ``codes(username, channel) -> code``: where "Fill code" reads a delivered code.

    Returns
    -------
    SignInProbe
        The probe, its flow selector on the choice-based flow.
    """
    warnings.warn(
        "ChoiceSignInPanel is deprecated: use SignInProbe(client, user_pool_id, client_id, "
        'flow="choice", authenticator=..., codes=...)',
        DeprecationWarning,
        stacklevel=2,
    )
    return SignInProbe(
        client,
        user_pool_id or "",
        client_id,
        flow=SignInFlow.CHOICE,
        authenticator=authenticator,
        codes=codes,
    )
