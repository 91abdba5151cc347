"""The numbers of the lab's exercises, known below the training layer.

The classroom (in the sandbox layer) keeps progress only for exercises the lab has: a learner's
key cannot make it store records for made-up ones. ``mfa_widgets.training.lab.EXERCISES`` is the
lab itself; a test keeps the two equal.
"""

from __future__ import annotations

__all__ = ["EXERCISE_NUMBERS"]

#: The exercises of :class:`mfa_widgets.training.Lab`.
EXERCISE_NUMBERS: frozenset[int] = frozenset({1, 2, 3, 4})
