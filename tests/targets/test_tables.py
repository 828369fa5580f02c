"""The pure table builders reproduce the source tables' layout and figures."""

import json
from decimal import Decimal

from core import tables as t
from targets.tables import (
    TARGET_TABLE,
    UNION_TABLE,
    TargetTableInput,
    UnionTableInput,
    build_target_table,
    build_union_table,
)

from .sources import CAM_LO_2021, CAM_LO_2021_TOTAL, DA_NANG_2017, DA_NANG_2017_TOTAL


def _line(table, row) -> list:
    """A row's values in column order, as printed left to right."""
    return [row.cells.get(column.key) for column in table.columns]


def _cam_lo_inputs():
    return [
        TargetTableInput(
            label=row[0],
            households=row[1],
            poor=row[2],
            poor_policy=row[4],
            poor_social_protection=row[6],
            reduce_poor=row[8],
        )
        for row in CAM_LO_2021
    ]


def test_target_table_numbering_writes_the_formulas_the_data_follow():
    table = build_target_table(_cam_lo_inputs(), year=2021)
    assert table.key == TARGET_TABLE
    assert table.numbering == [
        "A",
        "B",
        "1",
        "2",
        "3=2/1",
        "4",
        "5=4/1",
        "6",
        "7=6/1",
        "8",
        "9=8/1",
        "10=2-8",
        "11=10/1",
    ]
    assert table.has_numbering
    assert [cell.text for cell in table.header[0]] == [
        "TT",
        "Đơn vị",
        "Hộ nghèo đầu 2021",
        "Hộ nghèo theo nhóm đối tượng",
        "Chỉ tiêu GN 2021",
        "Hộ nghèo cuối năm 2021",
    ]
    # The merged header covers the grid of 3 rows × 13 columns exactly once.
    covered = [
        (cell.row + dr, cell.column + dc)
        for cell in table.placed_header()
        for dr in range(cell.rowspan)
        for dc in range(cell.colspan)
    ]
    assert sorted(covered) == [(r, c) for r in range(3) for c in range(13)]
    leaves = {cell.column: cell.text for cell in table.placed_header() if cell.row + cell.rowspan == 3}
    assert [leaves[c] for c in range(13)] == [column.label for column in table.columns]


def test_target_table_reproduces_the_consistent_rows_of_cam_lo():
    table = build_target_table(_cam_lo_inputs(), year=2021)
    for source, row in zip(CAM_LO_2021, table.data_rows, strict=True):
        (
            name,
            households,
            poor,
            poor_rate,
            policy,
            policy_rate,
            social,
            social_rate,
            reduce,
            reduce_rate,
            end,
            end_rate,
        ) = source
        values = row.cells
        assert row.cells["label"] == name
        assert (values["households"], values["poor"], values["reduce_poor"]) == (households, poor, reduce)
        assert values["year_end_poor"] == end
        if name in ("TT Cam Lộ", "Xã Cam Nghĩa"):
            assert row.issues, name
            continue
        assert not row.issues
        for key, text in (
            ("poor_rate", poor_rate),
            ("poor_policy_rate", policy_rate),
            ("poor_social_protection_rate", social_rate),
            ("reduce_rate", reduce_rate),
            ("year_end_rate", end_rate),
        ):
            assert values[key] == Decimal(text.replace(",", ".")), (name, key)


def test_target_table_totals_are_sums_with_rates_of_the_sums():
    table = build_target_table(_cam_lo_inputs(), year=2021)
    assert table.rows[-1] is table.total_row
    totals = table.total_row.cells
    _, households, poor, poor_rate, policy, _, social, _, reduce, reduce_rate, end, end_rate = (
        CAM_LO_2021_TOTAL
    )
    assert (
        totals["households"],
        totals["poor"],
        totals["poor_policy"],
        totals["poor_social_protection"],
    ) == (households, poor, policy, social)
    assert (totals["reduce_poor"], totals["year_end_poor"]) == (reduce, end)
    assert totals["poor_rate"] == Decimal("2.71")
    assert totals["reduce_rate"] == Decimal("0.25")
    assert totals["year_end_rate"] == Decimal("2.46")
    assert totals["label"] == "Tổng cộng" and totals["number"] == ""
    assert [row.cells["label"] for row in table.flagged] == ["TT Cam Lộ", "Xã Cam Nghĩa"]
    assert table.total_row.issues == []  # the two rows' errors cancel out in the totals (+9 and −9)


def test_target_table_of_a_unit_without_children_or_households():
    table = build_target_table([], year=2026)
    assert table.data_rows == []
    assert table.total_row.cells["households"] == 0
    assert table.total_row.cells["poor_rate"] is None  # no households: no rate, not 0 %
    empty = build_target_table([TargetTableInput("Thôn Một", 0, 0, 0, 0, 0)], year=2026)
    assert empty.rows[0].cells["year_end_rate"] is None
    assert _line(empty, empty.rows[0])[:3] == ["1", "Thôn Một", 0]


def test_union_table_reproduces_the_da_nang_women_union_plan():
    rows = [
        UnionTableInput(
            label=f"Hội LHPN quận {name}",
            locality_poor=poor,
            locality_near_poor=near,
            organisation_poor=pnn,
            organisation_near_poor=pncn,
            percent=Decimal("20.00"),
        )
        for name, poor, near, pnn, pncn in DA_NANG_2017
    ]
    table = build_union_table(rows, year=2017)
    assert table.key == UNION_TABLE
    assert not table.has_numbering
    grid = sorted(
        (c.row + dr, c.column + dc)
        for c in table.placed_header()
        for dr in range(c.rowspan)
        for dc in range(c.colspan)
    )
    assert grid == [(r, c) for r in range(2) for c in range(6)]
    assert [column.label for column in table.columns] == [
        "TT",
        "Đơn vị",
        "Số hộ nghèo",
        "Số hộ cận nghèo",
        "Số hộ PNN",
        "Số hộ PNCN",
    ]
    assert table.header[0][3].text == "Chỉ tiêu giảm 20% hộ PNN, hộ PNCN của Hội LHPN quận/huyện"
    assert _line(table, table.rows[0]) == ["1", "Hội LHPN quận Hải Châu", 420, 350, 84, 70]
    assert table.rows[-1] is table.total_row
    totals = table.total_row.cells
    assert (
        totals["locality_poor"],
        totals["locality_near_poor"],
        totals["organisation_poor"],
        totals["organisation_near_poor"],
    ) == DA_NANG_2017_TOTAL
    assert all(column.suffix == "hộ" for column in table.columns[2:])


def test_union_table_flags_a_share_larger_than_the_locality_target_and_shows_a_percent_range():
    rows = [
        UnionTableInput("A", 10, 10, 2, 11, Decimal("15")),
        UnionTableInput("B", 10, 10, 2, 2, Decimal("20")),
    ]
    table = build_union_table(rows, year=2019, organisation_label="Hội LHPN tỉnh")
    assert table.header[0][3].text == "Chỉ tiêu giảm 15% - 20% hộ PNN, hộ PNCN của Hội LHPN tỉnh"
    assert table.rows[0].issues == ["Phần của tổ chức (11) lớn hơn chỉ tiêu của địa phương (10)."]
    assert not table.rows[1].issues


def test_target_tables_are_printable_tables_whose_units_link_to_their_pages():
    rows = _cam_lo_inputs()
    rows[0].unit_id = 7
    table = build_target_table(rows, year=2021)
    table.check()  # the merged header covers the 13 columns exactly
    assert (table.column("number").kind, table.column("label").kind) == (t.CODE, t.TEXT)
    assert {table.column(key).kind for key in ("poor_rate", "reduce_rate", "year_end_rate")} == {t.PERCENT}
    assert table.rows[0].link == {"unit": 7}
    assert table.rows[1].link is None  # a unit not known to the database: nothing to open
    assert (table.total_row.kind, table.total_row.link) == (t.TOTAL, None)
    union = build_union_table([UnionTableInput("A", 10, 10, 2, 2, Decimal(20), unit_id=9)], year=2019)
    union.check()
    assert union.rows[0].link == {"unit": 9}
    assert union.total_row.kind == t.TOTAL


def test_a_frozen_target_table_keeps_its_figures_flags_and_links():
    """A locked period keeps its documents as JSON: the target table survives it unchanged."""
    rows = _cam_lo_inputs()
    rows[0].unit_id = 7
    table = build_target_table(rows, year=2021)
    frozen = json.loads(json.dumps(t.Document("target-table", "Chỉ tiêu", [table]).to_dict()))
    again = t.Document.from_dict(frozen).tables[0]
    assert [row.cells for row in again.rows] == [row.cells for row in table.rows]
    assert [row.issues for row in again.rows] == [row.issues for row in table.rows]
    assert again.rows[0].link == {"unit": 7}
    assert again.rows[0].cells["poor_rate"] == table.rows[0].cells["poor_rate"]  # a Decimal again
    assert again.placed_header() == table.placed_header()
