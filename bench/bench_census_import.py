"""Census import of a generated year-end review file (100,000 rows by default) on SQLite and on
PostgreSQL, measured side by side with two baselines on the same rows:

- raw: `bulk_create` of the same Household and Assessment rows, already parsed and classified
  (no reading, no validation) — budget: the import reaches ≥ 0.5 × its rows/s;
- tuned django-import-export: a ModelResource with use_bulk, skip_diff, force_init_instance and a
  batch size, importing the same rows as a tablib Dataset (households only, which favours it) —
  budget: the import reaches ≥ 3 × its rows/s. It runs on the first BENCH_CENSUS_DJE_ROWS rows
  (20,000 by default) because it is slow; rows/s is what is compared;
- peak memory of the import, in a child process: < 400 MB.

The import is timed end to end: reading the .xlsx, validating every row, the dry-run plan and the
write (households, head members, assessments, lists, audit entries) in one transaction.
Each measurement runs in its own child process on its own scratch database."""

import json
import os
import random
import time
from pathlib import Path

from common import OUT, Result, migrate, pg_available, run_child, scratch_pg, scratch_sqlite

N = int(os.environ.get("BENCH_CENSUS_ROWS", "100000"))
DJE_ROWS = min(N, int(os.environ.get("BENCH_CENSUS_DJE_ROWS", "20000")))
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
from django.contrib.auth import get_user_model
from households.census.services import census_import
from households.models import Household
data = open(%(path)r, "rb").read()
user = get_user_model().objects.get(username="bench_admin")
started = time.perf_counter()
report = census_import(data=data, year=%(year)d, user=user)
elapsed = time.perf_counter() - started
assert report.written and not report.errors, report.errors[:5]
assert Household.objects.count() == report.created == %(n)d
print(json.dumps({"elapsed": elapsed, "rows": report.rows}))
"""
)

_RAW = (
    _DJANGO
    + """
from datetime import date
from django.db import transaction
from bench_census_import import generate_rows, YEAR
from households.models import Assessment, Household, PovertyStandard
from households.classification import classify
from units.models import AdministrativeUnit
communes = {u.code: u for u in AdministrativeUnit.objects.filter(level=3)}
standard = PovertyStandard.objects.for_year(YEAR)
rules = standard.rules()
codes = list(rules.indicators)
households, assessments = [], []
for code, commune, village, head, sex, year, citizen, ethnicity, members, area, income, deprived in generate_rows(%(n)d):
    unit = communes[commune]
    area = "rural" if area == "Nông thôn" else "urban"
    result = classify(rules, area, income, [codes[o - 1] for o in deprived])
    households.append(Household(code=code, province_id=unit.province_id, commune_id=unit.pk, area=area, head_name=head,
                                head_search=head.lower(), female_head=sex == "Nữ", member_count=members,
                                status_class=result.poverty_class, status_year=YEAR, latest_state="approved"))
    assessments.append(Assessment(province_id=unit.province_id, commune_id=unit.pk, review_year=YEAR,
                                  effective_date=date(YEAR, 12, 15), standard=standard, area=area, member_count=members,
                                  income_per_capita=income, deprived_mask=sum(1 << (o - 1) for o in deprived),
                                  deprived_count=len(deprived), result_class=result.poverty_class,
                                  reasons=result.reason_text, state="approved", change="first"))
started = time.perf_counter()
with transaction.atomic():
    Household.objects.bulk_create(households, batch_size=2000)
    for household, assessment in zip(households, assessments):
        assessment.household_id = household.pk
    Assessment.objects.bulk_create(assessments, batch_size=2000)
elapsed = time.perf_counter() - started
print(json.dumps({"elapsed": elapsed, "rows": len(households)}))
"""
)

_DJE = (
    _DJANGO
    + """
import tablib
from import_export import fields, resources, widgets
from bench_census_import import generate_rows
from households.models import Household
from units.models import AdministrativeUnit

class TunedHouseholdResource(resources.ModelResource):
    commune = fields.Field(attribute="commune", column_name="commune",
                           widget=widgets.ForeignKeyWidget(AdministrativeUnit, field="code"))
    province = fields.Field(attribute="province", column_name="province",
                            widget=widgets.ForeignKeyWidget(AdministrativeUnit, field="pk"))

    class Meta:
        model = Household
        fields = ("code", "commune", "province", "area", "head_name", "female_head", "member_count", "status_year")
        use_bulk = True
        skip_diff = True
        force_init_instance = True
        batch_size = 1000
        use_transactions = True

province = AdministrativeUnit.objects.get(level=1).pk
dataset = tablib.Dataset(headers=["code", "commune", "province", "area", "head_name", "female_head", "member_count",
                                  "status_year"])
for code, commune, village, head, sex, year, citizen, ethnicity, members, area, income, deprived in generate_rows(%(n)d):
    dataset.append([code, commune, province, "rural" if area == "Nông thôn" else "urban", head, sex == "Nữ", members, 2025])
started = time.perf_counter()
result = TunedHouseholdResource().import_data(dataset, dry_run=False, raise_errors=True)
elapsed = time.perf_counter() - started
assert not result.has_errors() and Household.objects.count() == %(n)d
print(json.dumps({"elapsed": elapsed, "rows": %(n)d}))
"""
)


def _child(code: str, url: str) -> tuple[dict, int]:
    stdout, peak = run_child(code, env={"DATABASE_URL": url, "DEBUG": "0"})
    return json.loads(stdout.strip().splitlines()[-1]), peak


def _database(kind: str, name: str) -> str:
    url = scratch_pg(name) if kind == "postgresql" else scratch_sqlite(name)
    migrate(url)
    _child(_SETUP % {"communes": COMMUNES}, url)
    return url


def _measure(kind: str, path: Path) -> list[Result]:
    ours, peak = _child(_IMPORT % {"path": str(path), "year": YEAR, "n": N}, _database(kind, "census_import"))
    raw, _ = _child(_RAW % {"n": N}, _database(kind, "census_raw"))
    dje, _ = _child(_DJE % {"n": DJE_ROWS}, _database(kind, "census_dje"))
    rate = N / ours["elapsed"]
    raw_rate = N / raw["elapsed"]
    dje_rate = DJE_ROWS / dje["elapsed"]
    peak_mb = peak / 1024
    notes = {
        "rows": N,
        "import_seconds": round(ours["elapsed"], 1),
        "raw_bulk_create_seconds": round(raw["elapsed"], 1),
        "import_export_rows": DJE_ROWS,
        "import_export_seconds": round(dje["elapsed"], 1),
        "import_export_rows_per_s": round(dje_rate),
        "peak_memory_mb": round(peak_mb),
    }
    return [
        Result(
            name=f"census_import_vs_raw_bulk_create_{kind}",
            value=round(rate),
            unit="rows/s",
            baseline=round(raw_rate),
            ratio=round(rate / raw_rate, 2),
            budget="ratio >= 0.5 (import rows/s ÷ raw bulk_create rows/s)",
            met=rate >= 0.5 * raw_rate,
            notes=notes,
        ),
        Result(
            name=f"census_import_vs_import_export_{kind}",
            value=round(rate),
            unit="rows/s",
            baseline=round(dje_rate),
            ratio=round(rate / dje_rate, 2),
            budget="ratio >= 3 (import rows/s ÷ tuned django-import-export rows/s)",
            met=rate >= 3 * dje_rate,
            notes=notes,
        ),
        Result(
            name=f"census_import_peak_memory_{kind}",
            value=round(peak_mb),
            unit="MB",
            baseline=None,
            budget=f"value < {PEAK_BUDGET_MB} MB",
            met=peak_mb < PEAK_BUDGET_MB,
            notes={"rows": N},
        ),
    ]


def run() -> list[Result]:
    started = time.monotonic()
    path = _file()
    print(
        f"   file: {path.name} ({path.stat().st_size // 1024} KiB, {time.monotonic() - started:.0f} s)",
        flush=True,
    )
    results = _measure("sqlite", path)
    if pg_available():
        results += _measure("postgresql", path)
    else:
        print("   PostgreSQL not reachable (BENCH_PG_URL): measured on SQLite only", flush=True)
    return results
