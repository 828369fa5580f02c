#!/usr/bin/env python
"""Profile the census import on the benchmark's file (a tool for finding where the time goes, not
a benchmark). A template database (migrated, with the benchmark's 50 communes and administrator)
is prepared once; each run imports into a fresh copy of it and commits, so the commit's work
(deferred foreign-key checks) is measured too:

    .venv/bin/python bench/profile_census_import.py --db sqlite [--rows 20000] [--cprofile]
    .venv/bin/python bench/profile_census_import.py --db postgresql --cprofile --sort tottime

Prints the time of each stage: read + validate, plan (dry run), write (including the commit)."""

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


def _copy_of_template(kind: str, fresh: bool) -> str:
    import bench_census_import as bench
    from common import OUT, PG_URL

    marker = OUT / f"census_profile_{kind}.ready"
    if fresh or not marker.exists():
        marker.write_text(bench._database(kind, "census_profile"))
    template = marker.read_text()
    if kind == "sqlite":
        source = Path(template.removeprefix("sqlite:///"))
        target = source.with_name("census_profile_run.sqlite3")
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(source, target)
        return f"sqlite:///{target}"
    import psycopg2

    base = PG_URL.rsplit("/", 1)[0]
    conn = psycopg2.connect(base + "/postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute('DROP DATABASE IF EXISTS "povertyplan_bench_census_profile_run"')
        cursor.execute(
            'CREATE DATABASE "povertyplan_bench_census_profile_run" TEMPLATE "povertyplan_bench_census_profile"'
        )
    conn.close()
    return f"{base}/povertyplan_bench_census_profile_run"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--cprofile", action="store_true")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--top", type=int, default=45)
    parser.add_argument("--serial", action="store_true", help="no second thread for the inserts")
    parser.add_argument("--fresh", action="store_true", help="recreate the template database")
    args = parser.parse_args()
    os.environ["BENCH_CENSUS_ROWS"] = str(args.rows)

    import bench_census_import as bench

    path = bench._file()
    os.environ["DATABASE_URL"] = _copy_of_template(args.db, args.fresh)
    os.environ["DJANGO_SETTINGS_MODULE"] = "povertyplan.settings.dev"
    os.environ["DEBUG"] = "0"
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from households.census import apply, bulk, plan, services

    if args.serial:
        bulk.PIPELINED = ()
    data = path.read_bytes()
    user = get_user_model().objects.get(username="bench_admin")
    stages: dict[str, float] = {}

    def timed(name, function):
        def wrapper(*a, **kw):
            started = time.perf_counter()
            try:
                return function(*a, **kw)
            finally:
                stages[name] = stages.get(name, 0) + time.perf_counter() - started

        return wrapper

    services.build_plan = timed("plan", plan.build_plan)
    services.apply_plan = timed("write", apply.apply_plan)
    profiler = None
    if args.cprofile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started = time.perf_counter()
    report = services.census_import(data=data, year=bench.YEAR, user=user)
    elapsed = time.perf_counter() - started
    if profiler:
        profiler.disable()
    assert report.written and not report.errors, report.errors[:3]
    read = elapsed - sum(stages.values())
    print(
        f"{args.db} {args.rows} rows: {elapsed:.2f} s = {args.rows / elapsed:,.0f} rows/s "
        f"(read+validate {read:.2f} s, plan {stages.get('plan', 0):.2f} s, write {stages.get('write', 0):.2f} s)",
        flush=True,
    )
    if profiler:
        import pstats

        pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
