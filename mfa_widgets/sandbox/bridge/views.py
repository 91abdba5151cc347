"""Small typed views of moto's pools, users and app clients: what the fidelity layer may know.

:class:`~.moto_bridge.MotoBridge` hands these out instead of moto's objects,
so no other module depends on moto's attribute names. A view is a snapshot taken for one
request; changes go through the bridge, which finds moto's object again by id.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

__all__ = ["ClientView", "PoolView", "UserView"]


@dataclass(frozen=True)
class PoolView:
    """A user pool: its id (``<region>_<suffix>``), region and name."""

    id: str
    region: str
    name: str = ""


@dataclass(frozen=True)
class ClientView:
    """An app client of ``pool_id``.

    Attributes
    ----------
    explicit_auth_flows
        ``ExplicitAuthFlows`` (empty: not set, every flow allowed as moto does).
    prevent_user_existence_errors
        True when ``PreventUserExistenceErrors`` is ``ENABLED``.
    has_secret
        True when the client has a secret (``SECRET_HASH`` is then required).
    """

    id: str
    pool_id: str
    explicit_auth_flows: tuple[str, ...] = ()
    prevent_user_existence_errors: bool = False
    has_secret: bool = False


@dataclass(frozen=True)
class UserView:
    """A user: ``id`` is the ``sub``; ``username`` moto's (internal) user name.

    ``attributes`` is a read-only copy of the user's attributes (names to values).
    """

    id: str
    username: str
    enabled: bool
    status: str
    attributes: Mapping[str, str] = field(
        default_factory=lambda: MappingProxyType({}), repr=False, compare=False
    )
