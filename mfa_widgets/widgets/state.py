"""State models of every panel: traitlets ``HasTraits`` classes with no ipywidgets import.

The views in this package link their controls to these models with ``traitlets.link`` and
``traitlets.dlink``; tests drive the models directly. Rules about what a valid preference is live in
:mod:`mfa_widgets.core.preferences`: the models here only hold state and convert to and from
:class:`~mfa_widgets.core.preferences.MfaPreference`.

No secret is ever a trait here: passwords, tokens, challenge sessions, TOTP secrets and one-time
codes live in plain attributes of the panels, in kernel memory only. A trait with a fixed set of
values holds a member of a :class:`~mfa_widgets.core.string_enum.StrEnum` (:class:`OneOf`): the
value as text is accepted and stored as the member, anything else is refused, and a member
equals (and saves as) its text, so comparisons with the old strings and saved state are
unchanged.
"""

from __future__ import annotations

from typing import Any

import traitlets as t

from mfa_widgets.core.outcomes import OUTCOME_CATEGORIES, is_decision
from mfa_widgets.core.preferences import Factor, FactorState, MfaPreference
from mfa_widgets.core.signin import FIRST_FACTORS, PoolMfaMode, SignInFlow
from mfa_widgets.core.string_enum import StrEnum

__all__ = [
    "AdminState",
    "Backend",
    "ConnectionState",
    "ExplorerState",
    "LogColumns",
    "LogViewState",
    "OneOf",
    "PanelStatus",
    "PreferenceState",
    "ProbeStage",
    "ProbeState",
    "SignInFlow",
    "StatusKind",
    "TotpStage",
    "TotpState",
]


class OneOf(t.TraitType):  # type: ignore[type-arg]
    """A trait holding a member of ``kind``; the member's text is accepted and stored as it.

    Parameters
    ----------
    kind
        The :class:`~mfa_widgets.core.string_enum.StrEnum` whose members are the allowed values.
    default_value
        The member (or its text) a new model starts with.
    **kwargs
        ``traitlets.TraitType``'s keywords (``help``).
    """

    def __init__(self, kind: type[StrEnum], default_value: str, **kwargs: Any) -> None:
        self.kind = kind
        super().__init__(default_value=kind(default_value), **kwargs)

    def validate(self, obj: Any, value: Any) -> StrEnum:
        """The member ``value`` is or names; a ``TraitError`` listing the members otherwise."""
        try:
            return self.kind(value)
        except (ValueError, TypeError):
            self.error(obj, value)
            raise  # error() always raises; this satisfies the type checker

    def info(self) -> str:
        """The allowed values, as a ``TraitError`` names them."""
        return "one of " + ", ".join(repr(member.value) for member in self.kind)


def enabled_trait(factor: Factor) -> str:
    """The name of the ``PreferenceState`` trait holding whether ``factor`` is enabled."""
    return f"{factor.key}_enabled"


class PreferenceState(t.HasTraits):
    """The preference a user is editing, plus the state last read from the server.

    "At most one preferred factor" holds by construction: there is one ``preferred`` trait, not
    one boolean per factor. A factor must be enabled to be preferred (``TraitError`` otherwise),
    and disabling the preferred factor clears the preference.

    Parameters
    ----------
    **kwargs
        Initial trait values, e.g. ``PreferenceState(totp_enabled=True, preferred=Factor.TOTP)``
        (any order: ``HasTraits`` validates after all of them are set).
    """

    sms_enabled = t.Bool(False, help="SMS (text message) MFA is enabled.")
    totp_enabled = t.Bool(False, help="Authenticator app (TOTP) MFA is enabled.")
    email_enabled = t.Bool(False, help="Email MFA is enabled.")
    preferred = t.Enum(
        list(Factor), default_value=None, allow_none=True, help="The preferred factor, if any."
    )
    loaded = t.Instance(
        MfaPreference,
        allow_none=True,
        help="The complete preference last read from the server; None before the first read.",
    )
    changed = t.Instance(
        frozenset, args=(), help="Factors whose state differs from `loaded` (read-only, derived)."
    )
    passkey_mfa = t.Bool(
        None,
        allow_none=True,
        help="Passkey MFA (WebAuthnMfaSettings) on or off; None when unknown, because no Cognito "
        "read reports it: known only once set (and applied) in this panel.",
    )
    passkey_changed = t.Bool(
        False, help="passkey_mfa differs from what `loaded` knows (read-only, derived)."
    )
    has_phone = t.Bool(False, help="The user has a phone_number attribute (SMS can deliver).")
    has_email = t.Bool(False, help="The user has an email attribute (email can deliver).")
    totp_registered = t.Bool(
        None,
        allow_none=True,
        help="An authenticator app is registered (VerifySoftwareToken succeeded); None when "
        "unknown, because GetUser does not say.",
    )

    def is_enabled(self, factor: Factor) -> bool:
        """Whether ``factor`` is enabled in the edited state."""
        return bool(getattr(self, enabled_trait(factor)))

    def set_enabled(self, factor: Factor, value: bool) -> None:
        """Enable or disable ``factor`` (disabling the preferred factor clears the preference)."""
        setattr(self, enabled_trait(factor), value)

    def state_of(self, factor: Factor) -> FactorState:
        """The edited state of ``factor``: disabled, enabled or preferred."""
        if self.preferred is factor:
            return FactorState.PREFERRED
        return FactorState.ENABLED if self.is_enabled(factor) else FactorState.DISABLED

    def to_preference(self) -> MfaPreference:
        """The edited state as a complete :class:`MfaPreference`."""
        return MfaPreference(
            sms=self.state_of(Factor.SMS),
            totp=self.state_of(Factor.TOTP),
            email=self.state_of(Factor.EMAIL),
            webauthn=self.passkey_mfa,
        )

    def show(self, preference: MfaPreference) -> None:
        """Put ``preference`` into the edited state; factors it leaves unchanged stay as they are.

        All traits change together (``hold_trait_notifications``), so the preferred factor may be
        set before its factor is enabled.
        """
        with self.hold_trait_notifications():
            for factor, state in preference:
                if state is not None:
                    self.set_enabled(factor, state.enabled)
            current = self.preferred
            if preference.preferred is not None:
                self.preferred = preference.preferred
            elif current is not None and preference.state(current) is not None:
                self.preferred = None

    def load(self, preference: MfaPreference, *, passkey_mfa: bool | None = None) -> None:
        """Record ``preference`` as the server's state and show it (nothing is then changed).

        Cognito's reads never report passkey MFA (``preference.webauthn`` is then ``None``), so
        the known setting is, in order: the one in ``preference``, ``passkey_mfa`` (what a write
        just sent), the one known before; else it stays unknown (``None``).
        """
        known = preference.webauthn
        if known is None:
            known = passkey_mfa
        if known is None and self.loaded is not None:
            known = self.loaded.webauthn
        if known is not None:
            preference = preference.with_passkey_mfa(known)
        with self.hold_trait_notifications():
            self.loaded = preference
            self.show(preference)
            self.passkey_mfa = known

    def forget_passkey_mfa(self) -> None:
        """Make passkey MFA unknown again (it may have been changed where no read can see it)."""
        with self.hold_trait_notifications():
            if self.loaded is not None:
                self.loaded = self.loaded.with_passkey_mfa(None)
            self.passkey_mfa = None

    def pending(self) -> MfaPreference:
        """Only the factors the user changed since the last read (what Apply would send)."""
        edited = self.to_preference()
        return edited if self.loaded is None else edited.changes_from(self.loaded)

    @t.validate("preferred")
    def _preferred_must_be_enabled(self, proposal: Any) -> Factor | None:
        factor: Factor | None = proposal.value
        if factor is not None and not self.is_enabled(factor):
            raise t.TraitError(
                f"{factor.label} must be enabled before it can be preferred: enable it first"
            )
        return factor

    @t.observe("sms_enabled", "totp_enabled", "email_enabled")
    def _disabling_the_preferred_factor_clears_it(self, change: Any) -> None:
        preferred = self.preferred
        if not change.new and preferred is not None and change.name == enabled_trait(preferred):
            self.preferred = None

    @t.observe("sms_enabled", "totp_enabled", "email_enabled", "preferred", "loaded", "passkey_mfa")
    def _recompute_changed(self, _change: Any) -> None:
        if self.loaded is None:
            self.changed = frozenset()
            self.passkey_changed = False
            return
        pending = self.pending()
        self.changed = frozenset(f for f, s in pending if s is not None)
        self.passkey_changed = pending.webauthn is not None


class StatusKind(StrEnum):
    """The kinds of status message; each gets its own colour and CSS class."""

    INFO = "info"
    WORKING = "working"
    OK = "ok"
    WARNING = "warning"
    ERROR = "error"


class PanelStatus(t.HasTraits):
    """The one-line status of a panel and whether a call is in flight."""

    message = t.Unicode("", help="Plain words for the user; never a secret.")
    kind = OneOf(StatusKind, StatusKind.INFO, help="Colour of the message.")
    busy = t.Bool(False, help="A backend call is in flight: action buttons are disabled.")

    def say(self, message: str, kind: str = StatusKind.INFO) -> None:
        """Show ``message`` with the colour of ``kind``."""
        with self.hold_trait_notifications():
            self.message = message
            self.kind = kind


class Backend(StrEnum):
    """Where the connection panel sends calls."""

    SANDBOX = "sandbox"
    COGNITO = "cognito"


class ConnectionState(t.HasTraits):
    """What the connection panel is configured with. The access token is *not* a trait."""

    backend = OneOf(Backend, Backend.SANDBOX, help="sandbox or cognito.")
    region = t.Unicode("", help="AWS Region for real Cognito; empty: boto3's configuration.")
    profile = t.Unicode("", help="Named AWS profile; empty: boto3's default chain.")
    endpoint_url = t.Unicode("", help="Custom cognito-idp endpoint; empty: the default one.")
    token_summary = t.Unicode("", help="Redacted description of the held token, or ''.")
    token_findings = t.Tuple(help="Plain-words problems found in the held token.")


class TotpStage(StrEnum):
    """Steps of registering an authenticator app."""

    IDLE = "idle"
    ASSOCIATED = "associated"
    VERIFIED = "verified"


class TotpState(t.HasTraits):
    """Progress of an authenticator registration. The secret itself is *not* a trait."""

    stage = OneOf(TotpStage, TotpStage.IDLE, help="Where the user is.")
    show_secret = t.Bool(False, help="Show the secret as text (for typing it into an app).")

    @t.observe("stage")
    def _hide_secret_outside_association(self, change: Any) -> None:
        if change.new != TotpStage.ASSOCIATED:
            self.show_secret = False


class ProbeStage(StrEnum):
    """Where a probed sign-in is."""

    IDLE = "idle"
    CHALLENGED = "challenged"
    SETTING_UP = "setting_up"  # MFA_SETUP: authenticator associated, waiting for a code
    SIGNED_IN = "signed_in"
    FAILED = "failed"


class ProbeState(t.HasTraits):
    """What the sign-in probe shows: the challenge Cognito returned next to the predicted one."""

    username = t.Unicode("", help="Who signs in.")
    flow = OneOf(SignInFlow, SignInFlow.PASSWORD, help="How to sign in.")
    preferred = t.Enum(
        ("", *FIRST_FACTORS),
        default_value="",
        help="The choice flow's preferred first factor (PREFERRED_CHALLENGE), or '' to choose.",
    )
    stage = OneOf(ProbeStage, ProbeStage.IDLE, help="Where the sign-in is.")
    observed = t.Unicode("", help="The label of the last step's answer: a challenge, NONE, ERROR.")
    predicted = t.Unicode("", help="The label the core predicted for the last step, or ''.")
    explanation = t.Unicode("", help="The prediction's rule, source and confidence in words.")
    options = t.Tuple(
        help="Factors offered by SELECT_CHALLENGE, SELECT_MFA_TYPE or MFA_SETUP (API names)."
    )
    delivery = t.Unicode("", help="Where a code was sent (masked by Cognito), or ''.")
    password_held = t.Bool(False, help="A password waits in kernel memory for the next attempt.")
    category = t.Enum(
        ("", *OUTCOME_CATEGORIES),
        default_value="",
        help="The last step's outcome category (core.outcomes), e.g. 'challenge', 'user_error'.",
    )
    problem = t.Unicode("", help="What the person got wrong, in plain words, or ''.")

    @property
    def agrees(self) -> bool | None:
        """Whether Cognito decided as predicted (``None`` without a prediction or a decision).

        A wrong code or password is not a decision, so it never counts as a miss.
        """
        if not self.predicted or not self.observed or not is_decision(self.category):
            return None
        return self.observed == self.predicted


class LogColumns(StrEnum):
    """Which columns the log view shows."""

    COMPACT = "compact"
    FULL = "full"


class LogViewState(t.HasTraits):
    """Display settings of the live log view and the last export."""

    limit = t.Int(25, min=1, help="Newest rows shown.")
    columns = OneOf(LogColumns, LogColumns.COMPACT, help="Column set.")
    folder = t.Unicode(".", help="Folder the export buttons write to.")
    last_export = t.Unicode("", help="Path of the file written last, or ''.")


class ExplorerState(t.HasTraits):
    """What the explorer panel sweeps, and how far the sweep is."""

    modes = t.List(
        t.UseEnum(PoolMfaMode), default_value=[PoolMfaMode.ON], help="Pool MFA modes to sweep."
    )
    pool_factors = t.List(
        t.UseEnum(Factor), default_value=list(Factor), help="Factors the sweep's pools offer."
    )
    has_phone = t.Bool(True, help="Sweep users have a phone_number attribute.")
    has_email = t.Bool(True, help="Sweep users have an email attribute.")
    flows = t.Bool(False, help="Also sweep the sign-in flows: USER_AUTH with each first factor.")
    passkey_mfa = t.Bool(False, help="Also sweep passkey MFA off and on for a user with a passkey.")
    remembered_device = t.Bool(
        False, help="Also sweep a pool that remembers devices, with and without a device."
    )
    running = t.Bool(False, help="A sweep is in flight.")
    done = t.Int(0, help="Scenarios finished in the current sweep.")
    total = t.Int(0, help="Scenarios in the current sweep.")
    mismatches = t.Int(0, help="Scenarios whose observed challenge differs from the prediction.")

    @t.validate("modes", "pool_factors")
    def _no_duplicates(self, proposal: Any) -> list[Any]:
        seen: list[Any] = []
        for item in proposal.value:
            if item not in seen:
                seen.append(item)
        return seen


class AdminState(t.HasTraits):
    """The pool and user the admin panel works on, and the current page of users."""

    user_pool_id = t.Unicode("", help="The user pool, e.g. us-east-1_AbCdEf.")
    username = t.Unicode("", help="The user whose preference is shown.")
    users = t.Tuple(help="Usernames on the current page of ListUsers.")
    page = t.Int(0, help="Number of the current page (1 for the first; 0 before listing).")
    has_next = t.Bool(False, help="ListUsers returned a pagination token.")
