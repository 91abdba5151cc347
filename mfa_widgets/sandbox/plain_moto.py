"""Plain moto's Cognito, served on 127.0.0.1 without the fidelity layer: for comparison only.

``mfa-widgets conformance --target moto`` runs the corpus against this, to show what the
sandbox's emulator adds. moto is reached through :mod:`mfa_widgets.sandbox.bridge.moto_bridge`
(the one module that imports it); each instance owns a fresh moto account, dropped on stop.
"""

from __future__ import annotations

import secrets
import threading
from types import TracebackType
from typing import Any

from mfa_widgets.core.extras import require_extra
from mfa_widgets.sandbox.serving import quiet_server, serve_in_background, stop_serving

__all__ = ["PlainMoto"]


class PlainMoto:
    """moto's cognito-idp as it is, on ``http://127.0.0.1:<port>`` (a context manager)."""

    def __init__(self, region: str = "us-east-1") -> None:
        self.region = region
        self.account_id = f"{secrets.randbelow(9 * 10**11) + 10**11}"
        self._server: Any = None
        self._thread: threading.Thread | None = None

    def start(self) -> PlainMoto:
        """Import moto and serve it; starting twice is harmless."""
        if self._server is not None:
            return self
        require_extra("sandbox", "plain moto (the comparison target)")
        from mfa_widgets.sandbox.bridge.moto_bridge import moto_wsgi_app

        moto_app = moto_wsgi_app()
        account = self.account_id

        def tagged(environ: dict[str, Any], start_response: Any) -> Any:
            environ["HTTP_X_MOTO_ACCOUNT_ID"] = account  # this instance's data only
            return moto_app(environ, start_response)

        self._server = quiet_server(tagged, "127.0.0.1", 0)
        self._thread = serve_in_background(self._server, "plain-moto")
        return self

    def stop(self) -> None:
        """Stop serving and drop this instance's moto account."""
        if self._server is None:
            return
        from mfa_widgets.sandbox.bridge.moto_bridge import MotoBridge

        stop_serving(self._server, self._thread)
        self._server, self._thread = None, None
        MotoBridge(self.account_id).drop_account()

    @property
    def endpoint_url(self) -> str:
        """``http://127.0.0.1:<port>`` while running."""
        if self._server is None:
            raise RuntimeError("plain moto is not running: call start()")
        return f"http://127.0.0.1:{self._server.server_port}"

    def __enter__(self) -> PlainMoto:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
