"""Where calls go and whose preference a panel edits: the connection panel and the targets.

:class:`ConnectionPanel` chooses the backend (the local sandbox, or real Cognito with a region,
profile and endpoint), holds the user's access token in kernel memory only, explains what is
wrong with the token in plain words, and produces an
:class:`~mfa_widgets.services.client.MfaClient`.

A *target* is the small object a panel edits: :class:`TokenTarget` (the signed-in user, with an
access token) or :class:`AdminTarget` (any user of a pool, with IAM credentials). Both give the
same panel what it needs: read, write, the pool's configuration and the equivalent CLI command.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

import ipywidgets as w
import traitlets as t

from mfa_widgets.core.aws_cli import render_cli
from mfa_widgets.core.errors import CognitoError
from mfa_widgets.core.preferences import MfaPreference
from mfa_widgets.core.results import CallResult
from mfa_widgets.core.tokens import TokenInfo, inspect_token
from mfa_widgets.widgets._common import Panel, action, block, css, header, status_line, styled
from mfa_widgets.widgets.markup import Html, HtmlView, escape, join, markup
from mfa_widgets.widgets.state import Backend, ConnectionState, PanelStatus, StatusKind
from mfa_widgets.widgets.theme import accented, muted

if TYPE_CHECKING:
    from mfa_widgets.services.client import MfaClient
    from mfa_widgets.services.log import MfaLog

__all__ = ["AdminTarget", "ConnectionPanel", "PreferenceTarget", "TokenTarget"]

#: What the Password box shows once it has handed the token to the kernel.
TOKEN_RECEIVED = "token received (held in kernel memory only)"  # noqa: S105 - not a secret
_TOKEN_PROMPT = "paste an access token"  # noqa: S105 - a prompt, not a secret
_CONFIG_HINT = (
    "Check the profile name (aws configure list-profiles), the region and the endpoint URL."
)


class PreferenceTarget(Protocol):
    """Whose MFA preference a panel edits, and through which calls."""

    @property
    def label(self) -> str:
        """Who this is, for the panel's header (never a secret)."""

    @property
    def client(self) -> MfaClient:
        """The client the calls go through (it logs every call)."""

    def read(self) -> CallResult:
        """Read the user's preference; ``result.state`` and ``result.data`` hold the facts."""

    def write(self, preference: MfaPreference, current: MfaPreference | None) -> CallResult:
        """Write ``preference`` (only what differs from ``current``) and read the state back."""

    def read_pool(self) -> CallResult:
        """Read the user pool's MFA configuration: ``result.data["pool"]``."""

    def cli_command(self, preference: MfaPreference) -> str:
        """The equivalent AWS CLI command, with secrets as placeholders."""


class TokenTarget:
    """The signed-in user, reached with their access token (``SetUserMFAPreference``).

    Parameters
    ----------
    client
        The client calls go through.
    access_token
        The token, or a callable returning the current one (so a refreshed token is picked up,
        e.g. ``lambda: connection.access_token``). It is never shown or logged.
    """

    def __init__(self, client: MfaClient, access_token: str | Callable[[], str]) -> None:
        self._client = client
        self._token = access_token if callable(access_token) else (lambda: access_token)

    def __repr__(self) -> str:
        return f"TokenTarget(label={self.label!r})"

    @property
    def client(self) -> MfaClient:
        """The client calls go through."""
        return self._client

    @property
    def access_token(self) -> str:
        """The current access token (kernel memory only; never display it)."""
        return self._token()

    @property
    def token_info(self) -> TokenInfo:
        """What the current token says about itself (no secret in it)."""
        return inspect_token(self.access_token)

    @property
    def label(self) -> str:
        """``"alice (access token)"``, or ``"signed-in user"`` when the token names nobody."""
        info = self.token_info
        return f"{info.username} (access token)" if info.username else "signed-in user"

    def read(self) -> CallResult:
        """``GetUser`` with the access token."""
        return self._client.get_preference(self.access_token)

    def write(self, preference: MfaPreference, current: MfaPreference | None) -> CallResult:
        """``SetUserMFAPreference`` with the access token, then ``GetUser``."""
        return self._client.set_preference(self.access_token, preference, current=current)

    def read_pool(self) -> CallResult:
        """The pool named by the token's issuer; an error result when the token names none."""
        pool_id = self.token_info.user_pool_id
        if not pool_id:
            error = CognitoError(
                "MalformedToken",
                "the access token names no user pool in its issuer",
                "GetUserPoolMfaConfig",
            )
            return CallResult("GetUserPoolMfaConfig", {}, 0.0, error=error)
        return self._client.get_pool_config(pool_id)

    def cli_command(self, preference: MfaPreference) -> str:
        """``aws cognito-idp set-user-mfa-preference --access-token "$ACCESS_TOKEN" ...``."""
        return render_cli(preference)

    def read_factors(self) -> CallResult:
        """``GetUserAuthFactors``: ``result.data["factors"]`` is what the user can sign in with."""
        return self._client.get_auth_factors(self.access_token)


class AdminTarget:
    """Any user of a pool, reached with IAM credentials (``AdminSetUserMFAPreference``).

    Parameters
    ----------
    client
        The client calls go through (signed with the client's IAM credentials).
    user_pool_id, username
        The user whose preference is edited.
    """

    def __init__(self, client: MfaClient, user_pool_id: str, username: str) -> None:
        self._client = client
        self.user_pool_id = user_pool_id
        self.username = username

    def __repr__(self) -> str:
        return f"AdminTarget(user_pool_id={self.user_pool_id!r}, username={self.username!r})"

    @property
    def client(self) -> MfaClient:
        """The client calls go through."""
        return self._client

    @property
    def label(self) -> str:
        """``"alice in eu-west-1_AbC (admin)"``."""
        return f"{self.username} in {self.user_pool_id} (admin)"

    def read(self) -> CallResult:
        """``AdminGetUser``."""
        return self._client.admin_get_preference(self.user_pool_id, self.username)

    def write(self, preference: MfaPreference, current: MfaPreference | None) -> CallResult:
        """``AdminSetUserMFAPreference``, then ``AdminGetUser``."""
        return self._client.admin_set_preference(
            self.user_pool_id, self.username, preference, current=current
        )

    def read_pool(self) -> CallResult:
        """``GetUserPoolMfaConfig`` + ``DescribeUserPool`` for the user's pool."""
        return self._client.get_pool_config(self.user_pool_id)

    def cli_command(self, preference: MfaPreference) -> str:
        """``aws cognito-idp admin-set-user-mfa-preference --user-pool-id ... --username ...``."""
        return render_cli(preference, user_pool_id=self.user_pool_id, username=self.username)

    def read_factors(self) -> CallResult:
        """``AdminGetUserAuthFactors``: :meth:`TokenTarget.read_factors` with IAM credentials."""
        return self._client.admin_get_auth_factors(self.user_pool_id, self.username)


class ConnectionPanel(Panel):
    """Choose the backend, hold an access token in the kernel, and produce an ``MfaClient``.

    The token is read from a ``Password`` box (synced only when the user presses Enter or leaves
    the box) and the box is cleared at once, so the token never stays in synced widget state and
    never reaches a saved notebook. It lives in a plain attribute, never in a trait, and is shown
    only as a :func:`~mfa_widgets.core.tokens.redact_token` fingerprint.

    Parameters
    ----------
    sandbox
        A running :class:`mfa_widgets.sandbox.Sandbox` for the sandbox backend. When ``None`` and
        the sandbox backend is used, one is started on first use.
    log
        The :class:`~mfa_widgets.services.log.MfaLog` every client call is appended to.
    backend
        ``"sandbox"`` (default) or ``"cognito"``.
    region, profile, endpoint_url
        Initial settings for real Cognito; empty means boto3's configuration.

    Attributes
    ----------
    state
        The backend settings and the token's redacted summary and findings.
    status
        The status line and busy flag.
    """

    def __init__(
        self,
        sandbox: Any = None,
        *,
        log: MfaLog | None = None,
        backend: str = Backend.SANDBOX,
        region: str = "",
        profile: str = "",
        endpoint_url: str = "",
    ) -> None:
        self.state = ConnectionState(
            backend=backend, region=region, profile=profile, endpoint_url=endpoint_url
        )
        self.status = PanelStatus()
        self.sandbox = sandbox
        self._started_sandbox = False  # True when this panel started (and so must stop) it
        self.log = log
        self._access_token = ""  # kernel memory only: deliberately not a trait
        self._client: MfaClient | None = None
        settings = ["backend", "region", "profile", "endpoint_url"]
        self.state.observe(self._forget_client, names=settings)
        self.state.observe(self._recheck_token, names=["backend", "region"])
        self.token_box = styled(
            w.Password(
                description="Access token",
                placeholder=_TOKEN_PROMPT,
                continuous_update=False,
                style={"description_width": "initial"},
                layout=w.Layout(width="420px"),
            ),
            "token",
        )
        self.token_box.observe(self._take_token, names="value")
        self.token_status = styled(HtmlView(), "token-status")
        self.state.observe(self._render_token, names=["token_summary", "token_findings"])
        self._render_token()
        self.widget = self._layout()

    # -- the token ---------------------------------------------------------------------------

    @property
    def access_token(self) -> str:
        """The held access token ('' when none). Kernel memory only: never display it."""
        return self._access_token

    def use_token(self, token: str) -> TokenInfo:
        """Hold ``token`` (from a sign-in, or typed in) and show what is wrong with it, if anything.

        Returns
        -------
        TokenInfo
            The token's claims and problems (``info.ok`` when it looks usable).
        """
        self._access_token = (token or "").strip()
        return self._show_token()

    def forget_token(self) -> None:
        """Drop the held token."""
        self._access_token = ""
        self._show_token()

    def token_target(self) -> TokenTarget:
        """A target for the signed-in user; it always uses the token held at call time."""
        return TokenTarget(self.client, lambda: self._access_token)

    def admin_target(self, user_pool_id: str, username: str) -> AdminTarget:
        """A target for any user of a pool, with the client's IAM credentials."""
        return AdminTarget(self.client, user_pool_id, username)

    # -- the client --------------------------------------------------------------------------

    @property
    def client(self) -> MfaClient:
        """The client for the chosen backend, created on first use (it may start the sandbox)."""
        if self._client is None:
            self._client = self._make_client()
        return self._client

    def connect(self) -> None:
        """Create the client now and say where calls go (what the Connect button does)."""
        with action(self.status, "Connecting…"):
            try:
                client = self.client
            except CognitoError:
                raise
            except Exception as error:  # boto3 configuration problems (unknown profile, ...)
                raise CognitoError(
                    "ClientConfiguration", str(error), "configure", hint=_CONFIG_HINT
                ) from None
            self.status.say(f"Calls go to {client.backend}.", StatusKind.OK)

    def _make_client(self) -> MfaClient:
        from mfa_widgets.services.client import MfaClient

        state = self.state
        if state.backend == Backend.SANDBOX:
            if self.sandbox is None:
                self.sandbox = _start_sandbox()
                self._started_sandbox = True
            return MfaClient.for_sandbox(self.sandbox, log=self.log)
        return MfaClient(
            region=state.region or None,
            profile=state.profile or None,
            endpoint_url=state.endpoint_url or None,
            log=self.log,
        )

    def close(self) -> None:
        """Forget the token, close the widgets, and stop the sandbox if this panel started it."""
        self.forget_token()
        super().close()
        if self._started_sandbox and self.sandbox is not None:
            self.sandbox.stop()
            self.sandbox, self._started_sandbox, self._client = None, False, None

    def _forget_client(self, _change: Any) -> None:
        self._client = None

    # -- token findings ----------------------------------------------------------------------

    def _take_token(self, change: Any) -> None:
        """Move a typed token from the synced ``Password`` value into kernel memory."""
        if not change.new:
            return
        self.token_box.value = ""  # scrub the synced state before anything else can fail
        self.use_token(change.new)

    def _show_token(self) -> TokenInfo:
        info = inspect_token(self._access_token)
        held = bool(self._access_token)
        findings = [p.message for p in info.problems]
        mismatch = self._region_mismatch(info)
        if mismatch:
            findings.append(mismatch)
        with self.state.hold_trait_notifications():
            self.state.token_summary = _summary(info) if held else ""
            self.state.token_findings = tuple(findings) if held else ()
        return info

    def _region_mismatch(self, info: TokenInfo) -> str | None:
        region = self.state.region
        if self.state.backend != Backend.COGNITO or not region or not info.region:
            return None
        if info.region == region:
            return None
        return (
            f"the token was issued in {info.region} but the connection uses {region}: "
            f"set the region to {info.region}, or sign in to a pool in {region}"
        )

    def _recheck_token(self, _change: Any) -> None:
        if self._access_token:
            self._show_token()

    # -- view --------------------------------------------------------------------------------

    def _render_token(self, _change: Any = None) -> None:
        summary = self.state.token_summary
        findings = self.state.token_findings
        out = self.token_status
        self.token_box.placeholder = TOKEN_RECEIVED if self._access_token else _TOKEN_PROMPT
        if not summary:
            value = muted(
                Html(
                    "No access token yet: paste one above, or call "
                    "<code>panel.use_token(token)</code>. Admin calls need none."
                )
            )
        elif findings:
            items = join("", (markup("<li>{}</li>", f) for f in findings))
            value = markup(
                "<div>{}</div>{}",
                summary,
                accented(markup('<ul style="margin:2px 0">{}</ul>', items), "error"),
            )
        else:
            value = markup(
                "<div>{}</div>{}", summary, accented(escape("The token looks usable."), "ok")
            )
        with out.hold_sync():
            out.value = block(value)
            out.remove_class(css("token", "ok"))
            out.remove_class(css("token", "problem"))
            if summary:
                out.add_class(css("token", "problem" if findings else "ok"))

    def _layout(self) -> w.Widget:
        backend = styled(
            w.ToggleButtons(
                options=[("Sandbox (local)", Backend.SANDBOX), ("Real Cognito", Backend.COGNITO)],
                description="Backend",
                style={"button_width": "130px"},
            ),
            "backend",
        )
        t.link((self.state, "backend"), (backend, "value"))
        fields = []
        for name, label, placeholder in (
            ("region", "Region", "e.g. eu-west-1 (default: AWS_REGION)"),
            ("profile", "Profile", "default: AWS_PROFILE or the default chain"),
            ("endpoint_url", "Endpoint", "default: the public cognito-idp endpoint"),
        ):
            box = styled(
                w.Text(
                    description=label,
                    placeholder=placeholder,
                    continuous_update=False,
                    layout=w.Layout(width="420px"),
                ),
                name.replace("_", "-"),
            )
            t.link((self.state, name), (box, "value"))
            fields.append(box)
        cognito_fields = w.VBox(fields)
        t.dlink(
            (self.state, "backend"),
            (cognito_fields.layout, "display"),
            transform=lambda backend: "" if backend == Backend.COGNITO else "none",
        )
        connect = styled(w.Button(description="Connect", icon="plug"), "connect")
        connect.on_click(lambda _b: self.connect())
        t.dlink((self.status, "busy"), (connect, "disabled"))
        children = [
            header("Connection"),
            backend,
            cognito_fields,
            self.token_box,
            self.token_status,
            connect,
            status_line(self.status),
        ]
        return styled(w.VBox(children), "connection")


def _summary(info: TokenInfo) -> str:
    """``"Token eyJraWQi…#3fa2c1: access token of alice, pool us-east-1_X (us-east-1), ..."``."""
    kind = {"access": "access token", "id": "ID token"}.get(info.token_use or "", "token")
    parts = [f"{kind} of {info.username}" if info.username else kind]
    if info.user_pool_id:
        parts.append(f"pool {info.user_pool_id} ({info.region or 'unknown region'})")
    if info.expires_at is not None and info.seconds_left is not None:
        when = f"{info.expires_at:%H:%M} UTC"
        if info.seconds_left > 0:
            parts.append(f"expires at {when} (in {int(info.seconds_left // 60)} min)")
        else:
            parts.append(f"expired at {when}")
    return f"Token {info.fingerprint}: " + ", ".join(parts) + "."


def _start_sandbox() -> Any:
    """Start a local sandbox (moto is imported only here, on first use)."""
    from mfa_widgets.embedded import Sandbox

    return Sandbox().start()
