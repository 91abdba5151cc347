"""Hints for calls that failed before anything answered: they name what was really called.

A connection failure is not Cognito's answer, so its hint never says "see the message from
Cognito"; and it names the sandbox only when the address called is on this machine (a
connection to ``cognito-idp.eu-west-1.amazonaws.com`` that fails is a network, proxy or Region
matter, never a stopped sandbox). botocore puts the URL it called (or the proxy's) in its
message in double quotes: that is where the address is read from.
"""

from __future__ import annotations

import re

from mfa_widgets.core.loopback import is_loopback_url

__all__ = ["CONNECTION_CODES", "connection_hint"]

_URL = re.compile(r"https?://[^\s\"']+")

#: The client-side codes of failures where no service answered (see services.client).
CONNECTION_CODES = frozenset(
    {
        "EndpointConnectionError",
        "ConnectTimeout",
        "ConnectionClosedError",
        "ReadTimeout",
        "ProxyConnectionError",
        "SSLError",
        "ConnectionError",
        "HTTPClientError",
    }
)

_PROXY_VARIABLES = "HTTPS_PROXY / HTTP_PROXY (or Config(proxies=...))"


def _where(message: str) -> tuple[str, str]:
    """(what was called, its URL) read from botocore's message."""
    found = _URL.search(message)
    url = found.group(0).rstrip("/.,") if found else ""
    if is_loopback_url(url):
        return "the local sandbox", url
    if ".amazonaws.com" in url or url.endswith(".api.aws"):
        return "Cognito", url
    return "the endpoint", url


def connection_hint(code: str, message: str) -> str | None:
    """The hint for a call that no service answered, or ``None`` for any other code.

    Examples
    --------
    >>> connection_hint("EndpointConnectionError",
    ...     'Could not connect to the endpoint URL: "http://127.0.0.1:5/"').split(":")[3]
    ' the local sandbox is not running there (it stops with its kernel or process)'
    >>> connection_hint("NotAuthorizedException", "x") is None
    True
    """
    if code not in CONNECTION_CODES:
        return None
    what, url = _where(message)
    at = f" at {url}" if url else ""
    if code == "ProxyConnectionError":
        return (
            f"The proxy{at} did not answer, so the request never left this machine: check "
            f"{_PROXY_VARIABLES}, or add the host to NO_PROXY."
        )
    if code == "SSLError":
        return (
            "The TLS handshake failed before any answer (often a company proxy that inspects "
            "HTTPS): set AWS_CA_BUNDLE to your organisation's CA file, or fix the certificates."
        )
    if what == "the local sandbox":
        fix = (
            "the local sandbox is not running there (it stops with its kernel or process): "
            "start it again, or check the endpoint URL and its port"
        )
    elif what == "Cognito":
        fix = f"check your network connection, the Region, and any proxy ({_PROXY_VARIABLES})"
    else:
        fix = f"check the endpoint URL, your network, and any proxy ({_PROXY_VARIABLES})"
    if code in {"ConnectTimeout", "ReadTimeout"}:
        waited = "connecting" if code == "ConnectTimeout" else "waiting for the answer"
        extra = "; raise read_timeout when creating MfaClient" if code == "ReadTimeout" else ""
        return f"{what[:1].upper()}{what[1:]}{at} timed out {waited}: retry, or {fix}{extra}."
    if code == "ConnectionClosedError":
        return f"The connection{at} closed before {what} answered: retry; if it persists, {fix}."
    return f"Nothing answered{at}: {fix}."
