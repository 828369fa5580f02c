"""The income pair an assessment records: the figure typed last holds, the other follows, and the
per-person figure is rounded so that it never crosses a poverty line the exact figure does not."""

import pytest

from households.classification import MEDIUM, NEAR_POOR, classify
from households.income import (
    ANNUAL,
    NEEDS_INCOME,
    NEEDS_MEMBER_COUNT,
    PER_CAPITA,
    IncomeError,
    income_figures,
    per_capita_from_annual,
)
from tests.households.test_classification import ND07, QD59


@pytest.mark.parametrize(
    ("annual", "members", "expected"),
    [
        (0, 1, 0),
        (1, 1, 1),  # 0,08 đ: up to 1
        (11, 1, 1),
        (12, 1, 1),  # exact
        (13, 1, 2),
        (24, 2, 1),
        (25, 2, 2),
        (60_000_000, 2, 2_500_000),
        (30_000_000, 2, 1_250_000),  # the edit
        (66_000_000, 4, 1_375_000),  # the approved record
        (69_600_000, 4, 1_450_000),
        (10_000_000, 3, 277_778),  # 277.777,78
        (18_000_000, 1, 1_500_000),  # exactly the NĐ 07 rural line
        (18_000_001, 1, 1_500_001),  # 1.500.000,08: above the line, so above it stays
        (18_000_012, 1, 1_500_001),
        (18_000_013, 1, 1_500_002),
        (180_000_000, 10, 1_500_000),
        (180_000_001, 10, 1_500_001),
        (179_999_999, 10, 1_500_000),  # 1.499.999,99
        (1_188_000_000_000, 99, 1_000_000_000),
    ],
)
def test_income_per_person_is_the_yearly_income_over_members_and_months_rounded_up(annual, members, expected):
    assert per_capita_from_annual(annual, members) == expected


@pytest.mark.parametrize("members", range(1, 13))
@pytest.mark.parametrize("line", [700_000, 900_000, 1_000_000, 1_300_000, 1_500_000, 2_000_000, 2_250_000])
def test_rounding_never_moves_a_household_across_a_line(line, members):
    """Yearly incomes from exactly on the line to one month's đồng above it, for every member count:
    the per-person figure is at or under the line only when the exact one is."""
    on_the_line = line * members * 12
    for extra in range(members * 12 + 1):
        exact_at_or_under = extra == 0
        assert (per_capita_from_annual(on_the_line + extra, members) <= line) is exact_at_or_under
        assert (per_capita_from_annual(on_the_line - extra, members) <= line) is True


@pytest.mark.parametrize(
    ("annual", "per_capita", "members", "basis", "stored"),
    [
        # The yearly income typed last: the per-person one follows it.
        (60_000_000, 2_500_000, 2, ANNUAL, (60_000_000, 2_500_000, ANNUAL)),
        (30_000_000, 2_500_000, 2, ANNUAL, (30_000_000, 1_250_000, ANNUAL)),  # 60 → 30 million
        (66_000_000, 1_250_000, 4, ANNUAL, (66_000_000, 1_375_000, ANNUAL)),  # 2 → 4 members
        (10_000_000, None, 3, ANNUAL, (10_000_000, 277_778, ANNUAL)),
        (0, 2_500_000, 3, ANNUAL, (0, 0, ANNUAL)),  # no income at all
        # The per-person income typed last: the yearly one follows it, exactly.
        (60_000_000, 1_250_000, 2, PER_CAPITA, (30_000_000, 1_250_000, PER_CAPITA)),
        (48_000_000, 1_000_000, 5, PER_CAPITA, (60_000_000, 1_000_000, PER_CAPITA)),
        (None, 1_000_000, 3, PER_CAPITA, (36_000_000, 1_000_000, PER_CAPITA)),
        (None, 0, 2, PER_CAPITA, (0, 0, PER_CAPITA)),
        # The basis left empty: the other figure is all there is.
        (None, 1_000_000, 3, ANNUAL, (36_000_000, 1_000_000, PER_CAPITA)),
        (48_000_000, None, 4, PER_CAPITA, (48_000_000, 1_000_000, ANNUAL)),
    ],
)
def test_the_figure_typed_last_holds_and_the_other_follows(annual, per_capita, members, basis, stored):
    income = income_figures(
        annual_income=annual, income_per_capita=per_capita, member_count=members, basis=basis
    )
    assert (income.annual, income.per_capita, income.basis) == stored


@pytest.mark.parametrize("members", [1, 2, 3, 4, 7, 12, 99])
@pytest.mark.parametrize("figure", [0, 1, 999_999, 1_000_000, 1_375_000, 66_000_000, 123_456_789])
@pytest.mark.parametrize("basis", [ANNUAL, PER_CAPITA])
def test_the_stored_figures_always_agree(figure, members, basis):
    typed = {"annual_income": figure, "income_per_capita": None}
    if basis == PER_CAPITA:
        typed = {"annual_income": None, "income_per_capita": figure}
    income = income_figures(**typed, member_count=members, basis=basis)
    assert income.per_capita == per_capita_from_annual(income.annual, members)
    assert figure in (income.annual, income.per_capita)


@pytest.mark.parametrize(
    ("annual", "per_capita", "members", "message"),
    [
        (None, None, 2, NEEDS_INCOME),
        (12_000_000, None, 0, NEEDS_MEMBER_COUNT),
        (None, 1_000_000, None, NEEDS_MEMBER_COUNT),
    ],
)
def test_without_an_income_or_members_nothing_is_recorded(annual, per_capita, members, message):
    with pytest.raises(IncomeError) as error:
        income_figures(annual_income=annual, income_per_capita=per_capita, member_count=members, basis=ANNUAL)
    assert str(error.value) == str(message)


def test_an_unknown_basis_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown income basis"):
        income_figures(annual_income=1, income_per_capita=1, member_count=1, basis="monthly")


@pytest.mark.parametrize(
    ("rules", "annual", "members", "expected"),
    [
        (ND07, 18_000_000, 1, NEAR_POOR),  # 1.500.000: on the line
        (ND07, 18_000_001, 1, MEDIUM),  # a đồng a year above it
        (ND07, 36_000_000, 2, NEAR_POOR),
        (ND07, 36_000_001, 2, MEDIUM),
        (QD59, 8_400_000, 1, "poor"),  # 700.000 (QĐ 59 rural line, N1)
        (QD59, 8_400_001, 1, NEAR_POOR),
    ],
)
def test_the_classification_of_a_yearly_income_at_a_line(rules, annual, members, expected):
    income = income_figures(annual_income=annual, income_per_capita=None, member_count=members, basis=ANNUAL)
    assert classify(rules, "rural", income.per_capita, []).poverty_class == expected
