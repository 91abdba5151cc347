"""Sign-in: one state machine for every auth flow, first factor and challenge answer.

:mod:`.machine` holds the states and transitions (``InitiateAuth``, ``AdminInitiateAuth``,
``RespondToAuthChallenge`` and its admin twin) and its own lists of flows, first factors and
challenges; :mod:`.gates` holds each gate once (the user exists and is enabled, the session is
bound and consumed atomically, every secret is one locked attempt counted towards the user's one
lockout); :mod:`.mfa_stage` decides the challenge after a password and opens challenges;
:mod:`.devices` remembers devices and their SRP; :mod:`.events` records each decision
(``AdminListUserAuthEvents``); :mod:`.facts`, :mod:`.webauthn` and :mod:`.srp` are what the
rules read, the passkey checks and the server side of Cognito's SRP. The lockout counter itself
lives in :mod:`mfa_widgets.sandbox.store.lockout`.
"""
