"""Tests of mfa_widgets.sandbox.cognito (white-box; the black-box tests are in tests/service)."""
