"""PDF through WeasyPrint, laid out as a Vietnamese administrative document (NĐ 30/2020, domain.md §7):
agency block and national motto with its rule, italic place-and-date line, title, the tables with
their header repeated on every page, totals, notes, page numbers (top centre, not on page 1) and the
signature block. A4, landscape for wide tables; the Tinos font (metric-compatible with Times New
Roman, full Vietnamese) ships in static/fonts and is embedded.

Speed (bench/bench_reports.py): WeasyPrint spends about a millisecond per table cell on boxes,
line boxes and drawing, so a 1,000-row household list takes half a minute when each value is a
table cell. Here a table's *body* is lean: each row is a single cell holding the row's printed lines,
already wrapped to the columns with the font's own metrics (reports/render/metrics.py) and placed
with fixed-width Unicode spaces; the column rules are drawn once per page by the column background.
WeasyPrint then lays out one line box per printed line. The header stays a real table (merged
cells), repeated on every page by the table's `thead`; page breaks fall between rows."""

import atexit
import base64
import html
import threading
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_noop

from core import tables as t
from core.formatting import fmt_document_date

from . import metrics

MM = 72 / 25.4  # points per millimetre
PAGE = {True: (297, 210), False: (210, 297)}  # landscape / portrait, mm
MARGIN = {"top": 20, "bottom": 20, "left": 30, "right": 15}  # mm, NĐ 30/2020
PAD = 2.5  # cell padding left and right, pt
LINE_HEIGHT = 1.25  # × font size
ROW_PAD = 1.5  # pt above and below a body row's text
RULE = 0.75  # pt


def content_width(landscape: bool) -> float:
    """Width between the margins, in points."""
    return (PAGE[landscape][0] - MARGIN["left"] - MARGIN["right"]) * MM


def font_size_for(table: t.Table) -> float:
    count = len(table.columns)
    if count <= 10:
        return 11
    if count <= 16:
        return 10
    return 8.5


def column_widths(table: t.Table, total: float) -> list[float]:
    """Widths in points from the columns' relative widths, filling `total`."""
    weights = [max(column.width, 1) for column in table.columns]
    scale = total / sum(weights)
    widths = [round(weight * scale, 2) for weight in weights]
    widths[-1] = round(total - sum(widths[:-1]), 2)
    return widths


# --- The lean body ------------------------------------------------------------------------------


def row_lines(table: t.Table, row: t.Row, widths: list[float], size: float) -> list[str]:
    """The printed lines of one row: each column's text wrapped to its width, fragments placed
    at their column's left, right or centre with fixed spaces measured in font units."""
    bold = row.kind in (t.SUBTOTAL, t.TOTAL, t.GROUP)
    upm = metrics.units_per_em()
    to_units = upm / size
    if row.kind == t.GROUP:
        label = row.label or ""
        return [
            metrics.gap(PAD * to_units)[0] + line
            for line in metrics.wrap(label, sum(widths) - 2 * PAD, size, bold)
        ]
    columns = []
    left = 0.0
    for position, (column, width) in enumerate(zip(table.columns, widths, strict=True)):
        text = t.display(row.cells.get(column.key), column.kind)
        if text and column.suffix:
            text = f"{text} {column.suffix}"
        if position == 0 and row.issues:
            text = f"{text}*"  # explained under the table
        lines = metrics.wrap(text, width - 2 * PAD, size, bold) if text else [""]
        columns.append((column, left, width, lines))
        left += width
    height = max(len(lines) for *_rest, lines in columns)
    printed = []
    for index in range(height):
        line, x = [], 0  # x in font units from the row's left edge
        for column, left, width, lines in columns:
            if index >= len(lines) or not lines[index]:
                continue
            fragment = lines[index]
            units = metrics.text_units(fragment, bold)
            start_pt = left + PAD
            if column.align == "right":
                start_pt = left + width - PAD - units / to_units
            elif column.align == "center":
                start_pt = left + (width - units / to_units) / 2
            spaces, gap_units = metrics.gap(start_pt * to_units - x)
            line.append(spaces + fragment)
            x += gap_units + units
        printed.append("".join(line))
    return printed


def _grid_background(widths: list[float]) -> str:
    """An SVG of the column rules (the table's full height), as a data URI for the column background."""
    total = sum(widths)
    xs, x = [RULE / 2], 0.0
    for width in widths[:-1]:
        x += width
        xs.append(x)
    xs.append(total - RULE / 2)
    lines = "".join(
        f'<line x1="{pos:.2f}" y1="0" x2="{pos:.2f}" y2="2000" stroke="#000" stroke-width="{RULE}"/>'
        for pos in xs
    )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total:.2f}pt" height="2000pt" '
        f'viewBox="0 0 {total:.2f} 2000">{lines}</svg>'
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _header_html(table: t.Table, widths: list[float]) -> str:
    cols = "".join(f'<col style="width:{w:.2f}pt">' for w in widths)
    rows: dict[int, list[str]] = {}
    for cell in table.placed_header():
        attrs = ""
        if cell.colspan > 1:
            attrs += f' colspan="{cell.colspan}"'
        if cell.rowspan > 1:
            attrs += f' rowspan="{cell.rowspan}"'
        text = "<br>".join(html.escape(part) for part in cell.text.split("\n"))
        rows.setdefault(cell.row, []).append(f"<th{attrs}>{text}</th>")
    body = "".join(f"<tr>{''.join(rows.get(r, []))}</tr>" for r in range(table.header_depth))
    if table.has_numbering:
        body += (
            '<tr class="numbering">'
            + "".join(f"<td>{html.escape(n)}</td>" for n in table.numbering)
            + "</tr>"
        )
    return f'<table class="head"><colgroup>{cols}</colgroup>{body}</table>'


_ROW_CLASS = {
    t.DATA: "",
    t.GROUP: ' class="group"',
    t.SUBTOTAL: ' class="subtotal"',
    t.TOTAL: ' class="total"',
}


def table_html(table: t.Table, landscape: bool) -> str:
    """One report table: the real header table inside a repeated `thead`, and the lean body."""
    total = content_width(landscape)
    widths = column_widths(table, total)
    size = font_size_for(table)
    line_height = size * LINE_HEIGHT
    parts = [
        f'<table class="grid" style="width:{total:.2f}pt;font-size:{size}pt">',
        f'<col style="background-image:url({_grid_background(widths)})">',
        f'<thead><tr><th class="holder">{_header_html(table, widths)}</th></tr></thead><tbody>',
    ]
    # Rows taller than a page may break inside; ordinary rows never do.
    page_height = (PAGE[landscape][1] - MARGIN["top"] - MARGIN["bottom"]) * MM * 0.6
    for row in table.rows:
        lines = row_lines(table, row, widths, size)
        cls = _ROW_CLASS.get(row.kind, "")
        if len(lines) * line_height > page_height:
            cls = cls[:-1] + ' tall"' if cls else ' class="tall"'
        parts.append(f"<tr{cls}><td>{html.escape(chr(10).join(lines))}</td></tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


# --- The document ---------------------------------------------------------------------------------

_STATIC_ROOTS: list[Path] | None = None


def _static_roots() -> list[Path]:
    global _STATIC_ROOTS
    if _STATIC_ROOTS is None:
        roots = [Path(p).resolve() for p in getattr(settings, "STATICFILES_DIRS", [])]
        if getattr(settings, "STATIC_ROOT", None):
            roots.append(Path(settings.STATIC_ROOT).resolve())
        _STATIC_ROOTS = roots
    return _STATIC_ROOTS


@cache
def url_fetcher():
    """A fetcher that reads only the product's own static files and data: URIs: a report never
    reaches the network, and nothing in a household's text can make it read another file."""
    from weasyprint.urls import URLFetcher

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("file://"):
                path = Path(url[len("file://") :].split("?")[0]).resolve()
                if not (path.is_file() and any(path.is_relative_to(root) for root in _static_roots())):
                    raise ValueError(f"Refusing to read {url!r} while rendering a report")
            elif not url.startswith("data:"):
                raise ValueError(f"Refusing to fetch {url!r} while rendering a report")
            return super().fetch(url, headers)

    return StaticOnlyFetcher(allowed_protocols={"file", "data"}, fail_on_errors=True)


_lock = threading.Lock()


@cache
def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    # Released before the interpreter tears its modules down (WeasyPrint's finaliser needs them).
    atexit.register(_font_config.cache_clear)
    atexit.register(_stylesheet.cache_clear)
    return FontConfiguration()


@cache
def _stylesheet():
    """The print stylesheet with its @font-face rules, parsed once per process (the fonts with it)."""
    from weasyprint import CSS

    path = finders.find("css/pdf.css")
    if not path:
        raise FileNotFoundError("static/css/pdf.css is missing")
    return CSS(filename=path, url_fetcher=url_fetcher(), font_config=_font_config())


def document_html(document: t.Document, table_renderer=None) -> str:
    """The document's HTML for WeasyPrint; `table_renderer(table, landscape)` draws each table
    (the lean renderer unless a benchmark compares another)."""
    table_renderer = table_renderer or table_html
    landscape = document.landscape
    context = {
        "document": document,
        "landscape": landscape,
        "place_date": fmt_document_date(document.place, document.issued_on)
        if document.issued_on and document.place
        else "",
        "tables": [
            {"table": table, "html": mark_safe(table_renderer(table, landscape)), "issues": table.flagged}  # noqa: S308
            for table in document.tables
        ],
        "signature_lines": [line for line in document.signature.title.split("\n") if line],
    }
    return render_to_string("reports/pdf/document.html", context)


def render_pdf(document: t.Document, *, progress=None, table_renderer=None, extra_css: str = "") -> bytes:
    """The document as PDF bytes. `progress(done, total, message)` is told of the three phases."""
    from weasyprint import HTML

    def step(done: int, message: str):
        if progress:
            progress(done, 3, message)

    step(0, gettext_noop("Đang dàn trang"))
    source = document_html(document, table_renderer)
    step(1, gettext_noop("Đang dàn trang"))
    base = str(Path(finders.find("css/pdf.css")).parent)
    with _lock:  # FontConfiguration is not thread-safe; one PDF at a time per process
        stylesheets = [_stylesheet()]
        if extra_css:
            from weasyprint import CSS

            stylesheets.append(CSS(string=extra_css, font_config=_font_config()))
        rendered = HTML(string=source, base_url=base, url_fetcher=url_fetcher()).render(
            stylesheets=stylesheets, font_config=_font_config()
        )
        step(2, gettext_noop("Đang ghi tệp PDF"))
        data = rendered.write_pdf()
    step(3, gettext_noop("Xong"))
    return data
