"""The sheet reader against an independent one: for workbooks written by openpyxl (as Excel writes
them: shared strings; and write-only, inline strings), every non-empty row reads with the same
number and the same values as openpyxl reads it. Two deliberate differences, normalised here:
dates stay Excel serial numbers (the census value rules convert them, 1900 or 1904 epoch), and a
formula cell without a cached result reads as "" (openpyxl: None)."""

import io
import random
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils.datetime import to_excel

from households.census import xlsx

LIMITS = xlsx.Limits(max_bytes=10**8, max_uncompressed=10**9, max_entries=200, max_rows=10**6)


def _value(rng: random.Random):
    kind = rng.randrange(9)
    if kind == 0:
        return None
    if kind == 1:
        return rng.randint(-(10**9), 10**9)
    if kind == 2:
        return round(rng.uniform(-1e6, 1e6), rng.randrange(6))
    if kind == 3:
        return rng.random() < 0.5
    if kind == 4:
        return date(rng.randint(1950, 2030), rng.randint(1, 12), rng.randint(1, 28))
    if kind == 5:
        return rng.choice(["Nguyễn Thị Hoa", "  khoảng trắng  ", "1.500.000", "Thôn 3", "a & <b>", "Ê\u0301"])
    if kind == 6:
        return "".join(rng.choice("abcđươ ") for _ in range(rng.randrange(1, 30)))
    if kind == 7:
        return rng.choice([0, 0.1, 1.5e20, -3, 45293])
    return "=1+1"  # no cached result in a file openpyxl wrote


def _workbook(seed: int, write_only: bool) -> bytes:
    rng = random.Random(seed)
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet() if write_only else book.active
    for _ in range(rng.randint(1, 120)):
        width = rng.randrange(0, 14)
        sheet.append([_value(rng) for _ in range(width)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _ours(data: bytes):
    workbook = xlsx.Workbook(data, LIMITS)
    rows = ((number, _trimmed(values)) for number, values in workbook.rows(workbook.sheets[0][1]))
    return [(number, values) for number, values in rows if values]


def _openpyxl(data: bytes):
    sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    rows = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        values = _trimmed([_serial(v) if isinstance(v, datetime) else v for v in values])
        if values:
            rows.append((number, values))
    return rows


def _serial(moment: datetime) -> int | float:
    serial = to_excel(moment)
    return int(serial) if serial == int(serial) else serial


def _trimmed(values) -> list:
    """Values with their types (1, 1.0 and True told apart), "" read as None, trailing blanks cut."""
    out = [None if value is None or value == "" else (type(value).__name__, value) for value in values]
    while out and out[-1] is None:
        out.pop()
    return out


@pytest.mark.parametrize("write_only", [False, True], ids=["shared strings", "write-only, inline strings"])
@pytest.mark.parametrize("seed", range(8))
def test_every_row_reads_as_openpyxl_reads_it(seed, write_only):
    data = _workbook(seed, write_only)
    assert _ours(data) == _openpyxl(data)
