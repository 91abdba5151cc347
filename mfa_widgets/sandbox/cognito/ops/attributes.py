"""(Admin)UpdateUserAttributes: moto answers, once the request is one it can take.

moto fails (a ``KeyError``, so HTTP 500) on an attribute without ``Value``, which botocore's model
allows. The sandbox refuses such a request with ``InvalidParameterException`` naming the
attribute, then lets moto apply the rest (reviewed: the update and email uniqueness are
Cognito's).
"""

from __future__ import annotations

from typing import Any

from mfa_widgets.sandbox.cognito.context import MotoResponse, RequestContext
from mfa_widgets.sandbox.wire import invalid_parameter

__all__ = ["HANDLERS"]


def _check_values(ctx: RequestContext) -> None:
    for attribute in ctx.body.get("UserAttributes") or []:
        if attribute.get("Value") is None:
            raise invalid_parameter(
                f"Attribute {attribute.get('Name')!r} has no Value: the sandbox needs one for "
                "every attribute updated (AdminDeleteUserAttributes removes an attribute)."
            )


def update_user_attributes(ctx: RequestContext) -> MotoResponse:
    """``UpdateUserAttributes`` (the token's owner)."""
    _check_values(ctx)  # the app checked the token
    return ctx.forward()


def admin_update_user_attributes(ctx: RequestContext) -> MotoResponse | dict[str, Any]:
    """``AdminUpdateUserAttributes`` (IAM)."""
    _check_values(ctx)
    return ctx.forward()


HANDLERS = {
    "UpdateUserAttributes": update_user_attributes,
    "AdminUpdateUserAttributes": admin_update_user_attributes,
}
