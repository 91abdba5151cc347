"""Loopback addresses, and the one rule for proxies: loopback traffic never goes through one.

A company or classroom machine often sets ``http_proxy``/``https_proxy``. Python's proxy lookup
(which botocore uses) does not exempt ``127.0.0.1`` or ``localhost`` unless ``no_proxy`` names
them, so a client of the local sandbox or the classroom would send its calls to the proxy, which
cannot reach this machine's loopback. Every client the toolkit makes for a loopback endpoint is
therefore built with :func:`proxies_for` (botocore ``Config(proxies=...)``): no proxy at all for
loopback, the user's own proxy settings (``None``: botocore reads the environment) for anything
else, real Cognito included.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

__all__ = ["is_loopback_host", "is_loopback_url", "proxies_for"]

#: Host names that always mean this machine (RFC 6761 reserves ``localhost`` and its subdomains).
_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


def is_loopback_host(host: str) -> bool:
    """Whether ``host`` (a name or an address, IPv6 with or without brackets) is this machine.

    Examples
    --------
    >>> is_loopback_host("127.0.0.1"), is_loopback_host("[::1]"), is_loopback_host("10.0.0.2")
    (True, True, False)
    """
    name = host.strip().strip("[]").rstrip(".").lower()
    if name in _LOOPBACK_NAMES or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name.split("%")[0]).is_loopback
    except ValueError:
        return False


def is_loopback_url(url: str | None) -> bool:
    """Whether ``url`` points at this machine (``http://127.0.0.1:5000``, ``http://localhost``)."""
    if not url:
        return False
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return False
    return host is not None and is_loopback_host(host)


def proxies_for(endpoint_url: str | None) -> dict[str, str] | None:
    """The botocore ``Config(proxies=...)`` value for a client of ``endpoint_url``.

    ``{}`` (connect directly, whatever ``http_proxy`` says) for a loopback endpoint; ``None``
    (botocore's default: the environment's proxy settings and ``no_proxy``) for any other.
    """
    return {} if is_loopback_url(endpoint_url) else None
