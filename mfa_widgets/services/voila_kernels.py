"""The kernel manager ``mfa-widgets dashboard`` gives Voila: cull idle kernels, keep the pool's.

Voila's preheated pool keeps a kernel that has already run the notebook waiting for the next
visitor. Jupyter Server's culler would see that kernel as idle and unconnected and shut it down,
emptying the pool, so the next visitor waits for a cold start again. It would also cull a kernel
just handed to a visitor whose browser has not connected yet (on a busy machine that takes longer
than a short cull timeout). This manager culls only kernels whose page went away: never one
waiting in the pool, and one no page ever connected to only after :data:`HANDOVER_GRACE_SECONDS`.
Voila wraps this class with its pool logic (``voila_kernel_manager_factory``), so the pool's
``_pools`` attribute lives on the same object. Only the Voila server process imports this.
"""

from __future__ import annotations

import time
from typing import Any

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

#: Seconds a kernel no page has connected to yet is kept (a page rendered but never opened).
HANDOVER_GRACE_SECONDS = 120.0


class DashboardKernelManager(AsyncMappingKernelManager):  # type: ignore[misc]
    """``AsyncMappingKernelManager`` whose culler spares pooled and just-handed-over kernels."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)  # type: ignore[no-untyped-call]
        self._connected_once: set[str] = set()
        self._first_seen: dict[str, float] = {}

    def waiting_in_pool(self) -> set[str]:
        """Ids of the preheated kernels not yet handed to a visitor."""
        pools: dict[str, list[Any]] = getattr(self, "_pools", {})
        waiting = set()
        for pool in pools.values():
            for task in pool:
                if task.done() and not task.cancelled() and task.exception() is None:
                    waiting.add(task.result()["kernel_id"])
        return waiting

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        """Cull ``kernel_id`` as Jupyter Server would, unless a page may still come for it."""
        if kernel_id in self.waiting_in_pool():
            return
        if self._kernel_connections.get(kernel_id, 0) > 0:
            self._connected_once.add(kernel_id)
        first_seen = self._first_seen.setdefault(kernel_id, time.monotonic())
        handing_over = time.monotonic() - first_seen < HANDOVER_GRACE_SECONDS
        if kernel_id not in self._connected_once and handing_over:
            return
        await super().cull_kernel_if_idle(kernel_id)  # type: ignore[no-untyped-call]
        if kernel_id not in self:
            self._connected_once.discard(kernel_id)
            self._first_seen.pop(kernel_id, None)
