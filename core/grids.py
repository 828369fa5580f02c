"""Tables as offices save them, read inside a request: the first sheet of an .xlsx (through the
upload guard, core/uploads.py) or CSV/TSV text (UTF-8 or Windows-1258, the delimiter guessed), as
rows of cells; and figures as people type them ("1.458", "1 458", "420 hộ", "-"). Used by the
target-table import and the resident-population import."""

import csv
import io
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .text import nfc
from .uploads import NOT_XLSX, UploadLimits, UploadRefused, check_upload_size, too_many_columns

UNREADABLE = _(
    "Không đọc được tệp “{name}”: tệp hỏng, có mật khẩu hoặc không phải bảng tính. "
    "Hãy mở bằng Excel và lưu lại dạng .xlsx, hoặc .csv (UTF-8)."
)


class GridUnreadable(ValueError):
    """The file cannot be read as a table; the message says why, in Vietnamese."""


@dataclass(frozen=True)
class Cell:
    value: object  # str | int | float | None
    places: int | None = None  # decimals shown by the cell's number format (spreadsheets)


def _places(number_format: str) -> int | None:
    match = re.search(r"0[.,](0+)", number_format or "")
    return len(match.group(1)) if match else (0 if number_format and "0" in number_format else None)


def _read_xlsx(data: bytes, limits: UploadLimits) -> list[list[Cell]]:
    from openpyxl import load_workbook

    from households.census.xlsx import guard_workbook

    # openpyxl pads every row to the sheet's declared width and holds a cell at a time: only a
    # workbook the guard has streamed within the limits reaches it.
    guard_workbook(data, limits)
    workbook = load_workbook(io.BytesIO(data), data_only=True, read_only=True)
    sheet = workbook.worksheets[0]
    grid = []
    for index, row in enumerate(sheet.iter_rows()):
        if index >= limits.max_rows:
            break
        grid.append(
            [
                Cell(
                    cell.value,
                    _places(getattr(cell, "number_format", "")) if isinstance(cell.value, float) else None,
                )
                for cell in row
            ]
        )
    workbook.close()
    return grid


def _read_text(data: bytes, limits: UploadLimits) -> list[list[Cell]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1258")
    lines = text.splitlines()[: limits.max_rows]
    sample = "\n".join(lines[:50])
    delimiter = max(("\t", ";", ","), key=sample.count)
    grid = []
    for row in csv.reader(lines, delimiter=delimiter):
        if len(row) > limits.max_columns:
            raise too_many_columns(len(row) - 1, limits)
        grid.append([Cell(value) for value in row])
    return grid


def read_grid(name: str, data: bytes) -> list[list[Cell]]:
    """The first sheet (or the CSV/TSV text) as rows of cells, within the limits of a table read
    inside a request (core.uploads)."""
    limits = UploadLimits.for_tables()
    try:
        check_upload_size(len(data), limits)
        if name.lower().endswith((".xlsx", ".xlsm")) or data[:2] == b"PK":
            return _read_xlsx(data, limits)
        return _read_text(data, limits)
    except UploadRefused as error:  # over a limit, or unsafe: the guard's message names which
        if str(error) == str(NOT_XLSX):  # this page also takes .csv: say so
            raise GridUnreadable(str(UNREADABLE).format(name=name)) from error
        raise GridUnreadable(str(error)) from error
    except Exception as error:  # a corrupt or foreign file: say so, never a stack trace
        # The library's own message is English ("File is not a zip file"): name the file instead.
        raise GridUnreadable(str(UNREADABLE).format(name=name)) from error


def cell_text(cell: Cell | None) -> str:
    if cell is None or cell.value is None:
        return ""
    value = cell.value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return nfc(str(value)).strip()


# --- Figures as typed ----------------------------------------------------------------------------

_THOUSANDS = re.compile(r"^\d{1,3}([. ]\d{3})+$")
DASHES = {"-", "–", "—"}


def parse_count(cell: Cell | None) -> int | None:
    """A number of households: 1458, "1.458", "1 458", "420 hộ", "-" (0). None when empty."""
    if cell is None or cell.value is None:
        return None
    value = cell.value
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise ValueError(value)
    text = re.sub(r"\s*hộ$", "", nfc(str(value)).replace("\u00a0", " ").strip(), flags=re.IGNORECASE)
    if not text:
        return None
    if text in DASHES:
        return 0
    if text.isdigit():
        return int(text)
    if _THOUSANDS.match(text):
        return int(re.sub(r"[. ]", "", text))
    raise ValueError(text)
