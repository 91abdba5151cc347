"""A debug trace of the calls made, through the standard :mod:`logging` module; off by default.

Each Cognito call an :class:`~mfa_widgets.services.client.MfaClient` sends gives one ``DEBUG``
record on the ``mfa_widgets.calls`` logger: the operation, where it went, the request with every
secret replaced (:func:`mfa_widgets.core.redaction.redact_request`, the rules of the log), the
outcome and the latency. Nothing is printed unless the application asks for it, e.g.::

    import logging
    logging.basicConfig()
    logging.getLogger("mfa_widgets").setLevel(logging.DEBUG)

(``logging.basicConfig(level=logging.DEBUG)`` also turns on botocore's own debug records, which
quote whole requests, tokens and passwords included: set the level on ``mfa_widgets`` only.)
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from typing import Any

from mfa_widgets.core.errors import CognitoError
from mfa_widgets.core.redaction import redact_request, scrub_secrets

__all__ = ["LOGGER", "trace_call"]

#: The logger of the toolkit's calls (a child of ``mfa_widgets``).
LOGGER = logging.getLogger("mfa_widgets.calls")
# A library adds no handler of its own beyond this one (the logging HOWTO's advice): silent
# unless the application configures logging.
logging.getLogger("mfa_widgets").addHandler(logging.NullHandler())


def trace_call(
    operation: str,
    params: Mapping[str, Any],
    error: CognitoError | None,
    latency_ms: float,
    backend: Callable[[], str],
) -> None:
    """Emit the one ``DEBUG`` record of a call (nothing at all when debug is off)."""
    if not LOGGER.isEnabledFor(logging.DEBUG):
        return
    request = scrub_secrets(json.dumps(redact_request(params), default=str, sort_keys=True))
    outcome = "ok" if error is None else f"{error.code}: {error.message}"
    try:
        where = backend()
    except Exception:  # no Region to name a client by: the record still says what happened
        where = "unknown"
    LOGGER.debug(
        "%s on %s in %.0f ms: %s; request %s", operation, where, latency_ms, outcome, request
    )
