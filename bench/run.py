#!/usr/bin/env python
"""Run every benchmark (bench/bench_*.py) and write bench/results.json.

Each benchmark module exposes `run() -> list[Result]`. A result compares a measured value with a
baseline measured in the same run (a ratio), against a budget, so that the figures mean the same
on any machine. Usage: python bench/run.py [name-filter ...]"""

import importlib
import json
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


def main(argv: list[str]) -> int:
    from common import Result  # noqa: F401  (benchmarks import it too)

    modules = sorted(p.stem for p in HERE.glob("bench_*.py"))
    if argv:
        modules = [m for m in modules if any(word in m for word in argv)]
    results, failures = [], []
    for name in modules:
        started = time.monotonic()
        print(f"== {name}", flush=True)
        try:
            module = importlib.import_module(name)
            for result in module.run():
                results.append(result.as_dict())
                print("   " + result.summary(), flush=True)
        except Exception as error:  # a broken benchmark is reported, and fails the run
            failures.append(f"{name}: {error!r}")
            print(f"   FAILED: {error!r}", flush=True)
            import traceback

            traceback.print_exc()
        print(f"   ({time.monotonic() - started:.0f} s)", flush=True)

    out = HERE / "results.json"
    previous = json.loads(out.read_text()) if out.exists() and argv else {"benchmarks": []}
    if argv:  # a partial run keeps the other benchmarks' last figures
        names = {r["name"] for r in results}
        results = [r for r in previous.get("benchmarks", []) if r["name"] not in names] + results
    document = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "benchmarks": results,
    }
    out.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    missed = [r["name"] for r in results if not r["met"]]
    print(f"\nWrote {out.relative_to(HERE.parent)}: {len(results)} results, {len(missed)} over budget.")
    for name in missed:
        print(f"  over budget: {name}")
    for failure in failures:
        print(f"  failed: {failure}")
    return 1 if failures or missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
