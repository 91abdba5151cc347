"""A flow's own rules stay in that flow: the choice-based sign-in's plan rule touches no other.

``USER_AUTH`` needs the Essentials or Plus feature plan (the rule and its citation, SM
``InitiateAuth`` ``AuthFlow``, are in ``core.signin.choice``); the password and SRP flows are in
every plan. The sign-in machine reads one set of facts for every flow, so a rule of one flow
applied to all is one line away: this walks every flow of :data:`machine.FLOWS` on every plan
and checks that only ``USER_AUTH`` on Lite is refused (found when the pipeline asked the choice
rules on every flow: every password sign-in on a Lite pool answered
``FeatureUnavailableInTierException``).
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from mfa_widgets.sandbox import Sandbox
from mfa_widgets.sandbox.cognito.signin.machine import FLOWS
from mfa_widgets.services.srp import SrpProof

TIERS = ("LITE", "ESSENTIALS", "PLUS")


def _initiate(sandbox: Sandbox, tier: str, flow: str) -> dict[str, Any]:
    pool = sandbox.create_pool(name=f"rules-{tier}", mfa="OFF", factors=("TOTP",), tier=tier)
    cognito = sandbox.in_process_client()
    cognito.update_user_pool_client(
        UserPoolId=pool.pool_id,
        ClientId=pool.client_id,
        ExplicitAuthFlows=sorted({"ALLOW_REFRESH_TOKEN_AUTH", *FLOWS[flow][0]} - {flow}),
    )
    user = sandbox.create_user(pool, f"rules-{tier.lower()}-{flow.lower()}")
    parameters = {"USERNAME": user.username, "PASSWORD": user.password}
    if flow == "USER_SRP_AUTH":
        srp = SrpProof(pool.pool_id, pool.client_id, user.username, user.password)
        parameters = {"USERNAME": user.username, "SRP_A": srp.srp_a}
    if flow == "USER_AUTH":
        parameters["PREFERRED_CHALLENGE"] = "PASSWORD"
    if FLOWS[flow][1]:
        return dict(
            cognito.admin_initiate_auth(
                UserPoolId=pool.pool_id,
                ClientId=pool.client_id,
                AuthFlow=flow,
                AuthParameters=parameters,
            )
        )
    return dict(
        cognito.initiate_auth(ClientId=pool.client_id, AuthFlow=flow, AuthParameters=parameters)
    )


@pytest.mark.parametrize("tier", TIERS)
@pytest.mark.parametrize("flow", sorted(FLOWS))
def test_only_user_auth_needs_a_feature_plan(sandbox: Sandbox, tier: str, flow: str) -> None:
    if flow == "USER_AUTH" and tier == "LITE":
        with pytest.raises(ClientError) as refused:
            _initiate(sandbox, tier, flow)
        assert refused.value.response["Error"]["Code"] == "FeatureUnavailableInTierException"
        return
    answer = _initiate(sandbox, tier, flow)
    expected = "PASSWORD_VERIFIER" if flow == "USER_SRP_AUTH" else None
    assert answer.get("ChallengeName") == expected
    assert ("AuthenticationResult" in answer) is (expected is None)
