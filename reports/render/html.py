"""The HTML preview: a document's tables prepared for templates/reports/_table.html (merged header,
numbering row, formatted cells, flagged rows, drill-down links). Large tables are cut to
`limit` rows on screen; the files always hold every row."""

from collections.abc import Callable
from dataclasses import dataclass, field

from core import tables as t

from . import display

PREVIEW_ROWS = 300

ALIGN = {"right": "num", "center": "text-center", "left": ""}


@dataclass
class HtmlCell:
    text: str
    css: str = ""
    href: str = ""


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
    numbering: list[str]
    rows: list[HtmlRow]
    width: int
    notes: list[str]
    hidden_rows: int = 0
    issues: list[tuple[str, str]] = field(default_factory=list)  # (row label, issue)


def html_table(
    table: t.Table, *, limit: int = PREVIEW_ROWS, link: Callable[[dict], str] | None = None
) -> HtmlTable:
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
            text = display(row.cells.get(column.key), column.kind)
            if text and column.suffix:
                text = f"{text} {column.suffix}"
            href = link(row.link) if (link and row.link and column.key == label_key) else ""
            css = ALIGN.get(column.align, "")
            if column.key == label_key:
                css = f"{css} text-nowrap".strip()
            cells.append(HtmlCell(text=text, css=css, href=href))
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
        numbering=table.numbering if table.has_numbering else [],
        rows=rows,
        width=len(table.columns),
        notes=list(table.notes),
        hidden_rows=hidden,
        issues=issues,
    )
