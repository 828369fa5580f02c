"""The quarterly report from the database: status on the last day of the quarter, groups, deprivation
bits, changes in the quarter, target progress, scoping, and a query count that does not grow with
the number of units."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from households.models import PovertyClass, PovertyStandard
from reports import registry
from reports.registry import resolve
from reports.scope import ReportScope, SystemUser
from tests import factories as f
from tests.reports.factories import assessment_add, household_with_status

END_2024 = date(2024, 12, 15)


def _quarterly(user, unit, year=2025, quarter=1):
    scope = ReportScope(user)
    params = resolve(scope, code="quarterly", unit=unit, year=year, quarter=quarter)
    return registry.get("quarterly").produce(scope, params)


def _row(document, table_key, label):
    table = next(table for table in document.tables if table.key == table_key)
    return next(row for row in table.rows if row.cells.get("label") == label).cells


@pytest.fixture
def province(world):
    """Commune A: 3 poor (1 social protection + female head, 1 ethnic + no labour), 1 near-poor,
    2 not poor; commune B: 1 poor, 1 not poor; commune C (another province): 5 poor."""
    A, B = world.A, world.B
    household_with_status(
        A,
        PovertyClass.POOR,
        effective=END_2024,
        mask=0b101,
        policy_groups=["bao-tro-xa-hoi"],
        female_head=True,
        village=world.A1,
    )
    household_with_status(
        A, PovertyClass.POOR, effective=END_2024, mask=0b100, ethnic_minority=True, no_labour=True
    )
    household_with_status(A, PovertyClass.POOR, effective=END_2024, mask=0b1, policy_groups=["nguoi-co-cong"])
    household_with_status(
        A, PovertyClass.NEAR_POOR, effective=END_2024, mask=0b111
    )  # near-poor: bits not counted
    for _ in range(2):
        household_with_status(A, PovertyClass.NOT_POOR, effective=END_2024)
    household_with_status(B, PovertyClass.POOR, effective=END_2024)
    household_with_status(B, PovertyClass.NOT_POOR, effective=END_2024)
    for _ in range(5):
        household_with_status(world.C, PovertyClass.POOR, effective=END_2024)
    return world


def test_stock_groups_and_indicators_per_commune(province):
    document = _quarterly(SystemUser(), province.P)
    a = _row(document, "stock", "Xã An Bình")
    assert (a["households"], a["poor"], a["near_poor"]) == (6, 3, 1)
    assert (a["poor_rate"], a["near_poor_rate"]) == (Decimal("50.00"), Decimal("16.67"))
    assert (
        a["poor_social_protection"],
        a["poor_merit"],
        a["poor_ethnic"],
        a["poor_female"],
        a["poor_no_labour"],
    ) == (1, 1, 1, 1, 1)
    total = next(t for t in document.tables if t.key == "stock").total_row.cells
    assert (total["households"], total["poor"]) == (8, 4)  # commune C is another province
    indicators = _row(document, "indicators", "Xã An Bình")
    assert (indicators["ind_1"], indicators["ind_2"], indicators["ind_3"]) == (2, 0, 2)


def test_changes_in_the_quarter_and_since_january(province):
    escaping = household_with_status(province.A, PovertyClass.POOR, effective=END_2024)
    assessment_add(escaping, PovertyClass.NOT_POOR, effective=date(2025, 2, 10), change="escaped_poverty")
    to_near = household_with_status(province.B, PovertyClass.POOR, effective=END_2024)
    assessment_add(to_near, PovertyClass.NEAR_POOR, effective=date(2025, 5, 5), change="escaped_to_near_poor")
    f.AnnualTargetFactory(unit=province.A, year=2025, reduce_poor=4, reduce_near_poor=1)

    q1 = _quarterly(SystemUser(), province.P, 2025, 1)
    a = _row(q1, "changes", "Xã An Bình")
    assert (a["escaped_poverty"], a["done_poor"], a["target_poor"], a["done_poor_rate"]) == (1, 1, 4, 25)
    assert _row(q1, "stock", "Xã An Bình")["poor"] == 3  # the escaped household is no longer poor on 31/03

    q2 = _quarterly(SystemUser(), province.P, 2025, 2)
    a2, b2 = _row(q2, "changes", "Xã An Bình"), _row(q2, "changes", "Phường Bắc Sơn")
    assert (a2["escaped_poverty"], a2["done_poor"]) == (0, 1)  # escaped in Q1: counted since January only
    # Poor → near-poor counts as escaped poverty and as newly near-poor (households/flows.py).
    assert (b2["escaped_poverty"], b2["new_near_poor"]) == (1, 1)


def test_commune_report_has_a_row_per_village_and_one_for_households_without_village(province):
    document = _quarterly(SystemUser(), province.A)
    stock = next(t for t in document.tables if t.key == "stock")
    labels = [row.cells["label"] for row in stock.rows]
    assert labels == ["Thôn Một", "Hộ chưa ghi thôn, tổ dân phố", "Tổng cộng"]
    assert stock.total_row.cells["households"] == 6


def test_reports_read_only_what_the_person_may_see(province):
    with pytest.raises(Http404):
        _quarterly(province.officer_a, province.P)  # the province is outside a commune officer's scope
    document = _quarterly(province.officer_a, province.A)
    assert next(t for t in document.tables if t.key == "stock").total_row.cells["households"] == 6
    with pytest.raises(Http404):
        _quarterly(province.outsider, province.A)


def _province_with(communes: int):
    province = f.province(name="Tỉnh Đếm")
    for n in range(communes):
        commune = f.commune(province, name=f"Xã {n}")
        household_with_status(
            commune, PovertyClass.POOR, effective=END_2024, policy_groups=["bao-tro-xa-hoi"]
        )
        escaping = household_with_status(commune, PovertyClass.POOR, effective=END_2024)
        assessment_add(escaping, PovertyClass.NOT_POOR, effective=date(2025, 2, 1), change="escaped_poverty")
        f.AnnualTargetFactory(unit=commune, year=2025)
    return province


def test_query_count_does_not_depend_on_the_number_of_units(db):
    counts = []
    for communes in (2, 12):
        province = _province_with(communes)
        with CaptureQueriesContext(connection) as queries:
            document = _quarterly(SystemUser(), province)
        counts.append(len(queries))
        assert len(next(t for t in document.tables if t.key == "stock").data_rows) == communes
    assert counts[0] == counts[1]
    assert counts[0] <= 15  # flows: two queries for the quarter, two for the year to date


@pytest.mark.parametrize(
    ("end", "code"),
    [
        (date(2021, 3, 31), "qd59-2015"),
        (date(2021, 9, 30), "qd59-2015"),
        (date(2021, 12, 31), "nd07-2021"),  # the lists of 2022, drawn up by the end-2021 review
        (date(2026, 9, 30), "nd07-2021"),
        (date(2026, 12, 31), "nd351-2025"),  # the lists of 2027
        (date(2030, 12, 31), None),
    ],
)
def test_a_report_reads_the_standard_of_the_lists_standing_at_the_periods_end(world, end, code):
    from reports.selectors import standard_for

    standard = standard_for(end, world.A)
    assert (standard.legal_basis if standard else None) == (
        PovertyStandard.objects.get(code=code).legal_basis if code else None
    )


def test_the_fourth_quarter_of_2021_counts_the_deprivations_of_the_end_2021_review(world):
    # The end-2021 review is under NĐ 07 (order 3: Dinh dưỡng); a mid-2021 one under QĐ 59 is flagged.
    household_with_status(world.A, PovertyClass.POOR, effective=date(2021, 12, 15), mask=0b100)
    household_with_status(world.A, PovertyClass.POOR, effective=date(2021, 6, 15), mask=0b100)
    document = _quarterly(SystemUser(), world.P, 2021, 4)
    table = next(table for table in document.tables if table.key == "indicators")
    assert "Nghị định 07/2021/NĐ-CP" in table.title
    assert [column.label for column in table.columns if column.key == "ind_3"] == ["Dinh dưỡng"]
    assert _row(document, "indicators", "Xã An Bình")["ind_3"] == 1
    stock = next(table for table in document.tables if table.key == "stock")
    row = next(row for row in stock.rows if row.cells.get("label") == "Xã An Bình")
    assert row.cells["poor"] == 2 and len(row.issues) == 1
