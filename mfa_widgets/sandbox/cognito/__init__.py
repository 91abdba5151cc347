"""The emulator: cognito-idp answered as Cognito answers it, in front of moto.

Owns the WSGI app that receives every cognito-idp call (:mod:`.app`: faults, the operations
table, the request's shape, the access token, then the handler), the one table of which operation
is emulated, answered by moto after review or refused (:mod:`.operations`), what a handler gets
(:mod:`.context`), the access-token checks (:mod:`.access`), botocore's service model
(:mod:`.service_model`), the pool's MFA configuration (:mod:`.pool_mfa`) and the redaction of
moto's messages. A new Cognito operation goes in :mod:`.ops` (one module per API family) or, if it
signs someone in, in :mod:`.signin`. Remembered state lives in :mod:`mfa_widgets.sandbox.store`;
moto is reached only through :mod:`mfa_widgets.sandbox.bridge`.
"""
