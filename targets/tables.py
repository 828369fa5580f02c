"""Pure builders for the two target tables of the source documents. Framework-free: plain data rows
in, a `core.tables.Table` out (columns with their numbering and formula labels, merged header rows,
rows with their flags and drill-down links, a totals row, notes). The targets pages show it with the
one HTML rendering of a table (core/tables_html.py, templates/core/_table.html), and the reports
app prints the same table to PDF and XLSX (report codes `target-table` and `union-targets`).

`target-table` — the Cam Lộ layout (KH 44/KH-UBND, 2021), per commune:

    A  TT · B  Đơn vị · 1 Dân số (hộ) · 2 Hộ nghèo · 3=2/1 Tỷ lệ · 4 Hộ CS GN · 5=4/1 Tỷ lệ ·
    6 HN cứng · 7=6/1 Tỷ lệ · 8 Hộ giảm · 9=8/1 Tỷ lệ giảm · 10=2-8 Hộ nghèo cuối năm · 11=10/1 Tỷ lệ

  Rates are percentages of column 1, with two decimals. The source prints "10=8/1" over column 10,
  but its figures are column 2 − column 8 (99 − 17 = 82 in Cam Tuyền, 405 − 37 = 368 in total):
  the header is a typo and the formula written here is the one the data follow.

`union-targets` — the Đà Nẵng layout (KH 12/KH-BTV, 2017), per district: the locality's targets
for poor and near-poor households, and the organisation's share (PNN, PNCN for the Women's Union),
with totals. Figures are printed with the word "hộ" as in the source ("420 hộ")."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from core import tables as t
from core.formatting import fmt_int, rate

NUMBER_WIDTH, LABEL_WIDTH, COUNT_WIDTH, RATE_WIDTH = 4, 18, 8, 7  # relative widths (PDF, XLSX)


def _number_column(number: str = "") -> t.Column:
    return t.Column("number", "TT", number, t.CODE, NUMBER_WIDTH)


def _label_column(number: str = "") -> t.Column:
    return t.Column("label", "Đơn vị", number, t.TEXT, LABEL_WIDTH)


def _count(key: str, label: str, number: str = "", *, formula: str = "", suffix: str = "") -> t.Column:
    return t.Column(key, label, number, t.INT, COUNT_WIDTH, formula=formula, suffix=suffix)


def _rate(key: str, label: str, number: str, formula: str) -> t.Column:
    return t.Column(key, label, number, t.PERCENT, RATE_WIDTH, formula=formula)


def _row(index: int, label: str, values: dict, flags: list[str], unit_id: int | None) -> t.Row:
    """A unit's row: TT, the name (a drill-down link to the unit when known), its figures."""
    return t.Row(
        {"number": str(index), "label": label, **values},
        issues=flags,
        link={"unit": unit_id} if unit_id else None,
    )


def _totals(label: str, values: dict, flags: list[str] | None = None) -> t.Row:
    return t.Row({"number": "", "label": label, **values}, kind=t.TOTAL, issues=flags or [])


# --- target-table (Cam Lộ) ----------------------------------------------------------------------

TARGET_TABLE = "target-table"

TARGET_COLUMNS = [
    _number_column("A"),
    _label_column("B"),
    _count("households", "Dân số (hộ)", "1"),
    _count("poor", "Hộ nghèo", "2"),
    _rate("poor_rate", "Tỷ lệ (%)", "3=2/1", "Cột 2 ÷ cột 1 × 100"),
    _count("poor_policy", "Hộ CS GN", "4"),
    _rate("poor_policy_rate", "Tỷ lệ (%)", "5=4/1", "Cột 4 ÷ cột 1 × 100"),
    _count("poor_social_protection", "HN cứng", "6"),
    _rate("poor_social_protection_rate", "Tỷ lệ (%)", "7=6/1", "Cột 6 ÷ cột 1 × 100"),
    _count("reduce_poor", "Hộ giảm", "8"),
    _rate("reduce_rate", "Tỷ lệ giảm", "9=8/1", "Cột 8 ÷ cột 1 × 100"),
    _count("year_end_poor", "Hộ nghèo", "10=2-8", formula="Cột 2 − cột 8"),
    _rate("year_end_rate", "Tỷ lệ (%)", "11=10/1", "Cột 10 ÷ cột 1 × 100"),
]

# Each rate column: the count it is a share of column 1 (households) of.
RATE_OF = {
    "poor_rate": "poor",
    "poor_policy_rate": "poor_policy",
    "poor_social_protection_rate": "poor_social_protection",
    "reduce_rate": "reduce_poor",
    "year_end_rate": "year_end_poor",
}

COUNT_KEYS = ("households", "poor", "poor_policy", "poor_social_protection", "reduce_poor")


@dataclass
class TargetTableInput:
    """One unit's frozen baseline and its target, as stored on its AnnualTarget."""

    label: str
    households: int
    poor: int
    poor_policy: int
    poor_social_protection: int
    reduce_poor: int
    unit_id: int | None = None
    flags: list[str] = field(default_factory=list)


GROUPS_DO_NOT_ADD_UP = _("Hộ CS GN ({policy}) + HN cứng ({social}) = {total}, khác số hộ nghèo ({poor}).")
REDUCE_EXCEEDS_POOR = _("Số hộ giảm ({reduce}) lớn hơn số hộ nghèo đầu năm ({poor}).")


def _target_values(counts: dict) -> dict:
    values = dict(counts)
    values["year_end_poor"] = counts["poor"] - counts["reduce_poor"]
    for key, count in RATE_OF.items():
        values[key] = rate(values[count], counts["households"])
    return values


def _target_flags(counts: dict) -> list[str]:
    flags = []
    groups = counts["poor_policy"] + counts["poor_social_protection"]
    if groups != counts["poor"]:
        flags.append(
            GROUPS_DO_NOT_ADD_UP.format(
                policy=fmt_int(counts["poor_policy"]),
                social=fmt_int(counts["poor_social_protection"]),
                total=fmt_int(groups),
                poor=fmt_int(counts["poor"]),
            )
        )
    if counts["reduce_poor"] > counts["poor"]:
        flags.append(
            REDUCE_EXCEEDS_POOR.format(reduce=fmt_int(counts["reduce_poor"]), poor=fmt_int(counts["poor"]))
        )
    return flags


def build_target_table(
    rows: Sequence[TargetTableInput], *, year: int, totals_label: str = "Tổng cộng"
) -> t.Table:
    """The Cam Lộ target table for `year`: rates and year-end figures are computed from the counts
    (never copied), rows whose groups do not add up are flagged, totals are column sums."""
    built = []
    for index, item in enumerate(rows, start=1):
        counts = {key: getattr(item, key) for key in COUNT_KEYS}
        built.append(
            _row(
                index, item.label, _target_values(counts), [*item.flags, *_target_flags(counts)], item.unit_id
            )
        )
    total_counts = {key: sum(getattr(item, key) for item in rows) for key in COUNT_KEYS}
    built.append(_totals(totals_label, _target_values(total_counts), _target_flags(total_counts)))
    header = [
        [
            t.HeaderCell("TT", rowspan=3),
            t.HeaderCell("Đơn vị", rowspan=3),
            t.HeaderCell(f"Hộ nghèo đầu {year}", colspan=3),
            t.HeaderCell("Hộ nghèo theo nhóm đối tượng", colspan=4),
            t.HeaderCell(f"Chỉ tiêu GN {year}", colspan=2),
            t.HeaderCell(f"Hộ nghèo cuối năm {year}", colspan=2),
        ],
        [
            t.HeaderCell("Dân số (hộ)", rowspan=2),
            t.HeaderCell("Hộ nghèo", rowspan=2),
            t.HeaderCell("Tỷ lệ (%)", rowspan=2),
            t.HeaderCell("Tổng HN CSGN", colspan=2),
            t.HeaderCell("Tổng HN cứng", colspan=2),
            t.HeaderCell("Hộ giảm", rowspan=2),
            t.HeaderCell("Tỷ lệ giảm", rowspan=2),
            t.HeaderCell("Hộ nghèo", rowspan=2),
            t.HeaderCell("Tỷ lệ (%)", rowspan=2),
        ],
        [
            t.HeaderCell("Hộ CS GN"),
            t.HeaderCell("Tỷ lệ (%)"),
            t.HeaderCell("HN cứng"),
            t.HeaderCell("Tỷ lệ (%)"),
        ],
    ]
    notes = [
        "Tỷ lệ (%) = số hộ ÷ tổng số hộ (cột 1) × 100, làm tròn 2 chữ số thập phân.",
        "Cột 10 = cột 2 − cột 8 (hộ nghèo cuối năm); cột 11 = cột 10 ÷ cột 1.",
        "HN cứng: hộ nghèo thuộc đối tượng bảo trợ xã hội; Hộ CS GN: các hộ nghèo còn lại, "
        "thuộc diện chính sách giảm nghèo.",
    ]
    return t.Table(TARGET_TABLE, "", list(TARGET_COLUMNS), built, header=header, notes=notes)


# --- union-targets (Đà Nẵng) --------------------------------------------------------------------

UNION_TABLE = "union-targets"


@dataclass
class UnionTableInput:
    """A unit's locality targets and the organisation's share of them."""

    label: str
    locality_poor: int
    locality_near_poor: int
    organisation_poor: int
    organisation_near_poor: int
    percent: Decimal | None = None
    unit_id: int | None = None
    flags: list[str] = field(default_factory=list)


SHARE_EXCEEDS_LOCALITY = _("Phần của tổ chức ({share}) lớn hơn chỉ tiêu của địa phương ({locality}).")

UNION_KEYS = ("locality_poor", "locality_near_poor", "organisation_poor", "organisation_near_poor")


def _percent_text(percents: set) -> str:
    known = sorted(p.normalize() for p in percents if p is not None)
    if not known:
        return ""
    text = [f"{fmt_int(p) if p == p.to_integral_value() else str(p).replace('.', ',')}%" for p in known]
    return text[0] if len(text) == 1 else f"{text[0]} - {text[-1]}"


def _share_flags(item: UnionTableInput) -> list[str]:
    flags = []
    for share, locality in (
        (item.organisation_poor, item.locality_poor),
        (item.organisation_near_poor, item.locality_near_poor),
    ):
        if share > locality:
            flags.append(SHARE_EXCEEDS_LOCALITY.format(share=fmt_int(share), locality=fmt_int(locality)))
    return flags


def build_union_table(
    rows: Sequence[UnionTableInput],
    *,
    year: int,
    organisation_label: str = "Hội LHPN quận/huyện",
    poor_label: str = "Số hộ PNN",
    near_poor_label: str = "Số hộ PNCN",
    totals_label: str = "Tổng cộng",
) -> t.Table:
    """The Đà Nẵng table: per unit the locality's targets and the organisation's share; totals are
    column sums (as the source's 4.400 / 2.300 / 880 / 460)."""
    built = [
        _row(
            index,
            item.label,
            {key: getattr(item, key) for key in UNION_KEYS},
            [*item.flags, *_share_flags(item)],
            item.unit_id,
        )
        for index, item in enumerate(rows, start=1)
    ]
    built.append(_totals(totals_label, {key: sum(getattr(item, key) for item in rows) for key in UNION_KEYS}))
    percent = _percent_text({item.percent for item in rows})
    share_heading = (
        f"Chỉ tiêu giảm {percent} hộ PNN, hộ PNCN của {organisation_label}"
        if percent
        else (f"Chỉ tiêu giảm hộ PNN, hộ PNCN của {organisation_label}")
    )
    if poor_label != "Số hộ PNN":
        share_heading = share_heading.replace("hộ PNN, hộ PNCN", "hộ nghèo, hộ cận nghèo")
    columns = [
        _number_column(),
        _label_column(),
        _count("locality_poor", "Số hộ nghèo", suffix="hộ"),
        _count("locality_near_poor", "Số hộ cận nghèo", suffix="hộ"),
        _count("organisation_poor", poor_label, suffix="hộ"),
        _count("organisation_near_poor", near_poor_label, suffix="hộ"),
    ]
    header = [
        [
            t.HeaderCell("TT", rowspan=2),
            t.HeaderCell("Đơn vị", rowspan=2),
            t.HeaderCell("Chỉ tiêu giảm hộ nghèo, hộ cận nghèo của các địa phương", colspan=2),
            t.HeaderCell(share_heading, colspan=2),
        ],
        [t.HeaderCell(column.label) for column in columns[2:]],
    ]
    notes = []
    if percent:
        notes.append(
            f"Phần của tổ chức = {percent} chỉ tiêu của địa phương, làm tròn đến hộ (từ 0,5 làm tròn lên); "
            "dòng tổng cộng là tổng các dòng."
        )
    return t.Table(UNION_TABLE, "", columns, built, header=header, notes=notes)
