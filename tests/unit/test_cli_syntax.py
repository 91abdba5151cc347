"""AWS CLI syntax, checked against the real AWS CLI (PyPI ``awscli``) as the oracle."""

from __future__ import annotations

import ast
import itertools
import json
import re
import shlex
import subprocess
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mfa_widgets import Factor, FactorState, MfaPreference, MfaPreferenceError
from mfa_widgets.core.aws_cli import (
    ADMIN_OPERATION,
    OPERATION,
    CliRequest,
    cli_skeleton,
    parse_cli_args,
    parse_cli_input_json,
    parse_cli_input_yaml,
    parse_settings,
    render_boto3,
    render_cli,
    render_request_json,
    render_settings,
    render_skeleton,
)
from mfa_widgets.core.errors import CliSyntaxError

D, E, P = FactorState.DISABLED, FactorState.ENABLED, FactorState.PREFERRED
STATES: list[FactorState | None] = [None, D, E, P]
ALL = [
    MfaPreference(*s) for s in itertools.product(STATES, repeat=3) if sum(x is P for x in s) <= 1
]
POOL = "us-east-1_AbCdEf123"
oracle_settings = settings(
    deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

ONE_LINE = re.compile(r"[^\n]+")


def expected_request(preference: MfaPreference, **identity: str) -> dict[str, Any]:
    return {**preference.to_request(), **identity}


# -- one settings option ---------------------------------------------------------------------------


@pytest.mark.parametrize("state", list(FactorState))
@pytest.mark.parametrize("syntax", ["shorthand", "json"])
def test_settings_render_and_parse_round_trip(state: FactorState, syntax: str) -> None:
    text = render_settings(state, syntax)  # type: ignore[arg-type]
    for factor in Factor:
        assert parse_settings(factor, text) is state


def test_shorthand_and_json_forms() -> None:
    assert render_settings(P) == "Enabled=true,PreferredMfa=true"
    assert render_settings(E, "json") == '{"Enabled":true,"PreferredMfa":false}'
    assert parse_settings("sms", "Enabled=TRUE, PreferredMfa = False") is E
    assert parse_settings("totp", "Enabled='true',PreferredMfa=\"true\"") is P
    assert parse_settings("email", ' {"Enabled": false} ') is D
    assert parse_settings("email", "{}") is None


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Enabled=yes", "Enabled must be true or false, not 'yes'"),
        ("enabled=true", "keys are case-sensitive: write Enabled"),
        ("Enabled=true,Enabled=false", "the key 'Enabled' appears twice"),
        ("Enabled=true,", "it ends with a comma"),
        ("Enabled", "expected '=' at position 8, found the end"),
        ('{"Enabled": "true"}', "Enabled must be true or false, not 'true'"),
        ('{"Enabled": true', "invalid JSON"),
        ('[{"Enabled": true}]', "expected a structure, got list"),
        ("Enabled=[true]", "lists and {...} are not allowed"),
        ("file://settings.json", "file:// values are not read here"),
        ("", "expected '=' at position 1, found the end"),
    ],
)
def test_bad_settings_get_one_line_naming_the_forms(text: str, said: str) -> None:
    with pytest.raises(CliSyntaxError) as error:
        parse_settings(Factor.SMS, text)
    message = str(error.value)
    assert said in message
    assert ONE_LINE.fullmatch(message)
    assert message.startswith("--sms-mfa-settings: ")
    assert "Enabled=true,PreferredMfa=false" in message or "the keys are" in message


def test_preferred_but_disabled_is_readable_syntax_but_a_rule_violation() -> None:
    with pytest.raises(MfaPreferenceError, match="preferred but not enabled"):
        parse_settings(Factor.TOTP, "Enabled=false,PreferredMfa=true")


# -- the oracle: what the real AWS CLI accepts -----------------------------------------------------

# Valid pieces are weighted so that about half the texts are accepted: a difference between
# the two parsers only shows when everything else in the text is right.
_BAD_KEYS = ["enabled", "PREFERREDMFA", "Preferred", ""]
_VALUES = ["true", "false", "TRUE", "False", "tRuE", "'true'", '"FALSE"'] * 4
_VALUES += ["yes", "0", "", "' true'", "[true]", "{a=b}", "tr ue", "true=false", 'tr"ue']
_SEPARATORS = [","] * 8 + [", ", " ,", ",,", ", ,", ",,,", " "]
_SPACES = st.sampled_from(["", "", "", " ", "  "])
_NOW_AND_THEN = st.sampled_from([False, False, False, True])


@st.composite
def shorthand_texts(draw: st.DrawFn) -> str:
    """Shorthand-like text built from the pieces where parsers tend to disagree."""
    keys = draw(st.permutations(["Enabled", "PreferredMfa"]))[: draw(st.sampled_from([1, 2, 2]))]
    if draw(_NOW_AND_THEN):  # a wrong, repeated or extra key
        keys.insert(draw(st.integers(0, len(keys))), draw(st.sampled_from(_BAD_KEYS + keys)))
    pairs = [
        key + draw(_SPACES) + "=" + draw(_SPACES) + draw(st.sampled_from(_VALUES)) + draw(_SPACES)
        for key in keys
    ]
    text = pairs[0] + "".join(draw(st.sampled_from(_SEPARATORS)) + pair for pair in pairs[1:])
    return draw(_SPACES) + text + draw(st.sampled_from(["", "", "", " ", ","]))


def assert_same_verdict(aws_cli: Any, factor: Factor, text: str) -> None:
    """Ours accepts exactly what the AWS CLI accepts, and reads the same block."""
    sent = aws_cli.request([OPERATION, "--access-token", "x", factor.cli_option, text])
    if sent is None:
        with pytest.raises(CliSyntaxError):
            parse_settings(factor, text)
        return
    block = sent[factor.request_key]
    if block.get("PreferredMfa") and not block.get("Enabled"):
        with pytest.raises(MfaPreferenceError):
            parse_settings(factor, text)
    else:
        assert parse_settings(factor, text) is FactorState.from_settings(factor, block)


@settings(oracle_settings, max_examples=200)
@given(text=shorthand_texts())
def test_shorthand_is_read_exactly_as_the_aws_cli_reads_it(aws_cli: Any, text: str) -> None:
    assert_same_verdict(aws_cli, Factor.SMS, text)


_JSON_VALUES = st.sampled_from([True, False, "true", 1, None, [True], {}])


@settings(oracle_settings, max_examples=50)  # a small space: 3 keys x 7 values, or a list
@given(
    document=st.one_of(
        st.dictionaries(st.sampled_from(["Enabled", "PreferredMfa", "enabled"]), _JSON_VALUES),
        st.lists(st.booleans(), max_size=1),
    ),
    indent=st.sampled_from([None, 2]),
)
def test_json_settings_are_read_exactly_as_the_aws_cli_reads_them(
    aws_cli: Any, document: object, indent: int | None
) -> None:
    assert_same_verdict(aws_cli, Factor.EMAIL, json.dumps(document, indent=indent))


@pytest.mark.parametrize("admin", [False, True])
def test_every_rendered_command_parses_in_the_aws_cli_to_the_same_request(
    aws_cli: Any, admin: bool
) -> None:
    for preference in ALL:
        identity = {"user_pool_id": POOL, "username": "alice"} if admin else {}
        command = render_cli(preference, syntax="json" if admin else "shorthand", **identity)
        words = shlex.split(command.replace("\\\n", " "))
        assert words[:3] == ["aws", "cognito-idp", ADMIN_OPERATION if admin else OPERATION]
        sent = aws_cli.request(words[2:])
        assert sent is not None, aws_cli.last_error
        wire = (
            {"UserPoolId": POOL, "Username": "alice"} if admin else {"AccessToken": "$ACCESS_TOKEN"}
        )
        assert sent == expected_request(preference, **wire)


_names = st.text(
    st.characters(blacklist_categories=["Cc", "Cs", "Zl", "Zp"]), min_size=1, max_size=16
).filter(lambda s: "://" not in s)


@settings(oracle_settings, max_examples=40)  # three parses per example
@given(
    preference=st.sampled_from(ALL),
    username=_names,
    token=_names,
    multiline=st.booleans(),
    syntax=st.sampled_from(["shorthand", "json"]),
)
def test_any_username_or_token_survives_shell_quoting(
    aws_cli: Any,
    preference: MfaPreference,
    username: str,
    token: str,
    multiline: bool,
    syntax: Any,
) -> None:
    admin = render_cli(
        preference, user_pool_id=POOL, username=username, multiline=multiline, syntax=syntax
    )
    public = render_cli(preference, access_token=token, multiline=multiline, syntax=syntax)
    for command, wire in (
        (admin, {"UserPoolId": POOL, "Username": username}),
        (public, {"AccessToken": token}),
    ):
        words = shlex.split(command.replace("\\\n", " "))
        assert aws_cli.request(words[2:]) == expected_request(preference, **wire)
        request = parse_cli_args(command)
        assert request.preference == preference
        assert (request.username, request.access_token) == (
            wire.get("Username"),
            wire.get("AccessToken"),
        )


def test_cli_input_json_merges_like_the_aws_cli(aws_cli: Any) -> None:
    document = json.dumps(
        {
            "SMSMfaSettings": {"Enabled": True, "PreferredMfa": True},
            "EmailMfaSettings": {"Enabled": True, "PreferredMfa": False},
            "AccessToken": "from-document",
        }
    )
    args = [OPERATION, "--cli-input-json", document, "--sms-mfa-settings", "Enabled=false"]
    sent = aws_cli.request(args)
    assert sent is not None, aws_cli.last_error
    ours = parse_cli_args(args)
    assert ours.preference == MfaPreference.from_request(sent)
    assert ours.access_token == sent["AccessToken"] == "from-document"
    assert ours.preference == MfaPreference(sms=D, email=E)


# -- the skeleton: byte for byte what the AWS CLI prints -------------------------------------------


@pytest.mark.parametrize("admin", [False, True])
def test_skeleton_equals_the_real_aws_cli_output(
    admin: bool, aws_bin: str, aws_subprocess_env: dict[str, str]
) -> None:
    operation = ADMIN_OPERATION if admin else OPERATION
    printed = subprocess.run(
        [aws_bin, "cognito-idp", operation, "--generate-cli-skeleton"],
        capture_output=True,
        text=True,
        env=aws_subprocess_env,
        timeout=60,
        check=True,
    ).stdout
    assert render_skeleton(admin=admin) + "\n" == printed
    assert json.loads(printed) == cli_skeleton(admin=admin)


@pytest.mark.parametrize("admin", [False, True])
def test_skeleton_is_a_readable_input_document_once_one_preference_is_kept(admin: bool) -> None:
    skeleton = cli_skeleton(admin=admin)
    with pytest.raises(MfaPreferenceError, match="at most one factor can be preferred"):
        parse_cli_input_json(json.dumps(skeleton))  # as printed: all three preferred
    for key in ("SoftwareTokenMfaSettings", "EmailMfaSettings"):
        skeleton[key]["PreferredMfa"] = False
    request = parse_cli_input_json(json.dumps(skeleton))
    # The skeleton's WebAuthnMfaSettings {Enabled: true} is read as passkey MFA on (issue 14).
    assert request.preference == MfaPreference(sms=P, totp=E, email=E, webauthn=True)
    assert (request.access_token, request.user_pool_id, request.username) == (None, None, None)
    assert any("WebAuthnMfaSettings" in note for note in request.notes)


# -- the real shell and the real aws binary --------------------------------------------------------


def _sent_body(debug_log: str) -> dict[str, Any]:
    """The JSON body botocore logged with --debug just before trying to connect."""
    match = re.search(r"'body': (b'(?:[^'\\]|\\.)*'|b\"(?:[^\"\\]|\\.)*\")", debug_log)
    assert match, debug_log[-2000:]
    body: dict[str, Any] = json.loads(ast.literal_eval(match.group(1)))
    return body


@pytest.mark.parametrize("admin", [False, True])
def test_rendered_command_runs_in_bash_and_sends_the_request(
    admin: bool, aws_bin: str, aws_subprocess_env: dict[str, str], closed_port: int
) -> None:
    preference = MfaPreference(sms=E, totp=P, email=D)
    username = 'o\'brien "$HOME" `id` -x'
    identity = {"user_pool_id": POOL, "username": username} if admin else {}
    command = render_cli(preference, **identity).replace("aws ", f"{aws_bin} ", 1)
    token = "eyJhbGciOiJub25lIn0.eyJ0b2tlbl91c2UiOiJhY2Nlc3MifQ."
    result = subprocess.run(
        ["bash", "-c", f"{command} --endpoint-url http://127.0.0.1:{closed_port} --debug"],
        capture_output=True,
        text=True,
        env={**aws_subprocess_env, "ACCESS_TOKEN": token},
        timeout=60,
    )
    assert result.returncode != 0  # nothing listens there
    assert "Could not connect to the endpoint URL" in result.stderr
    wire = {"UserPoolId": POOL, "Username": username} if admin else {"AccessToken": token}
    assert _sent_body(result.stderr) == expected_request(preference, **wire)


# -- other renderings ------------------------------------------------------------------------------


def _boto3_call(snippet: str) -> tuple[str, dict[str, Any]]:
    """The method name and keyword arguments of the snippet's client call."""
    calls = [node for node in ast.walk(ast.parse(snippet)) if isinstance(node, ast.Call)]
    call = next(
        c for c in calls if isinstance(c.func, ast.Attribute) and c.func.attr.endswith("preference")
    )
    assert isinstance(call.func, ast.Attribute)
    kwargs = {k.arg: k.value for k in call.keywords if k.arg}
    values = {
        key: ast.unparse(node) if key == "AccessToken" else ast.literal_eval(node)
        for key, node in kwargs.items()
    }
    return call.func.attr, values


@pytest.mark.parametrize("preference", ALL, ids=lambda p: p.describe())
def test_boto3_snippet_makes_the_same_call(preference: MfaPreference) -> None:
    method, kwargs = _boto3_call(render_boto3(preference))
    assert method == "set_user_mfa_preference"
    assert kwargs == expected_request(preference, AccessToken="os.environ['ACCESS_TOKEN']")
    method, kwargs = _boto3_call(render_boto3(preference, user_pool_id=POOL, username="bob"))
    assert method == "admin_set_user_mfa_preference"
    assert kwargs == expected_request(preference, UserPoolId=POOL, Username="bob")


@given(username=_names, token=_names)
def test_boto3_snippet_keeps_any_username_or_token_exactly(username: str, token: str) -> None:
    preference = MfaPreference(sms=E)
    _, kwargs = _boto3_call(render_boto3(preference, user_pool_id=POOL, username=username))
    assert kwargs["Username"] == username
    _, kwargs = _boto3_call(render_boto3(preference, access_token=token))
    assert ast.literal_eval(kwargs["AccessToken"]) == token


def test_boto3_snippet_is_runnable_python_with_its_imports() -> None:
    snippet = render_boto3(MfaPreference(totp=P))
    tree = ast.parse(snippet)
    imported = {
        alias.name for node in tree.body if isinstance(node, ast.Import) for alias in node.names
    }
    assert imported == {"os", "boto3"}
    assert 'boto3.client("cognito-idp")' in snippet


@pytest.mark.parametrize("preference", ALL, ids=lambda p: p.describe())
def test_request_json_round_trips(preference: MfaPreference) -> None:
    admin = parse_cli_input_json(render_request_json(preference, user_pool_id=POOL, username="b"))
    assert admin == CliRequest(preference, user_pool_id=POOL, username="b")
    public = parse_cli_input_json(render_request_json(preference, access_token="t"))
    assert public == CliRequest(preference, access_token="t")


def test_request_json_keeps_the_skeleton_order() -> None:
    text = render_request_json(MfaPreference(email=E, sms=P), user_pool_id=POOL, username="b")
    assert list(json.loads(text)) == [
        "SMSMfaSettings",
        "EmailMfaSettings",
        "Username",
        "UserPoolId",
    ]


def test_command_layout() -> None:
    command = render_cli(MfaPreference(sms=P, totp=E))
    assert command == (
        "aws cognito-idp set-user-mfa-preference \\\n"
        '    --access-token "$ACCESS_TOKEN" \\\n'
        "    --sms-mfa-settings Enabled=true,PreferredMfa=true \\\n"
        "    --software-token-mfa-settings Enabled=true,PreferredMfa=false"
    )
    one_line = render_cli(MfaPreference(email=D), multiline=False, placeholder="$TOKEN")
    assert one_line == (
        "aws cognito-idp set-user-mfa-preference --access-token $TOKEN "
        "--email-mfa-settings Enabled=false,PreferredMfa=false"
    )


def test_a_username_starting_with_a_dash_is_attached_with_equals() -> None:
    command = render_cli(MfaPreference(sms=E), user_pool_id=POOL, username="-bob", multiline=False)
    assert "--username=-bob" in command
    assert parse_cli_args(command).username == "-bob"


@pytest.mark.parametrize(
    ("identity", "said"),
    [
        ({"user_pool_id": POOL}, "needs both a user pool id and a username"),
        ({"username": "bob"}, "needs both a user pool id and a username"),
        ({"user_pool_id": "pool", "username": "bob"}, "user pool id 'pool' is malformed"),
        ({"user_pool_id": POOL, "username": "b", "access_token": "t"}, "takes no access token"),
    ],
)
def test_bad_identity_is_refused(identity: dict[str, str], said: str) -> None:
    for render in (render_cli, render_boto3, render_request_json):
        with pytest.raises(CliSyntaxError, match=said):
            render(MfaPreference(sms=E), **identity)


# -- documents and pasted command lines ------------------------------------------------------------


def test_yaml_input_document() -> None:
    request = parse_cli_input_yaml(
        "SMSMfaSettings:\n  Enabled: true\n  PreferredMfa: false\n"
        "SoftwareTokenMfaSettings: {Enabled: true, PreferredMfa: true}\n"
        f"UserPoolId: {POOL}\nUsername: alice\n"
    )
    assert request == CliRequest(MfaPreference(sms=E, totp=P), user_pool_id=POOL, username="alice")
    assert request.admin
    assert request.operation == ADMIN_OPERATION


@pytest.mark.parametrize(
    ("parse", "text", "said"),
    [
        (parse_cli_input_json, "{nope", "--cli-input-json: invalid JSON"),
        (parse_cli_input_json, "[]", "expected a mapping of parameters"),
        (parse_cli_input_json, '{"SmsMfaSettings": {}}', "unknown parameter 'SmsMfaSettings'"),
        (parse_cli_input_json, '{"Username": 7}', "Username must be a string"),
        (parse_cli_input_json, '{"AccessToken": "t", "Username": "u"}', "not both"),
        (parse_cli_input_json, "file://doc.json", "file:// values are not read here"),
        (parse_cli_input_yaml, "a: [b", "--cli-input-yaml: invalid YAML"),
        (parse_cli_input_yaml, "- 1", "expected a mapping of parameters"),
        (parse_cli_input_yaml, "SMSMfaSettings: {Enabled: maybe}", "must be true or false"),
    ],
)
def test_bad_documents_get_one_clear_line(parse: Any, text: str, said: str) -> None:
    with pytest.raises(CliSyntaxError, match=re.escape(said)) as error:
        parse(text)
    assert ONE_LINE.fullmatch(str(error.value))


def test_a_pasted_multiline_command_with_global_options() -> None:
    pasted = """aws --region eu-west-1 cognito-idp admin-set-user-mfa-preference \\
        --user-pool-id eu-west-1_X1 --username=bob --debug \\
        --email-mfa-settings Enabled=true,PreferredMfa=true \\
        --sms-mfa-settings '{"Enabled": false}' --output json"""
    request = parse_cli_args(pasted)
    assert request == CliRequest(
        MfaPreference(sms=D, email=P), user_pool_id="eu-west-1_X1", username="bob"
    )


def test_enabled_without_preferred_mfa_is_noted() -> None:
    request = parse_cli_args("--sms-mfa-settings Enabled=true")
    assert request.preference == MfaPreference(sms=E)
    assert request.notes == (
        "SMSMfaSettings leaves out PreferredMfa: read as false here; Cognito may instead keep "
        "the user's current value",
    )


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("--sms-mfa-settings", "--sms-mfa-settings needs a value"),
        ("--access-token --sms-mfa-settings Enabled=true", "--access-token needs a value"),
        ("--mfa sms", "unknown option --mfa: use --sms-mfa-settings"),
        ("sms preferred", "unexpected argument 'sms'"),
        (f"{OPERATION} --user-pool-id {POOL}", f"use {ADMIN_OPERATION} for that"),
        (f"{ADMIN_OPERATION} --access-token t", "has no --access-token"),
        ("--access-token t --username u", "not both"),
        ("--sms-mfa-settings 'Enabled=true", "check the quotes"),
        ("--generate-cli-skeleton", "unknown option --generate-cli-skeleton"),
    ],
)
def test_bad_command_lines_get_one_clear_line(text: str, said: str) -> None:
    with pytest.raises(CliSyntaxError, match=re.escape(said)) as error:
        parse_cli_args(text)
    assert ONE_LINE.fullmatch(str(error.value))


def test_the_access_token_never_shows_in_a_repr() -> None:
    token = "eyJhbGciOiJub25lIn0.eyJzZWNyZXQiOiJ5ZXMifQ.c2ln"
    request = parse_cli_args(["--access-token", token])
    assert request.access_token == token
    assert token not in repr(request)
    assert token not in str(request)
    assert "eyJhbGci…#" in repr(request)
