"""The toolkit's root error and the errors of the pure rules (core: pure Python, no I/O).

Every error the toolkit raises on purpose derives from :class:`MfaWidgetsError`, so a caller can
catch "anything this toolkit says is wrong" in one place. Each message names the problem and, where
there is one, the fix. Messages never contain a secret: callers redact before raising. Each layer
keeps its errors in one module (this one, :mod:`mfa_widgets.services.errors`,
:mod:`mfa_widgets.training.errors`), and every error a user can catch is importable from
:mod:`mfa_widgets`::

    MfaWidgetsError
    ├── MfaPreferenceError            ValueError   a preference breaks a Cognito rule
    ├── TokenError                    ValueError   an access token that cannot be used
    ├── CliSyntaxError                ValueError   AWS CLI syntax that cannot be read
    ├── InvalidArgumentError          ValueError   an argument that means nothing there
    │   ├── ArgumentTypeError         TypeError    ... of the wrong type
    │   ├── ConfirmationRequiredError              a change to users without confirm=True
    │   └── PoolChangeError                        a pool change that cannot be read
    ├── ConfigurationError            ValueError   an AWS configuration that cannot be used
    ├── ClassroomLinkError            ValueError   a join or trainer link that cannot be read
    ├── MissingExtraError             ImportError  a feature's pip extra is not installed
    └── CognitoError                               a Cognito call failed (code, message, hint)

The services add the log's and the audit's errors (:mod:`mfa_widgets.services.errors`), the
training layer the lab's and the classroom's (:mod:`mfa_widgets.training.errors`).
"""

from __future__ import annotations

import re

from mfa_widgets.core.connection_hints import connection_hint
from mfa_widgets.core.outcomes import cause_hint
from mfa_widgets.core.redaction import scrub_secrets

__all__ = [
    "HINTS",
    "ArgumentTypeError",
    "ClassroomLinkError",
    "CliSyntaxError",
    "CognitoError",
    "ConfigurationError",
    "ConfirmationRequiredError",
    "InvalidArgumentError",
    "MfaPreferenceError",
    "MfaWidgetsError",
    "MissingExtraError",
    "TokenError",
    "hint_for",
]


class MfaWidgetsError(Exception):
    """Base class of every error raised on purpose by ``mfa_widgets``."""


class MfaPreferenceError(MfaWidgetsError, ValueError):
    """An MFA preference breaks a rule Cognito enforces.

    Raised for two preferred factors, a factor preferred but not enabled, and unreadable factor or
    state names. The message names the factors involved.
    """


class TokenError(MfaWidgetsError, ValueError):
    """An access token cannot be used: not a JWT, wrong token type, expired or missing scope.

    Parameters
    ----------
    message
        What is wrong and how to fix it (never the token itself).
    problem
        A short machine-readable tag: ``"malformed"``, ``"id_token"``, ``"not_access_token"``,
        ``"expired"``, ``"missing_scope"`` or ``"empty"``.
    """

    def __init__(self, message: str, problem: str) -> None:
        super().__init__(message)
        self.problem = problem


class CliSyntaxError(MfaWidgetsError, ValueError):
    """An AWS CLI argument or input document cannot be read; the message lists accepted forms.

    A token pasted into the wrong option would be echoed by the message, so JWT-shaped text in
    it is replaced by a fingerprint.
    """

    def __init__(self, message: str) -> None:
        super().__init__(scrub_secrets(message))


class InvalidArgumentError(MfaWidgetsError, ValueError):
    """An argument of a toolkit function has a value that means nothing there.

    The message names the argument, what was given (never a secret) and what to pass instead.
    """


class ArgumentTypeError(InvalidArgumentError, TypeError):
    """An argument of a toolkit function has the wrong type (also a :class:`TypeError`)."""


class ConfigurationError(MfaWidgetsError, ValueError):
    """The AWS configuration asked for cannot be used: unknown profile, Region or endpoint."""


class ConfirmationRequiredError(InvalidArgumentError):
    """A call that changes users was made without ``confirm=True`` (exactly ``True``)."""


class PoolChangeError(InvalidArgumentError):
    """A pool change that cannot be read, or that Cognito would refuse."""


class ClassroomLinkError(MfaWidgetsError, ValueError):
    """A join or trainer link that cannot be read."""


class MissingExtraError(MfaWidgetsError, ImportError):
    """A feature needs a package from a pip extra that is not installed.

    Parameters
    ----------
    feature
        What the user tried, in their words (``"the local Cognito sandbox"``).
    extra
        The extra that brings it (a key of :data:`~mfa_widgets.core.extras.EXTRAS`).
    module
        The first missing module.
    """

    def __init__(self, feature: str, extra: str, module: str) -> None:
        super().__init__(
            f"{feature} needs the '{extra}' extra ({module} is not installed): "
            f"pip install 'mfa-widgets[{extra}]'"
        )
        self.feature = feature
        self.extra = extra
        self.module = module


#: Plain-language hints for the errors Cognito's API reference lists for the operations this
#: toolkit calls, plus the client-side failures botocore raises. Keys are error codes.
HINTS: dict[str, str] = {
    "NotAuthorizedException": (
        "Cognito refused the credentials: sign in again to get a fresh access token (an expired, "
        "revoked or ID token is refused), or check the username and password."
    ),
    "InvalidParameterException": (
        "Cognito rejected a value in the request: read the message, then fix the preference "
        "(one preferred factor at most, preferred factors enabled, TOTP registered first)."
    ),
    "ResourceNotFoundException": (
        "The user pool, app client or challenge session does not exist here: check the pool id, "
        "client id and region, or restart the sign-in."
    ),
    "UserNotFoundException": "No such user in this pool: check the username and the pool id.",
    "UserNotConfirmedException": (
        "The user has not confirmed sign-up: confirm them (AdminConfirmSignUp) and try again."
    ),
    "PasswordResetRequiredException": (
        "An administrator reset this user's password: complete the forgot-password flow first."
    ),
    "ForbiddenException": (
        "An AWS WAF web ACL on the user pool blocked the request: check the pool's WAF rules."
    ),
    "TooManyRequestsException": (
        "Cognito throttled the request (quota exceeded): slow down; preference writes share "
        "25 requests/s per account and Region, sign-in and reads 120 requests/s."
    ),
    "ThrottlingException": (
        "The request was throttled: slow down and retry later (adaptive retries help)."
    ),
    "LimitExceededException": "A Cognito limit was exceeded: wait a moment and retry.",
    "InternalErrorException": (
        "Cognito had an internal error: retry; if it persists, check the AWS Health Dashboard."
    ),
    "CodeMismatchException": (
        "The one-time code is wrong: check the latest code (SMS, email or authenticator app) "
        "and type it again; authenticator codes change every 30 seconds."
    ),
    "ExpiredCodeException": "The one-time code has expired: request a new code and try again.",
    "EnableSoftwareTokenMFAException": (
        "The authenticator code did not verify: make sure the device clock is right and "
        "enter the current code."
    ),
    "SoftwareTokenMFANotFoundException": (
        "No authenticator app is registered: run AssociateSoftwareToken and VerifySoftwareToken "
        "before enabling TOTP."
    ),
    "FeatureUnavailableInTierException": (
        "The user pool's feature plan does not include this (email MFA needs Essentials or "
        "Plus): upgrade the pool's tier or use another factor."
    ),
    "OperationNotEnabledException": (
        "This operation is not available in this Region or pool configuration (e.g. a replica "
        "Region): call the pool's primary Region."
    ),
    "InvalidUserPoolConfigurationException": (
        "The user pool is not configured for this (e.g. the auth flow is not allowed for the "
        "app client): check the app client's ExplicitAuthFlows."
    ),
    "MFAMethodNotFoundException": (
        "The user has no MFA method Cognito can use: enable a factor or add a phone/email."
    ),
    "AliasExistsException": "Another user already has this email or phone number as an alias.",
    "UnexpectedLambdaException": "A Lambda trigger of the pool failed: check its logs.",
    "UserLambdaValidationException": "A Lambda trigger of the pool rejected the request.",
    "NoCredentials": (
        "Admin operations are signed with IAM credentials and none were found: set AWS_PROFILE "
        "or run `aws configure` (token-authorized calls need no credentials)."
    ),
    "NoRegion": (
        "Pass region=..., set AWS_REGION (or region in your AWS profile), or pass an access "
        "token (its issuer names the Region)."
    ),
    "ParamValidation": "boto3 rejected the request before sending it: check the parameters.",
    "ProfileNotFound": (
        "No such profile in the AWS config files: check the name (`aws configure list-profiles`)."
    ),
    "ServerError": "The endpoint answered with a server error (HTTP 5xx): retry later.",
    # Passkeys, passkey MFA and choice-based sign-in (issue 14)
    "WebAuthnNotEnabledException": (
        "Passkeys are not enabled for this user pool: add WEB_AUTHN to the pool's "
        "SignInPolicy AllowedFirstAuthFactors (Essentials tier or higher)."
    ),
    "WebAuthnConfigurationMissingException": (
        "The user pool has no passkey relying party: set WebAuthnConfiguration RelyingPartyId "
        "(SetUserPoolMfaConfig), or give the pool a domain."
    ),
    "WebAuthnChallengeNotFoundException": (
        "The passkey registration expired or was never started: call "
        "StartWebAuthnRegistration again and finish within a few minutes."
    ),
    "WebAuthnRelyingPartyMismatchException": (
        "The passkey was made for another relying party ID than the pool's: register it "
        "again with the options StartWebAuthnRegistration returned."
    ),
    "WebAuthnOriginNotAllowedException": (
        "The page's origin does not match the pool's relying party ID: open the page on that "
        "domain (http://localhost works for a localhost relying party; an IP address does not)."
    ),
    "WebAuthnClientMismatchException": (
        "The access token is for another app client than the one that started the "
        "registration: finish with a token of the same app client."
    ),
    "WebAuthnCredentialNotSupportedException": (
        "This authenticator or key type is not supported: use a passkey provider with ES256 "
        "keys (most platform authenticators)."
    ),
    "UserPoolAddOnNotEnabledException": (
        "This needs the pool's threat protection (UserPoolAddOns, Plus tier): turn it on, "
        "or read sign-ins from your own log instead."
    ),
    "DeviceKeyExistsException": (
        "This device key is already in use: sign in again to get new device metadata."
    ),
    "InvalidPasswordException": (
        "The password (or device secret) breaks the pool's password policy: choose another."
    ),
    "PasswordHistoryPolicyViolationException": (
        "The new password was used recently: the pool's password history forbids it."
    ),
    "UsernameExistsException": "A user (or device) with this name already exists in the pool.",
    "UnsupportedOperationException": (
        "Cognito does not support this request here (e.g. the auth flow for this operation): "
        "check the flow and the operation."
    ),
    "InvalidLambdaResponseException": "A Lambda trigger of the pool returned an invalid answer.",
    "InvalidSmsRoleAccessPolicyException": (
        "The pool's SMS role cannot publish with SNS: fix the role's policy."
    ),
    "InvalidSmsRoleTrustRelationshipException": (
        "The pool's SMS role does not trust Cognito: fix the role's trust relationship."
    ),
    "InvalidEmailRoleAccessPolicyException": (
        "Cognito cannot send email with the pool's SES configuration: check the SES identity "
        "and its sending authorization."
    ),
    "NoPasskey": (
        "The authenticator holds no passkey for this relying party: register one first "
        "(MfaClient.register_passkey)."
    ),
    "NoSrpAnswer": (
        "An SrpProof answers only PASSWORD_VERIFIER, DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER "
        "(a device challenge needs SrpProof(..., device=...)): answer other challenges with "
        "the code (step.answer(code)) or choose (step.choose(option))."
    ),
    "TokenFromAnotherRegion": (
        "The token's pool is in another Region than the client's: create the client in the "
        "token's Region (or without region=, to take it from the token)."
    ),
    "TokenFromAnotherPool": (
        "The token was issued by another user pool than the client's: sign in to the client's "
        "pool, or use a client for the token's pool (client.with_pool(pool_id))."
    ),
    "MalformedToken": "Paste the AccessToken from AuthenticationResult (a JWT with two dots).",
    "WrongTokenType": "Use AuthenticationResult['AccessToken'], not the ID or refresh token.",
    "ExpiredToken": "Sign in again (or refresh) to get a fresh access token.",
    "MissingScope": (
        "Sign in with InitiateAuth, or request the aws.cognito.signin.user.admin scope in the "
        "OAuth authorize call, to get a token that may change MFA settings."
    ),
}

_GENERIC_HINT = "See the message from Cognito; the request was not applied."


#: Cognito's (and botocore's) wording when a member breaks its length or pattern constraint.
_CONSTRAINT = re.compile(r"Value at '([\w.]+)' failed to satisfy constraint: ([^;]+)")


def hint_for(code: str, message: str = "") -> str:
    """The plain-language hint for an error code (a generic one for unknown codes).

    A validation error that names the member it refused (``Value at 'username' failed to satisfy
    constraint: ...``) gets a hint about that member, and a message that tells the cause (no
    phone number, no authenticator registered, a wrong password, an expired sign-in) gets the
    hint for that cause, rather than the code's general one.
    """
    refused = _CONSTRAINT.search(message) if code == "InvalidParameterException" else None
    if refused:
        member, constraint = refused.group(1), refused.group(2).strip().rstrip(".")
        return (
            f"Cognito refused the {member} ({constraint[:1].lower()}{constraint[1:]}): "
            f"check the {member} and send it again."
        )
    # One code has many causes (a wrong password and an expired token are both
    # NotAuthorizedException); Cognito's message usually says which, and the hint should too.
    return (
        connection_hint(code, message)
        or cause_hint(code, message)
        or HINTS.get(code, _GENERIC_HINT)
    )


class CognitoError(MfaWidgetsError):
    """A Cognito call failed: service error, connection failure, timeout or local token check.

    Parameters
    ----------
    code
        Cognito's error code (``"InvalidParameterException"``) or a client-side code
        (``"EndpointConnectionError"``, ``"ReadTimeout"``, ``"ExpiredToken"``, ...).
    message
        The server's message, already redacted (never contains a token or code).
    operation
        The API operation, e.g. ``"SetUserMFAPreference"``.
    status
        The HTTP status, when the server answered.
    hint
        What to do about it; defaults to :func:`hint_for` ``(code)``.
    """

    def __init__(
        self,
        code: str,
        message: str,
        operation: str,
        status: int | None = None,
        hint: str | None = None,
    ) -> None:
        self.code = code
        self.message = message
        self.operation = operation
        self.status = status
        self.hint = hint or hint_for(code, message)
        super().__init__(f"{operation} failed: {code}: {message} — {self.hint}")

    @property
    def retryable(self) -> bool:
        """True for throttling, timeouts, connection failures and 5xx answers."""
        transient = {
            "TooManyRequestsException",
            "ThrottlingException",
            "LimitExceededException",
            "InternalErrorException",
            "EndpointConnectionError",
            "ConnectionClosedError",
            "ConnectTimeout",
            "ReadTimeout",
            "ServerError",
        }
        return self.code in transient or (self.status is not None and self.status >= 500)
