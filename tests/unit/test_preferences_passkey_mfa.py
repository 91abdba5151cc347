"""Passkey MFA (``WebAuthnMfaSettings {Enabled}``, botocore 1.42.90+): model, syntax, oracle.

Passkey MFA is on, off or unchanged and can never be preferred. Every combination of the three
preferable factors with the three passkey values is checked, and the real AWS CLI (PyPI
``awscli``) is the oracle for what the renderings mean on the wire.
"""

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
from mfa_widgets.commands.main import main
from mfa_widgets.core.aws_cli import (
    ADMIN_OPERATION,
    OPERATION,
    PASSKEY_MFA_NEEDS,
    CliRequest,
    parse_cli_args,
    parse_cli_input_json,
    parse_passkey_settings,
    render_boto3,
    render_cli,
    render_passkey_settings,
    render_request_json,
)
from mfa_widgets.core.errors import CliSyntaxError
from mfa_widgets.core.preferences import WEBAUTHN_REQUEST_KEY, passkey_settings_from_request

D, E, P = FactorState.DISABLED, FactorState.ENABLED, FactorState.PREFERRED
STATES: list[FactorState | None] = [None, D, E, P]
SWITCHES: list[bool | None] = [None, False, True]
#: Every valid preference with passkey MFA: 54 factor combinations x 3 passkey values.
ALL = [
    MfaPreference(*s, webauthn=w)
    for s in itertools.product(STATES, repeat=3)
    if sum(x is P for x in s) <= 1
    for w in SWITCHES
]
POOL = "us-east-1_AbCdEf123"
oracle_settings = settings(
    deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
preferences = st.sampled_from(ALL)


def test_the_state_space_is_what_we_think() -> None:
    assert len(ALL) == 54 * 3
    assert len(set(ALL)) == len(ALL)  # webauthn takes part in equality


# -- the model: on/off, never preferred --------------------------------------------------------


@pytest.mark.parametrize("preference", ALL, ids=lambda p: p.describe())
def test_invariants_hold_with_passkey_mfa(preference: MfaPreference) -> None:
    assert preference.webauthn in (None, True, False)
    # The preferred factor is one of the three; passkey MFA never is.
    assert preference.preferred in (None, *Factor)
    assert [f for f, _ in preference] == list(Factor)
    request = preference.to_request()
    if preference.webauthn is None:
        assert WEBAUTHN_REQUEST_KEY not in request
    else:
        assert request[WEBAUTHN_REQUEST_KEY] == {"Enabled": preference.webauthn}
    assert MfaPreference.from_request(request) == preference
    assert preference.is_empty == (request == {})
    assert MfaPreference(**preference.as_dict()) == preference


@pytest.mark.parametrize("value", ["preferred", "PREFERRED", P])
def test_passkey_mfa_can_never_be_preferred(value: object) -> None:
    with pytest.raises(MfaPreferenceError, match="passkey MFA cannot be preferred"):
        MfaPreference(webauthn=value)  # type: ignore[arg-type]
    with pytest.raises(MfaPreferenceError, match="passkey MFA cannot be preferred"):
        MfaPreference().with_passkey_mfa(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["webauthn", "WEB_AUTHN", "passkey", "WebAuthnMfaSettings"])
def test_passkey_is_not_a_preferable_factor_and_the_error_says_how_to_set_it(name: str) -> None:
    with pytest.raises(MfaPreferenceError, match=r"MfaPreference\(webauthn=\.\.\.\)"):
        MfaPreference().with_state(name, "preferred")
    with pytest.raises(MfaPreferenceError, match=r"MfaPreference\(webauthn=\.\.\.\)"):
        MfaPreference().with_preferred(name)


@pytest.mark.parametrize(
    ("value", "enabled"),
    [
        *[(True, True), ("on", True), ("enabled", True), (E, True), (False, False)],
        *[("off", False), ("disabled", False), (D, False), (None, None), ("unchanged", None)],
    ],
)
def test_passkey_switch_words(value: object, enabled: bool | None) -> None:
    assert MfaPreference(webauthn=value).webauthn is enabled  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("block", "said"),
    [
        ({"Enabled": True, "PreferredMfa": True}, "has no PreferredMfa"),
        ({"PreferredMfa": False}, "has no PreferredMfa"),
        ({"enabled": True}, "unknown keys"),
        ({"Enabled": "true"}, "must be true or false"),
    ],
)
def test_bad_passkey_blocks_are_refused(block: dict[str, object], said: str) -> None:
    with pytest.raises(MfaPreferenceError, match=said):
        MfaPreference.from_request({WEBAUTHN_REQUEST_KEY: block})


@given(wanted=preferences, current=preferences)
def test_changes_then_merge_equals_merge(wanted: MfaPreference, current: MfaPreference) -> None:
    change = wanted.changes_from(current)
    assert change.merged_onto(current) == wanted.merged_onto(current)
    if wanted.webauthn is not None and wanted.webauthn == current.webauthn:
        assert change.webauthn is None  # an unchanged switch is not sent
    if wanted.webauthn is None:
        assert wanted.merged_onto(current).webauthn == current.webauthn


@given(preference=preferences, factor=st.sampled_from(list(Factor)), state=st.sampled_from(STATES))
def test_editing_a_factor_keeps_passkey_mfa(
    preference: MfaPreference, factor: Factor, state: FactorState | None
) -> None:
    assert preference.with_state(factor, state).webauthn == preference.webauthn
    assert preference.with_preferred(None).webauthn == preference.webauthn


def test_describe_and_as_dict_mention_passkey_mfa_only_when_set() -> None:
    assert MfaPreference(sms=E, webauthn=True).describe() == (
        "SMS enabled, TOTP unchanged, EMAIL unchanged, passkey MFA on"
    )
    assert MfaPreference(webauthn=False).as_dict()["webauthn"] == "off"
    assert "webauthn" not in MfaPreference(sms=E).as_dict()


def test_reading_a_user_leaves_passkey_mfa_unknown() -> None:
    # No read operation reports passkey MFA: UserMFASettingList has SMS_MFA/EMAIL_OTP/TOTP only.
    read = MfaPreference.from_user({"UserMFASettingList": ["SMS_MFA"]})
    assert read.webauthn is None
    assert read.is_complete


# -- one option -----------------------------------------------------------------------------------


@pytest.mark.parametrize("enabled", [True, False])
@pytest.mark.parametrize("syntax", ["shorthand", "json"])
def test_passkey_option_round_trip(enabled: bool, syntax: Any) -> None:
    assert parse_passkey_settings(render_passkey_settings(enabled, syntax)) is enabled
    assert parse_passkey_settings("{}") is None


def test_a_preferred_passkey_option_is_refused_saying_why() -> None:
    with pytest.raises(CliSyntaxError, match="can never be preferred") as error:
        parse_passkey_settings("Enabled=true,PreferredMfa=true")
    assert str(error.value).startswith("--web-authn-mfa-settings: ")


# -- the oracle -----------------------------------------------------------------------------------

_KEYS = ["Enabled"] * 6 + ["PreferredMfa", "enabled", "ENABLED", ""]
_VALUES = ["true", "false", "TRUE", "False", "'true'", '"false"'] * 3
_VALUES += ["yes", "1", "", "[true]", "tr ue"]


@st.composite
def passkey_shorthand(draw: st.DrawFn) -> str:
    """Shorthand for --web-authn-mfa-settings, about half of it valid."""
    keys = draw(st.lists(st.sampled_from(_KEYS), min_size=1, max_size=2))
    pairs = [
        key + draw(st.sampled_from(["", " "])) + "=" + draw(st.sampled_from(_VALUES))
        for key in keys
    ]
    return ",".join(pairs) + draw(st.sampled_from(["", "", " ", ","]))


@settings(oracle_settings, max_examples=120)
@given(
    text=st.one_of(
        passkey_shorthand(),
        st.dictionaries(
            st.sampled_from(["Enabled", "PreferredMfa", "enabled"]),
            st.sampled_from([True, False, "true", None]),
        ).map(json.dumps),
    )
)
def test_passkey_option_is_read_exactly_as_the_aws_cli_reads_it(aws_cli: Any, text: str) -> None:
    sent = aws_cli.request([OPERATION, "--access-token", "x", "--web-authn-mfa-settings", text])
    if sent is None:
        with pytest.raises(CliSyntaxError):
            parse_passkey_settings(text)
        return
    assert parse_passkey_settings(text) is passkey_settings_from_request(sent[WEBAUTHN_REQUEST_KEY])


@pytest.mark.parametrize(("admin", "syntax"), [(False, "shorthand"), (True, "json")])
def test_every_rendered_command_parses_in_the_aws_cli_to_the_same_request(
    aws_cli: Any, admin: bool, syntax: Any
) -> None:
    # Preferences without passkey MFA are covered by test_cli_syntax.py.
    identity = {"user_pool_id": POOL, "username": "alice"} if admin else {}
    wire = {"UserPoolId": POOL, "Username": "alice"} if admin else {"AccessToken": "$ACCESS_TOKEN"}
    for preference in ALL:
        if preference.webauthn is None:
            continue
        command = render_cli(preference, syntax=syntax, **identity)
        if preference.webauthn is not None:
            expected_value = "true" if preference.webauthn else "false"
            assert f"--web-authn-mfa-settings {expected_value}" not in command
            assert "--web-authn-mfa-settings " in command
        words = shlex.split(command.replace("\\\n", " "))
        assert words[2] == (ADMIN_OPERATION if admin else OPERATION)
        sent = aws_cli.request(words[2:])
        assert sent is not None, aws_cli.last_error
        assert sent == {**preference.to_request(), **wire}
        assert parse_cli_args(command).preference == preference


def test_cli_input_json_with_passkey_mfa_merges_like_the_aws_cli(aws_cli: Any) -> None:
    document = json.dumps(
        {
            "SMSMfaSettings": {"Enabled": True, "PreferredMfa": True},
            "WebAuthnMfaSettings": {"Enabled": True},
            "AccessToken": "from-document",
        }
    )
    for override, enabled in (([], True), (["--web-authn-mfa-settings", "Enabled=false"], False)):
        args = [OPERATION, "--cli-input-json", document, *override]
        sent = aws_cli.request(args)
        assert sent is not None, aws_cli.last_error
        ours = parse_cli_args(args)
        assert ours.preference == MfaPreference.from_request(sent)
        assert ours.preference == MfaPreference(sms=P, webauthn=enabled)
        assert (PASSKEY_MFA_NEEDS in ours.notes) is enabled


def test_the_aws_cli_refuses_a_preferred_passkey_and_so_do_we(aws_cli: Any) -> None:
    document = json.dumps({"WebAuthnMfaSettings": {"Enabled": True, "PreferredMfa": True}})
    assert aws_cli.request([OPERATION, "--access-token", "x", "--cli-input-json", document]) is None
    assert "PreferredMfa" in aws_cli.last_error
    with pytest.raises(CliSyntaxError, match="can never be preferred"):
        parse_cli_input_json(document)


def _sent_body(debug_log: str) -> dict[str, Any]:
    match = re.search(r"'body': (b'(?:[^'\\]|\\.)*'|b\"(?:[^\"\\]|\\.)*\")", debug_log)
    assert match, debug_log[-2000:]
    body: dict[str, Any] = json.loads(ast.literal_eval(match.group(1)))
    return body


def test_rendered_command_with_passkey_mfa_runs_in_bash(
    aws_bin: str, aws_subprocess_env: dict[str, str], closed_port: int
) -> None:
    preference = MfaPreference(totp=P, webauthn=True)
    command = render_cli(preference, user_pool_id=POOL, username="amy").replace(
        "aws ", f"{aws_bin} ", 1
    )
    result = subprocess.run(
        ["bash", "-c", f"{command} --endpoint-url http://127.0.0.1:{closed_port} --debug"],
        capture_output=True,
        text=True,
        env=aws_subprocess_env,
        timeout=60,
    )
    assert "Could not connect to the endpoint URL" in result.stderr
    assert _sent_body(result.stderr) == {
        **preference.to_request(),
        "UserPoolId": POOL,
        "Username": "amy",
    }


@pytest.mark.parametrize("preference", [p for p in ALL if p.webauthn is not None][:12])
def test_boto3_snippet_and_request_json_carry_passkey_mfa(preference: MfaPreference) -> None:
    snippet = render_boto3(preference, user_pool_id=POOL, username="bob")
    call = next(n for n in ast.walk(ast.parse(snippet)) if isinstance(n, ast.Call) and n.keywords)
    kwargs = {k.arg: ast.literal_eval(k.value) for k in call.keywords}
    assert kwargs == {**preference.to_request(), "UserPoolId": POOL, "Username": "bob"}
    document = render_request_json(preference, access_token="t")
    assert parse_cli_input_json(document) == CliRequest(preference, access_token="t")
    assert list(json.loads(document))[-2:] == [WEBAUTHN_REQUEST_KEY, "AccessToken"]


# -- mfa-widgets cli --webauthn -------------------------------------------------------------------


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["cli", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(("word", "enabled"), [("enabled", True), ("disabled", False)])
def test_cli_webauthn_flag(capsys: pytest.CaptureFixture[str], word: str, enabled: bool) -> None:
    code, out, err = _run(capsys, "--totp", "preferred", "--webauthn", word)
    assert code == 0
    assert out.rstrip().endswith(f"--web-authn-mfa-settings Enabled={str(enabled).lower()}")
    assert parse_cli_args(out).preference == MfaPreference(totp=P, webauthn=enabled)
    assert err == ""


def test_cli_webauthn_alone_is_something_to_set(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--webauthn", "on", "--format", "json")
    assert code == 0
    assert json.loads(out) == {"WebAuthnMfaSettings": {"Enabled": True}}


def test_cli_from_pasted_command_keeps_passkey_mfa_and_notes_its_needs(
    capsys: pytest.CaptureFixture[str],
) -> None:
    pasted = (
        "--sms-mfa-settings Enabled=true,PreferredMfa=true --web-authn-mfa-settings Enabled=true"
    )
    code, out, err = _run(capsys, "--from-cli", pasted, "--syntax", "json")
    assert code == 0
    assert parse_cli_args(out).preference == MfaPreference(sms=P, webauthn=True)
    assert "MULTI_FACTOR_WITH_USER_VERIFICATION" in err


@pytest.mark.parametrize(
    ("value", "said"), [("preferred", "never preferred"), ("maybe", "use enabled or disabled")]
)
def test_cli_webauthn_bad_value(capsys: pytest.CaptureFixture[str], value: str, said: str) -> None:
    code, out, err = _run(capsys, "--webauthn", value)
    assert (code, out) == (2, "")
    assert re.fullmatch(r"mfa-widgets cli: error: [^\n]+\n", err)
    assert said in err
