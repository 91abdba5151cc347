"""The benchmarks' sandbox process works: a broken harness makes ``make bench`` fail late.

``make bench`` is not part of ``make test`` (it takes many minutes); this runs its sandbox
harness at a tiny size so a change in the sandbox that breaks it shows up in ``make test``.
"""

from __future__ import annotations

from benchmarks._sandbox_process import SandboxProcess, raw_client


def test_a_populated_pool_holds_the_users_asked_for_with_their_attributes() -> None:
    with SandboxProcess() as sandbox:
        pool_id = sandbox.populate(7, phone_every=2, email_every=3)
        sandbox.latency(5.0)
        sandbox.quotas(True)
        cognito = raw_client(sandbox.endpoint)
        users = cognito.list_users(UserPoolId=pool_id)["Users"]
        stats = sandbox.stats()
    names = sorted(user["Username"] for user in users)
    assert names == [f"user-{i:05d}" for i in range(7)]
    with_phone = {
        user["Username"]
        for user in users
        if any(a["Name"] == "phone_number" for a in user["Attributes"])
    }
    assert with_phone == {f"user-{i:05d}" for i in range(0, 7, 2)}
    assert stats["throttled"] == {} or sum(stats["throttled"].values()) == 0
    assert stats["delayed"] >= 1
