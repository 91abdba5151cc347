"""Service tests use the shared fixtures of tests/conftest.py (a real sandbox on 127.0.0.1)."""
