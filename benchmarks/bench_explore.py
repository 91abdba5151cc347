"""The default challenge sweep (40 scenarios) on a sandbox: Explorer vs a naive boto3 loop.

The sandbox runs in its own process (``mfa-widgets sandbox``), as it would for a shared training
endpoint, so the client side's threads are not slowed by the server's. Both sides make the same
calls per scenario: create the user, set its password, register an authenticator where the
scenario enables TOTP, add phone and email, set the preference, read it back, and sign in. The
naive loop does them one after another with raw boto3; the Explorer runs four scenarios at a
time and also predicts and logs every call. It is measured twice: without client-side pacing
(against the naive loop), and paced at Cognito's quotas as it runs by default (against the floor
those quotas set: one preference write per scenario at 25 requests/s).
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from benchmarks._sandbox_process import raw_client, sandbox_process, toolkit_client
from benchmarks._timing import row
from mfa_widgets.services.pacing import QUOTAS


def _naive_sweep(endpoint: str, scenarios: list[Any]) -> float:
    """Every scenario's calls, one at a time, with raw boto3 (the natural baseline)."""
    from mfa_widgets.core.requests import PASSWORD_AUTH_FLOWS, mfa_config_request
    from mfa_widgets.core.totp import totp_code

    raw = raw_client(endpoint)
    started = time.perf_counter()
    pools: dict[Any, tuple[str, str]] = {}
    for index, scenario in enumerate(scenarios):
        if scenario.mode not in pools:
            pool_id = raw.create_user_pool(PoolName=f"naive-{index}")["UserPool"]["Id"]
            raw.set_user_pool_mfa_config(**mfa_config_request(pool_id, scenario.pool))
            client_id = raw.create_user_pool_client(
                UserPoolId=pool_id,
                ClientName="naive",
                ExplicitAuthFlows=PASSWORD_AUTH_FLOWS,
            )["UserPoolClient"]["ClientId"]
            pools[scenario.mode] = (pool_id, client_id)
        pool_id, client_id = pools[scenario.mode]
        username, password = f"naive-{index}", f"Naive-{secrets.token_urlsafe(9)}9!"
        auth = {"USERNAME": username, "PASSWORD": password}
        raw.admin_create_user(UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS")
        raw.admin_set_user_password(
            UserPoolId=pool_id, Username=username, Password=password, Permanent=True
        )
        if scenario.totp_registered:
            answer = raw.initiate_auth(
                ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters=auth
            )
            token = answer.get("AuthenticationResult", {}).get("AccessToken")
            grant = {"AccessToken": token} if token else {"Session": answer["Session"]}
            associated = raw.associate_software_token(**grant)
            if not token:
                grant = {"Session": associated["Session"]}
            verified = raw.verify_software_token(
                **grant, UserCode=totp_code(associated["SecretCode"])
            )
            if not token:
                raw.respond_to_auth_challenge(
                    ClientId=client_id,
                    ChallengeName="MFA_SETUP",
                    Session=verified["Session"],
                    ChallengeResponses={"USERNAME": username},
                )
        raw.admin_update_user_attributes(
            UserPoolId=pool_id,
            Username=username,
            UserAttributes=scenario.contact_attributes(username),
        )
        raw.admin_set_user_mfa_preference(
            UserPoolId=pool_id, Username=username, **scenario.preference.to_request()
        )
        raw.admin_get_user(UserPoolId=pool_id, Username=username)
        raw.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters=auth)
    return time.perf_counter() - started


def _explorer_sweep(endpoint: str, scenarios: list[Any], *, paced: bool) -> tuple[float, int]:
    from mfa_widgets.services.explore import Explorer

    client = toolkit_client(endpoint)
    limits = {} if paced else {"write_rate": 0, "auth_rate": 0}  # 0: no client-side limit
    started = time.perf_counter()
    outcomes = Explorer(client, workers=4, **limits).run(scenarios)
    return time.perf_counter() - started, sum(o.agrees for o in outcomes)


def run() -> list[dict[str, Any]]:
    """Wall time of the default sweep and its ratio to the naive sequential loop."""
    from mfa_widgets.services.explore import default_scenarios

    scenarios = default_scenarios()
    with sandbox_process() as endpoint:
        _naive_sweep(endpoint, scenarios[:4])  # warm both paths up
        naive = _naive_sweep(endpoint, scenarios)
        unpaced, agreeing = _explorer_sweep(endpoint, scenarios, paced=False)
        paced, _ = _explorer_sweep(endpoint, scenarios, paced=True)
    # What Cognito's quotas allow at best: one preference write per scenario at 25 requests/s.
    floor = len(scenarios) / QUOTAS["UserResourceUpdate"]
    return [
        row(
            f"default sweep ({len(scenarios)} scenarios), Explorer without pacing / naive loop",
            unpaced / naive,
            "ratio",
            "<= 1.0",
            f"naive sequential boto3 loop {naive:.2f} s",
            explorer_s=round(unpaced, 2),
            agreeing=agreeing,
        ),
        row(
            "default sweep paced at Cognito's quotas / the quota floor (writes at 25/s)",
            paced / floor,
            "ratio",
            "<= 1.3",
            f"{len(scenarios)} writes at 25 requests/s: {floor:.2f} s",
            explorer_s=round(paced, 2),
        ),
    ]


if __name__ == "__main__":
    for result in run():
        print(result)
