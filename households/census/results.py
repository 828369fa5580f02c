"""The results file: the input's rows as they were (title rows and header included), with two
columns added — "Phân loại theo hệ thống" and "Lỗi". Rows where the commune's own "Phân loại"
differs from the system's are highlighted, so a reviewer sees every mismatch at a glance."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook as OutputWorkbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill

from core.xlsx import cell_value

from ..classification import CLASS_LABELS
from .services import ImportReport, errors_by_row
from .xlsx import Limits, Workbook

SYSTEM_CLASS = "Phân loại theo hệ thống"
ERRORS = "Lỗi"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_MISMATCH = PatternFill("solid", start_color="FFF3CD")
_ERROR = PatternFill("solid", start_color="F8D7DA")


def results_workbook(data: bytes, report: ImportReport, *, limits: Limits | None = None) -> bytes:
    output = OutputWorkbook(write_only=True)
    sheet = output.create_sheet(_("Kết quả"))
    errors = errors_by_row(report.errors)
    mismatched = {m.row for m in report.mismatches}
    file_errors = errors.pop(0, [])
    if file_errors:
        sheet.append([_("Tệp không nhập được:")])
        for error in file_errors:
            sheet.append([cell_value(error.message)])
        sheet.append([])
    if report.file_error:
        return _save(output)
    workbook = Workbook(data, limits or Limits.for_census())
    part = next(path for name, path in workbook.sheets if name == report.sheet)
    width = 0
    header_last = report.header_rows[-1] if report.header_rows else 0
    expected = 1
    bold = Font(bold=True)
    for number, values in workbook.rows(part):
        while expected < number:
            sheet.append([])
            expected += 1
        expected = number + 1
        if number <= header_last:
            width = max(width, len(values))
        cells = [cell_value(value) for value in values]
        if number == header_last:
            cells += [None] * (width - len(cells))
            extra = []
            for label in (SYSTEM_CLASS, ERRORS):
                cell = WriteOnlyCell(sheet, value=label)
                cell.font = bold
                cell.alignment = Alignment(wrap_text=True)
                extra.append(cell)
            sheet.append(cells + extra)
            continue
        cls = report.classes_by_row.get(number)
        row_errors = errors.get(number)
        if cls is None and not row_errors:
            sheet.append(cells)
            continue
        cells += [None] * (width - len(cells))
        label = WriteOnlyCell(sheet, value=CLASS_LABELS.get(cls, "") if cls else None)
        if number in mismatched:
            label.fill = _MISMATCH
        message = WriteOnlyCell(
            sheet,
            value=cell_value(
                "; ".join(f"{e.column}: {e.message}" if e.column else e.message for e in row_errors)
            )
            if row_errors
            else None,
        )
        if row_errors:
            message.fill = _ERROR
        sheet.append(cells + [label, message])
    return _save(output)


def _save(output) -> bytes:
    buffer = io.BytesIO()
    output.save(buffer)
    return buffer.getvalue()
