"""Passkeys and sign-in factors of the signed-in user: what they can sign in with, passkey MFA.

The panel shows ``GetUserAuthFactors`` (so "is an authenticator app registered?" has an answer),
the registered passkeys, a button registering a new passkey with an authenticator object (the
toolkit's :class:`~mfa_widgets.services.passkey_authenticator.SoftwareAuthenticator` on the
sandbox), and passkey MFA as an on/off switch: there is no "prefer" box, because Cognito's
``WebAuthnMfaSettings`` has none. Every call goes through
:class:`~mfa_widgets.services.client.MfaClient`; errors appear in the status line with their hint.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w

from mfa_widgets.core.preferences import MfaPreference
from mfa_widgets.core.results import CallResult
from mfa_widgets.widgets._common import Panel, action, block, header, status_line, styled
from mfa_widgets.widgets.auth_factors import factors_html
from mfa_widgets.widgets.clicks import one_at_a_time
from mfa_widgets.widgets.connection import TokenTarget
from mfa_widgets.widgets.layout import fitted, wrapping_row
from mfa_widgets.widgets.state import PanelStatus, StatusKind

__all__ = ["PasskeyPanel"]


class PasskeyPanel(Panel):
    """Sign-in factors, passkeys and passkey MFA of the signed-in user.

    Parameters
    ----------
    target
        The signed-in user (:class:`~mfa_widgets.widgets.connection.TokenTarget`).
    authenticator
        An object with ``create(options)`` making a passkey (e.g.
        :class:`~mfa_widgets.services.passkey_authenticator.SoftwareAuthenticator`); without
        one the register button is disabled (a browser registers passkeys itself).
    """

    def __init__(self, target: TokenTarget, *, authenticator: Any = None) -> None:
        self.target = target
        self.authenticator = authenticator
        self.status = PanelStatus()
        self.factors = styled(w.HTML(), "passkeys", "factors")
        self.passkeys = styled(w.HTML(), "passkeys", "list")
        self.refresh_button = styled(
            fitted(w.Button(description="Refresh", icon="refresh")), "passkeys", "refresh"
        )
        self.register_button = styled(
            fitted(
                w.Button(
                    description="Register a passkey",
                    icon="key",
                    button_style="primary",
                    disabled=authenticator is None,
                )
            ),
            "passkeys",
            "register",
        )
        self.passkey_mfa = styled(
            w.Checkbox(description="Passkey MFA (on or off; never preferred)", indent=False),
            "passkeys",
            "mfa",
        )
        self.apply_button = styled(
            fitted(w.Button(description="Apply passkey MFA", icon="check")), "passkeys", "apply"
        )
        self.refresh_button.on_click(lambda _b: self.refresh())
        self.register_button.on_click(lambda _b: self.register())
        self.apply_button.on_click(lambda _b: self.apply_passkey_mfa())
        self.status.observe(self._busy, names=["busy"])
        self.widget = styled(
            w.VBox(
                [
                    header("Passkeys and sign-in factors"),
                    self.factors,
                    self.passkeys,
                    wrapping_row([self.register_button, self.refresh_button]),
                    wrapping_row([self.passkey_mfa, self.apply_button]),
                    status_line(self.status),
                ]
            ),
            "passkeys",
        )

    def _busy(self, change: Any) -> None:
        for button in (self.refresh_button, self.apply_button):
            button.disabled = bool(change["new"])
        self.register_button.disabled = bool(change["new"]) or self.authenticator is None

    @one_at_a_time
    def refresh(self) -> None:
        """Read the factors (``GetUserAuthFactors``) and passkeys (``ListWebAuthnCredentials``)."""
        self._refresh()

    def _refresh(self) -> None:
        with action(self.status, "Reading sign-in factors…"):
            client, token = self.target.client, self.target.access_token
            factors = client.get_auth_factors(token).raise_for_error()
            passkeys = client.list_passkeys(token).raise_for_error()
            self._show(factors, passkeys)
            self.status.say("Up to date.", StatusKind.OK)

    @one_at_a_time
    def register(self) -> None:
        """Register a passkey made by the authenticator, then refresh."""
        with action(self.status, "Registering a passkey…"):
            client, token = self.target.client, self.target.access_token
            client.register_passkey(token, self.authenticator).raise_for_error()
        if self.status.kind != StatusKind.ERROR:
            self._refresh()
        if self.status.kind == StatusKind.OK:
            self.status.say("Passkey registered.", StatusKind.OK)

    @one_at_a_time
    def apply_passkey_mfa(self) -> None:
        """Turn passkey MFA on or off as the checkbox says (``WebAuthnMfaSettings``)."""
        wanted = MfaPreference(webauthn=bool(self.passkey_mfa.value))
        with action(self.status, "Writing passkey MFA…"):
            client, token = self.target.client, self.target.access_token
            client.set_preference(token, wanted).raise_for_error()
            state = "on" if wanted.webauthn else "off"
            self.status.say(f"Passkey MFA is {state}.", StatusKind.OK)

    def _show(self, factors: CallResult, passkeys: CallResult) -> None:
        self.factors.value = factors_html(factors.data)
        rows = [
            f"{html.escape(str(p.get('FriendlyCredentialName', '')))} "
            f"({html.escape(str(p.get('RelyingPartyId', '')))})"
            for p in passkeys.data.get("passkeys", [])
        ]
        self.passkeys.value = block(
            "<b>Passkeys:</b> " + (html.escape(", ").join(rows) if rows else "none registered")
        )
