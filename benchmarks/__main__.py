"""Run every ``benchmarks/bench_*.py`` and print one table of ratios against their targets.

Each benchmark module exposes ``run() -> list[dict]``, one dict per figure, made with
:func:`benchmarks._timing.row`. The convention every row follows:

``name`` (str)
    What is measured, in words.
``value`` (float) and ``unit`` (str)
    The figure: usually ``"ratio"`` (ours / the baseline), else a rate or seconds.
``target`` (str)
    ``"<= N"`` or ``">= N"``, e.g. ``"<= 1.05"`` or ``">= 100,000"``.
``baseline`` (str)
    What the value is compared with, measured in the same run, e.g.
    ``"raw boto3 median 4.10 ms"``.
``meets_target`` (bool)
    Computed from ``value`` and ``target``.

``spread`` ([low, high]) and ``runs`` (int), optional
    For a figure measured several times (:func:`benchmarks._timing.spread_row`): ``value`` is
    the median of the runs, and the row meets its target unless the whole spread is past it.

Extra keys (raw timings) may follow. The table is printed and written to
``benchmarks/results.md`` (with the machine described) and ``benchmarks/results.json`` (the
list of rows).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def _load() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"


def _machine(load_at_start: str) -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; load average (1, 5, 15 min) {load_at_start} "
        f"when the run started and {_load()} when it ended (a shared machine: ratios pair the "
        "baseline with ours, and figures measured several times show their spread)"
    )


def _format_value(value: float) -> str:
    return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"


def _markdown(rows: list[dict[str, Any]], machine: str, when: str) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Measured {when} on {machine}. Regenerate with `make bench`.",
        "",
        "| benchmark | value | spread (runs) | unit | target | baseline | meets target |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        mark = "yes" if row["meets_target"] else "**no**"
        spread = "-"
        if "spread" in row:
            low, high = (_format_value(float(x)) for x in row["spread"])
            spread = f"{low} to {high} ({row['runs']})"
        lines.append(
            f"| {row['name']} | {_format_value(float(row['value']))} | {spread} | {row['unit']} | "
            f"{row['target']} | {row['baseline']} | {mark} |"
        )
    return "\n".join(lines) + "\n"


def _checked(module: str, found: dict[str, Any]) -> dict[str, Any]:
    """A row that follows the convention of this module's docstring (else a clear error)."""
    from benchmarks._timing import meets, meets_spread

    missing = [key for key in _KEYS if key not in found]
    if missing:
        raise ValueError(f"{module}: a row lacks {missing}; build rows with _timing.row()")
    if not isinstance(found["target"], str) or not isinstance(found["baseline"], str):
        raise ValueError(f"{module}: target and baseline must be strings, see benchmarks/__main__")
    if "spread" in found:
        expected = meets_spread(*map(float, found["spread"]), found["target"])
    else:
        expected = meets(float(found["value"]), found["target"])
    if found["meets_target"] != expected:
        raise ValueError(f"{module}: meets_target disagrees with target for {found['name']!r}")
    return found


_KEYS = ("name", "value", "unit", "target", "baseline", "meets_target")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks (optionally only those whose module name contains ``--only``)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--only", help="run only modules whose name contains this text")
    parser.add_argument("--no-write", action="store_true", help="print only; write no files")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="small sizes and fewer runs, for a fast check (implies --no-write)",
    )
    args = parser.parse_args(argv)
    if args.quick:
        os.environ["MFA_BENCH_QUICK"] = "1"
        args.no_write = True
    load_at_start = _load()
    sys.path.insert(0, str(HERE.parent))
    rows: list[dict[str, Any]] = []
    for path in sorted(HERE.glob("bench_*.py")):
        if args.only and args.only not in path.stem:
            continue
        print(f"running {path.stem} ...", file=sys.stderr, flush=True)
        module = importlib.import_module(f"benchmarks.{path.stem}")
        rows.extend(_checked(path.stem, found) for found in module.run())
    when = time.strftime("%Y-%m-%d", time.gmtime())
    table = _markdown(rows, _machine(load_at_start), when)
    print(table)
    if not args.no_write:
        (HERE / "results.md").write_text(table)
        (HERE / "results.json").write_text(json.dumps(rows, indent=2) + "\n")
    return 0 if all(r["meets_target"] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
