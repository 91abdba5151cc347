"""The sign-in probe's choice-based flow in JupyterLab, through Debian chromium.

A notebook written for the test shows the probe on the choice flow (``USER_AUTH``) for a user with
an email and a passkey. Walked as a person does: a typed password, ``SELECT_CHALLENGE`` answered
by a double-clicked "Choose", a wrong email code, then the right one typed as "1234 5678" and
answered by a double click; then a passkey by a double-clicked "Use passkey". A save with widget
state after each step (one with a code typed but not sent) is scanned for the password, the codes
and every secret the kernel's sandbox issued.
"""

from __future__ import annotations

from typing import Any

import nbformat
import pytest
from playwright.sync_api import expect

from tests.e2e.steps import RUN_ON_KERNEL, open_notebook, stays

pytestmark = pytest.mark.e2e

NOTEBOOK = "probe-choice-flow.ipynb"
#: The cell that shows the probe; the user's password is made in the kernel (never in a cell).
SETUP = """\
import secrets

import mfa_widgets as mw
from mfa_widgets.sandbox import Sandbox
from mfa_widgets.widgets.probe import SignInProbe

sandbox = Sandbox().start()
client = mw.MfaClient.for_sandbox(sandbox, log=mw.MfaLog())
pool = sandbox.create_pool(name="probe-choice", mfa="OPTIONAL")
client.call("UpdateUserPool", UserPoolId=pool.pool_id, UserPoolTier="ESSENTIALS",
            MfaConfiguration="OPTIONAL",
            Policies={"SignInPolicy": {"AllowedFirstAuthFactors": [
                "PASSWORD", "EMAIL_OTP", "WEB_AUTHN"]}})
client.call("UpdateUserPoolClient", UserPoolId=pool.pool_id, ClientId=pool.client_id,
            ExplicitAuthFlows=["ALLOW_USER_AUTH", "ALLOW_USER_PASSWORD_AUTH",
                               "ALLOW_REFRESH_TOKEN_AUTH"])
mfa = client.call("GetUserPoolMfaConfig", UserPoolId=pool.pool_id).data["response"]
client.call("SetUserPoolMfaConfig", UserPoolId=pool.pool_id, WebAuthnConfiguration={
    "RelyingPartyId": "localhost", "UserVerification": "required",
    "FactorConfiguration": "MULTI_FACTOR_WITH_USER_VERIFICATION"}, **mfa)
password = "Pw-" + secrets.token_urlsafe(12) + "1a!"
sandbox.create_user(pool, "erin", password=password, email="erin@example.com")
authenticator = mw.SoftwareAuthenticator("http://localhost:8888")
client.register_passkey(sandbox.issue_token(pool, "erin"), authenticator).raise_for_error()
probe = SignInProbe(client, pool.pool_id, pool.client_id, flow="choice", username="erin",
                    authenticator=authenticator)
probe
"""


def _kernel(page: Any, code: str) -> str:
    return str(page.evaluate(RUN_ON_KERNEL, code)).strip()


def test_the_choice_flow_walked_with_a_wrong_code_and_double_clicks_leaks_nothing(
    browser: Any, lab_server: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> None:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(SETUP)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(notebook, lab_server["root"] / NOTEBOOK)
    folder = tmp_path_factory.mktemp("probe-choice-saves")
    with open_notebook(browser, lab_server, NOTEBOOK, ".mfa-probe-panel", folder) as opened:
        page, saves = opened.page, opened.saves
        probe = page.locator(".mfa-probe-panel")
        status = probe.locator(".mfa-status")
        observed = probe.locator(".mfa-probe-observed")
        secret = _kernel(page, "print(password)")
        password = probe.locator(".mfa-probe-password input")
        password.fill(secret)
        password.press("Enter")
        expect(password).to_have_value("")
        saves.save("password-typed")

        probe.get_by_role("button", name="Sign in").dblclick()
        expect(observed).to_contain_text("SELECT_CHALLENGE", timeout=20_000)
        probe.get_by_role("button", name="EMAIL_OTP", exact=True).click()
        probe.get_by_role("button", name="Choose").dblclick()
        expect(observed).to_contain_text("EMAIL_OTP", timeout=20_000)
        page.wait_for_timeout(1000)  # let a second click, if one got through, land
        expect(observed).to_contain_text("EMAIL_OTP")
        expect(status).not_to_contain_text("Missing")
        saves.save("choice-answered")

        code = _kernel(page, 'print(sandbox.latest_code("erin", "EMAIL", pool))')
        wrong = str((int(code) + 1) % 10 ** len(code)).zfill(len(code))
        box = probe.locator(".mfa-probe-code input")
        box.fill(wrong)
        probe.get_by_role("button", name="Answer").click()
        expect(status).to_contain_text("code", timeout=20_000)
        expect(probe.locator(".mfa-probe-explanation")).to_contain_text("still open")
        half = len(code) // 2
        box.fill(f"{code[:half]} {code[half:]}")  # as an email shows it; typed, not yet sent
        saves.save("code-typed")
        probe.get_by_role("button", name="Answer").dblclick()
        stays(status, "Signed in")
        expect(probe.get_by_role("button", name="EMAIL_OTP", exact=True)).to_have_count(0)
        expect(status).not_to_contain_text("Start a sign-in first")
        saves.save("signed-in")

        probe.locator(".mfa-probe-preferred select").select_option(label="WEB_AUTHN (passkey)")
        probe.get_by_role("button", name="Sign in").click()
        expect(observed).to_contain_text("WEB_AUTHN", timeout=20_000)
        probe.get_by_role("button", name="Use passkey").dblclick()
        stays(status, "Signed in")
        expect(status).not_to_contain_text("sign in first")
        saves.save("passkey")

        assert saves.leaks(secret, code, wrong) == []
