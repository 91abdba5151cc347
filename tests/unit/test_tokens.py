"""Offline token inspection: claims, the specific problems, and keeping tokens out of text."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mfa_widgets.core.errors import TokenError
from mfa_widgets.core.redaction import redact_token, scrub_secrets
from mfa_widgets.core.tokens import ADMIN_SCOPE, check_access_token, inspect_token

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
POOL = "eu-west-1_AbCdEf123"
ISS = f"https://cognito-idp.eu-west-1.amazonaws.com/{POOL}"

MakeJwt = Callable[..., str]


def access_claims(**overrides: Any) -> dict[str, Any]:
    """Claims shaped like the access token moto and Cognito issue."""
    claims: dict[str, Any] = {
        "iss": ISS,
        "sub": "8b1f-sub",
        "client_id": "app-client-1",
        "token_use": "access",
        "scope": ADMIN_SCOPE,
        "iat": int(NOW.timestamp()) - 60,
        "exp": int(NOW.timestamp()) + 3600,
        "username": "alice",
    }
    return {**claims, **overrides}


def test_a_good_access_token_is_read_fully(make_jwt: MakeJwt) -> None:
    token = make_jwt(**access_claims())
    info = check_access_token(token, now=NOW)
    assert info.ok
    assert info.is_access_token
    assert info.has_admin_scope
    assert info.scope == (ADMIN_SCOPE,)
    assert info.expires_at == NOW + timedelta(hours=1)
    assert info.seconds_left == 3600
    assert (info.region, info.user_pool_id) == ("eu-west-1", POOL)
    assert (info.username, info.sub, info.client_id) == ("alice", "8b1f-sub", "app-client-1")
    assert info.fingerprint == redact_token(token)


def test_now_can_be_unix_seconds_and_naive_datetimes_are_refused(make_jwt: MakeJwt) -> None:
    token = make_jwt(**access_claims())
    assert inspect_token(token, now=NOW.timestamp()).seconds_left == 3600
    with pytest.raises(ValueError, match="timezone-aware"):
        inspect_token(token, now=NOW.replace(tzinfo=None))


@pytest.mark.parametrize(
    ("iss", "region", "pool"),
    [
        (ISS, "eu-west-1", POOL),
        (
            "https://cognito-idp.cn-north-1.amazonaws.com.cn/cn-north-1_X1",
            "cn-north-1",
            "cn-north-1_X1",
        ),
        ("http://127.0.0.1:5000/us-east-1_Sandbox1", "us-east-1", "us-east-1_Sandbox1"),
        ("http://localhost:4566/ap-southeast-2_q9/", "ap-southeast-2", "ap-southeast-2_q9"),
        ("https://accounts.example.com", None, None),
    ],
)
def test_issuer_names_region_and_pool(
    make_jwt: MakeJwt, iss: str, region: str | None, pool: str | None
) -> None:
    info = inspect_token(make_jwt(**access_claims(iss=iss)), now=NOW)
    assert (info.region, info.user_pool_id) == (region, pool)


def test_id_token_is_named_and_the_fix_given(make_jwt: MakeJwt) -> None:
    claims = access_claims(token_use="id", aud="app-client-1", **{"cognito:username": "alice"})
    del claims["client_id"], claims["username"], claims["scope"]
    with pytest.raises(TokenError) as error:
        check_access_token(make_jwt(**claims), now=NOW)
    assert error.value.problem == "id_token"
    assert str(error.value) == (
        "this is an ID token (token_use=id); SetUserMFAPreference needs the access token: "
        "use AuthenticationResult['AccessToken']"
    )
    info = inspect_token(make_jwt(**claims), now=NOW)
    assert (info.username, info.client_id) == ("alice", "app-client-1")


@pytest.mark.parametrize(
    ("seconds_ago", "said"),
    [
        (1, "1 second"),
        (42, "42 seconds"),
        (90, "1 minute"),
        (7300, "2 hours"),
        (86400 * 3, "3 days"),
    ],
)
def test_expired_says_how_long_ago(make_jwt: MakeJwt, seconds_ago: int, said: str) -> None:
    token = make_jwt(**access_claims(exp=int(NOW.timestamp()) - seconds_ago))
    with pytest.raises(TokenError, match=f"expired {said} ago") as error:
        check_access_token(token, now=NOW)
    assert error.value.problem == "expired"
    assert "sign in again" in str(error.value)


def test_expiring_exactly_now_counts_as_expired(make_jwt: MakeJwt) -> None:
    token = make_jwt(**access_claims(exp=int(NOW.timestamp())))
    assert [p.code for p in inspect_token(token, now=NOW).problems] == ["expired"]


def test_missing_scope_says_how_to_get_it(make_jwt: MakeJwt) -> None:
    token = make_jwt(**access_claims(scope="openid email"))
    with pytest.raises(TokenError) as error:
        check_access_token(token, now=NOW)
    assert error.value.problem == "missing_scope"
    message = str(error.value)
    assert "(it has: openid email)" in message
    assert "InitiateAuth" in message
    assert "OAuth authorize" in message


def test_problems_are_listed_most_fundamental_first(make_jwt: MakeJwt) -> None:
    token = make_jwt(**access_claims(token_use="id", exp=int(NOW.timestamp()) - 10))
    assert [p.code for p in inspect_token(token, now=NOW).problems] == ["id_token", "expired"]
    token = make_jwt(**access_claims(scope="", exp=int(NOW.timestamp()) - 10))
    assert [p.code for p in inspect_token(token, now=NOW).problems] == ["expired", "missing_scope"]


def test_a_jwt_that_is_not_from_cognito_is_not_an_access_token(make_jwt: MakeJwt) -> None:
    with pytest.raises(TokenError, match="no token_use claim") as error:
        check_access_token(make_jwt(sub="x"), now=NOW)
    assert error.value.problem == "not_access_token"


@pytest.mark.parametrize(
    ("text", "problem", "said"),
    [
        ("", "empty", "the access token is empty"),
        ("   ", "empty", "the access token is empty"),
        ("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "malformed", "looks like a TOTP secret"),
        ("123456", "malformed", "looks like a one-time code"),
        ("0b3c6a1e-9a44-4c4e-8f7a-2f5b6c7d8e9f", "malformed", "looks like a UUID"),
        ("abc", "malformed", "has 1 segment, a JWT has 3"),
        ("abc.def", "malformed", "has 2 segments, a JWT has 3"),
        ("a.b.c.d.e", "malformed", "5 segments, like Cognito's encrypted refresh token"),
        ("ab$.cd.ef", "malformed", "characters outside base64url"),
        ("eyJub3Q.anNvbg.sig", "malformed", "header is not base64url-encoded JSON"),
        ("Bearer eyJa.b.c", "malformed", "without that prefix"),
    ],
)
def test_not_a_jwt_says_what_was_found(text: str, problem: str, said: str) -> None:
    with pytest.raises(TokenError, match=re.escape(said)) as error:
        check_access_token(text, now=NOW)
    assert error.value.problem == problem
    info = inspect_token(text, now=NOW)
    assert [p.code for p in info.problems] == [problem]
    assert info.token_use is None


def test_payload_that_is_not_json_is_reported(make_jwt: MakeJwt) -> None:
    header = make_jwt().split(".")[0]
    with pytest.raises(TokenError, match="payload is not base64url-encoded JSON"):
        check_access_token(f"{header}.bm90IGpzb24.sig", now=NOW)


@given(st.text(max_size=80))
def test_inspect_never_raises_and_check_raises_only_token_errors(text: str) -> None:
    info = inspect_token(text, now=NOW)
    assert info.problems  # arbitrary text is never a usable Cognito access token
    with pytest.raises(TokenError):
        check_access_token(text, now=NOW)


# -- secrets stay out of text ----------------------------------------------------------------------


def test_token_info_never_shows_the_token(make_jwt: MakeJwt) -> None:
    token = make_jwt(**access_claims(token_use="id"))
    info = inspect_token(token, now=NOW)
    for text in (repr(info), str(info), *(p.message for p in info.problems)):
        assert token not in text
        assert token.split(".")[1] not in text  # nor its payload


def test_errors_never_show_the_token(make_jwt: MakeJwt) -> None:
    for token in (make_jwt(**access_claims(scope="openid")), "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"):
        with pytest.raises(TokenError) as error:
            check_access_token(token, now=NOW)
        assert token not in str(error.value)


def test_redact_token_keeps_a_jwt_prefix_and_a_stable_short_hash(make_jwt: MakeJwt) -> None:
    token = make_jwt(**access_claims())
    redacted = redact_token(token)
    assert re.fullmatch(r"eyJ[A-Za-z0-9_-]{5}…#[0-9a-f]{6}", redacted)
    assert redacted == redact_token(token)
    assert redacted != redact_token(make_jwt(**access_claims(username="bob")))
    assert redact_token("") == "<empty>"


@pytest.mark.parametrize("secret", ["JBSWY3DPEHPK3PXP", "123456", "hunter2-password"])
def test_redact_token_shows_nothing_of_other_secrets(secret: str) -> None:
    assert re.fullmatch(r"…#[0-9a-f]{6}", redact_token(secret))


def test_scrub_removes_jwts_as_moto_echoes_them(make_jwt: MakeJwt) -> None:
    token = make_jwt(**access_claims())
    message = f"An error occurred (NotAuthorizedException): Invalid token {token}"
    scrubbed = scrub_secrets(message)
    assert token not in scrubbed
    prefix = "An error occurred (NotAuthorizedException): Invalid token"
    assert scrubbed == f"{prefix} [token {redact_token(token)}]"


def test_scrub_removes_given_secrets_longest_first() -> None:
    text = "password hunter2 and hunter2-extended, code 123456"
    scrubbed = scrub_secrets(text, ["hunter2", "hunter2-extended", "123456", ""])
    assert scrubbed == "password [redacted] and [redacted], code [redacted]"


@pytest.mark.parametrize(
    "text",
    [
        "Could not connect to https://cognito-idp.us-east-1.amazonaws.com/",
        "version 1.44.8 of botocore.client.CognitoIdentityProvider",
        "file mfa_widgets.core.aws_cli.render_cli at line 3",
    ],
)
def test_scrub_leaves_ordinary_dotted_text_alone(text: str) -> None:
    assert scrub_secrets(text) == text


def test_scrub_catches_unsigned_and_encrypted_tokens() -> None:
    unsigned = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."
    refresh = "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIn0.aaaa.bbbb.cccc.dddd"
    scrubbed = scrub_secrets(f"a {unsigned} b {refresh} c")
    assert unsigned not in scrubbed
    assert "bbbb" not in scrubbed
    assert re.fullmatch(r"a \[token eyJ\S+\] b \[token eyJ\S+\] c", scrubbed)


@given(
    # Shorter secrets are handled by key only (see test_redaction_policy.py in tests/hardening).
    st.lists(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", min_size=6), max_size=4),
    st.text(),
)
def test_scrub_never_leaves_a_given_secret(secrets: list[str], filler: str) -> None:
    text = filler.join([*secrets, filler])
    scrubbed = scrub_secrets(text, secrets)
    for secret in secrets:
        assert secret not in scrubbed.replace("[redacted]", "\0")
