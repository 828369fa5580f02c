"""An administrator imports a year-end review file with two bad rows: sees them in the preview,
chooses to skip them, confirms, watches the progress bar finish and downloads the results file."""

import io
from pathlib import Path

from openpyxl import load_workbook

from households.models import Household
from tests import factories as f
from tests.browser.conftest import login, open_menu
from tests.census import files
from units.models import Role


def test_administrator_imports_a_file_skipping_two_bad_rows(desktop, tmp_path):
    province = f.province(name="Tỉnh Quảng Trị", short_name="Quảng Trị", code="44")
    commune = f.commune(province, name="Xã Cam Lộ", short_name="Cam Lộ", code="19597")
    admin = f.UserFactory(username="quantri.tinh", first_name="Tuấn", last_name="Võ Minh")
    f.member_of(admin, province, Role.ADMINISTRATOR)
    rows = [
        files.Household(f"CL-{i:03d}", commune="Xã Cam Lộ", income=1_200_000, deprived=(1, 4, 9))
        for i in range(1, 7)
    ]
    rows[1].income = "không rõ"
    rows[4].sex = "?"
    path = tmp_path / "ra-soat-cam-lo-2025.xlsx"
    path.write_bytes(
        files.simple(rows, 2025, above=[["UBND XÃ CAM LỘ"], ["DANH SÁCH HỘ RÀ SOÁT CUỐI NĂM 2025"]])
    )

    page = desktop
    login(page, "quantri.tinh")
    open_menu(page)
    page.get_by_role("link", name="Nhập dữ liệu rà soát").click()
    page.get_by_label("Tệp Excel kết quả rà soát (.xlsx)").set_input_files(str(path))
    page.get_by_label("Năm rà soát").first.fill("2025")
    page.get_by_role("button", name="Tải lên và kiểm tra").click()

    errors = page.get_by_test_id("error-table")
    errors.wait_for()
    assert page.get_by_test_id("count-errors").inner_text() == "2"
    assert page.get_by_test_id("count-created").inner_text() == "4"
    assert "không rõ" in errors.inner_text() and "Giới tính" in errors.inner_text()
    assert Household.objects.count() == 0

    page.get_by_label("Bỏ qua 2 dòng lỗi và nhập các dòng hợp lệ").check()
    page.get_by_role("button", name="Ghi vào cơ sở dữ liệu").click()
    page.get_by_test_id("written").wait_for()
    status = page.locator("#census-status")
    assert status.get_attribute("data-job-status") == "done"
    assert page.get_by_test_id("census-progress").get_attribute("aria-valuenow") == "100"
    assert sorted(Household.objects.filter(commune=commune).values_list("code", flat=True)) == [
        "CL-001",
        "CL-003",
        "CL-004",
        "CL-006",
    ]

    with page.expect_download() as download_info:
        page.get_by_test_id("results-download").click()
    download = download_info.value
    sheet = load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = values[2]
    system, problems = header.index("Phân loại theo hệ thống"), header.index("Lỗi")
    assert values[3][system] == "Hộ nghèo"
    assert values[4][system] is None and "Thu nhập" in values[4][problems]
    assert not [e for e in page.console_errors if "Content Security Policy" in e], page.console_errors
