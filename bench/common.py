"""Shared pieces for benchmarks: the Result record, timing, peak memory of a child process, and
a scratch database for each benchmark (SQLite file or a PostgreSQL database from BENCH_PG_URL)."""

import os
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://povertyplan:povertyplan@127.0.0.1:5432/povertyplan_bench")


@dataclass
class Result:
    """value and baseline in the same unit; ratio = value / baseline (or baseline / value when
    lower is better, see `higher_is_better`); budget is on the ratio unless `budget_on` says value."""

    name: str
    value: float
    unit: str
    baseline: float | None
    budget: str  # human-readable, e.g. "ratio >= 0.5", "value < 2 s"
    met: bool
    ratio: float | None = None
    notes: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)

    def summary(self) -> str:
        ratio = f" ratio {self.ratio:.2f}" if self.ratio is not None else ""
        base = f" (baseline {self.baseline:.4g})" if self.baseline is not None else ""
        verdict = "OK" if self.met else "OVER BUDGET"
        return f"{self.name}: {self.value:.4g} {self.unit}{base}{ratio} · budget {self.budget} · {verdict}"


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    value = fn(*args, **kwargs)
    return time.perf_counter() - started, value


def python() -> str:
    return sys.executable


def run_child(code: str, env: dict | None = None) -> tuple[str, int]:
    """Run Python code in a child process; return (stdout, peak RSS in KiB of the child)."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    wrapper = (
        "import resource, sys\n"
        + code
        + "\nprint('__PEAK_KIB__', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    )
    proc = subprocess.run([python(), "-c", wrapper], capture_output=True, text=True, env=full_env, cwd=ROOT)
    if proc.returncode != 0:
        raise RuntimeError(f"child failed: {proc.stderr[-3000:]}")
    peak = 0
    for line in proc.stderr.splitlines():
        if line.startswith("__PEAK_KIB__"):
            peak = int(line.split()[1])
    return proc.stdout, peak


def scratch_sqlite(name: str) -> str:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def pg_available() -> bool:
    try:
        import psycopg2

        conn = psycopg2.connect(PG_URL.rsplit("/", 1)[0] + "/postgres")
        conn.close()
        return True
    except Exception:
        return False


def scratch_pg(name: str) -> str:
    """A fresh PostgreSQL database for one benchmark."""
    import psycopg2

    base = PG_URL.rsplit("/", 1)[0]
    dbname = f"povertyplan_bench_{name}"
    conn = psycopg2.connect(base + "/postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
        cursor.execute(f'CREATE DATABASE "{dbname}"')
    conn.close()
    return f"{base}/{dbname}"


def migrate(database_url: str) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "povertyplan.settings.dev",
        "DEBUG": "0",
    }
    subprocess.run([python(), "manage.py", "migrate", "--no-input", "-v", "0"], check=True, env=env, cwd=ROOT)
