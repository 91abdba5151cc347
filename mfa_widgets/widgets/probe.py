"""The sign-in probe: sign in, see the challenge Cognito returned next to the predicted one.

The probe asks the core (:func:`~mfa_widgets.core.challenges.predict_challenge`) what Cognito should
answer, from the pool's configuration and the user's facts read through the client, signs in with
``InitiateAuth`` and lets the user answer the challenge to the end: a code (SMS, email,
authenticator), a factor choice (``SELECT_MFA_TYPE``) or an authenticator set-up (``MFA_SETUP``).
Every step goes through :class:`~mfa_widgets.services.client.MfaClient`, which logs it with the
prediction.

The password is read from a ``Password`` box that syncs only on Enter or when the box loses focus,
moved to a plain attribute and the box emptied at once; it is forgotten after the attempt. Tokens,
challenge sessions and the TOTP secret live in plain attributes only. One-time codes are typed into
a :class:`~mfa_widgets.widgets.secret_box.CodeBox` and the set-up QR code is shown by a
:class:`~mfa_widgets.widgets.secret_box.SecretView`: neither is ever widget state.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as w
import traitlets as t

from mfa_widgets.core.challenges import Prediction, SignInContext, explain
from mfa_widgets.core.errors import CognitoError
from mfa_widgets.core.labels import NO_CHALLENGE, prediction_label
from mfa_widgets.core.outcomes import is_decision, outcome_category, user_error_text
from mfa_widgets.core.preferences import Factor
from mfa_widgets.core.results import SignInAttempt, Tokens, TotpEnrollment
from mfa_widgets.core.totp import normalise_code
from mfa_widgets.services.audit import predict_sign_in
from mfa_widgets.services.client import MfaClient
from mfa_widgets.services.client.signin import SignIn
from mfa_widgets.widgets._common import (
    Panel,
    action,
    block,
    header,
    require_code,
    require_input,
    status_line,
    styled,
)
from mfa_widgets.widgets.flow_state import ProbeStage, ProbeState
from mfa_widgets.widgets.secret_box import CodeBox, SecretView
from mfa_widgets.widgets.state import PanelStatus, StatusKind
from mfa_widgets.widgets.theme import accented
from mfa_widgets.widgets.totp import qr_svg

__all__ = ["SIGNED_IN", "SignInProbe"]

#: What the probe says once tokens are issued.
SIGNED_IN = "Signed in (tokens issued; held in kernel memory only)."
_PASSWORD_HELD = "password received (held in kernel memory only)"  # noqa: S105 - not a secret
_CODE_CHALLENGES = {f.api_name: f for f in Factor}  # SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP
_OUTBOX_CHANNEL = {Factor.SMS: "SMS", Factor.EMAIL: "EMAIL"}
_IN_PROGRESS = (ProbeStage.CHALLENGED, ProbeStage.SETTING_UP, ProbeStage.SIGNED_IN)


class SignInProbe(Panel):
    """Sign a user in, compare the challenge with the prediction, and answer it to the end.

    Parameters
    ----------
    client
        The client every call goes through (and is logged by).
    user_pool_id, client_id
        The pool (for the prediction) and its app client allowing ``USER_PASSWORD_AUTH``.
    sandbox
        A running :class:`mfa_widgets.sandbox.Sandbox`: adds buttons that fill in the code from
        the sandbox's outbox or the current authenticator code.
    passwords
        Known passwords by username (e.g. the sandbox demo users'), kept in kernel memory: adds
        a "Use demo password" button so a demo needs no typing.
    context
        The sign-in situation the prediction assumes.
    username
        Initial username.
    on_signed_in
        Called with the :class:`~mfa_widgets.core.results.Tokens` once a sign-in completes.

    Attributes
    ----------
    state
        What the probe shows (:class:`~mfa_widgets.widgets.flow_state.ProbeState`).
    status
        The status line and busy flag.
    attempt
        The last :class:`~mfa_widgets.core.results.SignInAttempt` (its session is not in ``repr``).
    prediction
        The core's prediction for the password step, or ``None`` when it could not be made.
    """

    def __init__(
        self,
        client: MfaClient,
        user_pool_id: str,
        client_id: str,
        *,
        sandbox: Any = None,
        passwords: Mapping[str, str] | None = None,
        context: SignInContext | None = None,
        username: str = "",
        on_signed_in: Callable[[Tokens], None] | None = None,
    ) -> None:
        self.client = client
        self.user_pool_id = user_pool_id
        self.client_id = client_id
        self.sandbox = sandbox
        self.context = context
        self.on_signed_in = on_signed_in
        self.state = ProbeState(username=username)
        self.status = PanelStatus()
        self.attempt: SignIn | None = None
        self.prediction: Prediction | None = None
        # Kernel memory only, never traits or widget values:
        self._passwords = dict(passwords or {})
        self._registered: set[str] = set()  # users who set up an authenticator here
        self._password = ""
        self._tokens: Tokens | None = None
        self._enrollment: TotpEnrollment | None = None
        self._build_controls()
        self.widget = self._layout()
        self._wire()
        self._render()

    # -- public values ---------------------------------------------------------------------------

    @property
    def tokens(self) -> Tokens | None:
        """The tokens of the completed sign-in (kernel memory only; never display them)."""
        return self._tokens

    def use_password(self, password: str) -> None:
        """Hold ``password`` in kernel memory for the next sign-in (it is never a widget value)."""
        self._password = password
        self.state.password_held = bool(password)

    # -- actions ---------------------------------------------------------------------------------

    def sign_in(self, username: str | None = None, password: str | None = None) -> None:
        """Predict, then start the sign-in; the held password is forgotten afterwards."""
        if username is not None:
            self.state.username = username
        if password is not None:
            self.use_password(password)
        if self.status.busy:
            return  # a click during a call
        name = self.state.username.strip()
        if not self._password and self.state.stage in _IN_PROGRESS:
            return  # a repeated click (no new password): keep the challenge just received
        secret, self._password = self._password, ""
        self.state.password_held = False
        self._reset()
        with action(self.status, f"Signing in {name}…"):
            require_input(name, "the username", "InitiateAuth")
            require_input(secret, "the password (press Enter after it)", "InitiateAuth")
            self.prediction, problem = predict_sign_in(
                self.client, self.user_pool_id, name, self.context, name in self._registered
            )
            self.state.explanation = (
                explain(self.prediction)
                if self.prediction
                else f"No prediction: {problem}. The sign-in still runs."
            )
            self._step(
                self.client.sign_in(self.client_id, name, secret, predicted=self.prediction),
                prediction_label(self.prediction) if self.prediction else "",
            )

    def answer(self, code: str | None = None) -> None:
        """Answer a code challenge with ``code`` (default: the code box, which is cleared)."""
        if self.status.busy:
            return  # a click during a call
        typed = self._take_code(code)
        attempt = self.attempt
        if attempt is None or attempt.challenge not in _CODE_CHALLENGES:
            if self.state.stage == ProbeStage.IDLE:
                self.status.say("There is no code challenge to answer: sign in first.")
            return  # otherwise a repeated click after the challenge was answered: keep the result
        if not typed and self.status.kind == StatusKind.ERROR:
            return  # a repeated click after a wrong code: keep "wrong code" on show
        with action(self.status, f"Answering {attempt.challenge}…"):
            _require_code(typed, "RespondToAuthChallenge")
            self._step(attempt.answer(typed, predicted=NO_CHALLENGE), NO_CHALLENGE)

    def choose(self, factor: str | Factor | None = None) -> None:
        """Answer ``SELECT_MFA_TYPE`` with ``factor`` (default: the chooser's value)."""
        if self.status.busy:
            return  # a click during a call
        attempt = self.attempt
        picked = factor if factor is not None else self.factor_choice.value
        if attempt is None or attempt.challenge != "SELECT_MFA_TYPE":
            if self.state.stage == ProbeStage.IDLE:
                self.status.say("There is no factor choice to make: sign in first.")
            return  # otherwise a repeated click after the choice was made: keep the result
        if not picked:
            self.status.say(f"Pick one of {', '.join(attempt.options)}, then Choose.")
            return
        with action(self.status, "Sending the chosen factor…"):
            expected = Factor.parse(picked).api_name  # choosing a factor asks for its code
            self._step(attempt.choose(str(picked), predicted=expected), expected)

    def start_setup(self) -> None:
        """``MFA_SETUP``: associate an authenticator with the challenge session; show the QR."""
        if self.status.busy or self.state.stage == ProbeStage.SETTING_UP:
            return  # a click during a call, or a repeated click: keep the QR code on show
        attempt = self.attempt
        if attempt is None or attempt.challenge != "MFA_SETUP":
            self.status.say("There is no MFA_SETUP challenge: sign in first.")
            return
        with action(self.status, "Associating an authenticator app…"):
            result = self.client.associate_totp(session=attempt.session, username=attempt.username)
            result.raise_for_error()
            self._enrollment = result.data["enrollment"]
            if self.client.log is not None:
                self.client.log.add_secret(self._enrollment.secret)
            self.qr.show(svg=qr_svg(self._enrollment.uri))
            self.state.stage = ProbeStage.SETTING_UP
            self.status.say("Scan the QR code, then type the code the app shows and Verify.")

    def verify_setup(self, code: str | None = None) -> None:
        """``MFA_SETUP``: verify the authenticator code, then finish the sign-in."""
        if self.status.busy:
            return  # a click during a call
        typed = self._take_code(code)
        attempt, enrollment = self.attempt, self._enrollment
        if attempt is None or enrollment is None:
            if self.state.stage != ProbeStage.SIGNED_IN:  # else: a repeated click, keep the result
                self.status.say("Set up the authenticator first.")
            return
        with action(self.status, "Verifying the authenticator code…"):
            _require_code(typed, "VerifySoftwareToken")
            verified = self.client.verify_totp(typed, session=enrollment.session)
            verified.raise_for_error()
            self._registered.add(attempt.username)
            self._forget_enrollment()
            finished = attempt.set_up(str(verified.data.get("session", "")), predicted=NO_CHALLENGE)
            self._step(finished, NO_CHALLENGE)

    def fill_code(self) -> None:
        """Sandbox only: put the delivered code (or the current authenticator code) in the box."""
        attempt = self.attempt
        if self.sandbox is None or attempt is None:
            return
        with action(self.status, "Reading the code from the sandbox…"):
            try:
                self.code.value = self._sandbox_code(attempt)
            except LookupError as error:
                raise CognitoError(
                    "NoCode", str(error), "outbox", hint="No code was delivered for this user yet."
                ) from None
            self.status.say("Code filled in from the sandbox: press Answer (or Verify).")

    def use_known_password(self) -> None:
        """Hold the known password of the typed username (demo users), if there is one."""
        known = self._passwords.get(self.state.username.strip())
        if known is None:
            self.status.say(f"No known password for {self.state.username!r}.", StatusKind.ERROR)
            return
        self.use_password(known)
        self.status.say("Demo password ready (held in kernel memory only): press Sign in.")

    def reset(self) -> None:
        """Forget the attempt, its session and any set-up in progress."""
        self._reset()
        self.status.say("")

    def close(self) -> None:
        """Forget every secret, then close the widgets."""
        self._reset()
        self._password = ""
        self._tokens = None
        super().close()

    # -- steps -----------------------------------------------------------------------------------

    def _step(self, attempt: SignIn, predicted: str) -> None:
        """Show what one sign-in step gave; keep the previous attempt when the step failed."""
        observed = "ERROR" if attempt.error else (attempt.challenge or NO_CHALLENGE)
        error = attempt.error
        code, message = (error.code, error.message) if error is not None else (None, None)
        outcome = "error" if error else ("tokens" if attempt.tokens is not None else "challenge")
        category = outcome_category(outcome, code, message)
        with self.state.hold_trait_notifications():
            self.state.predicted = predicted
            self.state.observed = observed
            self.state.category = category
            self.state.problem = user_error_text(code, message) if category == "user_error" else ""
            if error is not None and not is_decision(category):
                self.state.explanation = self._no_decision_text(category)
        if error is not None:
            if self.attempt is None:
                self.state.stage = ProbeStage.FAILED
            raise error  # `action` shows the hint; a challenge stays answerable
        self.attempt = attempt
        with self.state.hold_trait_notifications():
            self.state.options = attempt.options
            self.state.delivery = _delivery_text(attempt.delivery)
            if attempt.tokens is not None:
                self._tokens = attempt.tokens
                self.attempt = None  # the session is spent
                self.state.stage = ProbeStage.SIGNED_IN
            else:
                self.state.stage = ProbeStage.CHALLENGED
        if attempt.tokens is not None:
            self.status.say(SIGNED_IN, StatusKind.OK)
            if self.on_signed_in is not None:
                self.on_signed_in(attempt.tokens)
        else:
            self.status.say(_next_step(attempt), StatusKind.INFO)

    def _no_decision_text(self, category: str) -> str:
        """The rule text after a step where Cognito decided nothing (a typo, a failure)."""
        open_challenge = self.attempt.challenge if self.attempt is not None else None
        cause = (
            f"Not a prediction miss: {self.state.problem}."
            if category == "user_error"
            else "Not a prediction miss: Cognito could not answer (see the hint below)."
        )
        if open_challenge:
            return (
                f"{cause} Cognito made no new decision: its {open_challenge} challenge is "
                "still open, so answer it again."
            )
        return f"{cause} Cognito made no MFA decision: the sign-in stopped before MFA."

    def _submit_code(self) -> None:
        """Enter in the code box: answer the challenge, or verify the authenticator set-up."""
        if self.state.stage == ProbeStage.SETTING_UP:
            self.verify_setup()
        else:
            self.answer()

    def _take_code(self, code: str | None) -> str:
        return normalise_code(self.code.take() if code is None else code)

    def _sandbox_code(self, attempt: SignInAttempt) -> str:
        factor = _CODE_CHALLENGES.get(attempt.challenge or "")
        if factor in _OUTBOX_CHANNEL:
            return str(
                self.sandbox.latest_code(
                    attempt.username, _OUTBOX_CHANNEL[factor], pool=self.user_pool_id
                )
            )
        return str(self.sandbox.totp_code(self.user_pool_id, attempt.username))

    def _reset(self) -> None:
        self.attempt = None
        self.prediction = None
        self._forget_enrollment()
        self.code.value = ""
        with self.state.hold_trait_notifications():
            self.state.stage = ProbeStage.IDLE
            self.state.observed = ""
            self.state.predicted = ""
            self.state.explanation = ""
            self.state.options = ()
            self.state.delivery = ""
            self.state.category = ""
            self.state.problem = ""

    def _forget_enrollment(self) -> None:
        self._enrollment = None
        self.qr.clear()

    # -- view ------------------------------------------------------------------------------------

    def _build_controls(self) -> None:
        self.username = styled(w.Text(description="Username"), "probe", "username")
        self.password = styled(
            w.Password(description="Password", continuous_update=False), "probe", "password"
        )
        self.demo_password = styled(
            w.Button(description="Use demo password", icon="key", layout=w.Layout(width="auto")),
            "probe",
            "demo-password",
        )
        self.signin_button = styled(
            w.Button(description="Sign in", button_style="primary", icon="sign-in"),
            "probe",
            "signin",
        )
        self.observed = styled(w.HTML(), "probe", "observed")
        self.predicted = styled(w.HTML(), "probe", "predicted")
        self.verdict = styled(w.HTML(), "probe", "verdict")
        self.explanation = styled(w.HTML(), "probe", "explanation")
        self.code = styled(CodeBox(description="Code", placeholder="6-digit code"), "probe", "code")
        self.fill_button = styled(w.Button(description="Fill code from outbox"), "probe", "fill")
        self.answer_button = styled(w.Button(description="Answer", icon="check"), "probe", "answer")
        self.factor_choice = styled(
            w.ToggleButtons(options=[], description="Factor"), "probe", "factor"
        )
        self.choose_button = styled(w.Button(description="Choose"), "probe", "choose")
        self.setup_button = styled(
            w.Button(description="Set up authenticator", icon="qrcode"), "probe", "setup"
        )
        self.qr = styled(SecretView(), "probe", "qr")
        self.verify_button = styled(w.Button(description="Verify", icon="check"), "probe", "verify")
        self.reset_button = styled(w.Button(description="Start over"), "probe", "reset")

    def _wire(self) -> None:
        t.link((self.state, "username"), (self.username, "value"))
        self.password.observe(self._take_password, names="value")
        self.demo_password.on_click(lambda _b: self.use_known_password())
        self.signin_button.on_click(lambda _b: self.sign_in())
        self.answer_button.on_click(lambda _b: self.answer())
        self.choose_button.on_click(lambda _b: self.choose())
        self.setup_button.on_click(lambda _b: self.start_setup())
        self.verify_button.on_click(lambda _b: self.verify_setup())
        self.fill_button.on_click(lambda _b: self.fill_code())
        self.reset_button.on_click(lambda _b: self.reset())
        self.code.on_submit(self._submit_code)
        for button in (
            self.signin_button,
            self.answer_button,
            self.choose_button,
            self.setup_button,
            self.verify_button,
            self.fill_button,
        ):
            t.dlink((self.status, "busy"), (button, "disabled"))
        self.state.observe(self._render, names=list(self.state.trait_names()))
        self.state.observe(self._on_username, names="username")
        self.demo_password.layout.display = "" if self._passwords else "none"

    def _on_username(self, change: Any) -> None:
        """Another user (typed, or picked in the dashboard): an open sign-in is not theirs."""
        attempt = self.attempt
        if attempt is not None and str(change.new).strip() != attempt.username:
            self._reset()
            self.status.say(
                f"The sign-in of {attempt.username} was abandoned: sign in {change.new} to "
                "start theirs.",
                StatusKind.INFO,
            )

    def _take_password(self, change: Any) -> None:
        """Move a typed password from the synced box into kernel memory and empty the box."""
        if not change.new:
            return
        self.password.value = ""  # scrub the synced state before anything else can fail
        self.use_password(change.new)

    def _render(self, _change: Any = None) -> None:
        state = self.state
        self.password.placeholder = _PASSWORD_HELD if state.password_held else ""
        self.observed.value = block(_labelled("Cognito returned", state.observed))
        self.predicted.value = block(_labelled("Predicted", state.predicted))
        agrees = state.agrees
        kind, text = _verdict(agrees, state.category, state.problem)
        self.verdict.value = block(
            accented(
                html.escape(text), _VERDICT_ACCENT[kind], tag="span", classes="mfa-verdict-text"
            )
            if text
            else ""
        )
        for old in ("agree", "disagree", "typo", "no-decision"):
            self.verdict.remove_class(f"mfa-probe-{old}")
        if kind:
            self.verdict.add_class(f"mfa-probe-{kind}")
        self.explanation.value = block(
            f'<pre style="white-space:pre-wrap;font-size:12px;margin:0">'
            f"{html.escape(state.explanation)}</pre>"
            if state.explanation
            else ""
        )
        challenge = self.attempt.challenge if self.attempt else None
        code_step = state.stage == ProbeStage.CHALLENGED and challenge in _CODE_CHALLENGES
        setting_up = state.stage == ProbeStage.SETTING_UP
        options = list(state.options) if challenge == "SELECT_MFA_TYPE" else []
        if list(self.factor_choice.options) != options:
            self.factor_choice.options = options
            if options:  # a default, so "Choose" always has a factor to send
                self.factor_choice.value = options[0]
        self._show(self.code_row, code_step or setting_up)
        self._show(self.answer_button, code_step)
        self._show(self.verify_button, setting_up)
        self._show(self.fill_button, self.sandbox is not None and (code_step or setting_up))
        self.fill_button.description = (
            "Fill code from outbox"
            if challenge in ("SMS_MFA", "EMAIL_OTP")
            else "Fill current TOTP code"
        )
        self._show(
            self.choose_row,
            state.stage == ProbeStage.CHALLENGED and bool(challenge == "SELECT_MFA_TYPE"),
        )
        self._show(
            self.setup_button, state.stage == ProbeStage.CHALLENGED and challenge == "MFA_SETUP"
        )

    @staticmethod
    def _show(widget: w.Widget, visible: bool) -> None:
        widget.layout.display = "" if visible else "none"

    def _layout(self) -> w.Widget:
        self.code_row = w.HBox(
            [self.code, self.fill_button, self.answer_button, self.verify_button]
        )
        self.choose_row = w.HBox([self.factor_choice, self.choose_button])
        credentials = w.VBox(
            [self.username, w.HBox([self.password, self.demo_password]), self.signin_button]
        )
        comparison = w.VBox([self.observed, self.predicted, self.verdict, self.explanation])
        return styled(
            w.VBox(
                [
                    header("Sign-in probe"),
                    credentials,
                    comparison,
                    self.choose_row,
                    self.setup_button,
                    self.qr,
                    self.code_row,
                    w.HBox([self.reset_button]),
                    status_line(self.status),
                ]
            ),
            "probe-panel",
        )


# The verdict's accent (theme.ACCENTS); the text itself is always in the theme's text colour.
_VERDICT_ACCENT = {"agree": "ok", "disagree": "error", "typo": "warning", "no-decision": "info"}


_DIFFERS = "✘ differs from the prediction"


def _verdict(agrees: bool | None, category: str, problem: str) -> tuple[str, str]:
    """The verdict's class suffix and words: a prediction hit or miss, a typo, or no decision."""
    if agrees is not None:
        return (
            ("agree", "✔ as predicted") if agrees else ("disagree", "✘ differs from the prediction")
        )
    if category == "user_error":
        return "typo", f"✎ {problem}"
    if category == "service_error":
        return "no-decision", "Cognito could not answer: no decision to compare"
    return "", ""


def _labelled(label: str, value: str) -> str:
    shown = html.escape(value) if value else "—"
    return f"{html.escape(label)}: <b>{shown}</b>"


def _delivery_text(delivery: Mapping[str, str]) -> str:
    if not delivery:
        return ""
    return f"code sent by {delivery.get('medium', '?')} to {delivery.get('destination', '?')}"


def _next_step(attempt: SignInAttempt) -> str:
    """Plain words for what the user does next with this challenge."""
    challenge = attempt.challenge or ""
    if challenge in _CODE_CHALLENGES:
        where = _delivery_text(attempt.delivery)
        return f"{challenge}: type the code ({where})." if where else f"{challenge}: type the code."
    if challenge == "SELECT_MFA_TYPE":
        return f"SELECT_MFA_TYPE: choose one of {', '.join(attempt.options)}."
    if challenge == "MFA_SETUP":
        return (
            f"MFA_SETUP: the user must set up MFA ({', '.join(attempt.options) or 'no option'})"
            "; set up an authenticator app."
        )
    return f"{challenge}: this challenge cannot be answered here."


def _require_code(code: str, operation: str) -> None:
    button = "Answer" if operation == "RespondToAuthChallenge" else "Verify"
    require_code(code, operation, button)
