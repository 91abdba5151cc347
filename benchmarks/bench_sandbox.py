"""Sandbox cold start, and the fidelity layer's per-call cost vs plain moto.

``run()`` measures:

* cold start: ``Sandbox().start()`` to the first answered call (moto import included, so run in a
  fresh process for the true figure; ``python benchmarks/bench_sandbox.py`` does);
* median latency of ``set_user_mfa_preference`` through the sandbox vs the same call against a
  plain ``ThreadedMotoServer``, as a ratio (target: the layer costs no more than moto itself).
"""

from __future__ import annotations

import statistics
import time
from typing import Any

CALLS = 200
WARMUP = 20


def _client(endpoint: str) -> Any:
    import boto3

    return boto3.client(
        "cognito-idp",
        region_name="us-east-1",
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def _median_ms(client: Any, token: str) -> float:
    blocks = [{"Enabled": True, "PreferredMfa": True}, {"Enabled": False}]
    samples = []
    for i in range(WARMUP + CALLS):
        started = time.perf_counter()
        client.set_user_mfa_preference(AccessToken=token, SMSMfaSettings=blocks[i % 2])
        if i >= WARMUP:
            samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def _plain_moto_ms() -> float:
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's server logs every request

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        client = _client(f"http://{host}:{port}")
        pool_id = client.create_user_pool(PoolName="bench")["UserPool"]["Id"]
        client_id = client.create_user_pool_client(UserPoolId=pool_id, ClientName="b")[
            "UserPoolClient"
        ]["ClientId"]
        client.admin_create_user(
            UserPoolId=pool_id,
            Username="u",
            UserAttributes=[{"Name": "phone_number", "Value": "+15555550100"}],
            MessageAction="SUPPRESS",
        )
        client.admin_set_user_password(
            UserPoolId=pool_id, Username="u", Password="Bench-Passw0rd!", Permanent=True
        )
        token = client.initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "u", "PASSWORD": "Bench-Passw0rd!"},
        )["AuthenticationResult"]["AccessToken"]
        return _median_ms(client, token)
    finally:
        server.stop()


def run() -> list[dict[str, Any]]:
    """Cold start and per-call latency ratio (see the module docstring)."""
    from mfa_widgets.sandbox import Sandbox

    started = time.perf_counter()
    sandbox = Sandbox().start()
    client = _client(sandbox.endpoint_url)
    client.list_user_pools(MaxResults=1)
    cold_s = time.perf_counter() - started
    try:
        pool = sandbox.create_pool(mfa="OPTIONAL")
        user = sandbox.create_user(pool, "u", phone="+15555550100")
        token = sandbox.sign_in(pool, "u", user.password)["AccessToken"]
        ours_ms = _median_ms(client, token)
    finally:
        sandbox.stop()
    moto_ms = _plain_moto_ms()
    ratio = ours_ms / moto_ms
    return [
        {
            "name": "sandbox cold start to first answered call",
            "value": round(cold_s, 3),
            "unit": "s",
            "target": 1.5,
            "baseline": None,
            "meets_target": cold_s <= 1.5,
        },
        {
            "name": "set_user_mfa_preference median latency, sandbox / plain moto server",
            "value": round(ratio, 3),
            "unit": "ratio",
            "target": 1.0,
            "baseline": round(moto_ms, 3),
            "meets_target": ratio <= 1.0,
            "sandbox_ms": round(ours_ms, 3),
        },
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
