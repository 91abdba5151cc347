"""Reset a user's lost authenticator app (admin), after a confirmation, and see the next sign-in.

``AdminDeleteSoftwareToken`` removes the user's TOTP registration and any TOTP preference; other
factors stay and the user can register a new authenticator. Before and after, the panel shows
what the user can sign in with (``AdminGetUserAuthFactors``: the registration is visible even when
TOTP is not enabled) and what the next password sign-in will ask, predicted by the core rules.
"""

from __future__ import annotations

import ipywidgets as w

from mfa_widgets.core.signin import Prediction
from mfa_widgets.services.audit import predict_sign_in
from mfa_widgets.widgets._common import Panel, action, block, header, status_line, styled
from mfa_widgets.widgets.auth_factors import factors_html
from mfa_widgets.widgets.clicks import one_at_a_time
from mfa_widgets.widgets.connection import AdminTarget
from mfa_widgets.widgets.layout import fitted, wrapping_row
from mfa_widgets.widgets.markup import Html, HtmlView, markup
from mfa_widgets.widgets.state import PanelStatus, StatusKind

__all__ = ["AuthenticatorResetPanel"]


class AuthenticatorResetPanel(Panel):
    """Reset one user's authenticator app, with a confirmation step.

    Parameters
    ----------
    target
        The user, reached with IAM credentials
        (:class:`~mfa_widgets.widgets.connection.AdminTarget`).
    """

    def __init__(self, target: AdminTarget) -> None:
        self.target = target
        self.status = PanelStatus()
        self.factors = styled(HtmlView(), "reset", "factors")
        self.next_sign_in = styled(HtmlView(), "reset", "next")
        self.refresh_button = styled(
            fitted(w.Button(description="Refresh", icon="refresh")), "reset", "refresh"
        )
        self.reset_button = styled(
            # No "warning" style: white on the theme's orange is 2.7:1 (WCAG AA needs 4.5:1);
            # the confirmation step carries the caution.
            fitted(w.Button(description="Reset authenticator…", icon="undo")),
            "reset",
            "reset",
        )
        self.question = styled(HtmlView(), "reset", "question")
        self.confirm_button = styled(
            fitted(w.Button(description="Yes, reset it", button_style="danger")), "reset", "confirm"
        )
        self.cancel_button = styled(fitted(w.Button(description="Cancel")), "reset", "cancel")
        self.confirm_row = wrapping_row([self.question, self.confirm_button, self.cancel_button])
        self.confirm_row.layout.display = "none"
        self.refresh_button.on_click(lambda _b: self.refresh())
        self.reset_button.on_click(lambda _b: self.ask())
        self.confirm_button.on_click(lambda _b: self.confirm())
        self.cancel_button.on_click(lambda _b: self.cancel())
        self.widget = styled(
            w.VBox(
                [
                    header(f"Reset the authenticator app of {target.username}"),  # header escapes
                    self.factors,
                    self.next_sign_in,
                    wrapping_row([self.reset_button, self.refresh_button]),
                    self.confirm_row,
                    status_line(self.status),
                ]
            ),
            "reset",
        )

    @property
    def confirming(self) -> bool:
        """True while the confirmation question is shown."""
        return bool(self.confirm_row.layout.display != "none")

    @one_at_a_time
    def refresh(self) -> None:
        """Read the factors and predict the next password sign-in."""
        self._refresh()

    def _refresh(self) -> None:
        with action(self.status, "Reading the user's factors…"):
            client, pool_id, username = (
                self.target.client,
                self.target.user_pool_id,
                self.target.username,
            )
            factors = client.admin_get_auth_factors(pool_id, username).raise_for_error()
            registered = bool(factors.data.get("totp_registered"))
            self.factors.value = factors_html(factors.data)
            prediction, reason = predict_sign_in(client, pool_id, username, totp_known=registered)
            self.next_sign_in.value = block(_next(prediction, reason))
            self.status.say("Up to date.", StatusKind.OK)

    def ask(self) -> None:
        """Show the confirmation question (nothing is changed yet)."""
        self.question.value = block(
            markup(
                "Reset {}'s authenticator app? They will have to register a new one; their other "
                "factors stay.",
                self.target.username,
            )
        )
        self.confirm_row.layout.display = "flex"

    def cancel(self) -> None:
        """Hide the question; nothing was changed."""
        self.confirm_row.layout.display = "none"
        self.status.say("Nothing was changed.", StatusKind.INFO)

    @one_at_a_time
    def confirm(self) -> None:
        """Reset the authenticator (``AdminDeleteSoftwareToken``), then refresh."""
        if not self.confirming:
            return  # the second click of a double click: the reset ran, its result stays
        self.confirm_row.layout.display = "none"
        with action(self.status, "Resetting the authenticator…"):
            self.target.client.admin_reset_totp(
                self.target.user_pool_id, self.target.username
            ).raise_for_error()
        if self.status.kind != StatusKind.ERROR:
            self._refresh()
            self.status.say("The authenticator app was reset.", StatusKind.OK)


def _next(prediction: Prediction | None, reason: str) -> Html:
    if prediction is None:
        return markup("<b>Next sign-in:</b> unknown ({})", reason)
    return markup(
        "<b>Next sign-in:</b> {}<br><small>{}</small>", prediction.summary, prediction.rule
    )
