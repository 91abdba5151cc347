"""What the emulator remembers beside moto: sessions, codes, lockout, outbox, clock, passkeys.

One :class:`~.state.SandboxState` per sandbox (or classroom world) holds each user's MFA state,
the open challenge sessions, the one-time codes (:mod:`.codes`), the lockout counters
(:mod:`.lockout`), the clock (:mod:`.clock`) and, in :mod:`.records`, passkeys, devices, auth
events and the WebAuthn configuration; a sign-in session holds everything its flow created (an
SRP exchange, a passkey challenge), so expired sessions are swept with all of it. :mod:`.outbox`
keeps the codes "delivered" by SMS and email. The store is plain data under a lock: it imports
neither moto (:mod:`mfa_widgets.sandbox.bridge`) nor the operations
(:mod:`mfa_widgets.sandbox.cognito`).
"""
