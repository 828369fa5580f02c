"""A table on screen: a `core.tables.Table` prepared for templates/core/_table.html (merged header,
numbering row with the formulas as tooltips, formatted cells, flagged rows with their issues listed
under the table, drill-down links, an empty-state line, notes). The one HTML rendering of a table:
the report previews (templates/reports/_document.html) and the targets' source-shaped tables
(templates/targets/table_page.html) both use it. Large tables are cut to `limit` rows on screen;
the files always hold every row."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from . import tables as t

PREVIEW_ROWS = 300

ALIGN = {"right": "num", "center": "text-center", "left": ""}


@dataclass
class HtmlCell:
    text: str
    css: str = ""
    href: str = ""
    issues: str = ""  # the row's issues, on the cell that names the row (a warning icon with a tooltip)


@dataclass
class HtmlRow:
    kind: str
    cells: list[HtmlCell] = field(default_factory=list)
    label: str = ""
    issues: list[str] = field(default_factory=list)


@dataclass
class HtmlTable:
    key: str
    title: str
    header: list[list[t.PlacedCell]]
    numbering: list[tuple[str, str]]  # (number, formula in words) per column; empty: no numbering row
    rows: list[HtmlRow]
    width: int
    notes: list[str]
    empty: str = ""  # shown as the first body line when the table has no data rows
    hidden_rows: int = 0
    issues: list[tuple[str, str]] = field(default_factory=list)  # (row label, issue)


def html_table(
    table: t.Table,
    *,
    limit: int = PREVIEW_ROWS,
    link: Callable[[dict], str] | None = None,
    empty: str = "",
) -> HtmlTable:
    """`table` ready for templates/core/_table.html. `link(row.link)` gives the URL a row's name
    leads to (drilling down); `empty` says what to do when there are no data rows."""
    header: list[list[t.PlacedCell]] = [[] for _ in range(table.header_depth)]
    for cell in table.placed_header():
        header[cell.row].append(cell)
    rows: list[HtmlRow] = []
    # Keep totals visible even when the body is cut.
    body = table.rows
    hidden = 0
    if len(body) > limit:
        tail = [row for row in body[limit:] if row.kind == t.TOTAL]
        hidden = len(body) - limit - len(tail)
        body = body[:limit] + tail
    label_key = "label" if any(column.key == "label" for column in table.columns) else table.columns[0].key
    for row in body:
        if row.kind == t.GROUP:
            rows.append(HtmlRow(kind=row.kind, label=row.label))
            continue
        cells = []
        for column in table.columns:
            text = t.display(row.cells.get(column.key), column.kind)
            if text and column.suffix:
                text = f"{text} {column.suffix}"
            names_row = column.key == label_key
            href = link(row.link) if (link and row.link and names_row) else ""
            css = ALIGN.get(column.align, "")
            if names_row:
                css = f"{css} text-nowrap".strip()
            issues = " ".join(row.issues) if names_row else ""
            cells.append(HtmlCell(text=text, css=css, href=href, issues=issues))
        rows.append(HtmlRow(kind=row.kind, cells=cells, issues=list(row.issues)))
    issues = [
        (str(row.cells.get(label_key) or row.label or ""), issue)
        for row in table.rows
        for issue in row.issues
    ]
    return HtmlTable(
        key=table.key,
        title=table.title,
        header=header,
        numbering=[(column.number, column.formula) for column in table.columns]
        if table.has_numbering
        else [],
        rows=rows,
        width=len(table.columns),
        notes=list(table.notes),
        empty="" if table.data_rows else (empty or _("Chưa có dòng nào.")),
        hidden_rows=hidden,
        issues=issues,
    )
