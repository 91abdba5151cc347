"""Run the conformance corpus against the sandbox, plain moto or real Amazon Cognito.

>>> import mfa_widgets as mw
>>> table = mw.conformance.run()                    # the sandbox            # doctest: +SKIP
>>> mw.conformance.score(table)                                              # doctest: +SKIP
'61/64 pass (95%)'

The corpus holds answers of the real service, each with its source (see
:mod:`mfa_widgets.services.conformance.corpus`); this module starts the local targets (through
:mod:`mfa_widgets.embedded`) and hands the run to
:func:`~mfa_widgets.services.conformance.runner.run_cases`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import ExitStack
from typing import Any

import pandas as pd

from mfa_widgets.core.errors import InvalidArgumentError
from mfa_widgets.core.validation import need_flag, need_instance, need_region, need_text, shown
from mfa_widgets.services.conformance import (
    Case,
    CreatedResources,
    Target,
    load_corpus,
    run_cases,
    score,
)

__all__ = ["TARGETS", "load_corpus", "run", "score"]

#: The targets :func:`run` knows.
TARGETS = ("sandbox", "moto", "cognito")


def run(
    target: str = "sandbox",
    *,
    region: str | None = None,
    profile: str | None = None,
    endpoint_url: str | None = None,
    allow_sms: bool = False,
    sms_role_arn: str | None = None,
    cases: Iterable[Case] | None = None,
    created: CreatedResources | None = None,
    progress: Callable[[str, str], object] | None = None,
) -> pd.DataFrame:
    """Run the corpus against ``target`` and return the table (one row per case).

    Parameters
    ----------
    target
        ``"sandbox"`` (a fresh embedded sandbox), ``"moto"`` (plain moto, for comparison) or
        ``"cognito"`` (real Amazon Cognito: creates temporary pools named
        ``mfa-widgets-conformance-DELETE-ME-...`` and deletes them all at the end).
    region
        The AWS Region (needed for ``cognito``; ``us-east-1`` for the local targets).
    profile
        The AWS profile for ``cognito`` (else the default credential chain).
    endpoint_url
        Send the ``cognito`` target's calls here instead (e.g. a sandbox standing in for AWS).
    allow_sms
        Let cases whose pool offers SMS MFA run on ``cognito`` (text messages cost money);
        needs ``sms_role_arn``, the SNS caller role.
    sms_role_arn
        The IAM role Cognito sends SMS with.
    cases
        Which cases (default: the whole corpus).
    created
        Receives the ids of the pools created (all deleted before this returns).
    progress
        Called with ``(case id, status)`` after each case.

    Returns
    -------
    pandas.DataFrame
        Columns ``case, area, title, kind, source, seen, status, diff, reason, known``.
    """
    if not isinstance(target, str) or target not in TARGETS:
        raise InvalidArgumentError(
            f"target {shown(target)} is not one of {', '.join(TARGETS)}: pick one"
        )
    if region is not None:
        need_region(region)
    for value, name, fix in (
        (profile, "profile", "pass the name of an AWS profile, or None"),
        (endpoint_url, "endpoint_url", "pass e.g. 'http://127.0.0.1:4566', or None"),
        (sms_role_arn, "sms_role_arn", "pass the ARN of the IAM role Cognito sends SMS with"),
    ):
        if value is not None:
            need_text(value, name, fix, max_length=2048)
    if endpoint_url is not None and not endpoint_url.startswith(("http://", "https://")):
        raise InvalidArgumentError(
            f"endpoint_url {shown(endpoint_url)} is not a URL: pass e.g. 'http://127.0.0.1:4566'"
        )
    need_flag(allow_sms, "allow_sms")
    chosen_cases = _cases(cases)
    if created is not None:
        need_instance(created, CreatedResources, "created", "pass a CreatedResources(), or None")
    if progress is not None and not callable(progress):
        raise InvalidArgumentError(
            f"progress {shown(progress)} is not callable: pass a function (case, status), or None"
        )
    if allow_sms and not sms_role_arn:
        raise InvalidArgumentError(
            "allow_sms needs sms_role_arn: the ARN of the IAM role Cognito sends SMS with"
        )
    from mfa_widgets.embedded import PlainMoto, Sandbox

    with ExitStack() as stack:
        options: dict[str, Any] = {}
        if target == "sandbox":
            sandbox = stack.enter_context(Sandbox(region=need_region(region or "us-east-1")))

            def read(pool_id: str, username: str, channel: str) -> str:
                return sandbox.latest_code(username, channel, pool=pool_id)

            options = {"endpoint_url": sandbox.endpoint_url, "read_code": read}
        elif target == "moto":
            moto = stack.enter_context(PlainMoto(region=need_region(region or "us-east-1")))
            options = {"endpoint_url": moto.endpoint_url}
        else:
            if region is None:
                raise InvalidArgumentError(
                    "the cognito target needs a region: pass region='eu-west-1' (or --region)"
                )
            options = {
                "endpoint_url": endpoint_url,
                "profile": profile,
                "local": False,
                "allow_sms": allow_sms,
                "wait_for_fresh_totp": True,
            }
            if sms_role_arn:
                options["sms_role_arn"] = sms_role_arn
        chosen = Target(name=target, region=need_region(region or "us-east-1"), **options)
        return run_cases(chosen, chosen_cases, created=created, progress=progress)


def _cases(cases: Iterable[Case] | None) -> tuple[Case, ...] | None:
    """``cases`` as a tuple of :class:`Case` (``None``: the whole corpus)."""
    if cases is None:
        return None
    if isinstance(cases, (str, bytes)) or not isinstance(cases, Iterable):
        raise InvalidArgumentError(
            f"cases {shown(cases)} is not a list of cases: pass e.g. "
            "[c for c in mw.conformance.load_corpus() if c.area == 'totp'], or None"
        )
    chosen = tuple(cases)
    for case in chosen:
        need_instance(case, Case, "each of cases", "pass cases from load_corpus()")
    return chosen
