"""Issue 3 §10 on a 360-pixel phone: a commune officer creates a household with members, fills an
assessment and sees "Hộ nghèo" with its reasons as she types, submits it; the commune leader
approves it; the list shows the household as poor."""

from playwright.sync_api import expect

from tests import factories as f
from tests.browser.conftest import login, open_menu
from units.models import Kind, Role


def _fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1, f"{page.url} scrolls sideways"
    assert not [e for e in page.console_errors if "Content Security Policy" in e], page.console_errors


def _logout(page) -> None:
    open_menu(page)
    page.locator("nav .dropdown-toggle").last.click()
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url("**/accounts/login/**")


def test_officer_records_a_poor_household_and_the_leader_approves_it(phone):
    province = f.province(name="Tỉnh Thử")
    commune = f.commune(province, name="Xã An Bình")
    f.village(commune, name="Thôn Đông", short_name="Thôn Đông", kind=Kind.THON, code=f"{commune.code}-001")
    officer = f.UserFactory(username="canbo", first_name="Hoa", last_name="Lê Thị")
    leader = f.UserFactory(username="lanhdao", first_name="Bình", last_name="Nguyễn Văn")
    f.member_of(officer, commune, Role.COMMUNE_OFFICER)
    f.member_of(leader, commune, Role.COMMUNE_LEADER)
    page = phone

    # The officer opens her commune's list and adds a household with two members.
    login(page, "canbo")
    open_menu(page)
    page.get_by_role("link", name="Hộ gia đình").click()
    expect(page.get_by_role("heading", name="Hộ gia đình · Xã An Bình")).to_be_visible()
    _fits_the_phone(page)
    page.get_by_role("link", name="Thêm hộ").click()
    page.get_by_label("Thôn/tổ dân phố").select_option(label="Thôn Đông")
    page.locator("#id_members-0-full_name").fill("Hồ Thị Lan")
    page.locator("#id_members-0-sex").select_option(label="Nữ")
    page.locator("#id_members-0-birth_year").fill("1984")
    page.locator("#id_members-0-citizen_id").fill("045184000321")
    page.get_by_role("button", name="Thêm nhân khẩu").click()
    page.locator("#id_members-1-full_name").fill("Hồ Văn Nam")
    page.locator("#id_members-1-relation").select_option(label="Con")
    page.locator("#id_members-1-sex").select_option(label="Nam")
    page.locator("#id_members-1-birth_date").fill("02/03/2012")
    _fits_the_phone(page)
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.get_by_role("heading", name="Hồ Thị Lan")).to_be_visible()
    expect(page.get_by_text("Đã thêm hộ")).to_be_visible()
    _fits_the_phone(page)

    # She fills an assessment: the classification and its reasons appear as she types.
    page.get_by_role("link", name="Rà soát").click()
    # The end-2024 review (lists of 2025, NĐ 07/2021), whatever today's year.
    page.get_by_label("Năm rà soát").select_option("2024")
    page.get_by_label("Ngày hiệu lực").fill("15/12/2024")
    expect(page.locator("#assessment-indicators")).to_contain_text("Nghị định 07/2021/NĐ-CP")
    income = page.get_by_label("Thu nhập bình quân (đồng/người/tháng)")
    income.fill("")
    income.press_sequentially("1200000", delay=20)  # typing, without leaving the field
    expect(page.locator("#classification")).to_contain_text("Hộ cận nghèo")
    for label in ("4. Bảo hiểm y tế", "9. Nguồn nước sinh hoạt", "10. Nhà tiêu hợp vệ sinh"):
        page.get_by_label(label, exact=True).check()
    result = page.locator("#classification")
    expect(result).to_contain_text("Hộ nghèo")
    expect(result).to_contain_text("Thu nhập 1.200.000 đ/người/tháng ≤ chuẩn nghèo nông thôn 1.500.000 đ")
    expect(result).to_contain_text(
        "Thiếu hụt 3 chỉ số: Bảo hiểm y tế, Nguồn nước sinh hoạt, Nhà tiêu hợp vệ sinh"
    )
    _fits_the_phone(page)
    page.get_by_role("button", name="Lưu phiếu").click()
    expect(page.get_by_text("Đã lưu phiếu nháp: Hộ nghèo.")).to_be_visible()
    page.get_by_role("button", name="Gửi duyệt").click()
    expect(page.get_by_text("Đã gửi phiếu để lãnh đạo xã duyệt.")).to_be_visible()
    _logout(page)

    # The commune leader approves it from the queue.
    login(page, "lanhdao")
    expect(page.get_by_text("Có 1 phiếu đang chờ bạn duyệt.")).to_be_visible()
    page.get_by_role("link", name="Mở danh sách chờ duyệt").click()
    _fits_the_phone(page)
    page.get_by_role("link", name="Hồ Thị Lan").click()
    expect(page.get_by_role("region", name="Nhân khẩu của hộ")).to_contain_text("Hồ Văn Nam")
    page.get_by_label("Tôi đã kiểm tra nhân khẩu, thu nhập và các chỉ số thiếu hụt của hộ").check()
    page.once("dialog", lambda dialog: dialog.accept())  # "Duyệt phiếu: hộ Hồ Thị Lan là “Hộ nghèo”?"
    page.get_by_role("button", name="Duyệt", exact=True).click()
    expect(page.get_by_text("Đã duyệt phiếu rà soát.")).to_be_visible()

    # The list shows the household as poor.
    open_menu(page)
    page.get_by_role("link", name="Hộ gia đình").click()
    row = page.locator("#household-table tbody tr", has_text="Hồ Thị Lan")
    expect(row).to_contain_text("Hộ nghèo")
    expect(page.get_by_role("link", name="Hộ nghèo 1")).to_be_visible()
    _fits_the_phone(page)


def test_officer_corrects_the_income_of_a_survey_and_the_class_follows_what_she_typed_last(phone):
    from households.models import Assessment
    from tests.households import factories as hf

    province = f.province(name="Tỉnh Thử")
    commune = f.commune(province, name="Xã An Bình")
    officer = f.UserFactory(username="canbo", first_name="Hoa", last_name="Lê Thị")
    f.member_of(officer, commune, Role.COMMUNE_OFFICER)
    household = hf.household(officer, commune, others=[hf.member("Hồ Văn Nam", relation="child")])
    draft = hf.assessment(
        household, officer, income=None, annual_income=60_000_000, member_count=2, deprived=frozenset()
    )
    page = phone
    login(page, "canbo")
    page.goto(f"/households/assessments/{draft.pk}/edit/")
    result = page.locator("#classification")
    expect(result).to_contain_text("Hộ không nghèo")

    # The yearly income halves: the income per person follows it (the box below still says 2.500.000).
    annual = page.get_by_label("Tổng thu nhập của hộ trong 12 tháng qua (đồng)")
    annual.fill("")
    annual.press_sequentially("30000000", delay=20)
    expect(result).to_contain_text("Hộ cận nghèo")
    expect(result).to_contain_text("Thu nhập bình quân tính từ tổng thu nhập năm: 1.250.000 đ/người/tháng.")

    # She types the per-person income instead: now the yearly income follows it.
    per_person = page.get_by_label("Thu nhập bình quân (đồng/người/tháng)")
    per_person.fill("")
    per_person.press_sequentially("2000000", delay=20)
    expect(result).to_contain_text("Hộ có mức sống trung bình")
    expect(result).to_contain_text("Tổng thu nhập năm tính từ thu nhập bình quân: 48.000.000 đ.")
    _fits_the_phone(page)
    page.get_by_role("button", name="Lưu phiếu").click()
    expect(page.get_by_text("Đã lưu phiếu: Hộ có mức sống trung bình.")).to_be_visible()
    saved = Assessment.objects.get(pk=draft.pk)
    assert (saved.annual_income, saved.income_per_capita) == (48_000_000, 2_000_000)
