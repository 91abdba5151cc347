"""The auth-event record of every sign-in, and ``AdminListUserAuthEvents``.

The sign-in records an event where it decides: :func:`passed` when tokens are issued,
:func:`failed` when a secret was wrong or refused during a lockout (``Pass``/``Fail`` with
``Password``/``Mfa`` ``Success``/``Failure``; a passwordless first factor has no password step).
"""

from __future__ import annotations

from typing import Any

from mfa_widgets.sandbox.cognito.context import RequestContext
from mfa_widgets.sandbox.store.records import AuthEvent, now_utc, page_of

#: A user's key: pool id and ``sub``.
Key = tuple[str, str]

__all__ = ["HANDLERS", "failed", "passed"]


def _password_first(first_factor: str) -> bool:
    return first_factor.startswith("PASSWORD")


def passed(ctx: RequestContext, key: Key, first_factor: str, mfa: bool) -> None:
    """Tokens were issued: ``Pass``, with the password and MFA steps the sign-in went through."""
    steps: tuple[tuple[str, str], ...] = (
        (("Password", "Success"),) if _password_first(first_factor) else ()
    )
    if mfa:
        steps += (("Mfa", "Success"),)
    event = AuthEvent("Pass", steps, now_utc(), first_factor=first_factor)
    ctx.state.records.record(*key, event)


def failed(ctx: RequestContext, key: Key, stage: str, first_factor: str) -> None:
    """A wrong (or locked-out) secret at ``stage`` (``Password``, ``Mfa`` or ``Factor``)."""
    steps: tuple[tuple[str, str], ...]
    if stage == "Password":
        steps = (("Password", "Failure"),)
    elif stage == "Mfa":
        steps = (("Password", "Success"), ("Mfa", "Failure"))
    else:
        steps = ()
    event = AuthEvent("Fail", steps, now_utc(), first_factor=first_factor)
    ctx.state.records.record(*key, event)


def admin_list_user_auth_events(ctx: RequestContext) -> dict[str, Any]:
    """``AdminListUserAuthEvents``: newest first, ``MaxResults`` per page (default 60)."""
    pool = ctx.bridge.pool(str(ctx.body.get("UserPoolId", "")))
    user = ctx.bridge.user(pool, str(ctx.body.get("Username", "")))
    events = list(reversed(ctx.state.records.user(pool.id, user.id).events))
    page, following = page_of(events, ctx.body.get("NextToken"), ctx.body.get("MaxResults"), 60)
    document: dict[str, Any] = {"AuthEvents": [e.to_wire() for e in page]}
    if following is not None:
        document["NextToken"] = following
    return document


HANDLERS = {"AdminListUserAuthEvents": admin_list_user_auth_events}
