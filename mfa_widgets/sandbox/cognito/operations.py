"""Which cognito-idp operations the sandbox answers, and how: the one table.

Every operation in botocore's cognito-idp model is in exactly one row:

* **emulated**: exactly one handler answers it (a handler may ask moto for part of the answer and
  patch it); the row names the handler. :func:`register` builds the handlers from the families'
  ``HANDLERS`` (``cognito/ops/*``, ``cognito/signin/*``) and refuses a second handler for an
  operation, so which one runs never depends on the order they are listed in;
* **moto, reviewed**: moto 5.2.x answers it unchanged, after a reading of its source found the
  behaviour to be Cognito's for what the sandbox is for (:data:`MOTO_REVIEWED` says why);
* **refused**: everything else, with ``UnsupportedOperationException`` naming the operation and
  saying it is not emulated. Nothing reaches moto unreviewed.

A name that is not a cognito-idp operation at all is ``UnknownOperationException``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import Enum
from types import MappingProxyType

from mfa_widgets.sandbox.cognito.context import Handler
from mfa_widgets.sandbox.cognito.service_model import operation_names
from mfa_widgets.sandbox.wire import WireError

__all__ = [
    "MOTO_REVIEWED",
    "DuplicateHandlerError",
    "Row",
    "Treatment",
    "handler_name",
    "refusal",
    "register",
    "table",
    "treatment",
]


class Treatment(Enum):
    """How the sandbox answers one operation."""

    EMULATED = "emulated"
    MOTO_REVIEWED = "moto, reviewed"
    REFUSED = "refused"


@dataclass(frozen=True)
class Row:
    """One operation's treatment and why; for an emulated one, the handler that answers it."""

    operation: str
    treatment: Treatment
    note: str
    handler: str = ""


class DuplicateHandlerError(ValueError):
    """A second handler was registered for an operation that has one."""


def handler_name(handler: Handler) -> str:
    """Where a handler lives, e.g. ``cognito.ops.users.delete_user``."""
    module = str(getattr(handler, "__module__", "?")).removeprefix("mfa_widgets.sandbox.")
    return f"{module}.{getattr(handler, '__qualname__', repr(handler))}"


def register(*families: Mapping[str, Handler]) -> Mapping[str, Handler]:
    """The one handler of every emulated operation, from each family's ``HANDLERS``.

    Raises
    ------
    DuplicateHandlerError
        When two families (or one twice) name a handler for the same operation.
    ValueError
        When a family names something that is not a cognito-idp operation.
    """
    handlers: dict[str, Handler] = {}
    for family in families:
        for operation, handler in family.items():
            if operation not in operation_names():
                raise ValueError(f"{operation} is not a cognito-idp operation")
            if operation in handlers:
                raise DuplicateHandlerError(
                    f"{operation} already has a handler, {handler_name(handlers[operation])}; "
                    f"{handler_name(handler)} cannot be a second one: an operation has exactly "
                    "one handler (change that one instead)."
                )
            handlers[operation] = handler
    return MappingProxyType(handlers)


#: Operations moto answers as is, each with what the review found (moto 5.2.5 source).
#: Requests are checked against botocore's input shape before they get here, and the access
#: token of a token-authorized call is checked as Cognito does (``access.authorize``).
MOTO_REVIEWED: dict[str, str] = {
    "CreateUserPool": "stores the settings; tier and recovery echoed and read by the sandbox",
    "DeleteUserPool": "removes the pool with its users and tokens",
    "ListUserPools": "pages over this account's pools",
    "CreateUserPoolClient": "stores ExplicitAuthFlows (enforced by the sandbox's sign-in)",
    "DescribeUserPoolClient": "read only",
    "ListUserPoolClients": "read only",
    "DeleteUserPoolClient": "removes the client",
    "AdminCreateUser": "creates a FORCE_CHANGE_PASSWORD user (or CONFIRMED via the sandbox)",
    "AdminConfirmSignUp": "confirms an UNCONFIRMED user; no code involved",
    "AdminSetUserPassword": "password policy checked; Permanent honoured",
    "AdminDeleteUserAttributes": "attribute removal",
    "AdminDisableUser": "sets Enabled=false; the sandbox refuses the user's tokens and sign-in",
    "AdminEnableUser": "sets Enabled=true",
    "ListUsers": "pages over users; Filter supports the documented attributes",
    "GlobalSignOut": "revokes the caller's access and refresh tokens",
    "AdminUserGlobalSignOut": "revokes the user's access and refresh tokens",
    # issue 14: the pool's SignInPolicy/DeviceConfiguration and an app client's ALLOW_USER_AUTH
    "UpdateUserPool": (
        "replaces the stored settings; what is not given reverts to its default, as documented"
    ),
    "UpdateUserPoolClient": (
        "replaces the client's settings (ExplicitAuthFlows enforced by the sandbox's sign-in)"
    ),
}


def table(emulated: Collection[str]) -> list[Row]:
    """Every cognito-idp operation with its treatment, given the emulated ones.

    Given the handlers (a mapping, as :func:`register` returns), emulated rows name theirs.
    """
    return [treatment(name, emulated) for name in sorted(operation_names())]


def treatment(operation: str, emulated: Collection[str]) -> Row:
    """The row of ``operation``; ``UnknownOperationException`` when cognito-idp has none."""
    if operation not in operation_names():
        raise WireError(
            "UnknownOperationException",
            "Unknown operation: the sandbox serves only cognito-idp operations "
            "(X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>).",
        )
    if operation in emulated:
        handler = emulated[operation] if isinstance(emulated, Mapping) else None
        name = "" if handler is None else handler_name(handler)
        return Row(operation, Treatment.EMULATED, "answered by the emulator", name)
    if operation in MOTO_REVIEWED:
        return Row(operation, Treatment.MOTO_REVIEWED, MOTO_REVIEWED[operation])
    return Row(operation, Treatment.REFUSED, "not emulated")


def refusal(operation: str) -> WireError:
    """The error a refused operation gets."""
    return WireError(
        "UnsupportedOperationException",
        f"{operation} is not emulated by the local Cognito sandbox; run it against Amazon "
        "Cognito, or see mfa_widgets.sandbox.cognito.operations for what the sandbox serves.",
    )
