"""What the emulator remembers beside moto: sessions, codes, lockout, outbox, clock, passkeys.

One :class:`~.state.SandboxState` per sandbox (or classroom world) holds each user's MFA state,
the open challenge sessions, the one-time codes (:mod:`.codes`), the lockout counters
(:mod:`.lockout`) and the clock (:mod:`.clock`); :mod:`.surface` keeps passkeys, passkey MFA,
the WebAuthn configuration, auth events and ``USER_AUTH`` flow records; :mod:`.outbox` keeps the
codes "delivered" by SMS and email. The store is plain data under a lock: it imports neither moto
(:mod:`mfa_widgets.sandbox.bridge`) nor the operations (:mod:`mfa_widgets.sandbox.cognito`).
"""
