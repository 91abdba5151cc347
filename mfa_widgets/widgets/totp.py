"""Register an authenticator app (TOTP): associate, scan the QR code, verify a code.

The TOTP secret is the one thing here that must never persist, not even for a moment. It lives in
a plain attribute while the registration is open; the QR code and the optional secret text are
shown by :class:`~mfa_widgets.widgets.secret_box.SecretView` and the code is typed into a
:class:`~mfa_widgets.widgets.secret_box.CodeBox`: their content travels by one-off messages and is
never widget state, so a notebook saved at any step (with widget state) cannot contain it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w
import segno
import traitlets as t

from mfa_widgets.core.results import TotpEnrollment
from mfa_widgets.core.totp import normalise_code
from mfa_widgets.widgets._common import (
    Panel,
    action,
    header,
    require_code,
    status_line,
    styled,
)
from mfa_widgets.widgets.connection import TokenTarget
from mfa_widgets.widgets.secret_box import CodeBox, SecretView
from mfa_widgets.widgets.state import PanelStatus, StatusKind, TotpStage, TotpState

__all__ = ["TotpEnrollmentPanel"]

_CODE_PROMPT = "6-digit code"


class TotpEnrollmentPanel(Panel):
    """Register an authenticator app for the signed-in user, then let TOTP be enabled.

    Parameters
    ----------
    target
        The signed-in user (:class:`~mfa_widgets.widgets.connection.TokenTarget`): its client
        and access token are used for ``AssociateSoftwareToken`` and ``VerifySoftwareToken``.
    sandbox
        The running sandbox, when the backend is one: adds a "Fill in current code" button that
        computes the code an authenticator app would show.
    on_verified
        Called after a successful verification, e.g.
        :meth:`PreferencePanel.mark_totp_registered` so the preference panel reloads.
    issuer
        The issuer shown by authenticator apps.
    device_name
        The ``FriendlyDeviceName`` sent with the verification.
    """

    def __init__(
        self,
        target: TokenTarget,
        *,
        sandbox: Any = None,
        on_verified: Callable[[], None] | None = None,
        issuer: str = "mfa_widgets",
        device_name: str = "mfa_widgets",
    ) -> None:
        self.target = target
        self.sandbox = sandbox
        self.on_verified = on_verified
        self.issuer = issuer
        self.device_name = device_name
        self.state = TotpState()
        self.status = PanelStatus()
        self._enrollment: TotpEnrollment | None = None  # kernel memory only: holds the secret
        self.associate_button = styled(
            w.Button(description="Associate", icon="qrcode", button_style="primary"),
            "totp",
            "associate",
        )
        self.qr = styled(SecretView(), "totp", "qr")
        self.show_secret = styled(
            w.ToggleButton(description="Show secret", icon="eye"), "totp", "show-secret"
        )
        self.secret = styled(SecretView(), "totp", "secret")
        self.code = styled(CodeBox(description="Code", placeholder=_CODE_PROMPT), "totp", "code")
        self.fill_button = styled(w.Button(description="Fill in current code"), "totp", "fill")
        self.verify_button = styled(w.Button(description="Verify", icon="check"), "totp", "verify")
        self.cancel_button = styled(w.Button(description="Cancel"), "totp", "cancel")
        self._wire()
        self.widget = self._layout()
        self.status.say("Start by associating an authenticator app.", StatusKind.INFO)

    # -- actions -----------------------------------------------------------------------------

    def associate(self) -> None:
        """Call ``AssociateSoftwareToken`` and show the QR code for an authenticator app."""
        if self.status.busy or self.state.stage == TotpStage.ASSOCIATED:
            return  # a click during a call, or a repeated click: keep the QR code being scanned
        with action(self.status, "Associating an authenticator app…"):
            client = self.target.client
            username = self.target.token_info.username or ""
            result = client.associate_totp(access_token=self.target.access_token, username=username)
            result.raise_for_error()
            enrollment: TotpEnrollment = result.data["enrollment"]
            self._enrollment = TotpEnrollment(
                secret=enrollment.secret,
                username=username,
                issuer=self.issuer,
                session=enrollment.session,
            )
            if client.log is not None:
                client.log.add_secret(enrollment.secret)  # the log drops it if it ever shows up
            self.qr.show(svg=qr_svg(self._enrollment.uri))
            self.state.stage = TotpStage.ASSOCIATED
            self.status.say(
                "Scan the QR code with an authenticator app, then type the code it shows.",
                StatusKind.INFO,
            )

    def fill_current_code(self) -> None:
        """Sandbox only: type the code an authenticator app would show now."""
        if self.sandbox is None or self._enrollment is None:
            return
        info = self.target.token_info
        self.code.value = self.sandbox.totp_code(info.user_pool_id, info.username)

    def verify(self, code: str | None = None) -> None:
        """Call ``VerifySoftwareToken`` with ``code`` (default: the code box, which is cleared)."""
        if self.status.busy or self.state.stage != TotpStage.ASSOCIATED:
            return  # a click during a call, or a repeated click after the app was registered
        typed = normalise_code(self.code.take() if code is None else code)
        with action(self.status, "Verifying the code…"):
            require_code(typed, "VerifySoftwareToken", "Verify")
            result = self.target.client.verify_totp(
                typed, access_token=self.target.access_token, device_name=self.device_name
            )
            result.raise_for_error()
            if result.data.get("status") != "SUCCESS":
                self.status.say(
                    f"Cognito answered {result.data.get('status')!r}: try the next code.",
                    StatusKind.ERROR,
                )
                return
            self.discard(stage=TotpStage.VERIFIED)
            self.status.say("Authenticator app registered: TOTP can now be enabled.", StatusKind.OK)
        if self.state.stage == TotpStage.VERIFIED and self.on_verified is not None:
            self.on_verified()

    def discard(self, stage: str = TotpStage.IDLE) -> None:
        """Forget the secret and empty the QR code and secret text (what Cancel does)."""
        self._enrollment = None
        with self.state.hold_trait_notifications():
            self.state.stage = stage
            self.state.show_secret = False
        self.qr.clear()
        self.secret.clear()
        self.code.value = ""
        if stage == TotpStage.IDLE:
            self.status.say("Registration cancelled; the secret was discarded.", StatusKind.INFO)

    def close(self) -> None:
        """Discard the secret, then close the widgets."""
        self.discard()
        super().close()

    # -- view --------------------------------------------------------------------------------

    def _wire(self) -> None:
        self.associate_button.on_click(lambda _b: self.associate())
        self.fill_button.on_click(lambda _b: self.fill_current_code())
        self.verify_button.on_click(lambda _b: self.verify())
        self.cancel_button.on_click(lambda _b: self.discard())
        self.code.on_submit(self.verify)
        t.link((self.state, "show_secret"), (self.show_secret, "value"))
        self.state.observe(self._render_secret, names=["show_secret", "stage"])
        for control in (
            self.show_secret,
            self.code,
            self.fill_button,
            self.verify_button,
            self.cancel_button,
        ):
            t.dlink(
                (self.state, "stage"),
                (control, "disabled"),
                transform=lambda stage: stage != TotpStage.ASSOCIATED,
            )
        t.dlink((self.status, "busy"), (self.associate_button, "disabled"))
        self.fill_button.layout.display = "" if self.sandbox is not None else "none"

    def _render_secret(self, _change: Any = None) -> None:
        enrollment = self._enrollment
        if not self.state.show_secret or enrollment is None:
            self.secret.clear()
            return
        grouped = " ".join(
            enrollment.secret[i : i + 4] for i in range(0, len(enrollment.secret), 4)
        )
        self.secret.show(text=grouped, caption="Secret (type it into the app if you cannot scan):")

    def _layout(self) -> w.Widget:
        code_row = w.HBox([self.code, self.fill_button, self.verify_button, self.cancel_button])
        return styled(
            w.VBox(
                [
                    header("Authenticator app (TOTP) registration"),
                    self.associate_button,
                    self.qr,
                    w.HBox([self.show_secret]),
                    self.secret,
                    code_row,
                    status_line(self.status),
                ]
            ),
            "totp-panel",
        )


def qr_svg(uri: str) -> str:
    """The QR code of ``uri`` as inline SVG (no file, no data URI kept anywhere else)."""
    return str(segno.make(uri, error="m").svg_inline(scale=4, border=2))
