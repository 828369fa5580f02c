"""Row checks of a typed target table: groups, rates within rounding, year-end figures."""

from decimal import Decimal

import pytest

from targets.checks import GROUPS_WRONG, Stated, check_row, rate_within_rounding

from .sources import CAM_LO_2021, CAM_LO_2021_TOTAL, CAM_LO_INCONSISTENT, as_values


def test_the_cam_lo_table_has_exactly_two_inconsistent_rows():
    flagged = {row[0] for row in CAM_LO_2021 if check_row(as_values(row))}
    assert flagged == CAM_LO_INCONSISTENT
    assert check_row(as_values(CAM_LO_2021_TOTAL)) == []


def test_tt_cam_lo_fails_on_groups_and_on_the_rates_of_its_poor():
    problems = check_row(as_values(next(row for row in CAM_LO_2021 if row[0] == "TT Cam Lộ")))
    assert [p.column for p in problems] == ["3", "4", "11"]
    assert problems[1].message == (
        "Hộ nghèo theo nhóm không khớp: hộ CS GN (0) + HN cứng (38) = 38, khác số hộ nghèo (29)."
    )
    assert problems[0].message == "Cột 3 (tỷ lệ hộ nghèo) ghi 1,76%, nhưng 29 ÷ 2.169 hộ × 100 = 1,34%."
    assert (
        problems[2].message
        == "Cột 11 (tỷ lệ hộ nghèo cuối năm) ghi 1,64%, nhưng 27 ÷ 2.169 hộ × 100 = 1,24%."
    )


def test_cam_nghia_groups_add_up_to_29_not_38():
    problems = check_row(as_values(next(row for row in CAM_LO_2021 if row[0] == "Xã Cam Nghĩa")))
    assert problems[1].message == GROUPS_WRONG.format(policy="1", social="28", total="29", poor="38")
    assert "38 ÷ 1.647 hộ × 100 = 2,31%" in problems[0].message


@pytest.mark.parametrize(
    ("stated", "places", "count", "households", "ok"),
    [
        ("6.79", 2, 99, 1458, True),  # 6,7901
        ("6.80", 2, 99, 1458, False),
        ("0.48", 2, 7, 1472, True),  # 0,4755 rounds up
        ("0.47", 2, 7, 1472, False),  # truncation is not rounding
        ("0.05", 2, 1, 2212, True),  # 0,0452
        ("6.8", 1, 99, 1458, True),  # one decimal shown: 6,75 … 6,85
        ("7", 0, 99, 1458, True),
        ("0.05", 2, 1, 20, False),  # 5 %
        ("12.5", 1, 1, 8, True),  # exact
        ("0.13", 2, 1, 800, True),  # 0,125: a tie may go either way
        ("0.12", 2, 1, 800, True),
        ("0.00", 2, 0, 0, True),  # no households, rate 0
        ("1.00", 2, 0, 0, False),
    ],
)
def test_rate_within_rounding(stated, places, count, households, ok):
    assert rate_within_rounding(Stated(Decimal(stated), places), count, households) is ok


def test_year_end_must_be_start_minus_reduction():
    values = {"households": 100, "poor": 10, "reduce_poor": 3, "year_end_poor": 8}
    [problem] = check_row(values)
    assert problem.column == "10"
    assert problem.message == "Hộ nghèo cuối năm ghi 8, nhưng hộ nghèo đầu năm − hộ giảm = 10 − 3 = 7."


def test_missing_required_figures_are_reported_and_nothing_else():
    problems = check_row({"households": 100, "poor": None, "reduce_poor": None, "year_end_poor": 3})
    assert [p.message for p in problems] == [
        "Thiếu số liệu cột 2 (hộ nghèo đầu năm).",
        "Thiếu số liệu cột 8 (hộ giảm).",
    ]


def test_impossible_counts():
    problems = check_row({"households": 5, "poor": 6, "reduce_poor": 7})
    assert [p.column for p in problems] == ["2", "8"]


def test_rate_stated_for_a_unit_without_households():
    [problem] = check_row(
        {"households": 0, "poor": 0, "reduce_poor": 0, "poor_rate": Stated(Decimal("1.5"), 1)}
    )
    assert problem.message == "Cột 3 (tỷ lệ hộ nghèo) ghi 1,5% nhưng tổng số hộ bằng 0."


def test_absent_optional_columns_are_not_checked():
    assert check_row({"households": 10, "poor": 2, "reduce_poor": 1}) == []
