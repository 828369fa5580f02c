"""A province officer opens the dashboard, drills into a commune, previews the quarterly report and
downloads its PDF and Excel; the files open (PDF text extractable, workbook readable) and their
totals match the preview."""

import io
import subprocess
from datetime import date

from openpyxl import load_workbook
from pypdf import PdfReader

from households.models import PovertyClass
from tests import factories as f
from tests.browser.conftest import login, open_menu
from tests.reports.factories import household_with_status
from units.models import Role

END_2024 = date(2024, 12, 15)


def _province():
    province = f.province(name="Tỉnh Quảng Trị", code="44")
    cam_lo = f.commune(province, name="Xã Cam Lộ", code="19597")
    hieu_giang = f.commune(province, name="Xã Hiếu Giang", code="19600")
    for n in range(4):
        household_with_status(
            cam_lo,
            PovertyClass.POOR,
            effective=END_2024,
            female_head=n % 2 == 0,
            head_name=f"Nguyễn Thị Hoa {n}",
        )
    household_with_status(cam_lo, PovertyClass.NEAR_POOR, effective=END_2024)
    for _ in range(3):
        household_with_status(cam_lo, PovertyClass.NOT_POOR, effective=END_2024)
    household_with_status(hieu_giang, PovertyClass.POOR, effective=END_2024, head_name="Trần Văn Bình")
    household_with_status(hieu_giang, PovertyClass.NOT_POOR, effective=END_2024)
    officer = f.UserFactory(username="tinh.quangtri", first_name="Tuấn", last_name="Võ Minh")
    f.member_of(officer, province, Role.PROVINCE_OFFICER)
    return province


def _total_cells(page) -> list[str]:
    row = page.locator('[data-table="stock"] tr[data-row-kind="total"]')
    return [text.strip() for text in row.locator("td").all_inner_texts()]


def test_province_officer_dashboard_preview_and_downloads(desktop, tmp_path):
    _province()
    page = desktop
    login(page, "tinh.quangtri")
    open_menu(page)
    page.get_by_role("link", name="Bảng điều khiển").first.click()
    page.wait_for_url("**/reports/dashboard/**")
    assert page.get_by_test_id("total-households").inner_text() == "10"
    assert page.locator("canvas[data-chart='chart-rates']").is_visible()
    # Drill down: the commune's own dashboard, then back up through the breadcrumbs.
    page.get_by_test_id("dashboard-units").get_by_role("link", name="Xã Cam Lộ").click()
    assert page.get_by_test_id("total-households").inner_text() == "8"
    page.get_by_role("navigation", name="Vị trí").get_by_role("link", name="Tỉnh Quảng Trị").click()

    page.get_by_test_id("open-quarterly").click()
    page.wait_for_url("**/reports/quarterly/**")
    assert page.get_by_role("heading", name="Báo cáo tổng hợp quý").is_visible()
    total = _total_cells(page)
    assert total[1:5] == ["Tổng cộng", "10", "5", "50,00"]

    with page.expect_download() as pdf_download:
        page.get_by_test_id("download-pdf").click()
    pdf_path = tmp_path / pdf_download.value.suggested_filename
    pdf_download.value.save_as(pdf_path)
    assert pdf_path.name.endswith(".pdf")
    reader = PdfReader(io.BytesIO(pdf_path.read_bytes()))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in reader.pages[0].extract_text()
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf_path), "-"], capture_output=True, check=True
    ).stdout.decode()
    total_line = next(line for line in text.splitlines() if line.strip().startswith("Tổng cộng"))
    assert total_line.split()[2:5] == total[2:5]

    with page.expect_download() as xlsx_download:
        page.get_by_test_id("download-xlsx").click()
    xlsx_path = tmp_path / xlsx_download.value.suggested_filename
    xlsx_download.value.save_as(xlsx_path)
    sheet = load_workbook(xlsx_path).worksheets[0]
    row = next(r for r in sheet.iter_rows() if r[1].value == "Tổng cộng")
    assert (row[2].value, row[3].value, f"{row[4].value:.2f}".replace(".", ",")) == (10, 5, total[4])

    assert not [e for e in page.console_errors if "Content Security Policy" in e], page.console_errors


def test_quarterly_preview_fits_a_phone(phone):
    _province()
    login(phone, "tinh.quangtri")
    phone.goto("/reports/")
    phone.get_by_role("button", name="Xem báo cáo").click()
    phone.wait_for_url("**/reports/quarterly/**")
    assert phone.get_by_test_id("download-pdf").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360 + 1, (
        "page scrolls sideways on a phone"
    )
