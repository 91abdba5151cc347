"""The preference panel: factor rows, passkey MFA, Apply, the CLI command and the prediction.

The panel holds no rule of its own. What a valid preference is comes from
:mod:`mfa_widgets.core.preferences` (through :class:`~mfa_widgets.widgets.state.PreferenceState`),
which challenge a sign-in gets from :func:`mfa_widgets.core.signin.predict_challenge`, the
command
from the target's ``cli_command`` and every call from the target's
:class:`~mfa_widgets.services.client.MfaClient`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import ipywidgets as w
import traitlets as t
from ipywidgets.widgets.widget_bool import CheckboxStyle

from mfa_widgets.core.factor_names import AUTH_FACTOR_NAMES, describe_auth_factors
from mfa_widgets.core.preferences import Factor, MfaPreference
from mfa_widgets.core.results import CallResult
from mfa_widgets.core.signin import (
    PoolMfaConfig,
    SignInContext,
    UserMfaFacts,
    predict_challenge,
)
from mfa_widgets.widgets._common import (
    Panel,
    action,
    block,
    describe_error,
    header,
    hold_sync_all,
    status_line,
    styled,
)
from mfa_widgets.widgets.connection import PreferenceTarget
from mfa_widgets.widgets.copy_button import CopyButton
from mfa_widgets.widgets.markup import Html, HtmlView, escape, join, markup
from mfa_widgets.widgets.shared_models import shared
from mfa_widgets.widgets.state import PanelStatus, PreferenceState, StatusKind, enabled_trait
from mfa_widgets.widgets.theme import BORDER, accented, muted

if TYPE_CHECKING:
    from mfa_widgets.services.log import LogEvent

__all__ = ["PreferencePanel", "describe_preference"]

#: Short names for the accessible control names ("Enable SMS", "Prefer TOTP", "Enable email").
_SHORT = {Factor.SMS: "SMS", Factor.TOTP: "TOTP", Factor.EMAIL: "email"}


def _box_models() -> dict[str, Any]:
    """The layout (the 120 px column every row's boxes share) and style all the boxes hold."""
    return {"layout": shared(w.Layout, width="120px"), "style": shared(CheckboxStyle)}


_CHANGED = Html(
    accented(escape("changed"), "warning", tag="span", classes="mfa-changed-badge").replace(
        "<span ", '<span title="not applied yet" ', 1
    )
)


@dataclass(frozen=True)
class _Row:
    """The controls of one factor."""

    label: HtmlView
    enabled: w.Checkbox
    preferred: w.Checkbox
    badge: HtmlView

    @property
    def widgets(self) -> list[w.Widget]:
        return [self.label, self.enabled, self.preferred, self.badge]


@dataclass(frozen=True)
class _PasskeyRow:
    """Passkey MFA: on or off, never preferred, so there is no prefer control at all."""

    label: HtmlView
    enabled: w.Checkbox
    hint: HtmlView
    badge: HtmlView

    @property
    def widgets(self) -> list[w.Widget]:
        return [self.label, self.enabled, self.hint, self.badge]


#: Shown beside the passkey row while its setting is unknown.
PASSKEY_UNKNOWN_HINT = "unknown until set here"
#: Shown beside the passkey row once its setting is known.
PASSKEY_HINT = "on/off only, never preferred"
#: The whole story, as the hint's tooltip (the hint's column is 120 px wide).
_PASSKEY_DETAILS = (
    "Passkey MFA is on or off, never preferred, and applies only when a passkey is the first "
    "factor. No Cognito read reports it, so it shows unticked until you set it here."
)
#: Plain names of ``ConfiguredUserAuthFactors`` values (one source for every panel).
FACTOR_NAMES = AUTH_FACTOR_NAMES


def describe_preference(preference: MfaPreference) -> str:
    """Plain words: ``"Text message (SMS) enabled, Authenticator app (TOTP) preferred"``."""
    parts = [f"{f.label} {s.value}" for f, s in preference if s is not None]
    return ", ".join(parts) if parts else "no change"


class PreferencePanel(Panel):
    """Edit one user's MFA preference: enable factors, choose at most one preferred, Apply.

    On creation the panel reads the user's state from the backend. Rows the user changed are
    marked; Apply sends only those factors and then shows the state read back from the server.
    Beside the rows, the equivalent AWS CLI command and the predicted sign-in challenge update as
    the user clicks.

    Parameters
    ----------
    target
        Whose preference, and through which calls: a
        :class:`~mfa_widgets.widgets.connection.TokenTarget` or
        :class:`~mfa_widgets.widgets.connection.AdminTarget` (or anything with the same methods).
    context
        The sign-in situation the prediction assumes (remembered device, adaptive decision).
    totp_registered
        Whether the user has a verified authenticator app, until the target's auth factors
        are read (``SOFTWARE_TOKEN`` in ``GetUserAuthFactors`` then decides). Without that
        read (or when it fails), ``GetUser`` does not say, so the prediction assumes not (and
        says so) unless this is given, TOTP is enabled on the server, or a registration is
        reported with :meth:`mark_totp_registered`. TOTP can be enabled, and so preferred, only
        when a registration is not known to be missing.
    load
        Read the user's state (and the pool's configuration) right away.

    Attributes
    ----------
    state
        The edited preference (:class:`~mfa_widgets.widgets.state.PreferenceState`).
    status
        The status line and busy flag.
    pool
        The pool's MFA configuration once read, else ``None``.
    last_result
        The :class:`~mfa_widgets.core.results.CallResult` of the last read or write.
    """

    def __init__(
        self,
        target: PreferenceTarget,
        *,
        context: SignInContext | None = None,
        totp_registered: bool | None = None,
        load: bool = True,
    ) -> None:
        self.target = target
        self.context = context or SignInContext()
        self.state = PreferenceState(totp_registered=totp_registered)
        self.status = PanelStatus()
        self.pool: PoolMfaConfig | None = None
        self._pool_problem = "not read yet"
        self.last_result: CallResult | None = None
        self.rows = {factor: self._row(factor) for factor in Factor}
        self.passkey_row = self._passkey_row()
        self.factors = styled(HtmlView(), "auth-factors")
        self.apply_button = styled(
            w.Button(description="Apply", button_style="primary", icon="check"), "apply"
        )
        self.apply_button.on_click(lambda _b: self.apply())
        self.reload_button = styled(w.Button(description="Reload", icon="refresh"), "reload")
        self.reload_button.on_click(lambda _b: self.reload())
        t.dlink((self.status, "busy"), (self.reload_button, "disabled"))
        self.cli = styled(HtmlView(), "cli")
        self.copy_cli = styled(CopyButton(description="Copy command"), "copy-cli")
        self.prediction = styled(HtmlView(), "prediction")
        self.widget = self._layout()
        self.state.observe(self._show_preferred, names="preferred")
        self.state.observe(
            self._refresh,
            names=["changed", "preferred", *_ENABLED, "loaded", "passkey_mfa", "passkey_changed"],
        )
        self.state.observe(self._refresh, names=["has_phone", "has_email", "totp_registered"])
        self.status.observe(self._refresh, names="busy")
        self._refresh()
        self._unfollow = self._follow()
        if load:
            self.reload()

    def close(self) -> None:
        """Stop following the log, then close the widgets."""
        if self._unfollow is not None:
            self._unfollow()
            self._unfollow = None
        super().close()

    # -- actions -----------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the user's preference (and, the first time, the pool's MFA configuration)."""
        with action(self.status, "Reading the preference…"):
            result = self.target.read()
            self.last_result = result
            result.raise_for_error()
            self._take_facts(result)
            if result.state is not None:
                self.state.load(result.state)
            if self.pool is None:
                self._read_pool()
            self._read_factors()
            self.status.say(
                f"Read from the server: {describe_preference(self.state.to_preference())}.",
                StatusKind.INFO,
            )

    def apply(self) -> None:
        """Send the changed factors; show the state the server reports afterwards."""
        if self.status.busy:
            return  # a call is in flight: no double submit
        pending = self.state.pending()
        if pending.is_empty:
            if self.status.kind in (StatusKind.OK, StatusKind.WARNING):
                return  # e.g. the second click of a double-click: keep "Applied…" on show
            self.status.say("Nothing to apply: no factor changed.", StatusKind.INFO)
            return
        loaded = self.state.loaded
        with action(self.status, f"Applying: {describe_preference(pending)}…"):
            result = self.target.write(self.state.to_preference(), loaded)
            self.last_result = result
            result.raise_for_error()  # the user's edits stay, so they can fix them
            if result.state is None:
                return
            # No read reports passkey MFA: what was just sent is what the server now has.
            self.state.load(result.state, passkey_mfa=pending.webauthn)
            server = self.state.loaded or result.state
            expected = pending.merged_onto(loaded) if loaded is not None else None
            if expected is not None and expected != server:
                self.status.say(
                    "Cognito accepted the request but reports a different state (changed "
                    f"elsewhere?): {describe_preference(server)}.",
                    StatusKind.WARNING,
                )
            else:
                self.status.say(
                    f"Applied. The server now reports: {describe_preference(server)}.",
                    StatusKind.OK,
                )

    def _follow(self) -> Callable[[], None] | None:
        """Follow the user's state: changes logged by other panels or the client show up here."""
        log = getattr(self.target.client, "log", None)
        return None if log is None else log.subscribe(self._on_logged)

    def _on_logged(self, event: LogEvent) -> None:
        if self.status.busy or event.operation not in _WRITES or event.outcome != "ok":
            return  # our own write (we are busy), a read, or a failed write
        if not event.username or event.username != _username_of(self.target):
            return
        if self.state.changed or self.state.passkey_changed:
            self.status.say(
                "The preference was changed elsewhere; Reload to see it (your edits would be "
                "replaced).",
                StatusKind.WARNING,
            )
            return
        # The log does not record passkey MFA and no read reports it: a write elsewhere may
        # have changed it, so what this panel knew of it is no longer known.
        self.state.forget_passkey_mfa()
        self.reload()

    def mark_totp_registered(self) -> None:
        """Note that an authenticator app was just verified, and re-read the preference.

        Pass this as ``on_verified`` to :class:`~mfa_widgets.widgets.totp.TotpEnrollmentPanel`.
        """
        self.state.totp_registered = True
        self.reload()

    # -- reading facts -----------------------------------------------------------------------

    def _take_facts(self, result: CallResult) -> None:
        data = result.data
        state = result.state
        with self.state.hold_trait_notifications():
            self.state.has_phone = bool(data.get("has_phone", self.state.has_phone))
            self.state.has_email = bool(data.get("has_email", self.state.has_email))
            if state is not None and Factor.TOTP in state.enabled:
                self.state.totp_registered = True  # Cognito refuses TOTP before registration

    def _read_pool(self) -> None:
        result = self.target.read_pool()
        pool = result.data.get("pool") if result.ok else None
        if isinstance(pool, PoolMfaConfig):
            self.pool = pool
            self._pool_problem = ""
        else:
            self._pool_problem = describe_error(result.error) if result.error else "no answer"
        self._refresh()

    def _read_factors(self) -> None:
        """Show what the user can sign in with; a failed read is a note, never an error."""
        read = getattr(self.target, "read_factors", None)
        if read is None:
            self.factors.value = muted(escape("Sign-in factors: not available for this target."))
            return
        result: CallResult = read()
        if result.ok:
            self.factors.value = _factors_html(result.data.get("factors", ()))
            # SOFTWARE_TOKEN is the one answer to "is an authenticator registered?" (GetUser
            # never says): it decides whether TOTP can be turned on, and so preferred.
            self.state.totp_registered = bool(result.data.get("totp_registered"))
        else:
            problem = describe_error(result.error) if result.error else "no answer"
            self.factors.value = muted(escape(f"Sign-in factors could not be read ({problem})."))

    # -- view --------------------------------------------------------------------------------

    def _passkey_row(self) -> _PasskeyRow:
        row = _PasskeyRow(
            label=styled(HtmlView("Passkey MFA"), "webauthn", "label"),
            enabled=styled(
                # "Enable" fits the 120 px column the other rows' boxes share (at 760 px "Enable
                # passkey MFA" was cut); the row's label and the tooltip name the factor.
                w.Checkbox(
                    description="Enable",
                    tooltip="Enable passkey MFA",
                    indent=False,
                    **_box_models(),
                ),
                "webauthn",
                "enabled",
            ),
            hint=styled(HtmlView(), "webauthn", "hint"),
            badge=styled(HtmlView(), "webauthn", "changed"),
        )
        # The model may be None (unknown); the checkbox shows that unticked, with the hint.
        t.dlink((self.state, "passkey_mfa"), (row.enabled, "value"), transform=bool)
        row.enabled.observe(self._passkey_clicked, names="value")
        return row

    def _passkey_clicked(self, change: Any) -> None:
        """View -> model; an unknown setting shown unticked stays unknown until clicked."""
        if bool(self.state.passkey_mfa) != change.new:
            self.state.passkey_mfa = bool(change.new)

    def _row(self, factor: Factor) -> _Row:
        short = _SHORT[factor]
        row = _Row(
            label=styled(HtmlView(escape(factor.label)), factor.key, "label"),
            enabled=styled(
                w.Checkbox(description=f"Enable {short}", indent=False, **_box_models()),
                factor.key,
                "enabled",
            ),
            preferred=styled(
                w.Checkbox(description=f"Prefer {short}", indent=False, **_box_models()),
                factor.key,
                "preferred",
            ),
            badge=styled(HtmlView(), factor.key, "changed"),
        )
        t.link((self.state, enabled_trait(factor)), (row.enabled, "value"))
        t.dlink(
            (self.state, enabled_trait(factor)),
            (row.preferred, "disabled"),
            transform=lambda enabled: not enabled,
        )
        row.preferred.observe(
            lambda change: self._preferred_clicked(factor, change.new), names="value"
        )
        return row

    def _preferred_clicked(self, factor: Factor, ticked: bool) -> None:
        """View -> model: a Preferred box was (un)ticked."""
        if ticked:
            try:
                self.state.preferred = factor
            except t.TraitError as error:
                self.status.say(str(error), StatusKind.ERROR)
                self.rows[factor].preferred.value = False
        elif self.state.preferred is factor:
            self.state.preferred = None

    def _show_preferred(self, _change: Any = None) -> None:
        """Model -> view: exactly the preferred factor's box is ticked."""
        boxes = [row.preferred for row in self.rows.values()]
        with hold_sync_all(boxes):
            for factor, row in self.rows.items():
                row.preferred.value = self.state.preferred is factor

    def _refresh(self, _change: Any = None) -> None:
        """Recompute what derives from the state: badges, Apply, the command, the prediction."""
        changed = self.state.changed
        passkey = self.passkey_row
        widgets = [row.badge for row in self.rows.values()] + [passkey.badge, passkey.hint]
        with hold_sync_all([*widgets, self.apply_button, self.cli, self.prediction]):
            for factor, row in self.rows.items():
                row.badge.value = _CHANGED if factor in changed else ""
            passkey.badge.value = _CHANGED if self.state.passkey_changed else ""
            unknown = self.state.passkey_mfa is None
            said = PASSKEY_UNKNOWN_HINT if unknown else PASSKEY_HINT
            passkey.hint.value = block(
                markup(
                    '<div title="{}">{}</div>', _PASSKEY_DETAILS, muted(escape(said), size="11px")
                )
            )
            self._offer_totp()
            nothing_to_send = (
                self.state.loaded is not None and not changed and not self.state.passkey_changed
            )
            self.apply_button.disabled = self.status.busy or nothing_to_send
            self.cli.value = block(self._cli_html())
            self.prediction.value = block(self._prediction_html())

    def _offer_totp(self) -> None:
        """TOTP can be turned on (and so preferred) only once an authenticator is registered."""
        loaded = self.state.loaded
        on_server = loaded is not None and Factor.TOTP in loaded.enabled
        blocked = self.state.totp_registered is False and not on_server
        box = self.rows[Factor.TOTP].enabled
        if blocked and box.value:
            self.state.totp_enabled = False
        box.disabled = blocked
        box.tooltip = "Register an authenticator app first" if blocked else None

    def _cli_html(self) -> Html:
        pending = self.state.pending()
        if pending.is_empty:
            note = "No change to send. The full current state would be:"
            command = self.target.cli_command(self.state.to_preference())
        else:
            note = "What Apply sends (only the changed factors):"
            command = self.target.cli_command(pending)
        shown = shell_lines(command)
        self.copy_cli.text = shown
        return markup(
            '<div class="mfa-caption">{}</div>'
            # One option per line, never wrapped inside a word; scrolls if a value is long.
            '<pre style="white-space:pre;overflow-x:auto;font-size:12px;margin:2px 0;'
            'line-height:1.35">{}</pre>',
            note,
            shown,
        )

    def _facts(self, preference: MfaPreference) -> UserMfaFacts:
        return UserMfaFacts(
            preference=preference,
            totp_registered=bool(self.state.totp_registered),
            has_phone=self.state.has_phone,
            has_email=self.state.has_email,
        )

    def _prediction_html(self) -> Html:
        if self.pool is None:
            return markup(
                '<div class="mfa-caption">Predicted sign-in challenge</div>'
                "<div>Pool configuration not available ({}).</div>",
                self._pool_problem,
            )
        edited = predict_challenge(self.pool, self._facts(self.state.to_preference()), self.context)
        lines = [
            Html('<div class="mfa-caption">Predicted sign-in challenge with these settings</div>'),
            markup("<div><b>{}</b></div>", edited.summary),
        ]
        if edited.options:
            lines.append(markup("<div>Options: {}</div>", ", ".join(edited.options)))
        lines.append(markup("<div>{}</div>", edited.rule))
        if self.state.totp_registered is None:
            lines.append(
                muted(
                    escape(
                        "Assumes no authenticator app is registered yet (Cognito does not report "
                        "it): register one before turning TOTP on."
                    )
                )
            )
        basis = "documented" if edited.documented else "our inference, not documented"
        lines.append(muted(escape(f"{edited.source} ({basis})"), size="11px"))
        if self.state.loaded is not None and self.state.changed:
            now = predict_challenge(self.pool, self._facts(self.state.loaded), self.context)
            if now.summary != edited.summary:
                lines.append(muted(escape(f"Now (before Apply): {now.summary}"), size="13px"))
        return join("", lines)

    def _layout(self) -> w.Widget:
        grid = w.GridBox(
            [
                *(widget for row in self.rows.values() for widget in row.widgets),
                *self.passkey_row.widgets,
            ],
            layout=w.Layout(
                grid_template_columns="180px 120px 120px 80px",
                grid_gap="2px 8px",
                align_items="center",
            ),
        )
        buttons = w.HBox([self.apply_button, self.reload_button])
        # Side by side when there is room, stacked in a narrow window (760 px and less).
        left = w.VBox(
            [grid, self.factors, buttons, status_line(self.status)],
            layout=w.Layout(flex="1 1 500px", max_width="540px"),
        )
        right = w.VBox(
            [self.cli, self.copy_cli, self.prediction],
            layout=w.Layout(
                flex="1 1 300px",
                max_width="480px",
                min_width="0",
                padding="0 0 0 12px",
                border_left=f"1px solid {BORDER}",
            ),
        )
        title = header(f"MFA preference — {self.target.label}")
        body = w.HBox([left, right], layout=w.Layout(flex_flow="row wrap"))
        return styled(w.VBox([title, body]), "preference-panel")


_ENABLED = [enabled_trait(f) for f in Factor]
#: Logged operations that change a user's MFA preference or factors (the panel re-reads after
#: them). Token-only calls (VerifySoftwareToken, the passkey calls) log no username, so they
#: cannot be matched to a user: the TOTP panel reports a registration with ``on_verified``.
_WRITES = frozenset(
    {"SetUserMFAPreference", "AdminSetUserMFAPreference", "AdminDeleteSoftwareToken"}
)


def _factors_html(factors: Any) -> Html:
    """``ConfiguredUserAuthFactors`` in plain words, with the API names beside them."""
    text = describe_auth_factors(factors, empty="nothing configured")
    return block(markup("<b>Configured sign-in factors:</b> {}", text))


def _username_of(target: PreferenceTarget) -> str | None:
    """The user a target acts for: an admin target's username, a token's ``username`` claim."""
    name = getattr(target, "username", None)
    if name is None:
        info = getattr(target, "token_info", None)
        name = getattr(info, "username", None)
    return str(name) if name else None


def shell_lines(command: str) -> str:
    r"""``aws ... --a x --b y`` -> one option per line with ``\`` continuations (still valid).

    A command already written over several lines is kept as it is.
    """
    if "\n" in command:
        return command
    head, *options = command.split(" --")
    return " \\\n    --".join([head, *options])
