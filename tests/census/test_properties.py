"""Random cells: an import never raises, and never writes part of a file (issue point 9)."""

import io
from importlib import import_module

from auditlog.models import LogEntry
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from households.census.services import census_import
from households.models import Assessment, Household, Member
from tests.census import files

YEAR = 2020
_SEED = import_module("households.migrations.0002_standards_and_lookups")
HEADERS_2020 = (
    files.BASE_HEADERS + [name for _d, _c, name, _x in _SEED.STANDARDS[0]["indicators"]] + files.TAIL_HEADERS
)
SAMPLES = [
    "x",
    "X",
    "có",
    "không",
    "0",
    "1",
    "Nam",
    "Nữ",
    "nu",
    "1.500.000",
    "1,5 triệu",
    "700.000 đ",
    "Tổng cộng",
    "Xã Cam Tuyền",
    "Cam Tuyền",
    "TT Cam Lộ",
    "19600",
    "19597",
    "19000",
    "Thôn An Mỹ",
    "Thôn Mới",
    "Hộ nghèo",
    "Hộ cận nghèo",
    "Kinh",
    "045070001234",
    "2020",
    "Nông thôn",
    "Thành thị",
    "Người có công",
    "Thiếu vốn",
    "   ",
    "\u00a0",
    "1970",
    "=1+1",
]
text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)
cells = st.one_of(
    st.none(),
    st.sampled_from(SAMPLES),
    text,
    st.integers(min_value=-(10**13), max_value=10**13),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
)


def _valid(code):
    return files.Household(code, commune_code="19600", income=650_000).cells(YEAR)


@st.composite
def sheets(draw):
    width = len(files.headers(YEAR))
    rows = []
    for i in range(draw(st.integers(min_value=1, max_value=6))):
        if draw(st.booleans()):
            row = _valid(f"OK{i}")
            for _ in range(draw(st.integers(min_value=0, max_value=3))):
                row[draw(st.integers(min_value=0, max_value=width - 1))] = draw(cells)
        else:
            row = draw(st.lists(cells, min_size=0, max_size=width))
        rows.append(row)
    return rows


def _save(header, rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _counts():
    return (
        Household.objects.count(),
        Assessment.objects.count(),
        Member.objects.count(),
        LogEntry.objects.count(),
    )


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=sheets(), skip=st.booleans())
def test_random_cells_never_raise_and_never_write_part_of_a_file(camlo, rows, skip):
    data = _save(files.headers(YEAR), rows)
    with transaction.atomic():
        before = _counts()
        report = census_import(data=data, year=YEAR, user=camlo.admin, skip_errors=skip)
        after = _counts()
        valid = report.created + report.updated + report.unchanged
        if report.written:
            assert skip or not report.errors
            assert after[0] - before[0] == report.created
            assert (
                Household.objects.filter(pk__in=report.applied.household_ids).count()
                == report.created + report.updated
            )
            assert report.rows == valid + report.error_rows
        else:
            assert after == before, "a refused import wrote something"
            assert report.errors or valid == 0
        transaction.set_rollback(True)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    header=st.lists(st.one_of(text, st.sampled_from(HEADERS_2020)), max_size=30),
    rows=st.lists(st.lists(cells, max_size=8), max_size=4),
)
def test_random_headers_never_raise(camlo, header, rows):
    data = _save(header, rows)
    with transaction.atomic():
        before = _counts()
        report = census_import(data=data, year=YEAR, user=camlo.admin)
        assert report.written or _counts() == before
        transaction.set_rollback(True)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2000))
def test_random_bytes_are_a_clear_file_error(camlo, data):
    report = census_import(data=data, year=YEAR, user=camlo.admin)
    assert report.file_error and report.errors[0].message
    assert Household.objects.count() == 0
