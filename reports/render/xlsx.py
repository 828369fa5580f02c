"""XLSX through openpyxl: one sheet per table, numbers stored as numbers with Vietnamese display
formats, the merged header frozen and repeated on every printed page, A4 print setup (landscape for
wide tables, fit to width), totals, notes and the signature lines. Every text cell goes through
core.xlsx.cell_value, so a name that begins with = + - @ can never become a formula."""

import io
import re
from datetime import date

from django.utils.translation import gettext_noop
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from core import tables as t
from core import xlsx as cx
from core.formatting import fmt_document_date

FONT = "Times New Roman"
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FORMATS = {t.INT: cx.INT, t.MONEY: cx.INT, t.PERCENT: cx.PERCENT2, t.DATE: cx.DATE}
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_title(text: str, taken: set[str]) -> str:
    """An Excel sheet name (≤ 31 characters, no []:*?/\\), unique in the workbook."""
    base = _SHEET_FORBIDDEN.sub(" ", text).strip().strip("'") or "Bieu"
    base = base[:31]
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(name.lower())
    return name


def _value(value, kind: str):
    if value is None or value == "":
        return None
    if kind in (t.INT, t.MONEY):
        return int(value)
    if kind == t.PERCENT:
        return float(value)
    if kind == t.DATE and isinstance(value, date):
        return value
    if kind == t.CODE and isinstance(value, str) and value.isdigit() and len(value) < 6:
        return int(value)  # a row number (TT), not an identifier
    return cx.cell_value(str(value))


def _merge(sheet, top: int, left: int, bottom: int, right: int) -> None:
    if right > left or bottom > top:
        sheet.merge_cells(start_row=top, start_column=left, end_row=bottom, end_column=right)


def _text(value: str):
    return cx.cell_value(value) if value else None


def render_xlsx(document: t.Document, *, progress=None) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    total_rows = max(document.row_count, 1)
    done = 0
    for index, table in enumerate(document.tables, start=1):
        title = table.title or document.title
        sheet = workbook.create_sheet(
            sheet_title(title if len(document.tables) > 1 else document.title, taken)
        )
        done = _write_table(sheet, document, table, index, progress, done, total_rows)
    workbook.properties.title = document.title
    workbook.properties.creator = document.agency or "povertyplan"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _write_table(
    sheet, document: t.Document, table: t.Table, index: int, progress, done: int, total: int
) -> int:
    width = len(table.columns)
    last = get_column_letter(width)
    bold = Font(name=FONT, bold=True, size=12)
    plain = Font(name=FONT, size=12)
    italic = Font(name=FONT, italic=True, size=12)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)

    # Document frame: agency block on the left, national motto on the right.
    split = max(1, width // 2)  # agency block over the left half, motto over the right half
    frame = [
        (document.parent_agency.upper(), plain, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold),
        (document.agency.upper(), bold, "Độc lập - Tự do - Hạnh phúc", bold),
        (
            document.number,
            plain,
            fmt_document_date(document.place, document.issued_on)
            if document.place and document.issued_on
            else "",
            italic,
        ),
    ]
    row = 1
    for left, left_font, right, right_font in frame:
        if left:
            sheet.cell(row, 1, _text(left)).font = left_font
        if right and split < width:
            sheet.cell(row, split + 1, _text(right)).font = right_font
        _merge(sheet, row, 1, row, split)
        _merge(sheet, row, split + 1, row, width)
        for column_index in {1, min(split + 1, width)}:
            sheet.cell(row, column_index).alignment = Alignment(horizontal="center")
        row += 1
    row += 1
    for text, font in (
        [(document.title.upper(), Font(name=FONT, bold=True, size=14))]
        + [(line, bold) for line in document.subtitle]
        + ([(table.title, bold)] if table.title else [])
    ):
        cell = sheet.cell(row, 1, _text(text))
        cell.font = font
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
        _merge(sheet, row, 1, row, width)
        row += 1
    row += 1

    # Header: merged cells exactly as the form.
    header_top = row
    for placed in table.placed_header():
        r, c = header_top + placed.row, placed.column + 1
        cell = sheet.cell(r, c, _text(placed.text))
        cell.font = Font(name=FONT, bold=True, size=11)
        cell.alignment = center
        if placed.rowspan > 1 or placed.colspan > 1:
            sheet.merge_cells(
                start_row=r, start_column=c, end_row=r + placed.rowspan - 1, end_column=c + placed.colspan - 1
            )
    header_bottom = header_top + table.header_depth - 1
    if table.has_numbering:
        header_bottom += 1
        for c, number in enumerate(table.numbering, start=1):
            cell = sheet.cell(header_bottom, c, _text(number))
            cell.font = Font(name=FONT, italic=True, size=11)
            cell.alignment = center
    for r in range(header_top, header_bottom + 1):
        for c in range(1, width + 1):
            sheet.cell(r, c).border = BOX

    # Body.
    row = header_bottom + 1
    styles = {
        column.key: (
            FORMATS.get(column.kind),
            Alignment(horizontal=column.align, vertical="top", wrap_text=not column.numeric),
        )
        for column in table.columns
    }
    for item in table.rows:
        font = Font(name=FONT, size=11, bold=item.kind in (t.GROUP, t.SUBTOTAL, t.TOTAL))
        if item.kind == t.GROUP:
            cell = sheet.cell(row, 1, _text(item.label))
            cell.font = font
            _merge(sheet, row, 1, row, width)
            for c in range(1, width + 1):
                sheet.cell(row, c).border = BOX
        else:
            for c, column in enumerate(table.columns, start=1):
                cell = sheet.cell(row, c, _value(item.cells.get(column.key), column.kind))
                number_format, alignment = styles[column.key]
                if number_format:
                    cell.number_format = number_format
                cell.alignment = alignment
                cell.font = font
                cell.border = BOX
        if item.issues:
            first = sheet.cell(row, 1)
            first.comment = Comment("\n".join(item.issues), "Kiểm tra số liệu")
        row += 1
        done += 1
        if progress and done % 500 == 0:
            progress(done, total, gettext_noop("Đang ghi bảng tính"))

    # Notes, issues and signatures under the table.
    row += 1
    for item in table.flagged:
        label = item.cells.get("label") or item.label
        for issue in item.issues:
            sheet.cell(row, 1, _text(f"(*) {label}: {issue}" if label else f"(*) {issue}")).font = italic
            row += 1
    for note in table.notes + (document.notes if index == len(document.tables) else []):
        sheet.cell(row, 1, _text(note)).font = Font(name=FONT, size=11)
        row += 1
    row += 1
    sheet.cell(row, 1, _text("Người lập biểu")).font = bold
    sheet.cell(row, 1).alignment = Alignment(horizontal="center")
    _merge(sheet, row, 1, row, split)
    signer_column = min(split + 1, width)
    for offset, line in enumerate(line for line in document.signature.title.split("\n") if line):
        cell = sheet.cell(row + offset, signer_column, _text(line))
        cell.font = bold
        cell.alignment = Alignment(horizontal="center")
        _merge(sheet, row + offset, signer_column, row + offset, width)
    names_row = row + 5
    for column_index, name in ((1, document.preparer), (split + 1, document.signature.name)):
        if name and column_index <= width:
            cell = sheet.cell(names_row, column_index, _text(name))
            cell.font = bold
            cell.alignment = Alignment(horizontal="center")
    _merge(sheet, names_row, 1, names_row, split)
    _merge(sheet, names_row, split + 1, names_row, width)

    # Widths, frozen header, print setup.
    for c, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = max(5, min(60, column.width * 1.15))
    label_columns = min(table.label_columns, width)
    sheet.freeze_panes = f"{get_column_letter(label_columns + 1)}{header_bottom + 1}"
    sheet.print_title_rows = f"{header_top}:{header_bottom}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if document.landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left, sheet.page_margins.right = 30 / 25.4, 15 / 25.4
    sheet.page_margins.top, sheet.page_margins.bottom = 20 / 25.4, 20 / 25.4
    sheet.oddFooter.center.text = "Trang &P / &N"
    sheet.print_area = f"A1:{last}{names_row}"
    return done
