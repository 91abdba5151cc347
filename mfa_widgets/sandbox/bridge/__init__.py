"""The one place moto is touched: its Cognito backend, its WSGI app and its objects.

:class:`~.moto_bridge.MotoBridge` reads and changes moto's pools, users, clients and tokens and
hands out small typed snapshots (:mod:`.views`) instead of moto's objects, so nothing else in the
sandbox depends on moto's names; ``lint-imports`` keeps moto out of every other module.
"""
