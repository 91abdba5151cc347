"""Conformance with the real Amazon Cognito: a cited corpus of its answers and a runner.

:func:`~mfa_widgets.services.conformance.corpus.load_corpus` reads the cases shipped in
``cases/``; :func:`~mfa_widgets.services.conformance.runner.run_cases` sends them to a
:class:`~mfa_widgets.services.conformance.runner.Target` and returns the table. Starting a local
target (the sandbox, plain moto) is not done here: services never see the sandbox
(:mod:`mfa_widgets.conformance` does that).
"""

from __future__ import annotations

from mfa_widgets.services.conformance.corpus import KINDS, Case, CaseKind, Source, load_corpus
from mfa_widgets.services.conformance.runner import (
    COLUMNS,
    POOL_PREFIX,
    CreatedResources,
    Target,
    run_cases,
    score,
)

__all__ = [
    "COLUMNS",
    "KINDS",
    "POOL_PREFIX",
    "Case",
    "CaseKind",
    "CreatedResources",
    "Source",
    "Target",
    "load_corpus",
    "run_cases",
    "score",
]
