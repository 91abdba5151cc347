"""Sign-in: every auth flow, every challenge answer, devices, the MFA stage and SRP.

``InitiateAuth``/``AdminInitiateAuth`` for the password and SRP flows (:mod:`.initiate`), the
choice-based ``USER_AUTH`` flow and the auth-event record (:mod:`.user_auth`),
``RespondToAuthChallenge`` and its admin twin (:mod:`.respond`), remembered devices and their
SRP (:mod:`.devices`), the MFA stage after the first factor (:mod:`.mfa_stage`) and the server
side of Cognito's SRP (:mod:`.srp`). The lockout itself is counted in
:mod:`mfa_widgets.sandbox.store.lockout`.
"""
