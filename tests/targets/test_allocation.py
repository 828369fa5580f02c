"""The allocation helper, the organisation's share and the balance check, at their edges."""

from decimal import Decimal

import pytest

from targets.allocation import balance, largest_remainder, parse_percent, share_of, shares_with_total


@pytest.mark.parametrize(
    ("total", "weights", "expected"),
    [
        # Exact quotas need no rounding.
        (10, [5, 3, 2], [5, 3, 2]),
        # Cam Lộ's 37 households in proportion to its poor households (99, 99, 43, 37, 38, 29, 38, 22).
        (37, [99, 99, 43, 37, 38, 29, 38, 22], [9, 9, 4, 3, 4, 3, 3, 2]),
        # One household left over goes to the largest remainder (2/3 beats 1/3).
        (2, [1, 2], [1, 1]),
        (1, [1, 2], [0, 1]),
        # Equal remainders: the larger weight first, then the earlier row.
        (1, [1, 1], [1, 0]),
        (2, [1, 1, 1], [1, 1, 0]),
        (1, [2, 2, 4], [0, 0, 1]),
        (3, [1, 2, 1, 2], [1, 1, 0, 1]),
        # A child with no poor household gets nothing, even when households are left over.
        (5, [0, 3, 0, 4], [0, 2, 0, 3]),
        # Zero to share.
        (0, [4, 5], [0, 0]),
        # Every baseline zero: nothing to be proportional to.
        (7, [0, 0, 0], [0, 0, 0]),
        # A unit with no children.
        (7, [], []),
        # More households than the baseline holds still adds up.
        (10, [1, 1], [5, 5]),
        (1, [1], [1]),
    ],
)
def test_largest_remainder(total, weights, expected):
    shares = largest_remainder(total, weights)
    assert shares == expected
    if any(weights):
        assert sum(shares) == total


def test_largest_remainder_never_gives_more_than_the_baseline_when_the_total_fits():
    weights = [7, 1, 13, 2, 9, 0, 5]
    for total in range(sum(weights) + 1):
        shares = largest_remainder(total, weights)
        assert sum(shares) == total
        assert all(share <= weight for share, weight in zip(shares, weights, strict=True))


def test_largest_remainder_refuses_negative_input():
    with pytest.raises(ValueError):
        largest_remainder(-1, [1])
    with pytest.raises(ValueError):
        largest_remainder(1, [1, -1])


DA_NANG = [  # (locality poor, near-poor) → (Union PNN, PNCN), from KH 12/KH-BTV 2017
    ((420, 350), (84, 70)),
    ((520, 350), (104, 70)),
    ((820, 370), (164, 74)),
    ((380, 350), (76, 70)),
    ((580, 250), (116, 50)),
    ((870, 350), (174, 70)),
    ((810, 280), (162, 56)),
]


def test_twenty_percent_reproduces_every_cell_of_the_da_nang_table():
    for (poor, near_poor), (pnn, pncn) in DA_NANG:
        assert share_of(poor, 20) == pnn
        assert share_of(near_poor, 20) == pncn
    pnn, total_pnn = shares_with_total([row[0][0] for row in DA_NANG], Decimal("20"))
    pncn, total_pncn = shares_with_total([row[0][1] for row in DA_NANG], "20")
    assert (sum(row[0][0] for row in DA_NANG), sum(row[0][1] for row in DA_NANG)) == (4400, 2300)
    assert (total_pnn, total_pncn) == (880, 460)
    assert pnn == [row[1][0] for row in DA_NANG]
    assert pncn == [row[1][1] for row in DA_NANG]


@pytest.mark.parametrize(
    ("value", "percent", "expected"),
    [
        (0, 20, 0),
        (1, 20, 0),  # 0,2
        (2, 20, 0),  # 0,4
        (3, 20, 1),  # 0,6
        (10, 15, 2),  # 1,5: half goes up
        (30, 15, 5),  # 4,5
        (13, 20, 3),  # 2,6
        (12, 20, 2),  # 2,4
        (421, 20, 84),  # 84,2
        (423, 20, 85),  # 84,6
        (7, "12,5", 1),  # 0,875
        (4, "12.5", 1),  # 0,5
        (100, 0, 0),
        (100, 100, 100),
        (5, "33.33", 2),  # 1,6665
    ],
)
def test_share_of_rounds_half_up_to_whole_households(value, percent, expected):
    assert share_of(value, percent) == expected


def test_total_row_is_the_sum_of_rounded_rows_not_the_rounded_total():
    # 15 % of 10 is 1,5 → 2 in each row; 15 % of the total 30 would be 4,5 → 5.
    shares, total = shares_with_total([10, 10, 10], 15)
    assert shares == [2, 2, 2]
    assert total == 6


@pytest.mark.parametrize("bad", ["-1", "100.01", "abc", "", "NaN"])
def test_percent_must_be_between_0_and_100(bad):
    with pytest.raises(ValueError):
        parse_percent(bad)


def test_percent_accepts_vietnamese_decimal_comma_and_sign():
    assert parse_percent("20,5%") == Decimal("20.5")


@pytest.mark.parametrize(
    ("parent", "children", "difference"),
    [(37, [17, 6, 5, 5, 1, 2, 1, 0], 0), (37, [17, 6], -14), (10, [6, 6], 2), (0, [], 0), (5, [], -5)],
)
def test_balance_reports_the_difference(parent, children, difference):
    result = balance(parent, children)
    assert result.difference == difference
    assert result.balanced is (difference == 0)
