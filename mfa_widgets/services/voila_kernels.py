"""The kernel manager ``mfa-widgets dashboard`` gives Voila: cull idle kernels, keep the pool's.

Voila's preheated pool keeps a kernel that has already run the notebook waiting for the next
visitor. Jupyter Server's culler would see that kernel as idle and unconnected and shut it down,
emptying the pool, so the next visitor waits for a cold start again. This manager culls every other
idle kernel (one whose page went away without shutting it down) and skips those still waiting in
the pool. Voila wraps this class with its pool logic (``voila_kernel_manager_factory``), so the
pool's ``_pools`` attribute lives on the same object. Only the Voila server process imports this.
"""

from __future__ import annotations

from typing import Any

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager


class DashboardKernelManager(AsyncMappingKernelManager):  # type: ignore[misc]
    """``AsyncMappingKernelManager`` whose culler spares kernels waiting in Voila's pool."""

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
        """Cull ``kernel_id`` as Jupyter Server would, unless it waits in the pool."""
        if kernel_id in self.waiting_in_pool():
            return
        await super().cull_kernel_if_idle(kernel_id)  # type: ignore[no-untyped-call]
