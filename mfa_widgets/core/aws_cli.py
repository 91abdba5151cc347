"""AWS CLI syntax for ``set-user-mfa-preference``: read it into an MfaPreference and write it back.

Reading accepts what the real AWS CLI accepts for the four settings options
(``--sms-mfa-settings``, ``--software-token-mfa-settings``, ``--email-mfa-settings`` and, for
passkey MFA, ``--web-authn-mfa-settings``, whose only key is ``Enabled``):

* shorthand, ``Enabled=true,PreferredMfa=false``: keys are case-sensitive, the values ``true`` and
  ``false`` are not (``TRUE``, ``False``), values may be quoted (``Enabled='true'``);
* JSON, ``{"Enabled": true, "PreferredMfa": false}``: real JSON booleans only;

and whole ``--cli-input-json`` / ``--cli-input-yaml`` documents or pasted command lines. Anything
the CLI would reject (``Enabled=yes``, ``enabled=true``, a string ``"true"`` in JSON) is rejected
here too, with a one-line :class:`~mfa_widgets.core.errors.CliSyntaxError` naming the accepted
forms.

Writing renders the full ``aws cognito-idp (admin-)set-user-mfa-preference`` command, a boto3
snippet, the request document and the ``--generate-cli-skeleton`` template. The test suite
checks both directions against the installed ``awscli``.

Pure Python (PyYAML is imported only by :func:`parse_cli_input_yaml`); access tokens are never
shown in a repr.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Literal, NoReturn

from mfa_widgets.core.errors import CliSyntaxError
from mfa_widgets.core.preferences import (
    WEBAUTHN_CLI_OPTION,
    WEBAUTHN_REQUEST_KEY,
    Factor,
    FactorState,
    MfaPreference,
    passkey_settings_from_request,
)
from mfa_widgets.core.redaction import redact_token

__all__ = [
    "ACCESS_TOKEN_PLACEHOLDER",
    "ADMIN_OPERATION",
    "OPERATION",
    "PASSKEY_MFA_NEEDS",
    "CliRequest",
    "cli_skeleton",
    "parse_cli_args",
    "parse_cli_input_json",
    "parse_cli_input_yaml",
    "parse_passkey_settings",
    "parse_settings",
    "render_boto3",
    "render_cli",
    "render_delete_software_token",
    "render_passkey_settings",
    "render_request_json",
    "render_settings",
    "render_skeleton",
]

OPERATION = "set-user-mfa-preference"
ADMIN_OPERATION = "admin-set-user-mfa-preference"
#: Shell text put where the access token goes: the shell expands it, history never holds it.
ACCESS_TOKEN_PLACEHOLDER = '"$ACCESS_TOKEN"'  # noqa: S105 - a shell variable, not a secret

Syntax = Literal["shorthand", "json"]

_SETTINGS_KEYS = ("Enabled", "PreferredMfa")
_WEBAUTHN = WEBAUTHN_REQUEST_KEY
_PASSKEY_KEYS = ("Enabled",)
_IDENTITY_OPTIONS = {
    "--access-token": "AccessToken",
    "--user-pool-id": "UserPoolId",
    "--username": "Username",
}
_DOCUMENT_OPTIONS = ("--cli-input-json", "--cli-input-yaml")
# Global AWS CLI options a pasted command may carry; they do not change the request.
_GLOBAL_OPTIONS_WITH_VALUE = frozenset(
    {
        "--region",
        "--profile",
        "--endpoint-url",
        "--output",
        "--query",
        "--color",
        "--ca-bundle",
        "--cli-read-timeout",
        "--cli-connect-timeout",
        "--cli-binary-format",
    }
)
_GLOBAL_FLAGS = frozenset(
    {"--debug", "--no-verify-ssl", "--no-paginate", "--no-sign-request", "--no-cli-pager"}
)
_LEADING_WORDS = frozenset({"aws", "cognito-idp", OPERATION, ADMIN_OPERATION})
_REMOTE_PREFIXES = ("file://", "fileb://", "http://", "https://")
_USER_POOL_ID = re.compile(r"[\w-]+_[0-9a-zA-Z]+")

#: What Cognito needs before it accepts ``WebAuthnMfaSettings Enabled=true`` (service model).
PASSKEY_MFA_NEEDS = (
    f"{WEBAUTHN_REQUEST_KEY} Enabled=true turns passkey MFA on: Cognito accepts it only when the "
    "user has another MFA method (SMS, TOTP or email) enabled, the pool's WebAuthnConfiguration "
    "has FactorConfiguration=MULTI_FACTOR_WITH_USER_VERIFICATION, and the pool is in the "
    "Essentials tier or higher"
)
_DOCUMENT_FORMS = "paste the document printed by --generate-cli-skeleton, filled in"
_SETTINGS_FORMS = (
    'use shorthand Enabled=true,PreferredMfa=false or JSON {"Enabled": true, "PreferredMfa": false}'
)


@dataclass(frozen=True, repr=False)
class CliRequest:
    """What a ``set-user-mfa-preference`` command line or input document asks for.

    Parameters
    ----------
    preference
        The four settings blocks; factors without a block are unchanged (``None``), and so is
        passkey MFA without a ``WebAuthnMfaSettings`` block.
    access_token
        The ``AccessToken`` text if present (may be a shell placeholder such as
        ``$ACCESS_TOKEN``); shown only as a fingerprint in ``repr``.
    user_pool_id, username
        Set for the admin operation.
    notes
        Remarks about the input, e.g. what turning passkey MFA on needs from the pool.
    """

    preference: MfaPreference
    access_token: str | None = None
    user_pool_id: str | None = None
    username: str | None = None
    notes: tuple[str, ...] = field(default=(), compare=False)

    @property
    def admin(self) -> bool:
        """True for ``admin-set-user-mfa-preference`` (a user pool id or username is given)."""
        return self.user_pool_id is not None or self.username is not None

    @property
    def operation(self) -> str:
        """``"set-user-mfa-preference"`` or ``"admin-set-user-mfa-preference"``."""
        return ADMIN_OPERATION if self.admin else OPERATION

    def __repr__(self) -> str:
        token = None if self.access_token is None else redact_token(self.access_token)
        return (
            f"CliRequest(preference={self.preference!r}, access_token={token!r}, "
            f"user_pool_id={self.user_pool_id!r}, username={self.username!r})"
        )


# -- reading one settings option ----------------------------------------------------------------


def parse_settings(factor: Factor | str, text: str) -> FactorState | None:
    """Read the value of one settings option, in shorthand or JSON, as the AWS CLI does.

    Parameters
    ----------
    factor
        Which option the text belongs to (used in messages and for the preferred rule).
    text
        E.g. ``"Enabled=true,PreferredMfa=false"`` or ``'{"Enabled": true}'``.

    Returns
    -------
    FactorState or None
        ``None`` for an empty block (``{}``), which leaves the factor unchanged.

    Raises
    ------
    CliSyntaxError
        When the CLI would reject the text; the message names the accepted forms.
    MfaPreferenceError
        When the block is readable but preferred without being enabled.
    """
    factor = Factor.parse(factor)
    block = _settings_from_option(factor.cli_option, _text_input(text, factor.cli_option))
    return FactorState.from_settings(factor, block)


def render_settings(state: FactorState, syntax: Syntax = "shorthand") -> str:
    """The option value for ``state``: ``Enabled=true,PreferredMfa=false`` or compact JSON."""
    settings = state.to_settings()
    if syntax == "json":
        return json.dumps(settings, separators=(",", ":"))
    return ",".join(f"{key}={str(value).lower()}" for key, value in settings.items())


def parse_passkey_settings(text: str) -> bool | None:
    """Read a ``--web-authn-mfa-settings`` value (``Enabled=true`` or ``{"Enabled": true}``).

    Returns
    -------
    bool or None
        Passkey MFA on or off; ``None`` for an empty block (``{}``), which leaves it unchanged.

    Raises
    ------
    CliSyntaxError
        When the CLI would reject the text, including a ``PreferredMfa`` key (the block has
        none: passkey MFA can never be preferred).
    """
    block = _settings_from_option(WEBAUTHN_CLI_OPTION, text, _PASSKEY_KEYS)
    return passkey_settings_from_request(block)


def render_passkey_settings(enabled: bool, syntax: Syntax = "shorthand") -> str:
    """The ``--web-authn-mfa-settings`` value: ``Enabled=true`` or ``{"Enabled":true}``."""
    if syntax == "json":
        return json.dumps({"Enabled": enabled}, separators=(",", ":"))
    return f"Enabled={str(enabled).lower()}"


def _settings_from_option(
    option: str, text: str, allowed: Sequence[str] = _SETTINGS_KEYS
) -> dict[str, bool]:
    """The settings block the CLI would send for ``option text``, validated like botocore."""
    _reject_remote(option, text, _SETTINGS_FORMS)
    if text.strip().startswith(("{", "[")):
        raw: object = _load_json(option, text)
    else:
        # Shorthand values are text; the CLI turns true/false (any case) into booleans using
        # the model, and leaves anything else as text for validation to reject.
        raw = {
            key: (value.lower() == "true") if value.lower() in ("true", "false") else value
            for key, value in _parse_shorthand(option, text).items()
        }
    return _validate_block(option, raw, allowed)


def _parse_shorthand(option: str, text: str) -> dict[str, str]:
    """Parse ``Key=value,Key=value`` the way the AWS CLI's shorthand parser does.

    Only the forms that can yield a valid settings block are supported (no lists, no nested
    ``{}``, no ``@=`` file values): a key starts right at the beginning or after a comma, may be
    followed by spaces before ``=``, and its value is quoted or bare (trailing spaces dropped).
    Like the CLI, up to two commas may separate pairs.
    """
    pairs: dict[str, str] = {}
    scanner = _Scanner(text, option)
    while True:
        key = scanner.take(r"[A-Za-z0-9_.#/:-]*")
        scanner.skip_spaces()
        scanner.expect("=")
        scanner.skip_spaces()
        if key in pairs:
            scanner.fail(f"the key {key!r} appears twice")
        pairs[key] = scanner.value()
        scanner.skip_spaces()
        if scanner.done():
            return pairs
        scanner.expect(",")
        scanner.skip_spaces()
        if scanner.peek() == ",":
            scanner.expect(",")
            scanner.skip_spaces()
        if scanner.done():
            scanner.fail("it ends with a comma")


class _Scanner:
    """A cursor over one shorthand value; every failure is a one-line CliSyntaxError."""

    _QUOTED = re.compile(r"'((?:\\'|[^'])*)'|\"((?:\\\"|[^\"])*)\"")
    _BARE = re.compile(r"[^\s,'\"\[{=][^,'\"\]}]*")

    def __init__(self, text: str, option: str) -> None:
        self.text = text
        self.option = option
        self.index = 0

    def done(self) -> bool:
        return self.index >= len(self.text)

    def peek(self) -> str:
        return self.text[self.index] if not self.done() else ""

    def take(self, pattern: str) -> str:
        match = re.compile(pattern).match(self.text, self.index)
        assert match is not None  # the patterns used accept the empty string
        self.index = match.end()
        return match.group(0)

    def skip_spaces(self) -> None:
        self.take(r"\s*")

    def expect(self, char: str) -> None:
        if self.peek() != char:
            found = repr(self.peek()) if self.peek() else "the end"
            self.fail(f"expected {char!r} at position {self.index + 1}, found {found}")
        self.index += 1

    def value(self) -> str:
        if self.done() or self.peek() == ",":
            return ""
        if self.peek() in "[{":
            self.fail("lists and {...} are not allowed in a settings value")
        quoted = self._QUOTED.match(self.text, self.index)
        if quoted:
            self.index = quoted.end()
            inner = quoted.group(1) if quoted.group(1) is not None else quoted.group(2)
            quote = "'" if quoted.group(1) is not None else '"'
            return inner.replace("\\" + quote, quote).replace("\\\\", "\\")
        bare = self._BARE.match(self.text, self.index)
        if bare is None:
            self.fail(f"unexpected {self.peek()!r} at position {self.index + 1}")
        self.index = bare.end()
        return bare.group(0).rstrip()

    def fail(self, problem: str) -> NoReturn:
        raise CliSyntaxError(
            f"{self.option}: cannot read {self.text!r}: {problem}; {_SETTINGS_FORMS}"
        )


def _validate_block(option: str, raw: object, allowed: Sequence[str]) -> dict[str, bool]:
    """Check keys and boolean values the way botocore's parameter validation does."""
    if not isinstance(raw, Mapping):
        raise CliSyntaxError(
            f"{option}: expected a structure, got {type(raw).__name__}; {_SETTINGS_FORMS}"
        )
    block: dict[str, bool] = {}
    for key, value in raw.items():
        if key not in allowed:
            hint = next((a for a in allowed if a.lower() == str(key).lower()), None)
            fix = f" (keys are case-sensitive: write {hint})" if hint else ""
            if str(key).lower() == "preferredmfa" and "PreferredMfa" not in allowed:
                fix = " (passkey MFA is on or off and can never be preferred)"
            raise CliSyntaxError(
                f"{option}: unknown key {key!r}{fix}; the keys are {', '.join(allowed)}"
            )
        if not isinstance(value, bool):
            raise CliSyntaxError(
                f"{option}: {key} must be true or false, not {value!r}; {_SETTINGS_FORMS}"
            )
        block[str(key)] = value
    return block


def _load_json(option: str, text: str) -> object:
    try:
        return json.loads(text)
    except ValueError as error:
        raise CliSyntaxError(f"{option}: invalid JSON ({error}); {_SETTINGS_FORMS}") from None


def _reject_remote(option: str, text: str, forms: str = _DOCUMENT_FORMS) -> None:
    """The CLI reads ``file://`` and URL values; this pure module does not do I/O."""
    if text.strip().lower().startswith(_REMOTE_PREFIXES):
        scheme = text.strip().split("://")[0]
        raise CliSyntaxError(f"{option}: {scheme}:// values are not read here; {forms}")


# -- reading documents and command lines ---------------------------------------------------------


def parse_cli_input_json(text: str) -> CliRequest:
    """Read a ``--cli-input-json`` document (the shape ``--generate-cli-skeleton`` prints).

    Raises
    ------
    CliSyntaxError
        For invalid JSON, unknown keys, non-boolean settings or a document mixing
        ``AccessToken`` with ``UserPoolId``/``Username``.
    MfaPreferenceError
        When the settings break a preference rule (e.g. two factors preferred).
    """
    _reject_remote("--cli-input-json", _text_input(text, "--cli-input-json"))
    try:
        document = json.loads(text)
    except ValueError as error:
        raise CliSyntaxError(
            f"--cli-input-json: invalid JSON ({error}); {_DOCUMENT_FORMS}"
        ) from None
    return _request_from_params(_validate_document("--cli-input-json", document))


def parse_cli_input_yaml(text: str) -> CliRequest:
    """Read a ``--cli-input-yaml`` document (AWS CLI v2); needs PyYAML.

    Raises
    ------
    CliSyntaxError
        As :func:`parse_cli_input_json`, or when the text is not YAML.
    """
    try:
        import yaml  # type: ignore[import-untyped]  # lazily: the core stays dependency-light
    except ImportError:  # pragma: no cover - PyYAML is a runtime dependency
        raise CliSyntaxError(
            "--cli-input-yaml: reading YAML needs PyYAML: pip install pyyaml"
        ) from None
    _reject_remote("--cli-input-yaml", _text_input(text, "--cli-input-yaml"))
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        first_line = str(error).splitlines()[0]
        raise CliSyntaxError(
            f"--cli-input-yaml: invalid YAML ({first_line}); write one 'Key: value' per line, "
            "e.g. 'SMSMfaSettings: {Enabled: true, PreferredMfa: false}'"
        ) from None
    return _request_from_params(_validate_document("--cli-input-yaml", document))


def parse_cli_args(args: str | Sequence[str]) -> CliRequest:
    """Read a pasted command line or its arguments, as the AWS CLI would.

    Accepts the whole ``aws cognito-idp (admin-)set-user-mfa-preference ...`` command (line
    continuations and global options such as ``--region`` are fine) or just some options. As in
    the CLI, options given on the command line win over ``--cli-input-json``/``-yaml`` keys.

    Parameters
    ----------
    args
        One string (split like a POSIX shell, without expanding ``$VARIABLES``) or a list of
        arguments.

    Raises
    ------
    CliSyntaxError
        For an unknown option, a missing value, an unreadable value, or options of the public
        and admin operations mixed.
    MfaPreferenceError
        When the settings break a preference rule.
    """
    words = _split_words(args)
    operation: str | None = None
    params: dict[str, Any] = {}
    document: dict[str, Any] = {}
    options = {f.cli_option: f.request_key for f in Factor} | {
        "--web-authn-mfa-settings": _WEBAUTHN
    }
    position = 0
    while position < len(words):
        word = words[position]
        position += 1
        if word in _LEADING_WORDS and not params:
            operation = word if word in (OPERATION, ADMIN_OPERATION) else operation
            continue
        if word in _GLOBAL_FLAGS:
            continue
        name, _, inline = word.partition("=")
        if not name.startswith("--"):
            raise CliSyntaxError(
                f"unexpected argument {word!r}: give options such as --sms-mfa-settings "
                "Enabled=true,PreferredMfa=false"
            )
        known = name in options or name in _IDENTITY_OPTIONS or name in _DOCUMENT_OPTIONS
        if not known and name not in _GLOBAL_OPTIONS_WITH_VALUE:
            raise CliSyntaxError(
                f"unknown option {name}: use {', '.join(options)}, "
                f"{', '.join(_IDENTITY_OPTIONS)} or {', '.join(_DOCUMENT_OPTIONS)}"
            )
        if "=" in word:
            value = inline
        elif position < len(words) and not words[position].startswith("--"):
            value = words[position]
            position += 1
        else:
            raise CliSyntaxError(f"{name} needs a value")
        if name in options:
            key = options[name]
            allowed = _PASSKEY_KEYS if key == _WEBAUTHN else _SETTINGS_KEYS
            params[key] = _settings_from_option(name, value, allowed)
        elif name in _IDENTITY_OPTIONS:
            params[_IDENTITY_OPTIONS[name]] = value
        elif name in _DOCUMENT_OPTIONS:
            parse = parse_cli_input_json if name == "--cli-input-json" else parse_cli_input_yaml
            document = _request_to_params(parse(value))
    _check_operation(operation, params)
    merged = {**document, **params}
    return _request_from_params(_validate_document("command line", merged))


def _text_input(text: object, what: str) -> str:
    """``text`` when it is a string; a :class:`CliSyntaxError` naming ``what`` otherwise."""
    if not isinstance(text, str):
        raise CliSyntaxError(f"{what} must be text, not a {type(text).__name__}: pass a str")
    return text


def _split_words(args: str | Sequence[str]) -> list[str]:
    if not isinstance(args, str):
        if (
            isinstance(args, (bytes, bytearray))
            or not isinstance(args, Sequence)
            or not all(isinstance(a, str) for a in args)
        ):
            raise CliSyntaxError(
                "the command line must be text or a list of strings, e.g. "
                "'--sms-mfa-settings Enabled=true' or ['--sms-mfa-settings', 'Enabled=true']"
            )
        return list(args)
    joined = re.sub(r"\\\r?\n", " ", args)  # shell line continuations
    try:
        return shlex.split(joined)
    except ValueError as error:
        raise CliSyntaxError(f"cannot split the command line: {error}; check the quotes") from None


def _check_operation(operation: str | None, params: Mapping[str, Any]) -> None:
    """Refuse options that the named operation does not have."""
    if operation == OPERATION and ({"UserPoolId", "Username"} & params.keys()):
        raise CliSyntaxError(
            f"{OPERATION} has no --user-pool-id or --username: use {ADMIN_OPERATION} for that"
        )
    if operation == ADMIN_OPERATION and "AccessToken" in params:
        raise CliSyntaxError(
            f"{ADMIN_OPERATION} has no --access-token: use --user-pool-id and --username"
        )


def _validate_document(source: str, document: object) -> dict[str, Any]:
    """Check a request document's keys and value types the way botocore validation would."""
    if not isinstance(document, Mapping):
        raise CliSyntaxError(
            f"{source}: expected a mapping of parameters such as SMSMfaSettings, got "
            f"{type(document).__name__}"
        )
    settings_keys = [f.request_key for f in Factor]
    allowed = [*settings_keys, _WEBAUTHN, "AccessToken", "UserPoolId", "Username"]
    params: dict[str, Any] = {}
    for key, value in document.items():
        if key not in allowed:
            raise CliSyntaxError(
                f"{source}: unknown parameter {key!r}; the parameters are {', '.join(allowed)}"
            )
        if key in settings_keys or key == _WEBAUTHN:
            keys = _PASSKEY_KEYS if key == _WEBAUTHN else _SETTINGS_KEYS
            params[key] = _validate_block(f"{source}: {key}", value, keys)
        elif not isinstance(value, str):
            raise CliSyntaxError(f"{source}: {key} must be a string, not {value!r}")
        elif value:  # the skeleton's "" placeholders mean "not given"
            params[key] = value
    if "AccessToken" in params and ({"UserPoolId", "Username"} & params.keys()):
        raise CliSyntaxError(
            f"{source}: give AccessToken ({OPERATION}) or UserPoolId and Username "
            f"({ADMIN_OPERATION}), not both"
        )
    return params


def _request_from_params(params: Mapping[str, Any]) -> CliRequest:
    """Build a :class:`CliRequest` from validated request parameters."""
    notes: list[str] = []
    for factor in Factor:
        block = params.get(factor.request_key)
        missing = [key for key in _SETTINGS_KEYS if block and key not in block]
        if missing:
            notes.append(
                f"{factor.request_key} leaves out {' and '.join(missing)}: read as false here; "
                "Cognito may instead keep the user's current value"
            )
    preference = MfaPreference.from_request(params)
    if preference.webauthn:
        notes.append(PASSKEY_MFA_NEEDS)
    return CliRequest(
        preference=preference,
        access_token=params.get("AccessToken"),
        user_pool_id=params.get("UserPoolId"),
        username=params.get("Username"),
        notes=tuple(notes),
    )


def _request_to_params(request: CliRequest) -> dict[str, Any]:
    """The request parameters for ``request`` (settings blocks and identity keys that are set)."""
    params: dict[str, Any] = dict(request.preference.to_request())
    identity = {
        "AccessToken": request.access_token,
        "UserPoolId": request.user_pool_id,
        "Username": request.username,
    }
    params.update({key: value for key, value in identity.items() if value is not None})
    return params


# -- writing -------------------------------------------------------------------------------------


def render_cli(
    preference: MfaPreference,
    *,
    access_token: str | None = None,
    user_pool_id: str | None = None,
    username: str | None = None,
    placeholder: str = ACCESS_TOKEN_PLACEHOLDER,
    syntax: Syntax = "shorthand",
    multiline: bool = True,
) -> str:
    r"""The ``aws cognito-idp`` command that applies ``preference``.

    Parameters
    ----------
    preference
        Factors left unchanged get no option.
    access_token
        Put this token in the command (shell-quoted). By default ``placeholder`` is written
        instead, so the token stays out of shell history.
    user_pool_id, username
        Give both for ``admin-set-user-mfa-preference`` (no access token then).
    placeholder
        Shell text for the access token, written as is (so ``"$ACCESS_TOKEN"`` is expanded by
        the shell).
    syntax
        ``"shorthand"`` (``Enabled=true,PreferredMfa=false``) or ``"json"``.
    multiline
        One option per line with ``\`` continuations, else a single line.

    Raises
    ------
    CliSyntaxError
        When only one of ``user_pool_id``/``username`` is given, or either is malformed.
    """
    _check_render(preference, access_token, user_pool_id, username, syntax)
    if not isinstance(placeholder, str) or not isinstance(multiline, bool):
        raise CliSyntaxError("placeholder must be text and multiline True or False")
    admin = _is_admin(user_pool_id, username, access_token)
    words = ["aws", "cognito-idp", ADMIN_OPERATION if admin else OPERATION]
    lines = [" ".join(words)]
    if admin:
        lines.append(_option("--user-pool-id", str(user_pool_id)))
        lines.append(_option("--username", str(username)))
    elif access_token is None:
        lines.append(f"--access-token {placeholder}")
    else:
        lines.append(_option("--access-token", access_token))
    for factor, state in preference:
        if state is not None:
            lines.append(f"{factor.cli_option} {shlex.quote(render_settings(state, syntax))}")
    if preference.webauthn is not None:
        value = render_passkey_settings(preference.webauthn, syntax)
        lines.append(f"{WEBAUTHN_CLI_OPTION} {shlex.quote(value)}")
    return (" \\\n    " if multiline else " ").join(lines)


def render_boto3(
    preference: MfaPreference,
    *,
    access_token: str | None = None,
    user_pool_id: str | None = None,
    username: str | None = None,
) -> str:
    """A runnable boto3 snippet that applies ``preference``.

    Without ``access_token`` the snippet reads it from the ``ACCESS_TOKEN`` environment
    variable, like the shell command's placeholder. With ``user_pool_id`` and ``username`` it
    calls ``admin_set_user_mfa_preference``.
    """
    admin = _is_admin(user_pool_id, username, access_token)
    # JSON string syntax is Python string syntax, except that astral characters must not be
    # escaped as surrogate pairs: hence ensure_ascii=False.
    literal = partial(json.dumps, ensure_ascii=False)
    imports = ["import boto3"]
    arguments: list[tuple[str, str]] = []
    if admin:
        arguments += [("UserPoolId", literal(user_pool_id)), ("Username", literal(username))]
    elif access_token is None:
        imports.insert(0, "import os")
        arguments.append(("AccessToken", 'os.environ["ACCESS_TOKEN"]'))
    else:
        arguments.append(("AccessToken", literal(access_token)))
    for key, settings in preference.to_request().items():
        pairs = ", ".join(f'"{name}": {value}' for name, value in settings.items())
        arguments.append((key, "{" + pairs + "}"))
    method = "admin_set_user_mfa_preference" if admin else "set_user_mfa_preference"
    call = "\n".join(f"    {name}={value}," for name, value in arguments)
    return "\n".join(
        [*imports, "", 'client = boto3.client("cognito-idp")', f"client.{method}(", call, ")"]
    )


def render_request_json(
    preference: MfaPreference,
    *,
    access_token: str | None = None,
    user_pool_id: str | None = None,
    username: str | None = None,
) -> str:
    """The request as a ``--cli-input-json`` document (key order as in the skeleton).

    The access token is included only when given; pass it on the command line otherwise.
    """
    admin = _is_admin(user_pool_id, username, access_token)
    request = CliRequest(preference, access_token, user_pool_id, username)
    params = _request_to_params(request)
    order = list(cli_skeleton(admin=admin))
    return json.dumps({key: params[key] for key in order if key in params}, indent=4)


def cli_skeleton(*, admin: bool = False) -> dict[str, Any]:
    """The ``--generate-cli-skeleton`` document of the (admin) operation, keys in the CLI's order.

    This is what ``aws cognito-idp (admin-)set-user-mfa-preference --generate-cli-skeleton``
    prints with botocore 1.42.90 or later (which added ``WebAuthnMfaSettings``).
    """
    skeleton: dict[str, Any] = {
        factor.request_key: dict.fromkeys(_SETTINGS_KEYS, True) for factor in Factor
    }
    skeleton[_WEBAUTHN] = {"Enabled": True}
    if admin:
        skeleton |= {"Username": "", "UserPoolId": ""}
    else:
        skeleton["AccessToken"] = ""
    return skeleton


def render_skeleton(*, admin: bool = False) -> str:
    """The ``--generate-cli-skeleton`` text exactly as the AWS CLI prints it, minus the newline."""
    return json.dumps(cli_skeleton(admin=admin), indent=4)


def _option(name: str, value: str) -> str:
    """``--name 'value'``, or ``--name=value`` so a leading dash is not read as an option."""
    quoted = shlex.quote(value)
    return f"{name}={quoted}" if value.startswith("-") else f"{name} {quoted}"


def _is_admin(user_pool_id: str | None, username: str | None, access_token: str | None) -> bool:
    """Decide public vs admin operation from the identity arguments, and check them."""
    if user_pool_id is None and username is None:
        return False
    if not user_pool_id or not username:
        raise CliSyntaxError(
            "the admin operation needs both a user pool id and a username "
            "(e.g. --user-pool-id us-east-1_AbCdEf123 --username alice)"
        )
    if access_token is not None:
        raise CliSyntaxError(
            f"{ADMIN_OPERATION} takes no access token: give either the access token or the "
            "user pool id and username"
        )
    if not _USER_POOL_ID.fullmatch(user_pool_id):
        raise CliSyntaxError(
            f"user pool id {user_pool_id!r} is malformed: it looks like <region>_<id>, "
            "e.g. us-east-1_AbCdEf123"
        )
    return True


def _check_render(
    preference: object,
    access_token: object,
    user_pool_id: object,
    username: object,
    syntax: object,
) -> None:
    """Refuse arguments of the renderers that would print a meaningless command."""
    if not isinstance(preference, MfaPreference):
        raise CliSyntaxError(
            f"preference must be an MfaPreference, not a {type(preference).__name__}: pass "
            "e.g. MfaPreference(sms='enabled')"
        )
    for name, value in (
        ("access_token", access_token),
        ("user_pool_id", user_pool_id),
        ("username", username),
    ):
        if value is not None and not isinstance(value, str):
            raise CliSyntaxError(f"{name} must be text or None, not a {type(value).__name__}")
    if syntax not in ("shorthand", "json"):
        raise CliSyntaxError(f"syntax {syntax!r:.40} is not known: use 'shorthand' or 'json'")


def render_delete_software_token(user_pool_id: str, username: str) -> str:
    """The one-line ``aws cognito-idp admin-delete-software-token`` command (authenticator reset).

    Raises
    ------
    CliSyntaxError
        When the pool id or username is missing or malformed.
    """
    _is_admin(user_pool_id, username, None)  # checks both
    words = ["aws", "cognito-idp", "admin-delete-software-token"]
    return " ".join(
        [*words, _option("--user-pool-id", user_pool_id), _option("--username", username)]
    )
