"""Pure builders: plain figures in, a document out (no database, no clock)."""

from datetime import date
from decimal import Decimal

from core import tables as t
from reports.builders.organisation import (
    ListData,
    RegistrationTableData,
    ResultsData,
    build_mau01,
    build_mau02,
    build_mau03,
)
from reports.builders.quarterly import QuarterlyData, build_quarterly
from reports.frame import Frame
from reports.selectors import ListItem, StandardInfo, UnitRef

FRAME = Frame(
    parent_agency="",
    agency="Ủy ban nhân dân huyện Cam Lộ",
    place="Cam Lộ",
    signature=t.Signature("CHỦ TỊCH", "Trần Anh Tuấn"),
)
QD59 = StandardInfo(
    1,
    "Chuẩn 2016–2020",
    "Quyết định 59/2015/QĐ-TTg",
    True,
    (
        (1, "Y tế", "Tiếp cận các dịch vụ y tế"),
        (2, "Y tế", "Bảo hiểm y tế"),
        (3, "Giáo dục", "Trình độ giáo dục của người lớn"),
    ),
)
ND07 = StandardInfo(2, "Chuẩn 2022–2025", "Nghị định 07/2021/NĐ-CP", False, ((1, "Việc làm", "Việc làm"),))
DISTRICT = UnitRef(1, "Huyện Cam Lộ", "468", 2)
A = UnitRef(11, "Xã Cam Tuyền", "19600", 3)
B = UnitRef(12, "Xã Thanh An", "19603", 3)


def _quarterly(**overrides) -> QuarterlyData:
    data = {
        "unit": DISTRICT,
        "year": 2021,
        "quarter": 1,
        "start": date(2021, 1, 1),
        "end": date(2021, 3, 31),
        "standard": QD59,
        "children": [A, B],
        "rows": {
            11: {
                "households": 1458,
                "poor": 99,
                "near_poor": 65,
                "poor_income": 60,
                "poor_deprivation": 39,
                "poor_social_protection": 55,
                "ind_1": 22,
                "ind_2": 25,
                "escaped_poverty": 3,
                "escaped_poverty_ytd": 5,
                "new_near_poor": 2,
            },
            12: {
                "households": 2706,
                "poor": 99,
                "near_poor": 120,
                "poor_income": 99,
                "ind_3": 4,
                "escaped_poverty_ytd": 1,
            },
        },
        "targets": {11: (17, 5), 12: (6, 2)},
        "own_target": (37, 10),
    }
    data.update(overrides)
    return QuarterlyData(**data)


def _row(table: t.Table, label: str) -> t.Row:
    return next(row for row in table.rows if row.cells.get("label") == label)


def test_quarterly_rates_and_totals_are_computed_from_counts():
    document = build_quarterly(_quarterly(), frame=FRAME, issued_on=date(2021, 4, 5))
    stock = document.tables[0]
    assert _row(stock, "Xã Cam Tuyền").cells["poor_rate"] == Decimal("6.79")
    total = stock.total_row
    assert (total.cells["households"], total.cells["poor"], total.cells["near_poor"]) == (4164, 198, 185)
    assert total.cells["poor_rate"] == Decimal("4.76")  # 198 / 4164 = 4,755…
    assert [c.key for c in stock.columns][7:9] == ["poor_income", "poor_deprivation"]
    assert document.title == "Báo cáo tổng hợp hộ nghèo, hộ cận nghèo quý I năm 2021"
    assert _row(stock, "Xã Cam Tuyền").link == {"unit": 11}


def test_n1_n2_columns_only_under_the_2016_either_rule():
    document = build_quarterly(_quarterly(standard=ND07), frame=FRAME, issued_on=None)
    keys = [c.key for c in document.tables[0].columns]
    assert "poor_income" not in keys and "poor_social_protection" in keys


def test_indicator_table_groups_indicators_by_dimension_and_counts_poor_households():
    document = build_quarterly(_quarterly(), frame=FRAME, issued_on=None)
    table = document.tables[1]
    assert [(c.text, c.colspan) for c in table.header[0][3:]] == [("Y tế", 2), ("Giáo dục", 1)]
    assert table.total_row.cells["ind_1"] == 22 and table.total_row.cells["ind_3"] == 4


def test_changes_and_target_progress():
    table = build_quarterly(_quarterly(), frame=FRAME, issued_on=None).tables[2]
    cam_tuyen = _row(table, "Xã Cam Tuyền").cells
    assert (cam_tuyen["escaped_poverty"], cam_tuyen["new_near_poor"], cam_tuyen["done_poor"]) == (3, 2, 5)
    assert cam_tuyen["done_poor_rate"] == Decimal("29.41")  # 5 of 17
    total = table.total_row
    assert (total.cells["target_poor"], total.cells["done_poor"]) == (37, 6)
    # The district's own target (37/10) differs from its communes' sum (23/7): flagged, not hidden.
    assert total.issues and "23/7" in total.issues[0] and "37/10" in total.issues[0]


def test_households_with_no_child_unit_recorded_get_their_own_row_so_totals_add_up():
    rows = _quarterly().rows | {None: {"households": 3, "poor": 1}}
    stock = build_quarterly(_quarterly(rows=rows), frame=FRAME, issued_on=None).tables[0]
    orphans = _row(stock, "Hộ chưa ghi xã")
    assert orphans.cells["number"] == "" and orphans.cells["households"] == 3
    assert stock.total_row.cells["households"] == 4167


def test_poor_households_classified_under_another_standard_are_flagged():
    rows = {11: {"households": 10, "poor": 4, "poor_other_standard": 1}}
    stock = build_quarterly(_quarterly(rows=rows), frame=FRAME, issued_on=None).tables[0]
    assert _row(stock, "Xã Cam Tuyền").issues == [
        "1 hộ nghèo có kết quả rà soát theo chuẩn nghèo khác, không tính vào các cột nhóm N1/N2 và chỉ số thiếu hụt."
    ]


def test_corrections_table_only_when_the_locked_previous_quarter_changed():
    unchanged = {
        11: {
            "locked": {"households": 10, "poor": 2, "near_poor": 1},
            "now": {"households": 10, "poor": 2, "near_poor": 1},
            "late": 0,
        }
    }
    document = build_quarterly(
        _quarterly(previous=(2020, 4), corrections=unchanged, previous_locked_on=date(2021, 1, 10)),
        frame=FRAME,
        issued_on=None,
    )
    assert [table.key for table in document.tables] == ["stock", "indicators", "changes"]
    changed = {
        11: {
            "locked": {"households": 10, "poor": 2, "near_poor": 1},
            "now": {"households": 10, "poor": 3, "near_poor": 1},
            "late": 1,
        }
    }
    document = build_quarterly(
        _quarterly(previous=(2020, 4), corrections=changed, previous_locked_on=date(2021, 1, 10)),
        frame=FRAME,
        issued_on=None,
    )
    corrections = document.tables[-1]
    assert corrections.key == "corrections"
    cells = _row(corrections, "Xã Cam Tuyền").cells
    assert (cells["poor_locked"], cells["poor_now"], cells["poor_diff"], cells["late"]) == (2, 3, 1, 1)
    assert "quý IV/2020" in corrections.title and "10/01/2021" in corrections.notes[0]


def _item(commune_id, commune, head, poverty_class="poor", **extra) -> ListItem:
    return ListItem(
        commune_id=commune_id,
        commune=commune,
        village="Thôn 1",
        head=head,
        poverty_class=poverty_class,
        circumstances="Chồng mất",
        causes=["Thiếu vốn sản xuất"],
        needs="Vay vốn",
        measures=["Vay vốn ưu đãi"],
        responsible="Chi hội Thôn 1",
        note="",
        **extra,
    )


def test_mau01_compares_registrations_with_the_organisations_target():
    data = RegistrationTableData(
        unit=DISTRICT,
        organisation_kind="hlhpn",
        organisation_name="Hội LHPN huyện Cam Lộ",
        year=2021,
        children=[A, B],
        baseline={11: {"poor": 28, "near_poor": 20}},
        targets={11: (4, 2)},
        registered={11: {"poor": 3, "near_poor": 2}, 12: {"poor": 1}},
    )
    table = build_mau01(data, frame=FRAME, issued_on=None).tables[0]
    cells = _row(table, "Xã Cam Tuyền").cells
    assert (cells["base_poor"], cells["target_poor"], cells["reg_poor"], cells["rate_poor"]) == (
        28,
        4,
        3,
        Decimal("75.00"),
    )
    assert _row(table, "Xã Thanh An").cells["rate_poor"] is None  # no target: no rate, not 0 %
    assert table.total_row.cells["reg_poor"] == 4 and table.total_row.cells["target_poor"] == 4


def test_mau02_groups_households_by_commune_with_subtotals():
    items = [
        _item(11, "Xã Cam Tuyền", "Lê Thị Hoa"),
        _item(11, "Xã Cam Tuyền", "Trần Thị Mai", "near_poor"),
        _item(12, "Xã Thanh An", "Phạm Thị Lan"),
    ]
    table = build_mau02(
        ListData(DISTRICT, "hlhpn", "Hội LHPN huyện Cam Lộ", 2021, items), frame=FRAME, issued_on=None
    ).tables[0]
    kinds = [row.kind for row in table.rows]
    assert kinds == ["group", "data", "data", "subtotal", "group", "data", "subtotal", "total"]
    assert [row.cells["number"] for row in table.rows if row.kind == "data"] == ["1", "2", "3"]
    assert table.rows[3].cells["circumstances"] == "2 hộ (1 nghèo, 1 cận nghèo)"
    assert table.total_row.cells["circumstances"] == "3 hộ (2 nghèo, 1 cận nghèo)"
    assert table.rows[1].cells["causes"] == "Thiếu vốn sản xuất"


def test_mau03_counts_confirmed_outcomes_and_sums_resources_in_dong():
    items = [
        _item(
            11,
            "Xã Cam Tuyền",
            "Lê Thị Hoa",
            help=[("Vay vốn ưu đãi (NHCSXH)", 30_000_000)],
            outcome="escaped_poverty",
            confirmed_on=date(2021, 10, 20),
        ),
        _item(11, "Xã Cam Tuyền", "Trần Thị Mai", proposed="escaped_poverty"),
    ]
    data = ResultsData(
        unit=DISTRICT,
        organisation_kind="hlhpn",
        organisation_name="Hội LHPN huyện Cam Lộ",
        year=2021,
        children=[A],
        registered={11: {"poor": 2, "helped": 1, "escaped_poverty": 1}},
        help_values={11: {"loan": 30_000_000, "livelihood": 8_000_000, "training": 2_500_000}},
        targets={11: (4, 0)},
        items=items,
    )
    results, outcomes = build_mau03(data, frame=FRAME, issued_on=None).tables
    cells = _row(results, "Xã Cam Tuyền").cells
    assert (cells["loans"], cells["livelihood"], cells["other_help"], cells["help_total"]) == (
        30_000_000,
        8_000_000,
        2_500_000,
        40_500_000,
    )
    assert cells["rate_poor"] == Decimal("25.00")
    hoa, mai = (row for row in outcomes.rows if row.kind == "data")
    assert hoa.cells["outcome"] == "Thoát nghèo" and hoa.cells["confirmed_on"] == date(2021, 10, 20)
    assert (
        mai.cells["outcome"] == "Đề xuất: thoát nghèo (chưa xác nhận)" and mai.cells["confirmed_on"] is None
    )
    assert hoa.cells["help"] == "Vay vốn ưu đãi (NHCSXH) 30.000.000 đ"
    assert len(results.notes) == 1  # no confirmed escape is waiting for its review


def test_mau03_names_confirmed_escapes_whose_review_is_not_approved_yet():
    items = [
        _item(11, "Xã Cam Tuyền", "Lê Thị Hoa", outcome="escaped_poverty", awaiting_review=True),
        _item(11, "Xã Cam Tuyền", "Trần Thị Mai", outcome="escaped_poverty"),
    ]
    data = ResultsData(
        unit=DISTRICT,
        organisation_kind="hlhpn",
        organisation_name="Hội LHPN huyện Cam Lộ",
        year=2021,
        children=[A],
        registered={11: {"poor": 2, "helped": 2, "escaped_poverty": 2}},
        help_values={},
        targets={},
        items=items,
    )
    results, outcomes = build_mau03(data, frame=FRAME, issued_on=None).tables
    hoa, mai = (row for row in outcomes.rows if row.kind == "data")
    assert hoa.cells["outcome"] == "Thoát nghèo (chờ rà soát công nhận)"
    assert mai.cells["outcome"] == "Thoát nghèo"
    assert "có 1 hộ chưa được rà soát công nhận" in results.notes[-1]
