"""A real passkey from Debian Chromium's virtual authenticator, registered and used on the sandbox.

The page is served on ``http://localhost:<port>`` (an IP address is not a valid relying party
ID); the DevTools protocol's ``WebAuthn.addVirtualAuthenticator`` answers
``navigator.credentials.create``/``get`` with user verification and no prompt. The sandbox
verifies both ceremonies with the ``webauthn`` library.
"""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from mfa_widgets.sandbox import Sandbox
from tests.service.shapes import assert_valid_output, enable_choice_sign_in

pytestmark = pytest.mark.e2e

CREATE = """async (options) => {
    const publicKey = PublicKeyCredential.parseCreationOptionsFromJSON(options);
    const credential = await navigator.credentials.create({publicKey});
    return credential.toJSON();
}"""
GET = """async (options) => {
    const publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(options);
    const credential = await navigator.credentials.get({publicKey});
    return credential.toJSON();
}"""


class _Blank(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"<!doctype html><title>passkey test</title><p>passkeys"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def localhost_page(offline_page: Any) -> Iterator[tuple[Any, str]]:
    """A blank page on http://localhost:<port> with a user-verifying virtual authenticator."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Blank)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    origin = f"http://localhost:{server.server_address[1]}"
    try:
        offline_page.goto(origin + "/")
        cdp = offline_page.context.new_cdp_session(offline_page)
        cdp.send("WebAuthn.enable")
        cdp.send(
            "WebAuthn.addVirtualAuthenticator",
            {
                "options": {
                    "protocol": "ctap2",
                    "transport": "internal",
                    "hasResidentKey": True,
                    "hasUserVerification": True,
                    "isUserVerified": True,
                }
            },
        )
        yield offline_page, origin
    finally:
        server.shutdown()
        server.server_close()


def test_chromium_registers_a_passkey_and_signs_in_with_it(
    sandbox: Sandbox, localhost_page: tuple[Any, str]
) -> None:
    page, _ = localhost_page
    cognito = sandbox.client()
    pool = sandbox.create_pool(name="chromium-passkeys", mfa="OPTIONAL")
    enable_choice_sign_in(cognito, pool, ["PASSWORD", "WEB_AUTHN"])
    user = sandbox.create_user(pool, "chromium-user", email="c@example.com")
    token = sandbox.issue_token(pool, user.username)

    start = cognito.start_web_authn_registration(AccessToken=token)
    credential = page.evaluate(CREATE, start["CredentialCreationOptions"])
    assert credential["type"] == "public-key"
    done = cognito.complete_web_authn_registration(AccessToken=token, Credential=credential)
    assert_valid_output("CompleteWebAuthnRegistration", done)
    listed = cognito.list_web_authn_credentials(AccessToken=token)["Credentials"]
    assert [c["CredentialId"] for c in listed] == [credential["id"]]

    asked = cognito.initiate_auth(
        ClientId=pool.client_id,
        AuthFlow="USER_AUTH",
        AuthParameters={"USERNAME": user.username, "PREFERRED_CHALLENGE": "WEB_AUTHN"},
    )
    assert asked["ChallengeName"] == "WEB_AUTHN"
    options = json.loads(asked["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"])
    assertion = page.evaluate(GET, options)
    signed_in = cognito.respond_to_auth_challenge(
        ClientId=pool.client_id,
        ChallengeName="WEB_AUTHN",
        Session=asked["Session"],
        ChallengeResponses={"USERNAME": user.username, "CREDENTIAL": json.dumps(assertion)},
    )
    assert "AccessToken" in signed_in["AuthenticationResult"]
