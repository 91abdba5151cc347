"""The impact of a proposed pool change on every audited user, as frames and a dry-run fix.

:func:`impact` takes an audit (a :class:`~mfa_widgets.services.audit.PoolAudit`, the path of a
saved audit checkpoint, or a pool id read live with a client) and a
:class:`~mfa_widgets.core.pool_change.PoolChange`, and returns an :class:`Impact`: one typed row
per user (challenge and rule today and after, the verdict, what to do), the transition table
(today x after, with counts), the users who need attention first, and the
:func:`~mfa_widgets.services.bulk.plan_bulk_change` plans (dry runs) that would fix those an
admin can fix. From an audit already read it makes no call at all.

The rules are :mod:`mfa_widgets.core.impact`'s; the tables are
:mod:`mfa_widgets.services.impact_report`'s.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal

from mfa_widgets.core.pool_change import PoolChange, PoolSignIn, as_change
from mfa_widgets.core.preferences import Factor, FactorState, MfaPreference
from mfa_widgets.core.validation import need_instance, need_job_options, need_text, shown
from mfa_widgets.services.audit import AuditError, PoolAudit, audit_pool, is_file, load_audit
from mfa_widgets.services.bulk import BulkPlan, plan_bulk_change
from mfa_widgets.services.client import MfaClient
from mfa_widgets.services.impact_report import IMPACT_COLUMNS, Impact

__all__ = [
    "IMPACT_COLUMNS",
    "Impact",
    "fix_plans",
    "impact",
    "load_audit",
    "read_pool_sign_in",
]


def read_pool_sign_in(
    client: MfaClient, user_pool_id: str, client_id: str | None = None, *, pool: Any = None
) -> PoolSignIn:
    """Read what decides sign-in beyond the MFA configuration (reads only).

    ``GetUserPoolMfaConfig`` (passkey MFA), ``DescribeUserPool`` (first factors) and, with
    ``client_id``, ``DescribeUserPoolClient`` (the flows); ``pool`` is the audit's
    :class:`PoolMfaConfig` (read with ``get_pool_config`` when not given).
    """
    need_instance(client, MfaClient, "client", "pass an MfaClient (IAM credentials)")
    if pool is None:
        pool = client.get_pool_config(user_pool_id).raise_for_error().data["pool"]
    mfa = client.call("GetUserPoolMfaConfig", UserPoolId=user_pool_id).raise_for_error()
    webauthn = mfa.data["response"].get("WebAuthnConfiguration") or {}
    passkey = webauthn.get("FactorConfiguration") == "MULTI_FACTOR_WITH_USER_VERIFICATION"
    described = client.call("DescribeUserPool", UserPoolId=user_pool_id).raise_for_error()
    policies = described.data["response"].get("UserPool", {}).get("Policies") or {}
    first = (policies.get("SignInPolicy") or {}).get("AllowedFirstAuthFactors") or ["PASSWORD"]
    facts = PoolSignIn(pool, passkey, frozenset(first))
    if client_id is None:
        return facts
    app = client.call(
        "DescribeUserPoolClient", UserPoolId=user_pool_id, ClientId=client_id
    ).raise_for_error()
    flows = app.data["response"].get("UserPoolClient", {}).get("ExplicitAuthFlows") or []
    known = [flow for flow in flows if flow.removeprefix("ALLOW_") in _FLOW_NAMES]
    return PoolSignIn(pool, passkey, frozenset(first), frozenset(known))


_FLOW_NAMES = ("USER_PASSWORD_AUTH", "ADMIN_USER_PASSWORD_AUTH", "USER_SRP_AUTH", "USER_AUTH")


def fix_plans(found: Impact) -> dict[str, BulkPlan]:
    """Per factor to prefer: the bulk change (a dry run) that fixes the users it can.

    Apply one with :func:`~mfa_widgets.services.bulk.apply_bulk_change` (``confirm=True``)
    before changing the pool.
    """
    need_instance(found, Impact, "found", "pass what mfa_widgets.impact(...) returned")
    audit = found.audit
    if not isinstance(audit, PoolAudit):
        raise AuditError("bulk plans start from a PoolAudit: pass the impact of an audit")
    frame = found.frame
    plans = {}
    for factor in (Factor.TOTP, Factor.EMAIL, Factor.SMS):
        names = frame.loc[frame["fix"] == factor.name, "username"].tolist()
        if names:
            target = MfaPreference().with_state(factor, FactorState.PREFERRED)
            plans[factor.name] = plan_bulk_change(audit, names, target)
    return plans


def impact(
    audit_or_pool: PoolAudit | str | Path,
    change: PoolChange | Mapping[str, Any],
    *,
    client: MfaClient | None = None,
    today: PoolSignIn | None = None,
    client_id: str | None = None,
    progress: Callable[[int, int | None], None] | Literal[False] | None = None,
    **audit_options: Any,
) -> Impact:
    """The impact of ``change`` on every user of an audit, today vs after (nothing is changed).

    Parameters
    ----------
    audit_or_pool
        A :class:`PoolAudit`; the path of a saved audit (its checkpoint file); or a pool id,
        audited now with ``client`` (reads only).
    change
        The proposed change, or its keywords, e.g. ``{"mfa": "ON", "withdraw": "SMS"}``.
    client
        Needed for a pool id, and to read the pool's passkey MFA, first factors and (with
        ``client_id``) the app client's flows; without it the audit's pool with the toolkit's
        default flows (the password flows) is assumed.
    today
        The pool's sign-in settings, when known (no read then).
    client_id
        The app client whose flows matter (``DescribeUserPoolClient``).
    progress
        ``progress(users_done, estimated_total)`` while a live audit reads (default: a bar
        when watched, as for :func:`~mfa_widgets.services.audit.audit_pool`; ``False``: none).
    **audit_options
        Passed to :func:`~mfa_widgets.services.audit.audit_pool` for a live audit.

    Raises
    ------
    mfa_widgets.core.pool_change.PoolChangeError
        When the change can't be read, or Cognito would refuse the pool it leaves.
    AuditError
        When there is no audit to read.
    """
    change = as_change(change)
    if client is not None:
        need_instance(client, MfaClient, "client", "pass an MfaClient (IAM credentials)")
    if client_id is not None:
        need_text(client_id, "client_id", "pass the app client id, or None")
    need_job_options(workers=None, rates={}, progress=progress)
    if isinstance(audit_or_pool, PoolAudit):
        audit = audit_or_pool
    elif isinstance(audit_or_pool, Path) or (
        isinstance(audit_or_pool, str) and is_file(audit_or_pool)
    ):
        audit = load_audit(audit_or_pool)
    elif isinstance(audit_or_pool, str) and client is not None:
        audit = audit_pool(client, audit_or_pool, progress=progress, **audit_options)
    else:
        raise AuditError(
            f"cannot find an audit in {shown(audit_or_pool)}: pass a PoolAudit, a saved audit "
            "file, or a pool id with client=MfaClient(...)"
        )
    if today is None:
        if client is not None:
            today = read_pool_sign_in(client, audit.pool_id, client_id, pool=audit.pool)
        else:
            today = PoolSignIn(audit.pool)
    need_instance(today, PoolSignIn, "today", "pass a PoolSignIn, or None to read it")
    return Impact(audit, change, today, change.apply(today))
