"""Cognito's request-rate quotas: the one table the client's pacing and the sandbox share.

Amazon Cognito limits requests per second per account and Region, by category of operation
("Quotas in Amazon Cognito", operation categories; see
``shared/reference/cognito-mfa-semantics.md`` section 3.5). The client paces itself under these
rates (:mod:`mfa_widgets.services.pacing`) and the sandbox can enforce them
(:meth:`mfa_widgets.sandbox.faults.Faults.enforce_quotas`), so a benchmark can show a job runs
at the quota without being throttled.

Operations not listed here have other categories whose rates the toolkit does not model, and
the per-user limits (10 reads and 10 writes per second for one user) are not modelled either:
the toolkit's jobs touch each user a few times at most.
"""

from __future__ import annotations

from types import MappingProxyType

__all__ = ["CATEGORY_RATES", "OPERATION_CATEGORY", "category_of"]

#: Default requests per second, per account and Region, for each category the toolkit uses.
CATEGORY_RATES: MappingProxyType[str, float] = MappingProxyType(
    {
        "UserResourceUpdate": 25.0,  # not adjustable
        "UserAuthentication": 120.0,
        "UserRead": 120.0,
        "UserList": 30.0,
        "UserPoolResourceRead": 20.0,
        "UserPoolResourceUpdate": 15.0,
        "UserPoolRead": 15.0,
    }
)

_CATEGORIES: dict[str, tuple[str, ...]] = {
    "UserResourceUpdate": (
        "SetUserMFAPreference",
        "AdminSetUserMFAPreference",
        "AssociateSoftwareToken",
        "VerifySoftwareToken",
        "SetUserSettings",
        "AdminSetUserSettings",
        "ConfirmDevice",
        "UpdateDeviceStatus",
        "AdminUpdateDeviceStatus",
        "ForgetDevice",
        "AdminForgetDevice",
    ),
    "UserAuthentication": (
        "InitiateAuth",
        "AdminInitiateAuth",
        "RespondToAuthChallenge",
        "AdminRespondToAuthChallenge",
        "GetTokensFromRefreshToken",
    ),
    "UserRead": ("GetUser", "AdminGetUser", "AdminGetUserAuthFactors"),
    "UserList": ("ListUsers",),
    "UserPoolResourceRead": ("GetUserPoolMfaConfig",),
    "UserPoolResourceUpdate": ("SetUserPoolMfaConfig",),
    "UserPoolRead": ("DescribeUserPool",),
}

#: The quota category of each operation the toolkit paces.
OPERATION_CATEGORY: MappingProxyType[str, str] = MappingProxyType(
    {operation: category for category, ops in _CATEGORIES.items() for operation in ops}
)


def category_of(operation: str) -> str | None:
    """The quota category of ``operation`` (e.g. ``"UserRead"``), or ``None`` if not modelled."""
    return OPERATION_CATEGORY.get(operation)
