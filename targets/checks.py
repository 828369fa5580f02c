"""Pure checks of one row of a target table as typed by a person (the Cam Lộ layout, see
targets/tables.py): the groups add up to the poor households, each rate is its count ÷ the
households within the rounding of the figure shown, and year-end = start − reduction.

A row is a dict from column key to a whole number, a `Stated` rate, or None (cell left empty or
column absent). Each failure is a `Problem` whose message, in Vietnamese, says what is wrong with
which column and what the figures would have to be."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from core.formatting import fmt_decimal, fmt_int

from .tables import RATE_OF, TARGET_COLUMNS

COLUMNS = {column.key: column for column in TARGET_COLUMNS}

RATE_WRONG = _("Cột {number} ({label}) ghi {stated}%, nhưng {count} ÷ {households} hộ × 100 = {computed}%.")
GROUPS_WRONG = _(
    "Hộ nghèo theo nhóm không khớp: hộ CS GN ({policy}) + HN cứng ({social}) = {total}, khác số hộ nghèo ({poor})."
)
YEAR_END_WRONG = _(
    "Hộ nghèo cuối năm ghi {end}, nhưng hộ nghèo đầu năm − hộ giảm = {poor} − {reduce} = {expected}."
)
REDUCE_EXCEEDS_POOR = _("Số hộ giảm ({reduce}) lớn hơn số hộ nghèo đầu năm ({poor}).")
POOR_EXCEEDS_HOUSEHOLDS = _("Số hộ nghèo ({poor}) lớn hơn tổng số hộ ({households}).")
RATE_WITHOUT_HOUSEHOLDS = _("Cột {number} ({label}) ghi {stated}% nhưng tổng số hộ bằng 0.")
MISSING = _("Thiếu số liệu cột {number} ({label}).")

REQUIRED = ("households", "poor", "reduce_poor")

# How a column is named in a message (the table's own labels repeat "Tỷ lệ (%)").
NAMES = {
    "households": _("dân số (hộ)"),
    "poor": _("hộ nghèo đầu năm"),
    "poor_rate": _("tỷ lệ hộ nghèo"),
    "poor_policy": _("hộ CS GN"),
    "poor_policy_rate": _("tỷ lệ hộ CS GN"),
    "poor_social_protection": _("HN cứng"),
    "poor_social_protection_rate": _("tỷ lệ HN cứng"),
    "reduce_poor": _("hộ giảm"),
    "reduce_rate": _("tỷ lệ giảm"),
    "year_end_poor": _("hộ nghèo cuối năm"),
    "year_end_rate": _("tỷ lệ hộ nghèo cuối năm"),
}


@dataclass(frozen=True)
class Stated:
    """A rate as typed: its value and how many decimals were shown ("6,79" → 6.79, 2)."""

    value: Decimal
    places: int


@dataclass(frozen=True)
class Problem:
    column: str  # the column's number in the table ("3", "10"), "" for row-wide problems
    message: str


def _label(key: str) -> tuple[str, str]:
    return COLUMNS[key].number.split("=")[0], NAMES[key]


def rate_within_rounding(stated: Stated, count: int, households: int) -> bool:
    """Whether `stated` is count ÷ households × 100 rounded to the decimals it shows: the exact
    rate lies within half a unit of its last decimal (6,79 covers 6,785 … 6,795, either tie)."""
    if households == 0:
        return stated.value == 0
    exact = Decimal(count) * 100 / Decimal(households)
    tolerance = Decimal(5).scaleb(-(stated.places + 1))
    return abs(stated.value - exact) <= tolerance


def check_row(values: dict) -> list[Problem]:
    """Every problem of one row, in column order; an empty list for a consistent row."""
    problems: list[Problem] = []
    for key in REQUIRED:
        if values.get(key) is None:
            number, label = _label(key)
            problems.append(Problem(number, MISSING.format(number=number, label=label)))
    if problems:
        return problems
    households, poor, reduce = values["households"], values["poor"], values["reduce_poor"]
    if poor > households:
        problems.append(
            Problem("2", POOR_EXCEEDS_HOUSEHOLDS.format(poor=fmt_int(poor), households=fmt_int(households)))
        )
    policy, social = values.get("poor_policy"), values.get("poor_social_protection")
    if policy is not None and social is not None and policy + social != poor:
        problems.append(
            Problem(
                "4",
                GROUPS_WRONG.format(
                    policy=fmt_int(policy),
                    social=fmt_int(social),
                    total=fmt_int(policy + social),
                    poor=fmt_int(poor),
                ),
            )
        )
    if reduce > poor:
        problems.append(Problem("8", REDUCE_EXCEEDS_POOR.format(reduce=fmt_int(reduce), poor=fmt_int(poor))))
    end = values.get("year_end_poor")
    if end is not None and end != poor - reduce:
        problems.append(
            Problem(
                "10",
                YEAR_END_WRONG.format(
                    end=fmt_int(end),
                    poor=fmt_int(poor),
                    reduce=fmt_int(reduce),
                    expected=fmt_int(poor - reduce),
                ),
            )
        )
    for key, count_key in RATE_OF.items():
        stated = values.get(key)
        count = values.get(count_key)
        if stated is None or count is None:
            continue
        if rate_within_rounding(stated, count, households):
            continue
        number, label = _label(key)
        shown = fmt_decimal(stated.value, stated.places)
        if households == 0:
            problems.append(
                Problem(number, RATE_WITHOUT_HOUSEHOLDS.format(number=number, label=label, stated=shown))
            )
            continue
        computed = fmt_decimal(Decimal(count) * 100 / Decimal(households), stated.places)
        problems.append(
            Problem(
                number,
                RATE_WRONG.format(
                    number=number,
                    label=label,
                    stated=shown,
                    count=fmt_int(count),
                    households=fmt_int(households),
                    computed=computed,
                ),
            )
        )
    return sorted(problems, key=lambda problem: int(problem.column or 0))
