"""The emulated operations other than sign-in, one module per API family.

Users (:mod:`.users`), attributes (:mod:`.attributes`), MFA preferences (:mod:`.preferences`),
auth factors (:mod:`.auth_factors`), the pool's MFA configuration (:mod:`.pool`), authenticator
apps (:mod:`.software_token`), passkeys (:mod:`.passkeys`) and password recovery
(:mod:`.recovery`). Each module exports ``HANDLERS``, its operations by name; the app's table is
their union. An operation that starts or answers a sign-in belongs in
:mod:`mfa_widgets.sandbox.cognito.signin` instead.
"""
