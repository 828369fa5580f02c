"""The two income figures an assessment records, from what the officer entered. Pure: no ORM.

An officer may give the household's yearly income, the income per person per month, or both, and
may change the member count. The figure given last (the basis) holds and the other one follows,
so that the stored pair always agrees and the classification (which reads the per-person figure)
follows what was typed:

    basis "annual"       per person = ⌈yearly ÷ members ÷ 12⌉ (rounded up to the đồng)
    basis "per_capita"   yearly = per person × members × 12

The per-person figure is rounded *up*: the lines are whole đồng and inclusive ("≤ 1.500.000"), so a
household at 1.500.000,4 đ a month is above the line, and ⌈x⌉ ≤ L exactly when x ≤ L. A missing
basis figure falls back to the other one."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

ANNUAL = "annual"
PER_CAPITA = "per_capita"
BASES = (ANNUAL, PER_CAPITA)

NEEDS_INCOME = _("Hãy nhập thu nhập bình quân đầu người/tháng, hoặc tổng thu nhập của hộ trong năm.")
NEEDS_MEMBER_COUNT = _("Số nhân khẩu phải lớn hơn 0 để tính thu nhập bình quân.")


class IncomeError(ValueError):
    """No income can be recorded from what was entered; the message says what to enter."""


@dataclass(frozen=True)
class Income:
    """What an assessment stores: the yearly household income and the income per person per month."""

    annual: int
    per_capita: int
    basis: str  # the figure the other one was computed from


def per_capita_from_annual(annual_income: int, member_count: int) -> int:
    """Income per person per month from a household's yearly income, rounded up to the đồng."""
    months = member_count * 12
    return -(-annual_income // months)


def income_figures(
    *, annual_income: int | None, income_per_capita: int | None, member_count: int | None, basis: str
) -> Income:
    """The pair to store when the officer gave `basis` last (ANNUAL or PER_CAPITA)."""
    if basis not in BASES:
        raise ValueError(f"unknown income basis {basis!r}")
    if annual_income is None and income_per_capita is None:
        raise IncomeError(NEEDS_INCOME)
    if not member_count or member_count < 1:
        raise IncomeError(NEEDS_MEMBER_COUNT)
    if income_per_capita is None or (basis == ANNUAL and annual_income is not None):
        return Income(annual_income, per_capita_from_annual(annual_income, member_count), ANNUAL)
    return Income(income_per_capita * member_count * 12, income_per_capita, PER_CAPITA)
