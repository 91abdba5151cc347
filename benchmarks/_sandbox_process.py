"""A sandbox in its own process (``mfa-widgets sandbox --json``), as a shared endpoint runs.

With the server in another process, the benchmarked client's threads overlap its work instead of
sharing one interpreter lock with it, as they would against real Cognito.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def sandbox_process() -> Iterator[str]:
    """Start ``mfa-widgets sandbox`` and yield its endpoint URL; stop it afterwards."""
    process = subprocess.Popen(
        [sys.executable, "-m", "mfa_widgets", "sandbox", "--json"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        yield str(json.loads(process.stdout.readline())["endpoint_url"])
    finally:
        process.terminate()
        process.wait(timeout=15)


def raw_client(endpoint: str) -> Any:
    """A plain boto3 cognito-idp client for ``endpoint`` (dummy credentials)."""
    import boto3

    return boto3.client(
        "cognito-idp",
        region_name="us-east-1",
        endpoint_url=endpoint,
        aws_access_key_id="bench",
        aws_secret_access_key="bench",
    )


def toolkit_client(endpoint: str, **options: Any) -> Any:
    """An :class:`~mfa_widgets.services.client.MfaClient` for ``endpoint`` (dummy credentials)."""
    import boto3

    from mfa_widgets import MfaClient

    session = boto3.Session("bench", "bench", region_name="us-east-1")
    return MfaClient(session=session, endpoint_url=endpoint, backend="sandbox", **options)
