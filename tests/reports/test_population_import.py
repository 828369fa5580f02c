"""Resident populations entered from a file (reports.services.resident_populations_import): the
unit found in the tree of its year, all or nothing, every bad row named, the user's area kept."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from reports import services
from reports.models import ResidentPopulation

HEADER = ["Mã đơn vị", "Năm", "Số hộ", "Số nhân khẩu", "Nguồn"]


def _xlsx(rows) -> bytes:
    book = Workbook()
    for row in [HEADER, *rows]:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _csv(rows) -> bytes:
    return "\n".join(";".join(str(v) for v in row) for row in [HEADER, *rows]).encode()


def _entries():
    return sorted(
        ResidentPopulation.objects.values_list("unit__code", "year", "households", "persons", "source")
    )


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_each_row_is_entered_in_the_tree_of_its_year(world, fmt):
    rows = [
        [world.A.code, 2025, "1.200", "4.800", "Công an xã"],  # 2025: the new tree
        [world.OA.code, 2024, 900, 3600, ""],  # 2024: the tree before the reform
    ]
    data = _xlsx(rows) if fmt == "xlsx" else _csv(rows)
    count = services.resident_populations_import(user=world.province_officer, name=f"dan-cu.{fmt}", data=data)
    assert count == 2
    assert _entries() == sorted(
        [(world.A.code, 2025, 1200, 4800, "Công an xã"), (world.OA.code, 2024, 900, 3600, "")]
    )
    entry = ResidentPopulation.objects.get(unit=world.OA)
    assert entry.entered_by == world.province_officer


def test_one_bad_row_refuses_the_file_and_names_every_bad_row(world):
    ResidentPopulation.objects.create(unit=world.A, year=2025, households=10, persons=40)
    rows = [
        [world.A.code, 2025, 1200, 4800, ""],  # fine, but not entered: the file is refused
        ["99999", 2025, 10, 40, ""],  # no such unit
        [world.A.code, 2026, "nhiều", 40, ""],  # not a number
        [world.A.code, 2027, 100, 90, ""],  # fewer persons than households
        [world.A.code, 2025, 1300, 5000, ""],  # the same unit and year twice
        [world.B.code, 2025, 10, 40, ""],  # another commune
    ]
    with pytest.raises(services.ReportError) as error:
        services.resident_populations_import(user=world.officer_a, name="dan-cu.xlsx", data=_xlsx(rows))
    lines = str(error.value).splitlines()
    assert [line.split(" ")[1] for line in lines] == ["3", "4", "5", "6", "7"]
    assert "không có đơn vị mã này" in lines[0]
    assert "“nhiều”, không phải số" in lines[1]
    assert "Số nhân khẩu (90) không thể ít hơn số hộ (100)" in lines[2]
    assert "đã có ở dòng 2" in lines[3]
    assert "không thuộc địa bàn" in lines[4]
    assert _entries() == [(world.A.code, 2025, 10, 40, "")]  # nothing changed


def test_a_file_without_rows_or_not_a_table_says_what_to_do(world):
    with pytest.raises(services.ReportError, match="không có dòng số liệu"):
        services.resident_populations_import(user=world.officer_a, name="dan-cu.xlsx", data=_xlsx([]))
    with pytest.raises(services.ReportError, match="Không đọc được tệp"):
        services.resident_populations_import(
            user=world.officer_a, name="dan-cu.xlsx", data=b"PK\x03\x04 broken"
        )


def test_the_population_page_imports_a_file(world):
    client = world.client_for(world.officer_a)
    url = reverse("reports:population", args=[world.A.pk])
    upload = SimpleUploadedFile("dan-cu.xlsx", _xlsx([[world.A.code, 2025, 1200, 4800, "Công an xã"]]))
    response = client.post(f"{url}?year=2025", {"upload": "1", "file": upload})
    assert response.status_code == 302
    assert _entries() == [(world.A.code, 2025, 1200, 4800, "Công an xã")]
    bad = SimpleUploadedFile("dan-cu.xlsx", _xlsx([[world.B.code, 2025, 10, 40, ""]]))
    page = client.post(f"{url}?year=2025", {"upload": "1", "file": bad})
    assert page.status_code == 200
    assert "không thuộc địa bàn bạn được nhập số liệu dân cư" in page.content.decode()
    assert ResidentPopulation.objects.count() == 1
