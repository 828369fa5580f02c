"""The one structure every table and report is built into and every renderer reads: a `Document`
holds the official-document frame (agency block, title, place and date, signature) and one or more
`Table`s; a table has columns (with their numbering and formula labels), merged header rows and rows
of typed values (data rows, group headings, subtotals, totals), each row with its issues and an
optional drill-down link.

It lives in core because two apps build into it: the reports app (reports/builders/) and the targets
app (targets/tables.py: the two source-shaped target tables, which the targets pages show and the
reports app prints). Builders produce it without touching a request or a file format; renderers
(reports/render/: HTML, PDF, XLSX) turn any document or table into output. `Document.to_dict()` /
`Document.from_dict()` give the JSON a locked period is frozen as, so a locked report is reproduced
exactly later."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from core.formatting import fmt_date, fmt_decimal, fmt_int

# Column kinds: how values are stored, shown and written to Excel.
TEXT = "text"  # free text (names, addresses, circumstances)
INT = "int"  # counts of households: 1.458
PERCENT = "percent"  # rates as percentages with two decimals: 6,79 (stored as Decimal("6.79"))
MONEY = "money"  # whole đồng: 30.000.000
DATE = "date"  # 24/01/2017
CODE = "code"  # identifiers printed as typed (TT numbers, household codes): never "2.021"

NUMERIC_KINDS = frozenset({INT, PERCENT, MONEY})

# Row kinds.
DATA = "data"
GROUP = "group"  # a heading spanning the whole table ("Xã Cam Tuyền")
SUBTOTAL = "subtotal"
TOTAL = "total"


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the lowest header cell above the column
    number: str = ""  # the numbering row: "A", "B", "1", "3=2/1" …
    kind: str = INT
    width: float = 10  # relative width, in average characters (PDF and XLSX widths follow it)
    formula: str = ""  # in words, for notes and tooltips ("Cột 2 ÷ cột 1 × 100")
    suffix: str = ""  # printed after a figure in the source layout ("420 hộ")

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC_KINDS

    @property
    def align(self) -> str:
        if self.kind in NUMERIC_KINDS:
            return "right"
        if self.kind in (CODE, DATE):
            return "center"
        return "left"


@dataclass(frozen=True)
class HeaderCell:
    text: str
    colspan: int = 1
    rowspan: int = 1


@dataclass(frozen=True)
class PlacedCell:
    """A header cell at its grid position (0-based)."""

    row: int
    column: int
    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Row:
    cells: dict  # column key → int | Decimal | str | date | None
    kind: str = DATA
    label: str = ""  # GROUP rows: the heading; SUBTOTAL/TOTAL rows: what they add up
    issues: list[str] = field(default_factory=list)  # problems with the row's figures, in Vietnamese
    link: dict | None = None  # drill-down query for the HTML preview ({"unit": 12})

    def value(self, key: str):
        return self.cells.get(key)


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[Row]
    header: list[list[HeaderCell]] = field(default_factory=list)  # merged header rows; default: labels
    notes: list[str] = field(default_factory=list)
    show_numbering: bool = True
    label_columns: int = 2  # how many leading columns a SUBTOTAL/TOTAL label spans (TT + name)

    def __post_init__(self):
        if not self.header:
            self.header = [[HeaderCell(column.label) for column in self.columns]]

    @property
    def numbering(self) -> list[str]:
        return [column.number for column in self.columns]

    @property
    def has_numbering(self) -> bool:
        return self.show_numbering and any(self.numbering)

    @property
    def header_depth(self) -> int:
        return len(self.header)

    def placed_header(self) -> list[PlacedCell]:
        """The merged header laid out on a grid, as HTML lays out rowspans and colspans."""
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
    def data_rows(self) -> list[Row]:
        return [row for row in self.rows if row.kind == DATA]

    @property
    def total_row(self) -> Row | None:
        return next((row for row in reversed(self.rows) if row.kind == TOTAL), None)

    @property
    def flagged(self) -> list[Row]:
        return [row for row in self.rows if row.issues]

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)

    def check(self) -> None:
        """Raise ValueError unless the merged header covers every column exactly once per header row."""
        width, depth = len(self.columns), self.header_depth
        grid = [[0] * width for _ in range(depth)]
        for cell in self.placed_header():
            for r in range(cell.row, cell.row + cell.rowspan):
                for c in range(cell.column, cell.column + cell.colspan):
                    if r >= depth or c >= width:
                        raise ValueError(f"Header cell {cell.text!r} of table {self.key} overflows the grid")
                    grid[r][c] += 1
        if any(count != 1 for row in grid for count in row):
            raise ValueError(f"The header of table {self.key} does not cover its {width} columns exactly")


@dataclass
class Signature:
    title: str = ""  # may hold a line break: "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH"
    name: str = ""


@dataclass
class Document:
    """A report as an official document (NĐ 30/2020 layout)."""

    code: str
    title: str
    tables: list[Table]
    subtitle: list[str] = field(default_factory=list)  # lines under the title (period, unit)
    parent_agency: str = ""  # upper line of the agency block (regular, uppercase)
    agency: str = ""  # issuing agency (bold, uppercase)
    number: str = ""  # "Số: …/BC-UBND" line, left blank for the clerk
    place: str = ""
    issued_on: date | None = None
    signature: Signature = field(default_factory=Signature)
    preparer: str = ""  # the person who prepared the table (left signature)
    recipients: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # under the last table
    landscape: bool = True
    meta: dict = field(default_factory=dict)  # unit, year, quarter, organisation… (for file names)
    locked: dict | None = None  # {"at": iso datetime, "by": name} when reproduced from a locked period

    @property
    def row_count(self) -> int:
        return sum(len(table.rows) for table in self.tables)

    @property
    def issues(self) -> list[tuple[Table, Row]]:
        return [(table, row) for table in self.tables for row in table.flagged]

    def totals(self) -> list[dict]:
        """Each table's total row as printed: [{"table", "title", "label", "cells": [{"number",
        "label", "value", "text"}]}] for the numeric columns (tables without a total are left out).
        What a command prints when asked for the figures rather than a file."""
        out = []
        for table in self.tables:
            total = table.total_row
            if total is None:
                continue
            cells = [
                {
                    "number": column.number,
                    "label": column.label,
                    "value": _encode(total.value(column.key), column.kind),
                    "text": display(total.value(column.key), column.kind),
                }
                for column in table.columns
                if column.numeric
            ]
            out.append({"table": table.key, "title": table.title, "label": total.label, "cells": cells})
        return out

    # --- JSON (period locks) -------------------------------------------------------------------

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "title": self.title,
            "subtitle": list(self.subtitle),
            "parent_agency": self.parent_agency,
            "agency": self.agency,
            "number": self.number,
            "place": self.place,
            "issued_on": self.issued_on.isoformat() if self.issued_on else None,
            "signature": {"title": self.signature.title, "name": self.signature.name},
            "preparer": self.preparer,
            "recipients": list(self.recipients),
            "notes": list(self.notes),
            "landscape": self.landscape,
            "meta": self.meta,
            "tables": [_table_to_dict(table) for table in self.tables],
        }

    @classmethod
    def from_dict(cls, data: dict) -> Document:
        return cls(
            code=data["code"],
            title=data["title"],
            subtitle=list(data.get("subtitle", [])),
            parent_agency=data.get("parent_agency", ""),
            agency=data.get("agency", ""),
            number=data.get("number", ""),
            place=data.get("place", ""),
            issued_on=date.fromisoformat(data["issued_on"]) if data.get("issued_on") else None,
            signature=Signature(**data.get("signature", {})),
            preparer=data.get("preparer", ""),
            recipients=list(data.get("recipients", [])),
            notes=list(data.get("notes", [])),
            landscape=data.get("landscape", True),
            meta=dict(data.get("meta", {})),
            tables=[_table_from_dict(table) for table in data["tables"]],
        )


def _encode(value, kind: str):
    if value is None:
        return None
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _decode(value, kind: str):
    if value is None:
        return None
    if kind == PERCENT:
        return Decimal(value)
    if kind == DATE and isinstance(value, str):
        return date.fromisoformat(value)
    return value


def _table_to_dict(table: Table) -> dict:
    kinds = {column.key: column.kind for column in table.columns}
    return {
        "key": table.key,
        "title": table.title,
        "columns": [
            {
                "key": c.key,
                "label": c.label,
                "number": c.number,
                "kind": c.kind,
                "width": c.width,
                "formula": c.formula,
                "suffix": c.suffix,
            }
            for c in table.columns
        ],
        "header": [[[cell.text, cell.colspan, cell.rowspan] for cell in row] for row in table.header],
        "rows": [
            {
                "cells": {key: _encode(value, kinds.get(key, TEXT)) for key, value in row.cells.items()},
                "kind": row.kind,
                "label": row.label,
                "issues": list(row.issues),
                "link": row.link,
            }
            for row in table.rows
        ],
        "notes": list(table.notes),
        "show_numbering": table.show_numbering,
        "label_columns": table.label_columns,
    }


def _table_from_dict(data: dict) -> Table:
    columns = [Column(**column) for column in data["columns"]]
    kinds = {column.key: column.kind for column in columns}
    return Table(
        key=data["key"],
        title=data["title"],
        columns=columns,
        header=[
            [HeaderCell(text, colspan, rowspan) for text, colspan, rowspan in row] for row in data["header"]
        ],
        rows=[
            Row(
                cells={key: _decode(value, kinds.get(key, TEXT)) for key, value in row["cells"].items()},
                kind=row["kind"],
                label=row.get("label", ""),
                issues=list(row.get("issues", [])),
                link=row.get("link"),
            )
            for row in data["rows"]
        ],
        notes=list(data.get("notes", [])),
        show_numbering=data.get("show_numbering", True),
        label_columns=data.get("label_columns", 2),
    )


# --- Printed text ---------------------------------------------------------------------------------

NO_RATE = "–"  # a rate of nothing (no households, no target): not 0 %


def display(value, kind: str) -> str:
    """The printed text of a value, on screen and on paper: "1.458", "6,79" (the header says %),
    "24/01/2017"; "–" for a rate that has no base. Tables are Vietnamese documents whatever the
    page's language (and naming the language spares a lookup per cell)."""
    if value is None or value == "":
        return NO_RATE if kind == PERCENT and value is None else ""
    if kind in (INT, MONEY):
        return fmt_int(value, lang="vi")
    if kind == PERCENT:
        return fmt_decimal(value, 2, lang="vi")
    if kind == DATE and isinstance(value, date):
        return fmt_date(value)
    return str(value)


# --- Helpers for builders ---------------------------------------------------------------------------


def grouped_header(
    columns: Sequence[Column], groups: Iterable[tuple[str, Sequence[str]]] = ()
) -> list[list[HeaderCell]]:
    """A two-row header where `groups` name a heading over consecutive columns
    (("Hộ nghèo", ["poor", "poor_rate"]), …); other columns span both rows."""
    group_of: dict[str, str] = {}
    for heading, keys in groups:
        for key in keys:
            group_of[key] = heading
    if not group_of:
        return [[HeaderCell(column.label) for column in columns]]
    top: list[HeaderCell] = []
    bottom: list[HeaderCell] = []
    i = 0
    while i < len(columns):
        heading = group_of.get(columns[i].key)
        if heading is None:
            top.append(HeaderCell(columns[i].label, rowspan=2))
            i += 1
            continue
        j = i
        while j < len(columns) and group_of.get(columns[j].key) == heading:
            bottom.append(HeaderCell(columns[j].label))
            j += 1
        top.append(HeaderCell(heading, colspan=j - i))
        i = j
    return [top, bottom]
