"""The sign-in probe: sign in by any flow, see the challenge Cognito returned beside the prediction.

One probe for every sign-in flow, picked in its flow selector
(:class:`~mfa_widgets.core.signin.SignInFlow`): the password (``USER_PASSWORD_AUTH``), SRP
(``USER_SRP_AUTH``: the password never leaves the kernel) or choice-based (``USER_AUTH``: a
preferred first factor, or ``SELECT_CHALLENGE`` to choose among the password, an email or SMS code
and a passkey). For the password and SRP flows the probe asks the core
(:func:`~mfa_widgets.core.signin.predict_challenge`) what Cognito should answer, from the pool's
configuration and the user's facts read through the client. Then the user answers each challenge to
the end: a code (SMS, email, authenticator; ``EMAIL_OTP``/``SMS_OTP`` also as a first factor), a
choice (``SELECT_CHALLENGE``, ``SELECT_MFA_TYPE``), a passkey (``WEB_AUTHN``, from an authenticator
object) or an authenticator set-up (``MFA_SETUP``). Every step goes through one
:class:`~mfa_widgets.services.client.signin.SignIn` conversation of
:class:`~mfa_widgets.services.client.MfaClient`, which logs it with the prediction. A wrong code
leaves the challenge open; a click while a call runs is dropped
(:func:`~mfa_widgets.widgets.clicks.one_at_a_time`), and a repeated click on a step already
answered keeps the result on show.

The password is read from a ``Password`` box that syncs only on Enter or when the box loses focus,
moved to a plain attribute and the box emptied at once; it is forgotten after the attempt. Tokens,
challenge sessions and the TOTP secret live in plain attributes only. One-time codes are typed into
a :class:`~mfa_widgets.widgets.secret_box.CodeBox` and the set-up QR code is shown by a
:class:`~mfa_widgets.widgets.secret_box.SecretView`: neither is ever widget state.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as w
import traitlets as t

from mfa_widgets.core.errors import CognitoError
from mfa_widgets.core.outcomes import is_decision, outcome_category, user_error_text
from mfa_widgets.core.preferences import Factor
from mfa_widgets.core.results import SignInAttempt, Tokens, TotpEnrollment
from mfa_widgets.core.signin import Prediction, SignInContext, explain
from mfa_widgets.core.signin.labels import NO_CHALLENGE, prediction_label
from mfa_widgets.core.totp import normalise_code
from mfa_widgets.services.audit import predict_sign_in
from mfa_widgets.services.client import MfaClient
from mfa_widgets.services.client.signin import SignIn
from mfa_widgets.services.srp import SrpProof
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
from mfa_widgets.widgets.clicks import one_at_a_time
from mfa_widgets.widgets.markup import Html, HtmlView, escape, markup
from mfa_widgets.widgets.secret_box import CodeBox, SecretView
from mfa_widgets.widgets.state import PanelStatus, ProbeStage, ProbeState, SignInFlow, StatusKind
from mfa_widgets.widgets.theme import accented
from mfa_widgets.widgets.totp import qr_svg

__all__ = ["SIGNED_IN", "SignInProbe"]

#: What the probe says once tokens are issued.
SIGNED_IN = "Signed in (tokens issued; held in kernel memory only)."
_PASSWORD_HELD = "password received (held in kernel memory only)"  # noqa: S105 - not a secret
#: Challenges answered with a one-time code: MFA (SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP) and the
#: choice flow's passwordless first factors (EMAIL_OTP, SMS_OTP).
_CODE_CHALLENGES = {f.api_name for f in Factor} | {"SMS_OTP"}
#: Where the sandbox's outbox keeps each delivered code (an authenticator code is computed).
_OUTBOX_CHANNEL = {"SMS_MFA": "SMS", "SMS_OTP": "SMS", "EMAIL_OTP": "EMAIL"}
_CHOICES = ("SELECT_CHALLENGE", "SELECT_MFA_TYPE")
#: The flow selector's entries.
_FLOWS = [
    ("Password (USER_PASSWORD_AUTH)", SignInFlow.PASSWORD),
    ("SRP (USER_SRP_AUTH)", SignInFlow.SRP),
    ("Choice-based (USER_AUTH)", SignInFlow.CHOICE),
]
#: The choice flow's preferred first factor (PREFERRED_CHALLENGE), or none: Cognito lists them.
_PREFERRED = [
    ("none: let Cognito list the choices", ""),
    ("PASSWORD", "PASSWORD"),
    ("EMAIL_OTP (code by email)", "EMAIL_OTP"),
    ("SMS_OTP (code by SMS)", "SMS_OTP"),
    ("WEB_AUTHN (passkey)", "WEB_AUTHN"),
]
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
    flow
        The flow selected at first (:class:`~mfa_widgets.core.signin.SignInFlow` or its value).
    preferred
        The choice flow's preferred first factor selected at first (``""``: choose).
    authenticator
        An object with ``get(options)`` answering ``WEB_AUTHN`` (e.g. ``SoftwareAuthenticator``):
        enables "Use passkey".
    codes
        ``codes(username, channel) -> code`` (``channel`` ``"EMAIL"`` or ``"SMS"``): where "Fill
        code" reads a delivered code; default: the sandbox's outbox.

    Attributes
    ----------
    state
        What the probe shows (:class:`~mfa_widgets.widgets.state.ProbeState`).
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
        flow: SignInFlow | str = SignInFlow.PASSWORD,
        preferred: str = "",
        authenticator: Any = None,
        codes: Callable[[str, str], str] | None = None,
    ) -> None:
        self.client = client
        self.user_pool_id = user_pool_id
        self.client_id = client_id
        self.sandbox = sandbox
        self.context = context
        self.on_signed_in = on_signed_in
        self.authenticator = authenticator
        self.codes = codes
        self.state = ProbeState(username=username, flow=SignInFlow(flow), preferred=preferred)
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

    @one_at_a_time
    def sign_in(self, username: str | None = None, password: str | None = None) -> None:
        """Start a sign-in by the selected flow (predicted first for the password and SRP flows).

        The held password is forgotten once sent (the choice flow keeps it for a ``PASSWORD``
        choice until that choice is answered).
        """
        if username is not None:
            self.state.username = username
        if password is not None:
            self.use_password(password)
        if self.status.busy:
            return  # a click during a call
        flow, preferred = self.state.flow, self.state.preferred
        choice = flow == SignInFlow.CHOICE
        needs_password = not choice or preferred == "PASSWORD"
        if not self._password and (
            (needs_password and self.state.stage in _IN_PROGRESS)
            or (not needs_password and self.state.stage == ProbeStage.CHALLENGED)
        ):
            return  # a repeated click (nothing new to send): keep the challenge just received
        name = self.state.username.strip()
        self._reset()
        with action(self.status, f"Signing in {name}…"):
            require_input(name, "the username", "InitiateAuth")
            if needs_password:
                require_input(self._password, "the password (press Enter after it)", "InitiateAuth")
            if choice:
                self._start_choice(name, preferred)
            else:
                self._start_with_password(name, flow)

    def _start_with_password(self, name: str, flow: SignInFlow) -> None:
        """The password or SRP flow: predict the password step, then sign in."""
        secret = self._take_password()
        self.prediction, problem = predict_sign_in(
            self.client, self.user_pool_id, name, self.context, name in self._registered
        )
        self.state.explanation = (
            explain(self.prediction)
            if self.prediction
            else f"No prediction: {problem}. The sign-in still runs."
        )
        label = prediction_label(self.prediction) if self.prediction else ""
        if flow == SignInFlow.SRP:
            proof = SrpProof(self.user_pool_id, self.client_id, name, secret)
            step = self.client.sign_in(
                self.client_id, name, srp=proof, predicted="PASSWORD_VERIFIER"
            )
            if step.error is None and step.challenge == "PASSWORD_VERIFIER":
                step = step.answer(proof, predicted=self.prediction)
        else:
            step = self.client.sign_in(self.client_id, name, secret, predicted=self.prediction)
        self._step(step, label)

    def _start_choice(self, name: str, preferred: str) -> None:
        """The choice-based flow: ``USER_AUTH``, with the preferred first factor if one is set."""
        self.state.explanation = (
            f"Choice-based sign-in with {preferred} first."
            if preferred
            else "Choice-based sign-in: Cognito lists the first factors (SELECT_CHALLENGE)."
        )
        password = self._take_password() if preferred == "PASSWORD" else None
        step = self.client.sign_in(
            self.client_id, name, password, flow="choice", preferred=preferred or None
        )
        self._step(step, "")

    def _take_password(self) -> str:
        """The held password, forgotten here (it is sent once)."""
        secret, self._password = self._password, ""
        self.state.password_held = False
        return secret

    @one_at_a_time
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

    @one_at_a_time
    def choose(self, factor: str | Factor | None = None) -> None:
        """Answer ``SELECT_MFA_TYPE`` or ``SELECT_CHALLENGE`` with ``factor`` (default: chooser's).

        Choosing ``PASSWORD`` sends the held password with the choice.
        """
        if self.status.busy:
            return  # a click during a call
        attempt = self.attempt
        picked = factor if factor is not None else self.factor_choice.value
        if attempt is None or attempt.challenge not in _CHOICES:
            if self.state.stage == ProbeStage.IDLE:
                self.status.say("There is no choice to make: sign in first.")
            return  # otherwise a repeated click after the choice was made: keep the result
        if not picked:
            self.status.say(f"Pick one of {', '.join(attempt.options)}, then Choose.")
            return
        with action(self.status, "Sending the choice…"):
            if attempt.challenge == "SELECT_CHALLENGE":
                option = str(picked)
                password = None
                if option == "PASSWORD":
                    require_input(
                        self._password, "the password (press Enter after it)", "SelectChallenge"
                    )
                    password = self._take_password()
                expected = option if option in _CODE_CHALLENGES or option == "WEB_AUTHN" else ""
                self._step(attempt.choose(option, password=password, predicted=expected), expected)
                return
            expected = Factor.parse(picked).api_name  # choosing a factor asks for its code
            self._step(attempt.choose(str(picked), predicted=expected), expected)

    @one_at_a_time
    def use_passkey(self) -> None:
        """Answer ``WEB_AUTHN`` with the authenticator's passkey."""
        if self.status.busy:
            return  # a click during a call
        attempt = self.attempt
        if attempt is None or attempt.challenge != "WEB_AUTHN":
            if self.state.stage == ProbeStage.IDLE:
                self.status.say("There is no passkey challenge to answer: sign in first.")
            return  # otherwise a repeated click after the passkey answered: keep the result
        with action(self.status, "Signing the passkey challenge…"):
            if self.authenticator is None:
                raise CognitoError(
                    "MissingInput",
                    "no authenticator holds a passkey here",
                    "RespondToAuthChallenge",
                    hint="Create the probe with authenticator=... (e.g. SoftwareAuthenticator).",
                )
            self._step(attempt.answer(self.authenticator, predicted=NO_CHALLENGE), NO_CHALLENGE)

    @one_at_a_time
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

    @one_at_a_time
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

    @one_at_a_time
    def fill_code(self) -> None:
        """Put the delivered code (or the sandbox's current authenticator code) in the box."""
        attempt = self.attempt
        if (self.sandbox is None and self.codes is None) or attempt is None:
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
        channel = _OUTBOX_CHANNEL.get(attempt.challenge or "")
        if channel is not None and self.codes is not None:
            return self.codes(attempt.username, channel)
        if self.sandbox is None:
            raise LookupError(f"no code source for {attempt.challenge}")
        if channel is not None:
            return str(self.sandbox.latest_code(attempt.username, channel, pool=self.user_pool_id))
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
        self.flow = styled(w.Dropdown(description="Flow", options=_FLOWS), "probe", "flow")
        self.preferred = styled(
            w.Dropdown(description="First factor", options=_PREFERRED), "probe", "preferred"
        )
        self.passkey_button = styled(
            w.Button(description="Use passkey", icon="key", disabled=self.authenticator is None),
            "probe",
            "passkey",
        )
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
        self.observed = styled(HtmlView(), "probe", "observed")
        self.predicted = styled(HtmlView(), "probe", "predicted")
        self.verdict = styled(HtmlView(), "probe", "verdict")
        self.explanation = styled(HtmlView(), "probe", "explanation")
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
        t.link((self.state, "flow"), (self.flow, "value"))
        t.link((self.state, "preferred"), (self.preferred, "value"))
        self.passkey_button.on_click(lambda _b: self.use_passkey())
        self.password.observe(self._password_typed, names="value")
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
        t.dlink(
            (self.status, "busy"),
            (self.passkey_button, "disabled"),
            lambda busy: busy or self.authenticator is None,
        )
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

    def _password_typed(self, change: Any) -> None:
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
            accented(escape(text), _VERDICT_ACCENT[kind], tag="span", classes="mfa-verdict-text")
            if text
            else Html()
        )
        for old in ("agree", "disagree", "typo", "no-decision"):
            self.verdict.remove_class(f"mfa-probe-{old}")
        if kind:
            self.verdict.add_class(f"mfa-probe-{kind}")
        self.explanation.value = block(
            markup(
                '<pre style="white-space:pre-wrap;font-size:12px;margin:0">{}</pre>',
                state.explanation,
            )
            if state.explanation
            else Html()
        )
        challenge = self.attempt.challenge if self.attempt else None
        code_step = state.stage == ProbeStage.CHALLENGED and challenge in _CODE_CHALLENGES
        setting_up = state.stage == ProbeStage.SETTING_UP
        options = (
            [o for o in state.options if o not in _UNANSWERED_HERE] if challenge in _CHOICES else []
        )
        if list(self.factor_choice.options) != options:
            self.factor_choice.options = options
            if options:  # a default, so "Choose" always has a factor to send
                self.factor_choice.value = options[0]
        self._show(self.code_row, code_step or setting_up)
        self._show(self.answer_button, code_step)
        self._show(self.verify_button, setting_up)
        from_outbox = challenge in _OUTBOX_CHANNEL
        self._show(
            self.fill_button,
            (code_step or setting_up)
            and (self.sandbox is not None or (self.codes is not None and from_outbox)),
        )
        self.fill_button.description = (
            "Fill code from outbox" if from_outbox else "Fill current TOTP code"
        )
        self._show(self.choose_row, state.stage == ProbeStage.CHALLENGED and challenge in _CHOICES)
        self._show(
            self.passkey_button, state.stage == ProbeStage.CHALLENGED and challenge == "WEB_AUTHN"
        )
        self._show(self.preferred, state.flow == SignInFlow.CHOICE)
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
            [
                w.HBox([self.flow, self.preferred]),
                self.username,
                w.HBox([self.password, self.demo_password]),
                self.signin_button,
            ]
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
                    self.passkey_button,
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
#: Options Cognito offers that the probe cannot answer as a button (the SRP flow does SRP).
_UNANSWERED_HERE = frozenset({"PASSWORD_SRP"})


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


def _labelled(label: str, value: str) -> Html:
    return markup("{}: <b>{}</b>", label, value or "—")


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
    if challenge in _CHOICES:
        return f"{challenge}: choose one of {', '.join(attempt.options)}."
    if challenge == "WEB_AUTHN":
        return "WEB_AUTHN: use the passkey."
    if challenge == "MFA_SETUP":
        return (
            f"MFA_SETUP: the user must set up MFA ({', '.join(attempt.options) or 'no option'})"
            "; set up an authenticator app."
        )
    return f"{challenge}: this challenge cannot be answered here."


def _require_code(code: str, operation: str) -> None:
    button = "Answer" if operation == "RespondToAuthChallenge" else "Verify"
    require_code(code, operation, button)
