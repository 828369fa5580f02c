"""The national system's summary reports (review-summary, poor-changes, near-poor-changes,
deprivation-counts, deprivation-rates) on a small world, with hand-counted figures: rows per child
unit, district subtotals under a pre-2025 province, the unplaced row, the total; the resident
population as denominator (entered, else recorded, and the note saying which); rates "–" over
nothing; rows flagged where the poor exceed the residents; balanced flows that chain from period
to period; scope; a query count that does not grow with the units; PDF and XLSX files; the page
where a commune enters its resident population."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from core import tables as t
from households.flows import COLUMNS
from households.models import Assessment, PovertyClass
from reports import registry
from reports.builders import review
from reports.models import ResidentPopulation
from reports.params import ReportParamError
from reports.registry import resolve
from reports.render import render
from reports.scope import ReportScope, SystemUser
from tests import factories as f
from tests.reports.factories import assessment_add, household_with_status
from units.models import AdminVersion

END_2024 = date(2024, 12, 15)
CODES = ("review-summary", "poor-changes", "near-poor-changes", "deprivation-counts", "deprivation-rates")


def _produce(code, unit, year=2024, user=None, **params):
    scope = ReportScope(user or SystemUser())
    resolved = resolve(scope, code=code, unit=unit, year=year, **params)
    return registry.get(code).produce(scope, resolved)


def _table(document):
    (table,) = document.tables
    return table


def _row(document, label, measure=None):
    """The row of `label` (its households or persons row in the changes reports)."""
    rows = [row for row in _table(document).rows if row.cells.get("label") == label]
    if measure is not None:
        rows = [row for row in rows if row.cells["measure"] == measure]
    assert len(rows) == 1, f"{label}: {len(rows)} rows"
    return rows[0]


def _pairs(cells, *keys):
    return tuple(cells[key] for key in keys)


@pytest.fixture
def old_province(world):
    """Pre-2025 province OP: district OD (OA, OB, both merged into 2025 communes) and district
    "Huyện Hai" with "Xã Hai" (no successor: its households are unplaced in the 2025 tree).
    Status 15/12/2024 (the 2024 review, standard of 2025: NĐ 07, 12 indicators); 4 persons each.

    OA: poor ×3 (indicators {1, 3}, {3}, {1}), near-poor ×2 ({1, 2}, {}), medium farm ×1,
        medium (not farm) ×1, not poor ×2                     → 9 households, 36 persons
    OB: poor ×1 ({4}), not poor ×1                            → 2 households, 8 persons
    Xã Hai: poor ×1 classified in 2020 under QĐ 59/2015      → 1 household, 4 persons
    Resident population 2024 entered for OA only: 20 households, 80 persons."""
    OA, OB = world.OA, world.OB
    for mask in (0b101, 0b100, 0b1):
        household_with_status(OA, PovertyClass.POOR, effective=END_2024, mask=mask)
    for mask in (0b11, 0):
        household_with_status(OA, PovertyClass.NEAR_POOR, effective=END_2024, mask=mask)
    household_with_status(OA, PovertyClass.MEDIUM, effective=END_2024, agri_forestry_fishery_salt=True)
    household_with_status(OA, PovertyClass.MEDIUM, effective=END_2024)
    for _ in range(2):
        household_with_status(OA, PovertyClass.NOT_POOR, effective=END_2024, agri_forestry_fishery_salt=True)
    household_with_status(OB, PovertyClass.POOR, effective=END_2024, mask=0b1000)
    household_with_status(OB, PovertyClass.NOT_POOR, effective=END_2024)
    world.OD2 = f.district(world.OP, name="Huyện Hai", short_name="Hai", code="901")
    world.OC = f.commune(world.OD2, name="Xã Hai", short_name="Hai", code="90021")
    household_with_status(world.OC, PovertyClass.POOR, effective=date(2020, 6, 1), mask=0b1)
    ResidentPopulation.objects.create(unit=OA, year=2024, households=20, persons=80)
    return world


REVIEW_KEYS = (
    "resident_households",
    "resident_persons",
    "poor",
    "poor_rate",
    "near_poor",
    "near_poor_rate",
    "medium_farm",
    "medium_farm_rate",
    "poor_persons",
    "poor_persons_rate",
    "near_poor_persons",
    "near_poor_persons_rate",
    "medium_farm_persons",
    "medium_farm_persons_rate",
)


def D(text):
    return Decimal(text)


# --- review-summary ----------------------------------------------------------------------------------


def test_review_summary_of_a_pre2025_province_groups_communes_under_district_subtotals(old_province):
    document = _produce("review-summary", old_province.OP)
    table = _table(document)
    layout = [(row.kind, row.cells["number"], row.cells["label"]) for row in table.rows]
    assert layout == [
        (t.SUBTOTAL, "I", "Huyện Cũ"),
        (t.DATA, "1", "Xã Cũ An"),
        (t.DATA, "2", "Thị trấn Cũ Bắc"),
        (t.SUBTOTAL, "II", "Huyện Hai"),
        (t.DATA, "1", "Xã Hai"),
        (t.TOTAL, "", "Tổng cộng"),
    ]
    # OA: its entered resident population (20 households, 80 persons) is the denominator.
    assert _pairs(_row(document, "Xã Cũ An").cells, *REVIEW_KEYS) == (
        20, 80, 3, D("15.00"), 2, D("10.00"), 1, D("5.00"), 12, D("15.00"), 8, D("10.00"), 4, D("5.00")
    )  # fmt: skip
    # OB: nothing entered: the households recorded (2) and their persons (8).
    assert _pairs(_row(document, "Thị trấn Cũ Bắc").cells, *REVIEW_KEYS) == (
        2, 8, 1, D("50.00"), 0, D("0.00"), 0, D("0.00"), 4, D("50.00"), 0, D("0.00"), 0, D("0.00")
    )  # fmt: skip
    # The district adds its communes' denominators (20 entered + 2 recorded).
    assert _pairs(_row(document, "Huyện Cũ").cells, *REVIEW_KEYS) == (
        22, 88, 4, D("18.18"), 2, D("9.09"), 1, D("4.55"), 16, D("18.18"), 8, D("9.09"), 4, D("4.55")
    )  # fmt: skip
    assert _pairs(_row(document, "Huyện Hai").cells, "resident_households", "poor", "poor_rate") == (
        1,
        1,
        D("100.00"),
    )
    assert _pairs(table.total_row.cells, *REVIEW_KEYS) == (
        23, 92, 5, D("21.74"), 2, D("8.70"), 1, D("4.35"), 20, D("21.74"), 8, D("8.70"), 4, D("4.35")
    )  # fmt: skip
    assert not document.issues


def test_the_2025_province_sums_its_predecessors_and_lists_the_unplaced_households(old_province):
    document = _produce("review-summary", old_province.P)
    labels = [row.cells["label"] for row in _table(document).rows]
    assert labels == [
        "Xã An Bình",
        "Phường Bắc Sơn",
        "Chưa xác định đơn vị mới (xã cũ được chia, thôn chưa gán)",
        "Tổng cộng",
    ]
    a = _row(document, "Xã An Bình").cells  # OA's households; OA's entry is not A's
    assert _pairs(a, "resident_households", "poor", "poor_rate") == (9, 3, D("33.33"))
    assert _table(document).total_row.cells["resident_households"] == 12
    assert review.RESIDENT_RECORDED % {"year": 2024} in _table(document).notes
    assert any(note.startswith("Số liệu trước 01/07/2025 tổng hợp từ:") for note in document.notes)


def test_the_note_says_where_the_resident_households_come_from(old_province):
    notes = _table(_produce("review-summary", old_province.OP)).notes
    assert review.RESIDENT_MIXED % {"year": 2024, "units": "Thị trấn Cũ Bắc, Xã Hai"} in notes

    for commune in (old_province.OB, old_province.OC):
        ResidentPopulation.objects.create(unit=commune, year=2024, households=10, persons=40)
    notes = _table(_produce("review-summary", old_province.OP)).notes
    assert review.RESIDENT_ENTERED % {"year": 2024} in notes
    assert not any("theo số hộ có trong hệ thống" in note for note in notes)


def test_a_unit_s_own_entry_is_its_total_not_the_sum_of_its_rows(old_province):
    ResidentPopulation.objects.create(unit=old_province.OP, year=2024, households=50, persons=200)
    document = _produce("review-summary", old_province.OP)
    total = _table(document).total_row.cells
    assert _pairs(total, "resident_households", "resident_persons", "poor_rate") == (50, 200, D("10.00"))
    assert _row(document, "Huyện Cũ").cells["resident_households"] == 22  # no entry: the sum
    assert review.RESIDENT_OWN % {"units": "Tổng cộng"} in _table(document).notes


def test_a_rate_over_no_resident_households_is_a_dash_and_poor_above_residents_is_flagged(old_province):
    ResidentPopulation.objects.create(unit=old_province.OB, year=2024, households=0, persons=0)
    document = _produce("review-summary", old_province.OP)
    ob = _row(document, "Thị trấn Cũ Bắc")
    assert ob.cells["poor_rate"] is None and ob.cells["poor_persons_rate"] is None
    assert t.display(ob.cells["poor_rate"], t.PERCENT) == "–"
    assert ob.issues == [
        review.POOR_ABOVE_RESIDENT % {"poor": "1", "resident": "0"},
        review.POOR_PERSONS_ABOVE_RESIDENT % {"poor": "4", "resident": "0"},
    ]
    assert not _row(document, "Xã Cũ An").issues  # 3 poor of 20 residents


def test_poor_above_residents_is_flagged_on_households_alone(old_province):
    ResidentPopulation.objects.filter(unit=old_province.OA).update(households=2, persons=80)
    oa = _row(_produce("review-summary", old_province.OP), "Xã Cũ An")
    assert oa.issues == [review.POOR_ABOVE_RESIDENT % {"poor": "3", "resident": "2"}]
    assert oa.cells["poor_rate"] == D("150.00")


def test_a_commune_officer_cannot_render_the_province(old_province):
    for code in CODES:
        with pytest.raises(Http404):
            _produce(code, old_province.P, user=old_province.officer_a)
        with pytest.raises(Http404):
            _produce(code, old_province.A, user=old_province.outsider)
    document = _produce("review-summary", old_province.A, user=old_province.officer_a)
    assert _table(document).total_row.cells["poor"] == 3  # OA's history, through the lineage


# --- deprivation-counts, deprivation-rates --------------------------------------------------------


def test_deprivation_counts_per_indicator_of_the_standard_in_force(old_province):
    document = _produce("deprivation-counts", old_province.OP)
    table = _table(document)
    indicators = [column.key for column in table.columns if column.key.startswith("ind_")]
    assert len(indicators) == 12  # NĐ 07/2021, the standard of the 2024 review
    keys = ("households", "deprivations", "ind_1", "ind_2", "ind_3", "ind_4")
    assert _pairs(_row(document, "Xã Cũ An").cells, *keys) == (3, 4, 2, 0, 2, 0)
    assert _pairs(_row(document, "Thị trấn Cũ Bắc").cells, *keys) == (1, 1, 0, 0, 0, 1)
    assert _pairs(_row(document, "Huyện Cũ").cells, *keys) == (4, 5, 2, 0, 2, 1)
    assert _pairs(table.total_row.cells, *keys) == (5, 5, 2, 0, 2, 1)
    for row in table.rows:  # column 2 is the sum of the indicator columns
        assert row.cells["deprivations"] == sum(row.cells[key] for key in indicators)


def test_a_poor_household_classified_under_another_standard_is_flagged(old_province):
    document = _produce("deprivation-counts", old_province.OP)
    hai = _row(document, "Xã Hai")
    assert _pairs(hai.cells, "households", "deprivations", "ind_1") == (1, 0, 0)
    assert hai.issues == [review.OTHER_STANDARD % {"count": "1"}]
    assert _table(document).total_row.issues == [review.OTHER_STANDARD % {"count": "1"}]
    assert not _row(document, "Xã Cũ An").issues


def test_deprivation_rates_are_shares_of_the_unit_s_poor_households(old_province):
    document = _produce("deprivation-rates", old_province.OP)
    keys = ("households", "deprivations", "ind_1", "ind_2", "ind_3", "ind_4")
    assert _pairs(_row(document, "Xã Cũ An").cells, *keys) == (
        3,
        4,
        D("66.67"),
        D("0.00"),
        D("66.67"),
        D("0.00"),
    )
    assert _pairs(_row(document, "Huyện Cũ").cells, *keys) == (
        4,
        5,
        D("50.00"),
        D("0.00"),
        D("50.00"),
        D("25.00"),
    )
    assert _table(document).total_row.cells["ind_1"] == D("40.00")
    assert _table(document).column("ind_1").kind == t.PERCENT


def test_the_near_poor_variant_counts_near_poor_households_and_has_no_rate_without_them(old_province):
    counts = _produce("deprivation-counts", old_province.OP, poverty_class=PovertyClass.NEAR_POOR)
    keys = ("households", "deprivations", "ind_1", "ind_2", "ind_3")
    assert _pairs(_row(counts, "Xã Cũ An").cells, *keys) == (2, 2, 1, 1, 0)
    assert "hộ cận nghèo" in counts.title
    rates = _produce("deprivation-rates", old_province.OP, poverty_class=PovertyClass.NEAR_POOR)
    assert _pairs(_row(rates, "Xã Cũ An").cells, "ind_1", "ind_2") == (D("50.00"), D("50.00"))
    ob = _row(rates, "Thị trấn Cũ Bắc").cells
    assert ob["households"] == 0 and ob["ind_1"] is None
    assert t.display(ob["ind_1"], t.PERCENT) == "–"


def test_the_class_is_a_parameter_of_the_deprivation_reports_only(old_province):
    scope = ReportScope(SystemUser())
    with pytest.raises(ReportParamError):
        resolve(scope, code="deprivation-rates", unit=old_province.OP, year=2024, poverty_class="medium")
    params = resolve(scope, code="review-summary", unit=old_province.OP, year=2024, poverty_class="near_poor")
    assert params.poverty_class == PovertyClass.POOR
    params = resolve(
        scope, code="deprivation-counts", unit=old_province.OP, year=2024, poverty_class="near_poor"
    )
    assert params.as_query()["poverty_class"] == "near_poor"
    assert params.file_name("pdf") == "deprivation-counts-2024-can-ngheo-tinh-cu.pdf"


# --- poor-changes, near-poor-changes --------------------------------------------------------------


@pytest.fixture
def changing(world):
    """Province P in 2025 (statuses of 15/12/2024 are the start), 4 persons a household:

    A: h1 poor → near-poor (10/03)          h2 poor → not poor (10/05)
       h3 near-poor → poor (01/06)          h4 medium → poor again, tái nghèo (01/07)
       h5 new household, newly poor (01/08) h6 poor, 4 → 6 persons (01/09)      h7 poor, unchanged
    B: h8 near-poor → not poor (01/02)"""
    A, B = world.A, world.B
    poor, near = PovertyClass.POOR, PovertyClass.NEAR_POOR
    h1 = household_with_status(A, poor, effective=END_2024)
    assessment_add(h1, near, effective=date(2025, 3, 10), change="escaped_to_near_poor")
    h2 = household_with_status(A, poor, effective=END_2024)
    assessment_add(h2, PovertyClass.NOT_POOR, effective=date(2025, 5, 10), change="escaped_poverty")
    h3 = household_with_status(A, near, effective=END_2024)
    assessment_add(h3, poor, effective=date(2025, 6, 1), change="near_to_poor")
    h4 = household_with_status(A, PovertyClass.MEDIUM, effective=END_2024)
    assessment_add(h4, poor, effective=date(2025, 7, 1), change="relapsed_poor")
    household_with_status(A, poor, effective=date(2025, 8, 1), change="new_poor")
    h6 = household_with_status(A, poor, effective=END_2024)
    grown = assessment_add(h6, poor, effective=date(2025, 9, 1), change="unchanged")
    Assessment.objects.filter(pk=grown.pk).update(member_count=6)
    household_with_status(A, poor, effective=END_2024)
    h8 = household_with_status(B, near, effective=END_2024)
    assessment_add(h8, PovertyClass.NOT_POOR, effective=date(2025, 2, 1), change="escaped_near_poverty")
    return world


def _flow(row) -> tuple:
    return tuple(row.cells[column] for column in COLUMNS)


def test_poor_changes_columns_are_the_flows_in_households_and_persons(changing):
    document = _produce("poor-changes", changing.P, year=2025)
    #                                       1  2  3  4  5  6  7  8  9
    assert _flow(_row(document, "Xã An Bình", "Hộ")) == (4, 1, 1, 0, 1, 1, 1, 0, 5)
    assert _flow(_row(document, "Xã An Bình", "Nhân khẩu")) == (16, 4, 4, 0, 4, 4, 4, 2, 22)
    assert _flow(_row(document, "Phường Bắc Sơn", "Hộ")) == (0,) * 9
    total = [row for row in _table(document).rows if row.kind == t.TOTAL]
    assert [_flow(row) for row in total] == [(4, 1, 1, 0, 1, 1, 1, 0, 5), (16, 4, 4, 0, 4, 4, 4, 2, 22)]
    assert "năm 2025" in document.title


def test_near_poor_changes_count_both_sides_of_a_change_of_class(changing):
    document = _produce("near-poor-changes", changing.P, year=2025)
    assert _flow(_row(document, "Xã An Bình", "Hộ")) == (1, 1, 0, 0, 1, 0, 0, 0, 1)
    assert _flow(_row(document, "Phường Bắc Sơn", "Hộ")) == (1, 0, 1, 0, 0, 0, 0, 0, 0)
    assert _flow(_table(document).total_row) == (8, 4, 4, 0, 4, 0, 0, 0, 4)  # the persons row


def _balanced(row) -> bool:
    c = row.cells
    return c["end"] == (
        c["start"]
        - c["to_other"]
        - c["above"]
        - c["out_other"]
        + c["from_other"]
        + c["again"]
        + c["new"]
        + c["in_other"]
    )


def _by_place(document) -> dict:
    return {(row.cells["label"], row.cells["measure"]): row for row in _table(document).rows}


@pytest.mark.parametrize("code", ["poor-changes", "near-poor-changes"])
def test_every_row_balances_and_each_period_starts_where_the_one_before_ended(changing, code):
    periods = [(2024, None), (2025, None), (2025, 1), (2025, 2), (2025, 3), (2025, 4), (2026, None)]
    documents = [_produce(code, changing.P, year=year, quarter=quarter) for year, quarter in periods]
    for document in documents:
        assert all(_balanced(row) for row in _table(document).rows)
    for before, after in ((0, 1), (0, 2), (1, 6), (2, 3), (3, 4), (4, 5)):
        ended, started = _by_place(documents[before]), _by_place(documents[after])
        assert ended.keys() == started.keys()
        for place, row in started.items():
            assert row.cells["start"] == ended[place].cells["end"], (periods[after], place)
    baseline = {"poor-changes": 4, "near-poor-changes": 1}[code]  # 2024: the census enters as "other"
    assert _flow(_row(documents[0], "Xã An Bình", "Hộ"))[7] == baseline


def test_a_quarter_is_optional_for_the_changes_reports(changing):
    scope = ReportScope(SystemUser())
    year = resolve(scope, code="poor-changes", unit=changing.P, year=2025)
    assert (year.quarter, year.start, year.end) == (None, date(2025, 1, 1), date(2025, 12, 31))
    q2 = resolve(scope, code="poor-changes", unit=changing.P, year=2025, quarter=2)
    assert (q2.start, q2.end) == (date(2025, 4, 1), date(2025, 6, 30))
    document = registry.get("poor-changes").produce(scope, q2)
    assert "quý II năm 2025" in document.title
    #                                                  h2 escapes, h3 comes from near-poor
    assert _flow(_row(document, "Xã An Bình", "Hộ")) == (3, 0, 1, 0, 1, 0, 0, 0, 3)
    with pytest.raises(ReportParamError):
        resolve(scope, code="poor-changes", unit=changing.P, year=2025, quarter=5)
    assert resolve(scope, code="review-summary", unit=changing.P, year=2025, quarter=2).quarter is None


def test_changes_of_a_pre2025_province_have_district_subtotals(changing):
    household_with_status(changing.OA, PovertyClass.POOR, effective=date(2023, 12, 15))
    document = _produce("poor-changes", changing.OP, year=2024)
    assert _flow(_row(document, "Huyện Cũ", "Hộ")) == (1, 0, 0, 0, 0, 0, 0, 0, 1)
    assert _row(document, "Huyện Cũ", "Hộ").kind == t.SUBTOTAL
    assert _row(document, "Huyện Cũ", "Hộ").cells["number"] == "I"
    assert _row(document, "Huyện Cũ", "Nhân khẩu").cells["number"] == ""


# --- Query count, files, command ------------------------------------------------------------------


def _old_province_with(districts: int):
    province = f.province(name="Tỉnh Đếm", admin_version=AdminVersion.PRE2025)
    for n in range(districts):
        district = f.district(province, name=f"Huyện {n}")
        for m in range(2):
            commune = f.commune(district, name=f"Xã {n}-{m}")
            household_with_status(commune, PovertyClass.POOR, effective=END_2024, mask=0b11)
            household_with_status(
                commune, PovertyClass.MEDIUM, effective=END_2024, agri_forestry_fishery_salt=True
            )
            escaping = household_with_status(commune, PovertyClass.NEAR_POOR, effective=date(2023, 12, 15))
            assessment_add(
                escaping, PovertyClass.NOT_POOR, effective=date(2024, 5, 1), change="escaped_near_poverty"
            )
            ResidentPopulation.objects.create(unit=commune, year=2024, households=10, persons=40)
    return province


@pytest.mark.parametrize("code", CODES)
def test_query_count_does_not_depend_on_the_number_of_units(db, code):
    counts = []
    for districts in (1, 5):
        province = _old_province_with(districts)
        with CaptureQueriesContext(connection) as queries:
            document = _produce(code, province)
        counts.append(len(queries))
        assert len([row for row in _table(document).rows if row.kind == t.DATA]) == 2 * districts * (
            2 if code.endswith("changes") else 1
        )
    assert counts[0] == counts[1], counts
    assert counts[0] <= 10


@pytest.mark.parametrize("code", CODES)
def test_each_report_renders_as_pdf_and_xlsx(old_province, code):
    document = _produce(code, old_province.OP)
    pdf, xlsx = render(document, "pdf"), render(document, "xlsx")
    assert pdf.startswith(b"%PDF")
    sheet = load_workbook(BytesIO(xlsx)).worksheets[0]
    labels = [row[1].value for row in sheet.iter_rows()]
    assert "Huyện Cũ" in labels and "Xã Cũ An" in labels and "Tổng cộng" in labels


def test_the_command_takes_the_class_and_an_optional_quarter(old_province, tmp_path, capsys):
    import json

    for code, extra in (("deprivation-rates", ["--class", "near_poor"]), ("poor-changes", [])):
        out = tmp_path / f"{code}.xlsx"
        call_command(
            "render_report", code, "--unit", "90", "--admin-version", "pre2025", "--year", "2024",
            "--format", "xlsx", "--output", str(out), "--json", *extra,
        )  # fmt: skip
        summary = json.loads(capsys.readouterr().out)
        assert (summary["code"], summary["quarter"]) == (code, None)
        assert summary["poverty_class"] == ("near_poor" if extra else "poor")
        assert out.stat().st_size == summary["bytes"]


# --- Pages ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", CODES)
def test_each_report_has_a_preview(old_province, code):
    client = old_province.client_for(old_province.province_officer)
    response = client.get(reverse("reports:preview", args=[code, old_province.OP.pk]), {"year": 2024})
    assert response.status_code == 200
    assert response.context["document"].code == code
    assert response.context["params"].quarter is None  # the whole year unless a quarter is chosen


def test_the_preview_of_the_near_poor_variant_and_of_a_quarter(old_province):
    client = old_province.client_for(old_province.province_officer)
    url = reverse("reports:preview", args=["deprivation-counts", old_province.OP.pk])
    response = client.get(url, {"year": 2024, "poverty_class": "near_poor"})
    assert response.context["params"].poverty_class == "near_poor"
    assert "poverty_class=near_poor" in response.context["query"]
    url = reverse("reports:preview", args=["poor-changes", old_province.OP.pk])
    assert client.get(url, {"year": 2024, "quarter": 3}).context["params"].quarter == 3


def test_a_commune_officer_enters_the_resident_population_from_the_report_index(world):
    client = world.client_for(world.officer_a)
    index = client.get(reverse("reports:index"))
    assert reverse("reports:population_open") in index.content.decode()
    opened = client.get(reverse("reports:population_open"), {"year": 2025})
    url = reverse("reports:population", args=[world.A.pk])
    assert opened.url == f"{url}?year=2025"
    response = client.post(url, {"year": 2025, "households": 1200, "persons": 4800, "source": "Công an xã"})
    assert response.status_code == 302
    entry = ResidentPopulation.objects.get(unit=world.A, year=2025)
    assert (entry.households, entry.persons, entry.source, entry.entered_by) == (
        1200,
        4800,
        "Công an xã",
        world.officer_a,
    )
    client.post(url, {"year": 2025, "households": 1250, "persons": 4900})
    entry.refresh_from_db()
    assert (entry.households, entry.persons) == (1250, 4900)
    assert ResidentPopulation.objects.count() == 1


def test_the_population_page_refuses_fewer_persons_than_households(world):
    client = world.client_for(world.officer_a)
    url = reverse("reports:population", args=[world.A.pk])
    response = client.post(url, {"year": 2025, "households": 100, "persons": 90})
    assert response.status_code == 200
    assert "Số nhân khẩu (90) không thể ít hơn số hộ (100)." in response.content.decode()
    assert not ResidentPopulation.objects.exists()


def test_the_population_page_is_for_the_unit_s_officers_only(world):
    url = reverse("reports:population", args=[world.A.pk])
    data = {"year": 2025, "households": 10, "persons": 40}
    assert world.client_for(world.leader_a).post(url, data).status_code == 403  # reads, does not enter
    assert world.client_for(world.officer_b).post(url, data).status_code == 404  # another commune
    assert world.client_for(world.outsider).get(url).status_code == 404
    assert not ResidentPopulation.objects.exists()
    assert world.client_for(world.province_officer).post(url, data).status_code == 302
    assert ResidentPopulation.objects.get().entered_by == world.province_officer


def test_the_entered_population_reaches_the_report(world):
    household_with_status(world.A, PovertyClass.POOR, effective=END_2024)
    client = world.client_for(world.officer_a)
    client.post(
        reverse("reports:population", args=[world.A.pk]), {"year": 2024, "households": 4, "persons": 16}
    )
    document = _produce("review-summary", world.P)
    assert _pairs(_row(document, "Xã An Bình").cells, "resident_households", "poor_rate") == (4, D("25.00"))
