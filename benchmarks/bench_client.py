"""MfaClient.set_preference vs raw boto3 making the same calls on the same sandbox.

Both sides send ``SetUserMFAPreference`` then ``GetUser`` with the same access token; the client
also checks the token locally, redacts the request, and reads the response into an
``MfaPreference``. Target: the toolkit's own cost is within 5% of the round trips. The calls
alternate one by one; the ratio of medians is taken in several runs, and the row reports the
median run with the spread.
"""

from __future__ import annotations

from typing import Any

from benchmarks._timing import interleaved_medians, quick, spread_row

CALLS = 60 if quick() else 100
RUNS = 3 if quick() else 5


def run() -> list[dict[str, Any]]:
    """Median latency ratio, client / raw boto3 (interleaved, same sandbox, same token)."""
    from mfa_widgets import MfaClient, MfaPreference
    from mfa_widgets.sandbox import Sandbox

    with Sandbox() as sandbox:
        pool = sandbox.create_pool()
        user = sandbox.create_user(pool, "bench", phone="+15555550100", email="b@example.com")
        token = sandbox.sign_in(pool, user.username, user.password)["AccessToken"]
        client = MfaClient.for_sandbox(sandbox)
        raw = sandbox.client()
        states = [MfaPreference(sms="preferred"), MfaPreference(sms="enabled")]
        blocks = [p.to_request() for p in states]

        def toolkit(i: int) -> object:
            return client.set_preference(token, states[i % 2])

        def boto3_only(i: int) -> object:
            raw.set_user_mfa_preference(AccessToken=token, **blocks[i % 2])
            return raw.get_user(AccessToken=token)

        runs = [
            interleaved_medians({"toolkit": toolkit, "boto3": boto3_only}, CALLS)
            for _ in range(RUNS)
        ]
    raw_ms = sorted(m["boto3"] for m in runs)[RUNS // 2]
    return [
        spread_row(
            "MfaClient.set_preference (write + read-back) / raw boto3 same calls",
            [m["toolkit"] / m["boto3"] for m in runs],
            "ratio",
            "<= 1.05",
            f"raw boto3 median {raw_ms:.2f} ms",
        )
    ]


if __name__ == "__main__":
    for result in run():
        print(result)
