"""Run every ``benchmarks/bench_*.py`` and print one table of ratios against their targets.

Each benchmark module exposes ``run() -> list[dict]``; a row has ``name``, ``value``, ``unit``,
``target`` (a human-readable bound such as ``"<= 1.05"``), ``baseline`` (what the value is
compared with) and ``meets_target``. The table is written to ``benchmarks/results.md`` (with the
machine described) and ``benchmarks/results.json``.
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


def _machine() -> str:
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
        f"{platform.system()} {platform.release()}"
    )


def _format_value(value: float) -> str:
    return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"


def _markdown(rows: list[dict[str, Any]], machine: str, when: str) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Measured {when} on {machine}. Regenerate with `make bench`.",
        "",
        "| benchmark | value | unit | target | baseline | meets target |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        mark = "yes" if row["meets_target"] else "**no**"
        lines.append(
            f"| {row['name']} | {_format_value(float(row['value']))} | {row['unit']} | "
            f"{row['target']} | {row['baseline']} | {mark} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks (optionally only those whose module name contains ``--only``)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--only", help="run only modules whose name contains this text")
    parser.add_argument("--no-write", action="store_true", help="print only; write no files")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE.parent))
    rows: list[dict[str, Any]] = []
    for path in sorted(HERE.glob("bench_*.py")):
        if args.only and args.only not in path.stem:
            continue
        print(f"running {path.stem} ...", file=sys.stderr, flush=True)
        module = importlib.import_module(f"benchmarks.{path.stem}")
        rows.extend(module.run())
    when = time.strftime("%Y-%m-%d", time.gmtime())
    table = _markdown(rows, _machine(), when)
    print(table)
    if not args.no_write:
        (HERE / "results.md").write_text(table)
        (HERE / "results.json").write_text(json.dumps(rows, indent=2) + "\n")
    return 0 if all(r["meets_target"] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
