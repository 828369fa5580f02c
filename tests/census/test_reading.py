"""Every tolerance of a real file (issue point 2), on files built here."""

import io
import unicodedata
from datetime import date

import pytest
from openpyxl import Workbook
from openpyxl.styles import Alignment

from households.census.services import census_import
from households.models import Assessment, Household
from households.people import check_person
from tests.census import files

YEAR = 2020  # QĐ 59/2015, pre-2025 units


def run(data, camlo, **kwargs):
    return census_import(data=data, year=YEAR, user=camlo.admin, **kwargs)


def row(code, **kwargs):
    kwargs.setdefault("commune_code", "19600")
    return files.Household(code, **kwargs)


def test_title_rows_above_the_header_are_skipped(camlo):
    data = files.simple(
        [row("H1"), row("H2")],
        YEAR,
        above=[
            ["UBND HUYỆN CAM LỘ"],
            ["DANH SÁCH HỘ NGHÈO, HỘ CẬN NGHÈO NĂM 2020"],
            [],
            ["Kèm theo Quyết định số 12/QĐ-UBND"],
        ],
    )
    report = run(data, camlo)
    assert report.errors == []
    assert report.header_rows == (5,)
    assert Household.objects.filter(commune=camlo.tuyen).count() == 2


def test_merged_two_line_header_with_indicators_under_a_group_cell_and_a_numbering_row(camlo):
    headers = files.headers(YEAR)
    first = list(headers)
    second = [None] * len(headers)
    start = headers.index(files.indicator_names(YEAR)[0])
    for i, name in enumerate(files.indicator_names(YEAR)):
        first[start + i] = "Chỉ số thiếu hụt dịch vụ xã hội cơ bản" if i == 0 else None
        second[start + i] = name
    income = headers.index("Thu nhập bình quân (đồng/người/tháng)")
    first[income], second[income] = "Thu nhập bình quân", "(đồng/người/tháng)"
    numbering = [f"({i + 1})" for i in range(len(headers))]
    book = Workbook()
    ws = book.active
    ws.append(["DANH SÁCH HỘ"])
    ws.append(first)
    ws.append(second)
    ws.append(numbering)
    ws.append(row("H1", deprived=(1, 2, 3), income=800_000).cells(YEAR))
    from openpyxl.utils import get_column_letter

    ws.merge_cells(
        f"{get_column_letter(start + 1)}2:{get_column_letter(start + len(files.indicator_names(YEAR)))}2"
    )
    ws.merge_cells("A2:A3")
    buffer = io.BytesIO()
    book.save(buffer)
    report = run(buffer.getvalue(), camlo)
    assert report.errors == [], report.errors
    assessment = Assessment.objects.get(household__code="H1")
    assert (
        assessment.deprived_count == 3
        and assessment.result_class == "poor"
        and assessment.result_group == "deprivation"
    )


def test_multi_line_header_cells(camlo):
    headers = [h.replace(" (", "\n(").replace("Họ và tên", "Họ và\ntên") for h in files.headers(YEAR)]
    book = Workbook()
    ws = book.active
    ws.append(headers)
    for cell in ws[1]:
        cell.alignment = Alignment(wrap_text=True)
    ws.append(row("H1").cells(YEAR))
    buffer = io.BytesIO()
    book.save(buffer)
    assert run(buffer.getvalue(), camlo).errors == []


@pytest.mark.parametrize(
    "transform",
    [
        str.upper,
        str.lower,
        lambda h: "  " + h.replace(" ", "   ") + " ",
        lambda h: unicodedata.normalize("NFD", h),
        lambda h: unicodedata.normalize("NFC", h),
        lambda h: (
            "".join(c for c in unicodedata.normalize("NFD", h) if not unicodedata.combining(c))
            .replace("đ", "d")
            .replace("Đ", "D")
        ),
    ],
    ids=["upper", "lower", "spacing", "nfd", "nfc", "no-diacritics"],
)
def test_headers_differing_in_case_spacing_normalisation_or_diacritics(camlo, transform):
    headers = [transform(h) for h in files.headers(YEAR)]
    data = files.workbook([row("H1").cells(YEAR)], header=headers)
    report = run(data, camlo)
    assert report.errors == [], report.errors
    assert report.created == 1


def test_columns_in_any_order_and_unknown_columns_ignored(camlo):
    headers = ["STT", *reversed(files.headers(YEAR)), "Ghi chú"]
    cells = [1, *reversed(row("H1").cells(YEAR)), "ghi chú bất kỳ"]
    report = run(files.workbook([cells], header=headers), camlo)
    assert report.errors == []
    assert report.created == 1
    assert any("STT" in c for c in report.ignored_columns)


def test_numbers_typed_as_text(camlo):
    report = run(files.simple([row("H1", income="1.500.000", members="4", birth_year="1970")], YEAR), camlo)
    assert report.errors == []
    assert Assessment.objects.get().income_per_capita == 1_500_000


@pytest.mark.parametrize(
    ("head", "column", "message"),
    [
        ({"sex": "Nữ", "citizen_id": "045070001234"}, "Số CCCD", "Chữ số thứ 4 (0) là của người nam"),
        ({"birth_year": 1971, "citizen_id": "045070001234"}, "Số CCCD", "cho năm sinh 1970"),
        ({"citizen_id": "099070001234"}, "Số CCCD", "từ 001 đến 096"),
        ({"birth_year": 2008, "citizen_id": "123456789"}, "Số CCCD", "chứng minh nhân dân cũ"),
        ({"birth_year": YEAR + 1}, "Năm sinh", f"Năm sinh {YEAR + 1} không hợp lệ"),
    ],
)
def test_a_head_is_checked_by_the_rule_of_the_household_form(camlo, head, column, message):
    report = run(files.simple([row("H1", **head)], YEAR), camlo, dry_run=True)
    assert [(e.column.split(" (")[0], message in e.message) for e in report.errors] == [(column, True)]
    person = check_person(
        sex="female" if head.get("sex") == "Nữ" else "male",
        birth_year=head.get("birth_year", 1970),
        citizen_id=head.get("citizen_id", ""),
        latest=date(YEAR, 12, 31),
    )
    assert any(message in error for errors in person.errors.values() for error in errors)


def test_a_head_whose_citizen_id_agrees_is_imported(camlo):
    report = run(files.simple([row("H1", sex="Nữ", birth_year=1970, citizen_id="045170001234")], YEAR), camlo)
    assert report.errors == []
    assert Household.objects.get().members.get().citizen_id == "045170001234"


def test_blank_rows_and_the_totals_row_and_signatures_below_are_ignored(camlo):
    header = files.headers(YEAR)
    rows = [row("H1").cells(YEAR), [None] * len(header), ["", "  "], row("H2").cells(YEAR)]
    totals = [["Tổng cộng", None, None, None, None, None, None, None, None, None, None, 8]]
    signature = [
        [],
        [None, None, None, None, None, None, "Cam Lộ, ngày 15 tháng 12 năm 2020"],
        [None, None, None, None, None, None, "NGƯỜI LẬP BIỂU"],
    ]
    report = run(files.workbook(rows, header=header, below=totals + signature), camlo)
    assert report.errors == [], report.errors
    assert report.rows == 2
    assert Household.objects.count() == 2


@pytest.mark.parametrize(
    ("code", "name", "expected"),
    [
        ("19600", "", "tuyen"),
        (19600, "", "tuyen"),
        ("", "Xã Cam Tuyền", "tuyen"),
        ("", "Cam Tuyền", "tuyen"),
        ("", "xã cam tuyền", "tuyen"),
        ("", "Xa Cam Tuyen", "tuyen"),
        ("", "TT Cam Lộ", "town"),
        ("", "Thị trấn Cam Lộ", "town"),
        ("", "TT. Cam Lộ", "town"),
        ("19597", "Thị trấn Cam Lộ", "town"),
    ],
)
def test_unit_given_by_code_or_by_name_with_or_without_its_prefix(camlo, code, name, expected):
    report = run(files.simple([row("H1", commune_code=code, commune=name)], YEAR), camlo)
    assert report.errors == [], report.errors
    assert Household.objects.get().commune == getattr(camlo, expected)


def test_a_name_shared_by_two_communes_needs_the_district(camlo):
    report = run(files.simple([row("H1", commune_code="", commune="Cam Thành")], YEAR), camlo, dry_run=True)
    assert "Có nhiều xã tên" in report.errors[0].message
    report = run(
        files.simple([row("H1", commune_code="", commune="Cam Thành", district="Cam Lộ")], YEAR), camlo
    )
    assert report.errors == []
    assert Household.objects.get().commune == camlo.thanh


def test_code_and_name_that_disagree_are_an_error(camlo):
    report = run(
        files.simple([row("H1", commune_code="19600", commune="TT Cam Lộ")], YEAR), camlo, dry_run=True
    )
    assert report.errors[0].row == 2
    assert "khác với tên" in report.errors[0].message


def test_province_column_is_checked(camlo):
    report = run(files.simple([row("H1", province="Quảng Bình")], YEAR), camlo, dry_run=True)
    assert "không thuộc tỉnh" in report.errors[0].message
    report = run(files.simple([row("H1", province="Tỉnh Quảng Trị")], YEAR), camlo, dry_run=True)
    assert report.errors == []


def test_existing_village_is_found_and_a_new_one_is_created_once(camlo):
    rows = [
        row("H1", village="Thôn An Mỹ"),
        row("H2", village="An Mỹ"),
        row("H3", village="Thôn Mới"),
        row("H4", village="thôn mới"),
    ]
    report = run(files.simple(rows, YEAR), camlo)
    assert report.errors == []
    assert report.new_villages == ["Thôn Mới (Xã Cam Tuyền)"]
    villages = dict(Household.objects.values_list("code", "village__name"))
    assert villages == {"H1": "Thôn An Mỹ", "H2": "Thôn An Mỹ", "H3": "Thôn Mới", "H4": "Thôn Mới"}
    new = Household.objects.get(code="H3").village
    assert new.parent == camlo.tuyen and new.commune_id == camlo.tuyen.pk and new.code.startswith("19600-")


def test_the_data_sheet_is_found_among_several(camlo):
    book = Workbook()
    book.active.title = "Hướng dẫn"
    book.active.append(["Điền mỗi hộ một dòng"])
    ws = book.create_sheet("DS 2020")
    ws.append(files.headers(YEAR))
    ws.append(row("H1").cells(YEAR))
    buffer = io.BytesIO()
    book.save(buffer)
    report = run(buffer.getvalue(), camlo)
    assert report.sheet == "DS 2020" and report.created == 1


def test_values_read_once_are_remembered_by_type_too(camlo):
    """1, 1.0 and TRUE are equal to Python; as a member count only the first two are numbers."""
    rows = [row("H1", members=1), row("H2", members=1.0), row("H3", members=True), row("H4", members="1")]
    report = run(files.simple(rows, YEAR), camlo, dry_run=True)
    assert [(e.row, e.column.split(" (")[0]) for e in report.errors] == [(4, "Số nhân khẩu")]
    assert report.rows == 4 and report.created == 3
