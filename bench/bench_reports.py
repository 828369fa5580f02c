"""Report benchmarks (budgets in docs/design.md):

quarterly_report_1m      the quarterly report of a province of 1,000,000 households on PostgreSQL:
                         < 2 s. Baseline in the same run: the same figures computed the naive way, one
                         count per commune (what a report costs when it queries per unit).
quarterly_report_queries the number of queries for a province of 10 and of 120 communes: equal.
mau02_pdf_1000           the PDF of a 1,000-row Mẫu 02 list through reports/render/pdf.py, against a plain
                         WeasyPrint rendering of the same document (one table cell per value, automatic
                         table layout, the same fonts and page frame) measured in the same run: ≥ 3× faster.
mau02_pdf_5000_memory    peak memory of the process rendering a 5,000-row list: < 1 GB.

Each measurement runs in its own child process (fresh interpreter, one warm-up render first, so font
loading is not counted for either side); the data generators are in bench/gen_reports.py."""

import json
import os
import textwrap

from common import ROOT, Result, migrate, pg_available, run_child, scratch_pg

HOUSEHOLDS = int(os.environ.get("BENCH_REPORT_HOUSEHOLDS", 1_000_000))
COMMUNES = int(os.environ.get("BENCH_REPORT_COMMUNES", 120))
PDF_ROWS = int(os.environ.get("BENCH_PDF_ROWS", 1000))
MEMORY_ROWS = int(os.environ.get("BENCH_MEMORY_ROWS", 5000))

SETUP = textwrap.dedent(
    """
    import os, sys, time, json
    sys.path.insert(0, os.path.join(os.getcwd(), "bench"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "povertyplan.settings.dev")
    os.environ["DEBUG"] = "0"
    import django
    django.setup()
    """
)


def _child_json(code: str, env: dict | None = None) -> tuple[dict, int]:
    stdout, peak = run_child(SETUP + textwrap.dedent(code), env={"DEBUG": "0", **(env or {})})
    line = [line for line in stdout.splitlines() if line.startswith("{")][-1]
    return json.loads(line), peak


# --- Quarterly report on 1,000,000 households ---------------------------------------------------------------


def _quarterly_results() -> list[Result]:
    if not pg_available():
        return [
            Result(
                "quarterly_report_1m",
                0,
                "s",
                None,
                "value < 2 s (PostgreSQL)",
                False,
                notes={"skipped": "PostgreSQL not reachable (BENCH_PG_URL)"},
            )
        ]
    url = scratch_pg("reports")
    migrate(url)
    env = {"DATABASE_URL": url}
    generated, _peak = _child_json(
        f"""
        from gen_reports import generate_province
        print(json.dumps(generate_province(households={HOUSEHOLDS}, communes={COMMUNES}, name="Tỉnh Một Triệu")))
        """,
        env,
    )
    small, _peak = _child_json(
        """
        from gen_reports import generate_province
        print(json.dumps(generate_province(households=20_000, communes=10, name="Tỉnh Mười Xã", code="97")))
        """,
        env,
    )
    measured, _peak = _child_json(
        f"""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext
        from households.models import Assessment
        from households.selectors import count_by_class
        from reports import registry
        from reports.registry import resolve
        from reports.scope import ReportScope, SystemUser
        from units.models import AdministrativeUnit

        scope = ReportScope(SystemUser())
        spec = registry.get("quarterly")

        def produce(province_id):
            unit = AdministrativeUnit.objects.get(pk=province_id)
            params = resolve(scope, code="quarterly", unit=unit, year=2026, quarter=1)
            return spec.produce(scope, params)

        produce({generated["province_id"]})  # warm the caches as a server would be
        times = []
        for _ in range(3):
            started = time.perf_counter()
            document = produce({generated["province_id"]})
            times.append(time.perf_counter() - started)
        total = document.tables[0].total_row.cells
        counts = {{}}
        for key, province_id in (("big", {generated["province_id"]}), ("small", {small["province_id"]})):
            with CaptureQueriesContext(connection) as queries:
                produce(province_id)
            counts[key] = len(queries)

        # Baseline: the same stock figures with one query per commune.
        started = time.perf_counter()
        on = __import__("datetime").date(2026, 3, 31)
        for commune in AdministrativeUnit.objects.filter(parent_id={generated["province_id"]}):
            count_by_class(Assessment.objects.filter(commune=commune), on)
        naive = time.perf_counter() - started
        print(json.dumps({{"times": times, "households": total["households"], "poor": total["poor"],
                          "queries": counts, "naive": naive}}))
        """,
        env,
    )
    best = min(measured["times"])
    median = sorted(measured["times"])[1]
    return [
        Result(
            name="quarterly_report_1m",
            value=round(median, 3),
            unit="s",
            baseline=round(measured["naive"], 3),
            ratio=round(measured["naive"] / median, 2),
            budget="value < 2 s",
            met=median < 2,
            notes={
                "households_counted": measured["households"],
                "poor": measured["poor"],
                "communes": COMMUNES,
                "best_s": round(best, 3),
                "runs_s": [round(t, 3) for t in measured["times"]],
                "baseline": "stock figures only, one count_by_class query per commune",
                "generated": generated,
            },
        ),
        Result(
            name="quarterly_report_queries",
            value=measured["queries"]["big"],
            unit="queries",
            baseline=measured["queries"]["small"],
            ratio=round(measured["queries"]["big"] / measured["queries"]["small"], 2),
            budget="queries for 120 communes == queries for 10 communes",
            met=measured["queries"]["big"] == measured["queries"]["small"],
            notes={"communes": [COMMUNES, 10]},
        ),
    ]


# --- PDF of a long household list ---------------------------------------------------------------------------

PDF_CHILD = """
from gen_reports import list_document
from reports.render.pdf import render_pdf
from baseline_pdf import render_plain

document = list_document({rows})
small = list_document(5)
render = render_plain if {plain!r} else render_pdf
render(small)  # warm-up: fonts, CSS, cffi bindings
started, cpu = time.perf_counter(), time.process_time()
pdf = render(document)
wall, cpu = time.perf_counter() - started, time.process_time() - cpu
from pypdf import PdfReader
import io
pages = len(PdfReader(io.BytesIO(pdf)).pages)
print(json.dumps({{"wall": wall, "cpu": cpu, "bytes": len(pdf), "pages": pages}}))
"""


def _pdf_results() -> list[Result]:
    lean, _peak = _child_json(PDF_CHILD.format(rows=PDF_ROWS, plain=False))
    plain, _peak = _child_json(PDF_CHILD.format(rows=PDF_ROWS, plain=True))
    ratio = plain["wall"] / lean["wall"]
    cpu_ratio = plain["cpu"] / lean["cpu"]
    memory, peak = _child_json(PDF_CHILD.format(rows=MEMORY_ROWS, plain=False))
    peak_mb = peak / 1024
    return [
        Result(
            name="mau02_pdf_1000",
            value=round(lean["wall"], 2),
            unit="s",
            baseline=round(plain["wall"], 2),
            ratio=round(ratio, 2),
            budget="ratio (plain / lean) >= 3",
            met=ratio >= 3,
            notes={
                "rows": PDF_ROWS,
                "cpu_s": {
                    "lean": round(lean["cpu"], 2),
                    "plain": round(plain["cpu"], 2),
                    "ratio": round(cpu_ratio, 2),
                },
                "pages": {"lean": lean["pages"], "plain": plain["pages"]},
                "bytes": {"lean": lean["bytes"], "plain": plain["bytes"]},
                "baseline": "bench/baseline_pdf.py: the same document, one table cell per value, automatic layout",
            },
        ),
        Result(
            name="mau02_pdf_5000_memory",
            value=round(peak_mb),
            unit="MB",
            baseline=None,
            budget="value < 1024 MB",
            met=peak_mb < 1024,
            notes={"rows": MEMORY_ROWS, "seconds": round(memory["wall"], 1), "pages": memory["pages"]},
        ),
    ]


def run() -> list[Result]:
    os.chdir(ROOT)
    results = []
    if os.environ.get("BENCH_REPORTS_SKIP_DB") != "1":
        results += _quarterly_results()
    results += _pdf_results()
    return results
