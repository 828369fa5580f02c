"""Which tree serves a year, and what a unit may say about a period (units/periods.py)."""

from datetime import date

import pytest

from units.models import AdminVersion
from units.periods import clamped_end, history_note, period_refusal, successors, tree_of_year

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("year", "tree"),
    [(2016, "pre2025"), (2024, "pre2025"), (2025, "2025"), (2026, "2025"), (2030, "2025")],
)
def test_a_year_is_read_in_the_tree_in_force_on_its_31_december(year, tree):
    assert tree_of_year(year) == tree


def test_a_pre2025_unit_refuses_periods_after_its_end_naming_its_successors(world):
    world.OP.valid_to = date(2025, 6, 30)
    assert period_refusal(world.OP, date(2025, 4, 1)) is None
    assert period_refusal(world.OP, date(2025, 6, 30)) is None
    message = period_refusal(world.OP, date(2025, 7, 1))
    assert "đã kết thúc từ ngày 01/07/2025" in message and "Tỉnh Thử (mã 90)" in message
    assert period_refusal(world.P, date(2026, 1, 1)) is None  # a 2025 unit has no end


def test_successors_of_each_level(world):
    assert successors(world.OP) == [world.P]
    assert successors(world.OA) == [world.A]
    assert set(successors(world.OD)) == {world.A, world.B}  # the district's communes went to A and B
    assert successors(world.A) == []


def test_a_2025_unit_says_whose_figures_it_sums_before_the_reform(world):
    assert history_note(world.P, date(2021, 10, 1)) == "Số liệu trước 01/07/2025 tổng hợp từ: Tỉnh Cũ."
    assert history_note(world.A, date(2025, 4, 1)) == "Số liệu trước 01/07/2025 tổng hợp từ: Xã Cũ An."
    assert history_note(world.A, date(2025, 7, 1)) is None
    assert history_note(world.OA, date(2021, 1, 1)) is None


def test_a_pre2025_units_periods_end_on_30_june_2025(world):
    world.OA.valid_to = date(2025, 6, 30)
    assert clamped_end(world.OA, date(2025, 12, 31)) == date(2025, 6, 30)
    assert clamped_end(world.OA, date(2024, 12, 31)) == date(2024, 12, 31)
    assert clamped_end(world.A, date(2025, 12, 31)) == date(2025, 12, 31)
    assert world.A.admin_version == AdminVersion.V2025
