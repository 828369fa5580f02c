"""Pure builders for the two target tables of the source documents. Framework-free: plain data rows
in, a `Table` out (columns with their numbering and formula labels, merged header rows, rows, a
totals row, notes). The on-screen pages render it with templates/targets/_table.html; the reports
app renders the same structure to PDF and XLSX (report codes `target-table` and `union-targets`).

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

from core.formatting import fmt_int, rate

TEXT = "text"
INT = "int"
RATE = "rate"


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the lowest header cell above the column
    number: str  # the numbering row: "A", "B", "1", "3=2/1" …
    kind: str = INT  # text | int | rate
    suffix: str = ""  # printed after the figure ("hộ")
    numerator: str = ""  # rate columns: the count they are a share of column 1 of
    formula: str = ""  # plain-language formula for notes and tooltips


@dataclass(frozen=True)
class HeaderCell:
    text: str
    colspan: int = 1
    rowspan: int = 1


@dataclass(frozen=True)
class PlacedCell:
    """A header cell at its grid position (0-based), for renderers that merge cells (XLSX)."""

    row: int
    column: int
    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Row:
    number: str  # the TT column: "1", "2" … ("" for the totals row)
    label: str  # the unit (or organisation) named in column B
    values: dict = field(default_factory=dict)  # column key → int | Decimal | None
    flags: list[str] = field(default_factory=list)  # problems with this row, in Vietnamese
    unit_id: int | None = None  # for drilling down on screen

    def cells(self, columns: Sequence[Column]) -> list:
        """Values in column order, the TT and name columns included."""
        out = []
        for column in columns:
            if column.key == "number":
                out.append(self.number)
            elif column.key == "label":
                out.append(self.label)
            else:
                out.append(self.values.get(column.key))
        return out


@dataclass
class Table:
    code: str
    title: str
    columns: list[Column]
    header: list[list[HeaderCell]]  # merged header rows, top to bottom; the numbering row is separate
    rows: list[Row]
    totals: Row
    notes: list[str] = field(default_factory=list)

    @property
    def numbering(self) -> list[str]:
        return [column.number for column in self.columns]

    def placed_header(self) -> list[PlacedCell]:
        """The merged header laid out on a grid: each cell takes the first free column of its row
        (columns still covered by a rowspan from above are skipped), as HTML tables lay them out."""
        taken: set[tuple[int, int]] = set()
        placed = []
        for r, cells in enumerate(self.header):
            c = 0
            for cell in cells:
                while (r, c) in taken:
                    c += 1
                placed.append(PlacedCell(r, c, cell.text, cell.rowspan, cell.colspan))
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        taken.add((r + dr, c + dc))
                c += cell.colspan
        return placed

    @property
    def body(self) -> list[tuple[Row, list[tuple[Column, object]]]]:
        """Each row with its (column, value) pairs, for renderers that walk columns and values together."""
        return [(row, list(zip(self.columns, row.cells(self.columns), strict=True))) for row in self.rows]

    @property
    def totals_cells(self) -> list[tuple[Column, object]]:
        return list(zip(self.columns, self.totals.cells(self.columns), strict=True))

    @property
    def has_numbering(self) -> bool:
        return any(self.numbering)

    @property
    def flagged(self) -> list[Row]:
        return [row for row in self.rows if row.flags]


# --- target-table (Cam Lộ) ----------------------------------------------------------------------

TARGET_TABLE = "target-table"

TARGET_COLUMNS = [
    Column("number", "TT", "A", TEXT),
    Column("label", "Đơn vị", "B", TEXT),
    Column("households", "Dân số (hộ)", "1"),
    Column("poor", "Hộ nghèo", "2"),
    Column("poor_rate", "Tỷ lệ (%)", "3=2/1", RATE, numerator="poor", formula="Cột 2 ÷ cột 1 × 100"),
    Column("poor_policy", "Hộ CS GN", "4"),
    Column(
        "poor_policy_rate", "Tỷ lệ (%)", "5=4/1", RATE, numerator="poor_policy", formula="Cột 4 ÷ cột 1 × 100"
    ),
    Column("poor_social_protection", "HN cứng", "6"),
    Column(
        "poor_social_protection_rate",
        "Tỷ lệ (%)",
        "7=6/1",
        RATE,
        numerator="poor_social_protection",
        formula="Cột 6 ÷ cột 1 × 100",
    ),
    Column("reduce_poor", "Hộ giảm", "8"),
    Column(
        "reduce_rate", "Tỷ lệ giảm", "9=8/1", RATE, numerator="reduce_poor", formula="Cột 8 ÷ cột 1 × 100"
    ),
    Column("year_end_poor", "Hộ nghèo", "10=2-8", formula="Cột 2 − cột 8"),
    Column(
        "year_end_rate",
        "Tỷ lệ (%)",
        "11=10/1",
        RATE,
        numerator="year_end_poor",
        formula="Cột 10 ÷ cột 1 × 100",
    ),
]

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
    for column in TARGET_COLUMNS:
        if column.kind == RATE:
            values[column.key] = rate(values[column.numerator], counts["households"])
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
    rows: Sequence[TargetTableInput], *, year: int, title: str = "", totals_label: str = "Tổng cộng"
) -> Table:
    """The Cam Lộ target table for `year`: rates and year-end figures are computed from the counts
    (never copied), rows whose groups do not add up are flagged, totals are column sums."""
    built = []
    for index, item in enumerate(rows, start=1):
        counts = {key: getattr(item, key) for key in COUNT_KEYS}
        built.append(
            Row(
                number=str(index),
                label=item.label,
                values=_target_values(counts),
                flags=[*item.flags, *_target_flags(counts)],
                unit_id=item.unit_id,
            )
        )
    total_counts = {key: sum(getattr(item, key) for item in rows) for key in COUNT_KEYS}
    totals = Row(
        number="", label=totals_label, values=_target_values(total_counts), flags=_target_flags(total_counts)
    )
    header = [
        [
            HeaderCell("TT", rowspan=3),
            HeaderCell("Đơn vị", rowspan=3),
            HeaderCell(f"Hộ nghèo đầu {year}", colspan=3),
            HeaderCell("Hộ nghèo theo nhóm đối tượng", colspan=4),
            HeaderCell(f"Chỉ tiêu GN {year}", colspan=2),
            HeaderCell(f"Hộ nghèo cuối năm {year}", colspan=2),
        ],
        [
            HeaderCell("Dân số (hộ)", rowspan=2),
            HeaderCell("Hộ nghèo", rowspan=2),
            HeaderCell("Tỷ lệ (%)", rowspan=2),
            HeaderCell("Tổng HN CSGN", colspan=2),
            HeaderCell("Tổng HN cứng", colspan=2),
            HeaderCell("Hộ giảm", rowspan=2),
            HeaderCell("Tỷ lệ giảm", rowspan=2),
            HeaderCell("Hộ nghèo", rowspan=2),
            HeaderCell("Tỷ lệ (%)", rowspan=2),
        ],
        [HeaderCell("Hộ CS GN"), HeaderCell("Tỷ lệ (%)"), HeaderCell("HN cứng"), HeaderCell("Tỷ lệ (%)")],
    ]
    notes = [
        "Tỷ lệ (%) = số hộ ÷ tổng số hộ (cột 1) × 100, làm tròn 2 chữ số thập phân.",
        "Cột 10 = cột 2 − cột 8 (hộ nghèo cuối năm); cột 11 = cột 10 ÷ cột 1.",
        "HN cứng: hộ nghèo thuộc đối tượng bảo trợ xã hội; Hộ CS GN: các hộ nghèo còn lại, "
        "thuộc diện chính sách giảm nghèo.",
    ]
    return Table(
        code=TARGET_TABLE,
        title=title or f"Chỉ tiêu giảm nghèo năm {year}",
        columns=list(TARGET_COLUMNS),
        header=header,
        rows=built,
        totals=totals,
        notes=notes,
    )


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


def _percent_text(percents: set) -> str:
    known = sorted(p.normalize() for p in percents if p is not None)
    if not known:
        return ""
    text = [f"{fmt_int(p) if p == p.to_integral_value() else str(p).replace('.', ',')}%" for p in known]
    return text[0] if len(text) == 1 else f"{text[0]} - {text[-1]}"


def build_union_table(
    rows: Sequence[UnionTableInput],
    *,
    year: int,
    organisation_label: str = "Hội LHPN quận/huyện",
    poor_label: str = "Số hộ PNN",
    near_poor_label: str = "Số hộ PNCN",
    title: str = "",
    totals_label: str = "Tổng cộng",
) -> Table:
    """The Đà Nẵng table: per unit the locality's targets and the organisation's share; totals are
    column sums (as the source's 4.400 / 2.300 / 880 / 460)."""
    keys = ("locality_poor", "locality_near_poor", "organisation_poor", "organisation_near_poor")
    built = []
    for index, item in enumerate(rows, start=1):
        flags = list(item.flags)
        for share, locality in (
            ("organisation_poor", "locality_poor"),
            ("organisation_near_poor", "locality_near_poor"),
        ):
            if getattr(item, share) > getattr(item, locality):
                flags.append(
                    SHARE_EXCEEDS_LOCALITY.format(
                        share=fmt_int(getattr(item, share)), locality=fmt_int(getattr(item, locality))
                    )
                )
        built.append(
            Row(
                number=str(index),
                label=item.label,
                values={key: getattr(item, key) for key in keys},
                flags=flags,
                unit_id=item.unit_id,
            )
        )
    totals = Row(
        number="", label=totals_label, values={key: sum(getattr(item, key) for item in rows) for key in keys}
    )
    percent = _percent_text({item.percent for item in rows})
    share_heading = (
        f"Chỉ tiêu giảm {percent} hộ PNN, hộ PNCN của {organisation_label}"
        if percent
        else (f"Chỉ tiêu giảm hộ PNN, hộ PNCN của {organisation_label}")
    )
    if poor_label != "Số hộ PNN":
        share_heading = share_heading.replace("hộ PNN, hộ PNCN", "hộ nghèo, hộ cận nghèo")
    columns = [
        Column("number", "TT", "", TEXT),
        Column("label", "Đơn vị", "", TEXT),
        Column("locality_poor", "Số hộ nghèo", "", suffix="hộ"),
        Column("locality_near_poor", "Số hộ cận nghèo", "", suffix="hộ"),
        Column("organisation_poor", poor_label, "", suffix="hộ"),
        Column("organisation_near_poor", near_poor_label, "", suffix="hộ"),
    ]
    header = [
        [
            HeaderCell("TT", rowspan=2),
            HeaderCell("Đơn vị", rowspan=2),
            HeaderCell("Chỉ tiêu giảm hộ nghèo, hộ cận nghèo của các địa phương", colspan=2),
            HeaderCell(share_heading, colspan=2),
        ],
        [
            HeaderCell(columns[2].label),
            HeaderCell(columns[3].label),
            HeaderCell(poor_label),
            HeaderCell(near_poor_label),
        ],
    ]
    notes = []
    if percent:
        notes.append(
            f"Phần của tổ chức = {percent} chỉ tiêu của địa phương, làm tròn đến hộ (từ 0,5 làm tròn lên); "
            "dòng tổng cộng là tổng các dòng."
        )
    return Table(
        code=UNION_TABLE,
        title=title or f"Chỉ tiêu giảm nghèo năm {year}",
        columns=columns,
        header=header,
        rows=built,
        totals=totals,
        notes=notes,
    )
