"""The baseline of bench_reports.mau02_pdf_1000: a plain WeasyPrint rendering of the same document —
the same page frame, fonts and print stylesheet, but each table drawn the usual way, one `<td>` per
value, automatic table layout, the header repeated by `thead`. What a first version would do."""

import html

from core import tables as t
from reports.render.pdf import content_width, font_size_for, render_pdf

PLAIN_CSS = """
table.plain { border-collapse: collapse; }
table.plain thead { display: table-header-group; }
table.plain th, table.plain td { border: 0.75pt solid #000; padding: 1.5pt 2.5pt; vertical-align: top; line-height: 1.25; }
table.plain th { text-align: center; vertical-align: middle; font-weight: bold; line-height: 1.15; }
table.plain tr.numbering td { text-align: center; font-style: italic; }
table.plain td.right { text-align: right; }
table.plain td.center { text-align: center; }
table.plain tr { break-inside: avoid; }
table.plain tr.group td, table.plain tr.subtotal td, table.plain tr.total td { font-weight: bold; }
"""


def plain_table_html(table: t.Table, landscape: bool) -> str:
    rows: dict[int, list[str]] = {}
    for cell in table.placed_header():
        span = (f' colspan="{cell.colspan}"' if cell.colspan > 1 else "") + (
            f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else ""
        )
        rows.setdefault(cell.row, []).append(f"<th{span}>{html.escape(cell.text)}</th>")
    head = "".join(f"<tr>{''.join(rows[r])}</tr>" for r in range(table.header_depth))
    if table.has_numbering:
        head += (
            '<tr class="numbering">'
            + "".join(f"<td>{html.escape(n)}</td>" for n in table.numbering)
            + "</tr>"
        )
    body = []
    for row in table.rows:
        if row.kind == t.GROUP:
            body.append(
                f'<tr class="group"><td colspan="{len(table.columns)}">{html.escape(row.label)}</td></tr>'
            )
            continue
        cells = []
        for column in table.columns:
            text = t.display(row.cells.get(column.key), column.kind)
            css = {"right": ' class="right"', "center": ' class="center"'}.get(column.align, "")
            cells.append(f"<td{css}>{html.escape(text)}</td>")
        body.append(f'<tr class="{row.kind}">{"".join(cells)}</tr>')
    width = content_width(landscape)
    return (
        f'<table class="plain" style="width:{width:.2f}pt;font-size:{font_size_for(table)}pt">'
        f"<thead>{head}</thead><tbody>{''.join(body)}</tbody></table>"
    )


def render_plain(document: t.Document) -> bytes:
    return render_pdf(document, table_renderer=plain_table_html, extra_css=PLAIN_CSS)
