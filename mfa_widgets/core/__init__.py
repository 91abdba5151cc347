"""The truth about Cognito MFA, written once: pure Python, standard library only, no I/O.

Preferences and the single-preferred rule (:mod:`~mfa_widgets.core.preferences`), sign-in
(:mod:`~mfa_widgets.core.signin`: its inputs, the password and choice-based flows and the
prediction of the challenge), tokens
(:mod:`~mfa_widgets.core.tokens`), TOTP (:mod:`~mfa_widgets.core.totp`), the AWS CLI's syntax
(:mod:`~mfa_widgets.core.aws_cli`), errors and their hints (:mod:`~mfa_widgets.core.errors`),
result types (:mod:`~mfa_widgets.core.results`), audit rules (:mod:`~mfa_widgets.core.posture`),
request builders (:mod:`~mfa_widgets.core.requests`), a sign-in step's log labels
(:mod:`~mfa_widgets.core.signin.labels`) and redaction with the one list of secret keys
(:mod:`~mfa_widgets.core.redaction`).

The sandbox decides challenges with these same rules; every other layer imports from here, and
this package imports nothing from them (checked by ``make lint``).
"""
