"""Census import of a generated year-end review file (100,000 rows by default) on SQLite and on
PostgreSQL, measured side by side with baselines that write the same rows (census_baselines.py):

- the import (`census_import`), timed end to end: reading the .xlsx, validating every row, the dry
  run's plan and the write in one transaction — per row a Household, its head Member, an approved
  Assessment and two audit entries (LogEntry), plus the file's 250 new villages and their entries;
- raw `bulk_create` of the same Household and Assessment rows, built beforehand from rows already
  parsed and classified — budget: the import reaches ≥ 0.5 × its rows/s;
- a tuned django-import-export import of the same Household and Assessment rows (two resources,
  `use_bulk`, `skip_diff`, `force_init_instance`, `batch_size`, cached foreign keys) from tablib
  datasets of the parsed and classified rows — budget: the import reaches ≥ 3 × its rows/s;
- for information, both baselines again writing every table the import writes (head Member and
  the two audit entries too): `..._every_table` results and notes;
- the import's peak memory, in its own process: < 400 MB.

Every measurement runs in its own process on a fresh copy of one migrated scratch database (the
benchmark's 50 communes and an administrator). All run on the full file unless BENCH_CENSUS_ROWS
(or BENCH_CENSUS_DJE_ROWS for the django-import-export runs) says otherwise. The load average is
recorded with the figures: other work on the machine slows every measure, not always equally."""

import json
import os
import random
import time
from pathlib import Path

from common import OUT, PG_URL, Result, migrate, pg_available, run_child, scratch_pg, scratch_sqlite

N = int(os.environ.get("BENCH_CENSUS_ROWS", "100000"))
DJE_ROWS = min(N, int(os.environ.get("BENCH_CENSUS_DJE_ROWS", str(N))))
COMMUNES = 50
YEAR = 2025
PEAK_BUDGET_MB = 400

HEADERS = [
    "STT",
    "Mã hộ",
    "Mã xã",
    "Xã/Phường",
    "Thôn/Tổ dân phố",
    "Họ và tên chủ hộ",
    "Giới tính",
    "Năm sinh",
    "Số CCCD",
    "Dân tộc",
    "Số nhân khẩu",
    "Khu vực (Thành thị / Nông thôn)",
    "Thu nhập bình quân (đồng/người/tháng)",
]
INDICATORS = 12
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Phan", "Đặng"]
GIVEN = ["Văn An", "Thị Hoa", "Văn Bình", "Thị Mai", "Minh Tuấn", "Thị Lan", "Văn Sơn", "Thị Thu"]


def generate_rows(n: int):
    """The same rows for every measurement: (code, commune code, village, head, sex, birth year,
    citizen id, ethnicity, members, area, income, deprived indicator orders)."""
    rng = random.Random(2025)
    for i in range(n):
        commune = f"90{(i % COMMUNES) + 1:03d}"
        sex = "Nữ" if rng.random() < 0.3 else "Nam"
        year = rng.randrange(1940, 2000)
        digit = 1 if sex == "Nữ" else 0
        citizen = f"044{digit}{year % 100:02d}{rng.randrange(10**6):06d}"
        deprived = tuple(sorted(rng.sample(range(1, INDICATORS + 1), rng.choice((0, 0, 1, 2, 3, 4)))))
        yield (
            f"HB{i:07d}",
            commune,
            f"Thôn {rng.randrange(1, 6)}",
            f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}",
            sex,
            year,
            citizen,
            "Kinh" if rng.random() < 0.85 else "Vân Kiều",
            rng.randrange(1, 9),
            "Nông thôn" if rng.random() < 0.8 else "Thành thị",
            rng.randrange(0, 4_000_000),
            deprived,
        )


def _file() -> Path:
    path = OUT / f"census_{N}.xlsx"
    if path.exists():
        return path
    from importlib import import_module

    from openpyxl import Workbook

    seed = import_module("households.migrations.0002_standards_and_lookups")
    names = [name for _d, _c, name, _x in seed.STANDARDS[1]["indicators"]]
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Danh sách")
    sheet.append(["UBND TỈNH THỬ"])
    sheet.append([f"DANH SÁCH KẾT QUẢ RÀ SOÁT HỘ NGHÈO, HỘ CẬN NGHÈO CUỐI NĂM {YEAR}"])
    sheet.append([])
    sheet.append(HEADERS + names + ["Phân loại", "Năm rà soát"])
    for number, (
        code,
        commune,
        village,
        head,
        sex,
        year,
        citizen,
        ethnicity,
        members,
        area,
        income,
        deprived,
    ) in enumerate(generate_rows(N), start=1):
        marks = ["x" if order in deprived else None for order in range(1, INDICATORS + 1)]
        shown = f"{income:,}".replace(",", ".") if number % 3 == 0 else income  # a third typed as text
        sheet.append(
            [
                number,
                code,
                commune,
                None,
                village,
                head,
                sex,
                year,
                citizen,
                ethnicity,
                members,
                area,
                shown,
                *marks,
                None,
                YEAR,
            ]
        )
    sheet.append(["Tổng cộng"])
    OUT.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


_DJANGO = """
import os, sys, json, time
sys.path.insert(0, "bench")
os.environ["DJANGO_SETTINGS_MODULE"] = "povertyplan.settings.dev"
os.environ["DEBUG"] = "0"
import django
django.setup()
"""

_SETUP = (
    _DJANGO
    + """
from units.models import AdministrativeUnit, Level, Role
from tests import factories as f
province = f.province(name="Tỉnh Thử", short_name="Thử", code="90")
for i in range(1, %(communes)d + 1):
    f.commune(province, name=f"Xã Thử {i}", short_name=f"Thử {i}", code=f"90{i:03d}")
admin = f.UserFactory(username="bench_admin")
f.member_of(admin, None, Role.ADMINISTRATOR)
print(json.dumps({"ok": True}))
"""
)

_IMPORT = (
    _DJANGO
    + """
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from households.census.services import census_import
from households.models import Assessment, Household, Member
data = open(%(path)r, "rb").read()
user = get_user_model().objects.get(username="bench_admin")
logs = LogEntry.objects.count()
started = time.perf_counter()
report = census_import(data=data, year=%(year)d, user=user)
elapsed = time.perf_counter() - started
assert report.written and not report.errors, report.errors[:5]
written = [Household.objects.count(), Member.objects.count(), Assessment.objects.count(), LogEntry.objects.count() - logs]
assert written[:3] == [report.created] * 3 == [%(n)d] * 3, written
print(json.dumps({"elapsed": elapsed, "rows": report.rows, "written": written}))
"""
)

_BASELINE = (
    _DJANGO
    + """
from auditlog.models import LogEntry
from households.models import Assessment, Household, Member
import census_baselines as baselines
prepared = baselines.%(how)s_%(prepare)s(%(n)d, %(scope)r)
logs = LogEntry.objects.count()
started = time.perf_counter()
baselines.%(how)s_write(*prepared)
elapsed = time.perf_counter() - started
written = [Household.objects.count(), Member.objects.count(), Assessment.objects.count(), LogEntry.objects.count() - logs]
assert written[0] == written[2] == %(n)d, written
print(json.dumps({"elapsed": elapsed, "rows": %(n)d, "written": written}))
"""
)

WRITES = {
    "import": "per row: Household, head Member, Assessment (approved, periodic), 2 LogEntry; 250 new villages "
    "(+ their LogEntry); after reading the .xlsx, validating and planning",
    "household+assessment": "per row: Household, Assessment; from rows already parsed and classified",
    "every table": "per row: Household, head Member, Assessment, 2 LogEntry; from rows already parsed and classified",
}


def _child(code: str, url: str) -> tuple[dict, int]:
    stdout, peak = run_child(code, env={"DATABASE_URL": url, "DEBUG": "0"})
    return json.loads(stdout.strip().splitlines()[-1]), peak


_templates: dict[str, str] = {}


def _database(kind: str, name: str) -> str:
    """A fresh copy of the migrated scratch database with the benchmark's communes and admin."""
    if kind not in _templates:
        url = scratch_pg("census_template") if kind == "postgresql" else scratch_sqlite("census_template")
        migrate(url)
        _child(_SETUP % {"communes": COMMUNES}, url)
        _templates[kind] = url
    if kind == "sqlite":
        import shutil

        target = scratch_sqlite(name)
        shutil.copyfile(_templates[kind].removeprefix("sqlite:///"), target.removeprefix("sqlite:///"))
        return target
    import psycopg2

    base = PG_URL.rsplit("/", 1)[0]
    conn = psycopg2.connect(base + "/postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "povertyplan_bench_{name}"')
        cursor.execute(
            f'CREATE DATABASE "povertyplan_bench_{name}" TEMPLATE "povertyplan_bench_census_template"'
        )
    conn.close()
    return f"{base}/povertyplan_bench_{name}"


def _baseline(kind: str, how: str, scope: str, rows: int) -> dict:
    prepare = "objects" if how == "raw" else "datasets"
    name = f"census_{how}_{'ha' if scope == 'household+assessment' else 'all'}"
    code = _BASELINE % {"how": how, "prepare": prepare, "n": rows, "scope": scope}
    result, _peak = _child(code, _database(kind, name))
    result["rate"] = rows / result["elapsed"]
    print(f"   {kind} {how} {scope}: {result['rate']:,.0f} rows/s ({result['elapsed']:.1f} s)", flush=True)
    return result


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def _measure(kind: str, path: Path) -> list[Result]:
    load_before = _load()
    ours, peak = _child(_IMPORT % {"path": str(path), "year": YEAR, "n": N}, _database(kind, "census_import"))
    rate = N / ours["elapsed"]
    print(
        f"   {kind} import: {rate:,.0f} rows/s ({ours['elapsed']:.1f} s), peak {peak // 1024} MB", flush=True
    )
    raw = {scope: _baseline(kind, "raw", scope, N) for scope in ("household+assessment", "every table")}
    dje = {
        scope: _baseline(kind, "dje", scope, DJE_ROWS) for scope in ("household+assessment", "every table")
    }
    load = f"{load_before} → {_load()} (1, 5, 15 min; {os.cpu_count()} CPUs)"
    peak_mb = peak / 1024
    notes = {
        "rows": N,
        "load_average": load,
        "import_seconds": round(ours["elapsed"], 1),
        "import_written": ours["written"],
        "writes": WRITES,
        "raw_bulk_create_rows_per_s": {scope: round(r["rate"]) for scope, r in raw.items()},
        "raw_bulk_create_seconds": {scope: round(r["elapsed"], 1) for scope, r in raw.items()},
        "import_export_rows": DJE_ROWS,
        "import_export_rows_per_s": {scope: round(r["rate"]) for scope, r in dje.items()},
        "import_export_seconds": {scope: round(r["elapsed"], 1) for scope, r in dje.items()},
        "ratios": {
            f"{how} {scope}": round(rate / r["rate"], 2)
            for how, results in (("raw", raw), ("import-export", dje))
            for scope, r in results.items()
        },
        "peak_memory_mb": round(peak_mb),
    }

    def compare(name, baseline, budget, scope):
        minimum = {"raw": 0.5, "import-export": 3}[budget]
        what = "raw bulk_create" if budget == "raw" else "tuned django-import-export"
        return Result(
            name=name,
            value=round(rate),
            unit="rows/s",
            baseline=round(baseline["rate"]),
            ratio=round(rate / baseline["rate"], 2),
            budget=f"ratio >= {minimum} (import rows/s ÷ {what} rows/s, baseline writing {scope})",
            met=rate >= minimum * baseline["rate"],
            notes=notes,
        )

    return [
        compare(
            f"census_import_vs_raw_bulk_create_{kind}",
            raw["household+assessment"],
            "raw",
            "household+assessment",
        ),
        compare(
            f"census_import_vs_import_export_{kind}",
            dje["household+assessment"],
            "import-export",
            "household+assessment",
        ),
        compare(
            f"census_import_vs_import_export_every_table_{kind}",
            dje["every table"],
            "import-export",
            "every table",
        ),
        Result(
            name=f"census_import_peak_memory_{kind}",
            value=round(peak_mb),
            unit="MB",
            baseline=None,
            budget=f"value < {PEAK_BUDGET_MB} MB",
            met=peak_mb < PEAK_BUDGET_MB,
            notes={"rows": N, "load_average": load},
        ),
    ]


def run() -> list[Result]:
    started = time.monotonic()
    path = _file()
    print(
        f"   file: {path.name} ({path.stat().st_size // 1024} KiB, {time.monotonic() - started:.0f} s); "
        f"load average {_load()}",
        flush=True,
    )
    results = _measure("sqlite", path)
    if pg_available():
        results += _measure("postgresql", path)
    else:
        print("   PostgreSQL not reachable (BENCH_PG_URL): measured on SQLite only", flush=True)
    return results
