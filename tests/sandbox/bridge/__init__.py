"""Tests of mfa_widgets.sandbox.bridge (white-box; the black-box tests are in tests/service)."""
