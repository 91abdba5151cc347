"""A company proxy in the environment never catches loopback traffic; real Cognito keeps it.

Each case starts a real Python process with ``http_proxy``/``https_proxy`` (both spellings)
pointing at a closed port on this machine, as a company or classroom machine sets them: a client
that sent its calls to the proxy would fail with ``ProxyConnectionError``. No ``no_proxy`` is set
(Python does not exempt loopback by itself).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mfa_widgets.core.loopback import is_loopback_host, is_loopback_url, proxies_for

pytestmark = pytest.mark.wire  # proxies and real processes reaching the sandbox's port


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _run_behind_proxy(script: str) -> dict[str, object]:
    """Run ``script`` (it prints one JSON line last) with every proxy variable at a closed port."""
    proxy = f"http://127.0.0.1:{_closed_port()}"
    env = {k: v for k, v in os.environ.items() if k.lower() not in {"no_proxy"}}
    env.update(http_proxy=proxy, https_proxy=proxy, HTTP_PROXY=proxy, HTTPS_PROXY=proxy)
    env.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing")
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_the_sandbox_its_mfa_client_and_the_demo_work_behind_a_proxy() -> None:
    facts = _run_behind_proxy(
        """
        import json
        from mfa_widgets.sandbox import Sandbox
        from mfa_widgets.services.client import MfaClient
        with Sandbox() as sandbox:
            pool = sandbox.create_pool()
            demo = sandbox.provision_demo()
            by_url = MfaClient(endpoint_url=sandbox.endpoint_url, region=sandbox.region)
            listed = by_url.call("ListUserPools", MaxResults=5)
            shared = MfaClient.for_sandbox(sandbox).call("ListUserPools", MaxResults=5)
            print(json.dumps({"pool": pool.pool_id, "by_url": listed.ok, "shared": shared.ok,
                              "users": len(demo.users)}))
        """
    )
    assert facts["by_url"] is True
    assert facts["shared"] is True
    assert facts["users"] == 3


def test_an_endpoint_from_the_environment_named_localhost_is_called_directly() -> None:
    facts = _run_behind_proxy(
        """
        import json, os
        from mfa_widgets.sandbox import Sandbox
        from mfa_widgets.services.client import MfaClient
        with Sandbox() as sandbox:
            os.environ["AWS_ENDPOINT_URL"] = f"http://localhost:{sandbox.port}"
            result = MfaClient(region=sandbox.region).call("ListUserPools", MaxResults=1)
            print(json.dumps({"ok": result.ok}))
        """
    )
    assert facts["ok"] is True


def test_a_learner_and_the_trainer_reach_the_classroom_behind_a_proxy() -> None:
    facts = _run_behind_proxy(
        """
        import json
        from mfa_widgets.sandbox.classroom.app import Classroom
        from mfa_widgets.training.classroom import ClassroomWorld, TrainerConnection
        with Classroom(["ana"]) as room:
            world = ClassroomWorld(room.links()["ana"])
            pool = world.create_pool("behind-a-proxy")
            listed = world.client().list_user_pools(MaxResults=5)["UserPools"]
            board = TrainerConnection(room.trainer_link).request("board")
            print(json.dumps({"pools": len(listed), "board": sorted(board)}))
        """
    )
    assert facts["pools"] == 1


def test_a_real_cognito_client_still_goes_through_the_users_proxy() -> None:
    """The closed proxy is what a real-Cognito call meets: the user's setting is kept."""
    facts = _run_behind_proxy(
        """
        import json
        from mfa_widgets.services.client import MfaClient
        client = MfaClient(region="eu-west-1", max_attempts=1)
        result = client.call("ListUserPools", MaxResults=1)
        print(json.dumps({"code": result.error.code, "hint": result.error.hint}))
        """
    )
    assert facts["code"] == "ProxyConnectionError"
    assert "proxy" in str(facts["hint"]).lower()
    assert "sandbox" not in str(facts["hint"]).lower()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:5000",
        "http://127.8.9.1",
        "http://localhost:8000/",
        "http://LOCALHOST.:1",
        "http://sandbox.localhost:1",
        "http://[::1]:5000",
    ],
)
def test_loopback_endpoints_go_direct(url: str) -> None:
    assert proxies_for(url) == {}


@pytest.mark.parametrize(
    "url",
    [
        None,
        "",
        "https://cognito-idp.eu-west-1.amazonaws.com",
        "http://10.0.0.5:8000",
        "http://localhost.example.com",
        "http://[::2]:1",
        "not a url",
    ],
)
def test_other_endpoints_keep_the_users_proxy_settings(url: str | None) -> None:
    assert proxies_for(url) is None


@given(st.ip_addresses())
def test_an_address_is_loopback_exactly_when_ipaddress_says_so(address: object) -> None:
    text = str(address)
    assert is_loopback_host(text) == address.is_loopback  # type: ignore[attr-defined]
    host = f"[{text}]" if ":" in text else text
    assert is_loopback_url(f"http://{host}:80/") == address.is_loopback  # type: ignore[attr-defined]
