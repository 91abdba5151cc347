"""Whether an access token comes from where the client sends it: its Region, and its pool.

:meth:`MfaClient._check_token` asks this before a call with a token is sent, so a token from
another Region (whose pool does not exist where the client calls) or from another pool than the
one the client is for (:meth:`MfaClient.with_pool`) is named, instead of Cognito's bare
"Invalid Access Token" or a change made to a user of the wrong pool.
"""

from __future__ import annotations

from typing import NamedTuple

from mfa_widgets.core.tokens import TokenInfo


class Mismatch(NamedTuple):
    """Why the token does not belong where it is sent: an error code, its message and hint."""

    code: str
    message: str
    hint: str


def token_mismatch(info: TokenInfo, region: str | None, pool: str | None) -> Mismatch | None:
    """The first way the token ``info`` describes does not fit ``region`` and ``pool``, if any.

    Parameters
    ----------
    info
        What the token says about itself (:func:`~mfa_widgets.core.tokens.check_access_token`).
    region, pool
        Where the client calls, and the pool it is for (``None``: not known, not checked).
    """
    issued = f"the access token was issued by pool {info.user_pool_id}"
    if info.region and region and info.region != region:
        elsewhere = f"{issued} in {info.region}, but this client calls {region}"
        return Mismatch(
            "TokenFromAnotherRegion",
            f"{elsewhere}, where that pool does not exist",
            f"Create the client with region={info.region!r} (or leave region out: the token "
            f"names it), or sign in to a pool in {region}.",
        )
    if info.user_pool_id and pool and info.user_pool_id != pool:
        other = f"client.with_pool({info.user_pool_id!r})"
        fix = (
            f"Sign in to {pool} for a token of its users, or use a client for that pool ({other})."
        )
        return Mismatch(
            "TokenFromAnotherPool", f"{issued}, but this client is for pool {pool}", fix
        )
    return None
