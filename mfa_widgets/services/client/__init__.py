"""``MfaClient``: the one place the toolkit calls Amazon Cognito (cognito-idp) through boto3.

Configuration follows boto3: explicit ``region``/``endpoint_url``/``profile`` arguments win, then a
given boto3 ``Session`` or client, then the standard environment (``AWS_PROFILE``,
``AWS_DEFAULT_REGION`` or ``AWS_REGION``, ``AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`` or its
short alias ``AWS_ENDPOINT_URL_COGNITO_IDP``, ``AWS_ENDPOINT_URL``, the config file's
``endpoint_url``). When nothing names a Region, the access token's issuer does.

Retries follow the same chain: ``AWS_RETRY_MODE`` / ``AWS_MAX_ATTEMPTS`` or the profile's
``retry_mode`` / ``max_attempts`` are used as configured; only when no retry mode is configured
anywhere does the client use botocore's ``standard`` mode (instead of ``legacy``). Long admin jobs
(audits, bulk changes against real Cognito) can ask for ``retry_mode="adaptive"``, which also
slows the client down when Cognito throttles. The log's ``backend`` label names the endpoint the
client really sends to: ``aws:<region>`` for an AWS endpoint, ``endpoint:<host:port>`` otherwise.

Token-authorized operations (``GetUser``, ``SetUserMFAPreference``, ``InitiateAuth``, ...) are
unsigned in botocore's model, so they work with no AWS credentials at all; ``Admin*`` operations
are signed with IAM credentials.

Every method returns a result (:class:`~mfa_widgets.core.results.CallResult` or
:class:`~mfa_widgets.core.results.SignInAttempt`) instead of raising for service errors, so a widget
can show the error and stay usable; ``result.raise_for_error()`` turns it into an exception. Every
call is appended to the :class:`~mfa_widgets.services.log.MfaLog` given at construction, if any.
"""

from mfa_widgets.aws_clients import new_session
from mfa_widgets.services.client.mfa_client import MfaClient
from mfa_widgets.services.client.session import backend_label, retry_settings
from mfa_widgets.services.client.signin import SignIn

__all__ = ["MfaClient", "SignIn", "backend_label", "new_session", "retry_settings"]
