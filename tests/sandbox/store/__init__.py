"""Tests of mfa_widgets.sandbox.store (white-box; the black-box tests are in tests/service)."""
