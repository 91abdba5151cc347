"""The sandbox's memory after 100,000 abandoned sign-ins: sessions, codes and outbox bounded.

Each sign-in is ``InitiateAuth`` for a user of an SMS-MFA pool: it opens a challenge session and
delivers a code to the outbox, and is never answered. The requests go straight to the sandbox's
WSGI application in a fresh interpreter (the HTTP round trip would only slow the run, and
leaves memory alone); the sandbox's clock advances 1/120 s per sign-in, so the run spans the
time it would take at Cognito's default ``UserAuthentication`` quota (120 requests a second)
and sessions expire along the way as they would.

The figure is the growth of the process's resident memory (``VmRSS``) from after a warm-up to
after the run. Target: at most 32 MB. Measured once for comparison (2026-11-30, this machine):
the bounded sandbox grew 12 MB (22,171 live sessions and 10,000 outbox records at the end); with
the sweeps and the outbox limit switched off it grew 68 MB, holding all 102,000 of each.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from benchmarks._timing import quick, row

SIGN_INS = 10_000 if quick() else 100_000  # --quick: a fast check of the same rule
TARGET_MB = 32

_WORKLOAD = """
import gc, io, json, sys
from mfa_widgets.sandbox import Sandbox

def rss_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

sign_ins = int(sys.argv[1])
with Sandbox() as sandbox:
    pool = sandbox.create_pool(mfa="ON", factors=("SMS",))
    user = sandbox.create_user(pool, "abandoner", phone="+15555550100")
    app = sandbox.wsgi_app
    body = json.dumps({
        "ClientId": pool.client_id, "AuthFlow": "USER_PASSWORD_AUTH",
        "AuthParameters": {"USERNAME": "abandoner", "PASSWORD": user.password},
    }).encode()
    environ = {
        "REQUEST_METHOD": "POST", "CONTENT_LENGTH": str(len(body)),
        "HTTP_X_AMZ_TARGET": "AWSCognitoIdentityProviderService.InitiateAuth",
    }
    def sign_in():
        answer = app({**environ, "wsgi.input": io.BytesIO(body)}, lambda *a: None)
        sandbox.state.clock.advance(1 / 120)
        return answer
    for _ in range(2000):
        sign_in()
    gc.collect()
    before = rss_mb()
    for _ in range(sign_ins):
        sign_in()
    gc.collect()
    after = rss_mb()
    print(json.dumps({
        "before": before, "after": after, "sessions": sandbox.state.session_count(),
        "outbox": len(sandbox.outbox),
    }))
"""


def run() -> list[dict[str, Any]]:
    """One row: resident-memory growth over 100,000 abandoned sign-ins."""
    done = subprocess.run(
        [sys.executable, "-c", _WORKLOAD, str(SIGN_INS)],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    growth = found["after"] - found["before"]
    return [
        row(
            f"sandbox memory growth after {SIGN_INS:,} abandoned sign-ins",
            growth,
            "MB",
            f"<= {TARGET_MB}",
            f"RSS after warm-up {found['before']:.0f} MB; held at the end: "
            f"{found['sessions']:,} sessions, {found['outbox']:,} outbox records",
            rss_before_mb=round(found["before"], 1),
            rss_after_mb=round(found["after"], 1),
            sessions_held=found["sessions"],
            outbox_records=found["outbox"],
        )
    ]
