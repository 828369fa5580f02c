"""PDF and Excel files officials sign and send: layout of an administrative document, header on every
page, extractable Vietnamese text, embedded font; typed and safe spreadsheets."""

import io
import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from core import tables as t
from reports.builders.organisation import ListData, build_mau02
from reports.builders.quarterly import QuarterlyData, build_quarterly
from reports.frame import Frame
from reports.render.pdf import render_pdf
from reports.render.xlsx import render_xlsx, sheet_title
from reports.selectors import ListItem, StandardInfo, UnitRef

FRAME = Frame(
    parent_agency="Hội LHPN tỉnh Quảng Trị",
    agency="Hội Liên hiệp Phụ nữ huyện Cam Lộ",
    place="Cam Lộ",
    signature=t.Signature("TM. BAN THƯỜNG VỤ\nCHỦ TỊCH", "Phan Thị Lan"),
)
NAMES = [
    "Nguyễn Thị Hoa",
    "Trần Thị Ánh Tuyết",
    "Lê Thị Hương",
    "Phạm Thị Lụa",
    "Đặng Thị Hạnh",
    "Hồ Thị Xuân Hương",
]
PDFTOTEXT = shutil.which("pdftotext") or "/usr/bin/pdftotext"


def _list_document(count: int, hostile: str = "") -> t.Document:
    items = [
        ListItem(
            commune_id=1 + n // 40,
            commune=f"Xã Cam {['Tuyền', 'Thành', 'Hiếu'][n // 40 % 3]}",
            village=f"Thôn {n % 9 + 1}",
            head=hostile if (hostile and n == 0) else NAMES[n % len(NAMES)],
            poverty_class="poor" if n % 3 else "near_poor",
            circumstances="Chồng mất, một mình nuôi 2 con nhỏ đang đi học; nhà tạm, thiếu đất sản xuất.",
            causes=["Thiếu vốn sản xuất", "Thiếu đất sản xuất"],
            needs="Vay vốn nuôi bò sinh sản.",
            measures=["Vay vốn ưu đãi (NHCSXH)", "Hỗ trợ con giống"],
            responsible=f"Chi hội phụ nữ thôn {n % 9 + 1}",
            note="",
        )
        for n in range(count)
    ]
    data = ListData(
        UnitRef(1, "Huyện Cam Lộ", "468", 2), "hlhpn", "Hội Liên hiệp Phụ nữ huyện Cam Lộ", 2021, items
    )
    return build_mau02(data, frame=FRAME, issued_on=date(2021, 3, 18), preparer="Lê Thị Hoa")


def _quarterly_document() -> t.Document:
    standard = StandardInfo(
        1, "Chuẩn 2016–2020", "Quyết định 59/2015/QĐ-TTg", True, ((1, "Y tế", "Tiếp cận các dịch vụ y tế"),)
    )
    data = QuarterlyData(
        unit=UnitRef(1, "Huyện Cam Lộ", "468", 2),
        year=2021,
        quarter=1,
        start=date(2021, 1, 1),
        end=date(2021, 3, 31),
        standard=standard,
        children=[UnitRef(2, "Xã Cam Tuyền", "19600", 3)],
        rows={2: {"households": 1458, "poor": 99, "near_poor": 65, "poor_other_standard": 1}},
    )
    return build_quarterly(data, frame=FRAME, issued_on=date(2021, 4, 5))


@pytest.fixture(scope="module")
def list_pdf() -> bytes:
    return render_pdf(_list_document(120))


def _pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _pdftotext(pdf: bytes, *args: str) -> str:
    return subprocess.run(
        [PDFTOTEXT, *args, "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def test_pdf_is_an_administrative_document_with_intact_vietnamese(list_pdf):
    text = _pdftotext(list_pdf)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "HỘI LHPN TỈNH QUẢNG TRỊ",
        "HỘI LIÊN HIỆP PHỤ NỮ HUYỆN CAM LỘ",
        "Cam Lộ, ngày 18 tháng 3 năm 2021",
        "DANH SÁCH HỘ PHỤ NỮ NGHÈO, HỘ PHỤ NỮ CẬN NGHÈO",
        "Trần Thị Ánh Tuyết",
        "Hồ Thị Xuân Hương",
        "Phan Thị Lan",
        "NGƯỜI LẬP BIỂU",
    ):
        assert expected in text, expected


def test_pdf_repeats_the_header_on_every_page_and_numbers_pages_from_the_second(list_pdf):
    count = len(PdfReader(io.BytesIO(list_pdf)).pages)
    assert count >= 3
    pages = [_pdftotext(list_pdf, "-f", str(n), "-l", str(n)) for n in range(1, count + 1)]
    for number, text in enumerate(pages, start=1):
        assert "Họ và tên chủ hộ" in text, f"header missing on page {number}"
        first_line = text.strip().splitlines()[0].strip()
        if number == 1:
            assert first_line != "1"
        else:
            assert first_line == str(number), f"page number on page {number}: {first_line!r}"
    reader = PdfReader(io.BytesIO(list_pdf))
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert width > height and round(float(width) / 72 * 25.4) == 297  # A4 landscape


def test_pdf_embeds_the_tinos_font(list_pdf):
    reader = PdfReader(io.BytesIO(list_pdf))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    names = []
    for ref in fonts.values():
        font = ref.get_object()
        names.append(str(font["/BaseFont"]))
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        assert "/FontFile2" in descendant["/FontDescriptor"].get_object(), "font not embedded"
    assert any("Tinos" in name for name in names)


def test_lean_table_body_keeps_columns_aligned(list_pdf):
    """Each name starts at its column's left edge and each row number sits in its column, on every row."""
    boxes = _pdftotext(list_pdf, "-bbox", "-f", "2", "-l", "2")
    words = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]+)</word>', boxes
    )
    starts = {word: float(x) for x, _y, _x2, word in words}
    first_names = [
        float(x) for x, _y, _x2, word in words if word in {"Nguyễn", "Trần", "Lê", "Phạm", "Đặng", "Hồ"}
    ]
    assert len(first_names) >= 5
    assert max(first_names) - min(first_names) < 0.6
    assert starts  # the page has text


def test_flagged_rows_are_marked_and_explained_in_the_pdf():
    text = _pdftotext(render_pdf(_quarterly_document()))
    assert "(*) Xã Cam Tuyền: 1 hộ nghèo có kết quả rà soát theo chuẩn nghèo khác" in " ".join(text.split())
    assert "Chuẩn nghèo: Chuẩn 2016–2020 (Quyết định 59/2015/QĐ-TTg)" in text


def test_pdf_of_a_hostile_text_is_still_text(db):
    pdf = render_pdf(_list_document(3, hostile="<b>Hoa</b> & =1+1"))
    assert "<b>Hoa</b> & =1+1" in " ".join(_pdftotext(pdf).split())


# --- Excel -------------------------------------------------------------------------------------------


def _workbook(document: t.Document):
    return load_workbook(io.BytesIO(render_xlsx(document)))


def test_xlsx_one_sheet_per_table_with_typed_numbers_and_vietnamese_formats():
    workbook = _workbook(_quarterly_document())
    assert len(workbook.sheetnames) == 3
    sheet = workbook.worksheets[0]
    row = next(r for r in sheet.iter_rows() if r[1].value == "Xã Cam Tuyền")
    households, poor, rate = row[2], row[3], row[4]
    assert (households.value, poor.value) == (1458, 99)
    assert households.number_format == "#,##0"
    assert rate.value == pytest.approx(6.79) and rate.number_format == '0.00"%"'
    assert sheet.cell(1, 1).value is None or "HỘI" in str(sheet.cell(1, 1).value)
    assert any(
        cell.value == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" for r in sheet.iter_rows(max_row=3) for cell in r
    )
    assert row[0].comment is not None  # the flagged row explains itself


def test_xlsx_header_is_merged_frozen_and_printed_on_every_page():
    workbook = _workbook(_list_document(50))
    sheet = workbook.active
    merged = {str(r) for r in sheet.merged_cells.ranges}
    header_row = next(r[0].row for r in sheet.iter_rows() if r[0].value == "TT")
    assert f"C{header_row}:D{header_row}" in merged  # "Địa chỉ" over village and commune
    # Two header rows and the numbering row are frozen and repeated; the TT and name columns stay in view.
    assert sheet.freeze_panes == f"C{header_row + 3}"
    assert sheet.print_title_rows == f"${header_row}:${header_row + 2}"
    assert sheet.cell(header_row + 4, 1).value == 1  # TT stored as a number
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.column_dimensions["F"].width > sheet.column_dimensions["A"].width


@pytest.mark.parametrize(
    "hostile", ['=HYPERLINK("http://evil","x")', "+1+1", "-2", "@SUM(A1)", "\tTab", "\rCR"]
)
def test_xlsx_neutralises_text_that_would_become_a_formula(hostile):
    sheet = _workbook(_list_document(2, hostile=hostile)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert any(value.startswith("'") and value[1:].strip() == hostile.strip() for value in values)
    assert not any(value.startswith(("=", "+", "-", "@", "\t", "\r")) for value in values)


def test_sheet_titles_are_valid_and_unique():
    taken: set[str] = set()
    first = sheet_title("Biểu 1. Hộ nghèo: theo [xã]/phường?", taken)
    second = sheet_title("Biểu 1. Hộ nghèo: theo [xã]/phường?", taken)
    assert len(first) <= 31 and not set(first) & set("[]:*?/\\")
    assert first != second and len(second) <= 31


def test_percent_values_are_stored_as_numbers_not_text():
    table = t.Table(
        "x",
        "",
        [t.Column("label", "Đơn vị", kind=t.TEXT), t.Column("rate", "Tỷ lệ (%)", kind=t.PERCENT)],
        [t.Row({"label": "A", "rate": Decimal("2.71")})],
    )
    document = t.Document(code="x", title="X", tables=[table])
    sheet = _workbook(document).active
    cell = next(r[1] for r in sheet.iter_rows() if r[0].value == "A")
    assert isinstance(cell.value, float) and cell.value == pytest.approx(2.71)
