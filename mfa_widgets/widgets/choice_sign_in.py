"""A sign-in probe for choice-based sign-in (``USER_AUTH``): pick, answer, see each step.

Start with or without a preferred first factor; Cognito answers ``SELECT_CHALLENGE`` (the offered
first factors become buttons), a code challenge (``EMAIL_OTP``, ``SMS_OTP`` or an MFA code), or
``WEB_AUTHN`` (answered with a passkey from an authenticator object). Every step goes through
:class:`~mfa_widgets.services.client.MfaClient` and its log (flow and first factor included).
The password and code boxes are emptied as soon as they are read, so no secret stays in widget
state; the challenge session lives only in kernel memory.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from mfa_widgets.core.errors import CognitoError
from mfa_widgets.services.client import MfaClient
from mfa_widgets.services.client.signin import SignIn
from mfa_widgets.widgets._common import Panel, action, block, header, status_line, styled
from mfa_widgets.widgets.state import PanelStatus, StatusKind

__all__ = ["ChoiceSignInPanel"]

_PREFERRED = [
    ("none: let Cognito list the choices", ""),
    ("PASSWORD", "PASSWORD"),
    ("EMAIL_OTP (code by email)", "EMAIL_OTP"),
    ("SMS_OTP (code by SMS)", "SMS_OTP"),
    ("WEB_AUTHN (passkey)", "WEB_AUTHN"),
]
_CHANNELS = {"EMAIL_OTP": "EMAIL", "SMS_OTP": "SMS", "SMS_MFA": "SMS"}


class ChoiceSignInPanel(Panel):
    """Sign in with ``AuthFlow=USER_AUTH``, one step at a time.

    Parameters
    ----------
    client
        The client calls go through.
    client_id
        The app client (it must allow ``ALLOW_USER_AUTH``).
    user_pool_id
        Given: the admin variant (``AdminInitiateAuth``, IAM credentials).
    authenticator
        An object with ``get(options)`` answering ``WEB_AUTHN`` (e.g. ``SoftwareAuthenticator``).
    codes
        ``codes(username, channel) -> code``: fills in a delivered code (the sandbox's
        ``latest_code`` in demos); without it the user types the code.
    """

    def __init__(
        self,
        client: MfaClient,
        client_id: str,
        *,
        user_pool_id: str | None = None,
        authenticator: Any = None,
        codes: Callable[[str, str], str] | None = None,
    ) -> None:
        self.client = client
        self.client_id = client_id
        self.user_pool_id = user_pool_id
        self.authenticator = authenticator
        self.codes = codes
        self.status = PanelStatus()
        self.attempt: SignIn | None = None  # kernel memory only: holds the session
        self.username = styled(w.Text(description="Username"), "choice", "username")
        self.password = styled(w.Password(description="Password"), "choice", "password")
        self.preferred = styled(
            w.Dropdown(description="Preferred", options=_PREFERRED, value=""),
            "choice",
            "preferred",
        )
        self.start_button = styled(
            w.Button(description="Start USER_AUTH", button_style="primary"), "choice", "start"
        )
        self.choices = styled(w.ToggleButtons(options=[]), "choice", "choices")
        self.choose_button = styled(w.Button(description="Answer choice"), "choice", "choose")
        self.code = styled(w.Text(description="Code"), "choice", "code")
        self.code_button = styled(w.Button(description="Send code"), "choice", "send-code")
        self.passkey_button = styled(
            w.Button(description="Use passkey", icon="key", disabled=authenticator is None),
            "choice",
            "passkey",
        )
        self.step = styled(w.HTML(), "choice", "step")
        self.start_button.on_click(lambda _b: self.start())
        self.choose_button.on_click(lambda _b: self.choose())
        self.code_button.on_click(lambda _b: self.send_code())
        self.passkey_button.on_click(lambda _b: self.use_passkey())
        self.widget = w.VBox(
            [
                header("Choice-based sign-in (USER_AUTH)"),
                w.HBox([self.username, self.password]),
                w.HBox([self.preferred, self.start_button]),
                w.HBox([self.choices, self.choose_button]),
                w.HBox([self.code, self.code_button, self.passkey_button]),
                self.step,
                status_line(self.status),
            ]
        )

    def _take_password(self) -> str | None:
        password = self.password.value or None
        self.password.value = ""  # never left in widget state
        return password

    def start(self) -> None:
        """``InitiateAuth(USER_AUTH)`` with the preferred first factor, if one is chosen."""
        with action(self.status, "Starting the sign-in…"):
            self._show(
                self.client.sign_in(
                    self.client_id,
                    self.username.value.strip(),
                    flow="choice",
                    preferred=self.preferred.value or None,
                    password=self._take_password(),
                    user_pool_id=self.user_pool_id,
                )
            )

    def choose(self) -> None:
        """Answer ``SELECT_CHALLENGE`` with the selected first factor (and the password)."""
        with action(self.status, "Answering the choice…"):
            self._show(
                self._current().choose(str(self.choices.value), password=self._take_password())
            )

    def send_code(self) -> None:
        """Answer a code challenge with the code box (or the ``codes`` source)."""
        with action(self.status, "Sending the code…"):
            attempt = self._current()
            code = self.code.value.strip()
            self.code.value = ""  # never left in widget state
            channel = _CHANNELS.get(str(attempt.challenge))
            if not code and self.codes is not None and channel is not None:
                code = self.codes(attempt.username, channel)
            self._show(attempt.answer(code))

    def use_passkey(self) -> None:
        """Answer ``WEB_AUTHN`` with the authenticator's passkey."""
        with action(self.status, "Signing the passkey challenge…"):
            self._show(self._current().answer(self.authenticator))

    def _current(self) -> SignIn:
        if self.attempt is None or self.attempt.challenge is None:
            raise _no_challenge()
        return self.attempt

    def _show(self, attempt: SignIn) -> None:
        self.attempt = attempt
        attempt_error = attempt.error
        if attempt_error is not None:
            raise attempt_error
        if attempt.signed_in:
            self.step.value = block("<b>Signed in:</b> tokens issued (kept in the kernel).")
            self.choices.options = []
            self.status.say("Signed in.", StatusKind.OK)
            return
        offered = attempt.options if attempt.challenge == "SELECT_CHALLENGE" else ()
        self.choices.options = list(offered)
        where = attempt.delivery.get("destination", "")
        sent = f" (code sent to {html.escape(where)})" if where else ""
        self.step.value = block(f"<b>Cognito asks:</b> {html.escape(str(attempt.challenge))}{sent}")
        self.status.say(f"Answer {attempt.challenge}.", StatusKind.INFO)


def _no_challenge() -> CognitoError:
    return CognitoError(
        "MissingInput",
        "no challenge is open",
        "RespondToAuthChallenge",
        hint="Start a sign-in first.",
    )
