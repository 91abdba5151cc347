"""Ratio benchmarks for mfa_widgets, run with ``make bench`` (``python -m benchmarks``)."""
