"""The sandbox's Python helpers raise the toolkit's errors, never botocore's or the wire's.

``Sandbox.create_pool``, ``create_user``, ``sign_in``, ``issue_token`` and ``totp_code`` call the
sandbox through boto3 or read its state directly. A refusal on the way (an empty username, a
password the policy refuses, a user that exists already or does not exist) reaches the caller as
:class:`mfa_widgets.CognitoError` (code, message, the operation and a hint), the same error every
other toolkit call raises; a bad argument the helper can see itself is an
:class:`~mfa_widgets.core.errors.InvalidArgumentError` naming the fix.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from mfa_widgets.core.errors import CognitoError, InvalidArgumentError
from mfa_widgets.core.redaction import scrub_secrets
from mfa_widgets.core.validation import need_text
from mfa_widgets.sandbox.errors import WireError

__all__ = ["E164", "need_helper_text", "need_phone", "need_pool_id", "toolkit_errors"]

#: Cognito's phone_number format: "+", the country code, digits only (at most 15 in E.164).
#: Source: Cognito developer guide, "User pool attributes" (phone_number must start with "+"
#: followed by the country code and contain only digits).
E164 = re.compile(r"\+[1-9][0-9]{1,14}")


def need_pool_id(pool: object) -> str:
    """The pool id of ``pool`` (a ``SandboxPool`` or a pool id), else a clear error."""
    pool_id = getattr(pool, "pool_id", pool)
    return need_text(pool_id, "pool", "pass the SandboxPool create_pool returned, or its pool id")


def need_helper_text(
    value: object, name: str, *, optional: bool = False, secret: bool = False
) -> None:
    """Refuse a non-text (or empty) helper argument, naming it."""
    if optional and value is None:
        return
    need_text(value, name, f"pass {name} as text", secret=secret)


def need_phone(phone: str | None) -> None:
    """Refuse a phone number Cognito would refuse, with the fix."""
    if phone is not None and not (isinstance(phone, str) and E164.fullmatch(phone)):
        raise InvalidArgumentError(
            "phone must be an E.164 number: '+', the country code and digits only, "
            "e.g. '+15555550100'"
        )


@contextmanager
def toolkit_errors(operation: str, *secrets: str) -> Iterator[None]:
    """Turn botocore's ``ClientError`` and the sandbox's wire error into :class:`CognitoError`."""
    from botocore.exceptions import ClientError, ParamValidationError

    try:
        yield
    except ParamValidationError as error:  # botocore's own check, before any request
        report = scrub_secrets(str(error.kwargs.get("report", error)), [s for s in secrets if s])
        raise InvalidArgumentError(f"{operation}: {' '.join(report.split())}") from None
    except ClientError as error:
        details = error.response.get("Error", {})
        code = str(details.get("Code", "ClientError"))
        message = scrub_secrets(str(details.get("Message", "")), [s for s in secrets if s])
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        raise CognitoError(code, message, operation, status) from None
    except WireError as error:
        message = scrub_secrets(error.message, [s for s in secrets if s])
        raise CognitoError(error.code, message, operation, error.status) from None
