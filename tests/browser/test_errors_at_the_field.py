"""Issue 13 §4–5 on a 360-pixel phone: after a failed save the page opens on an error summary
(focused, in view) whose links lead to the fields; the live preview's "letters in the income"
message shows under the income field itself, not only in the result box far below."""

from playwright.sync_api import expect

from tests import factories as f
from tests.browser.conftest import login
from tests.households import factories as hf
from units.models import Role


def _officer_with_a_household():
    province = f.province(name="Tỉnh Thử")
    commune = f.commune(province, name="Xã An Bình")
    officer = f.UserFactory(username="canbo", first_name="Hoa", last_name="Lê Thị")
    f.member_of(officer, commune, Role.COMMUNE_OFFICER)
    return hf.household(officer, commune)


def test_a_bad_survey_opens_on_a_focused_summary_whose_links_lead_to_the_fields(phone):
    household = _officer_with_a_household()
    page = phone
    login(page, "canbo")
    page.goto(f"/households/{household.pk}/assessments/new/")
    page.get_by_label("Số nhân khẩu").fill("0")
    page.get_by_label("Thu nhập bình quân (đồng/người/tháng)").fill("một triệu")
    page.get_by_role("button", name="Lưu phiếu").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("Có 2 lỗi cần sửa")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport(ratio=1)
    assert page.evaluate("window.scrollY") < 100

    income = page.locator("#id_income_per_capita")
    expect(income).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_income_per_capita_error")).to_contain_text("Hãy nhập số tiền bằng chữ số")
    summary.get_by_role("link", name="Hãy nhập số tiền bằng chữ số", exact=False).click()
    expect(income).to_be_focused()
    expect(income).to_be_in_viewport()


def test_letters_in_the_income_are_pointed_out_at_the_field_as_she_types(phone):
    household = _officer_with_a_household()
    page = phone
    login(page, "canbo")
    page.goto(f"/households/{household.pk}/assessments/new/")
    annual = page.get_by_label("Tổng thu nhập của hộ trong 12 tháng qua (đồng)")
    annual.fill("")
    annual.press_sequentially("12 triệu", delay=20)

    message = page.locator("#id_annual_income_error")
    expect(message).to_be_visible()
    expect(message).to_have_text("Hãy nhập số tiền bằng chữ số, ví dụ 1.500.000.")
    expect(annual).to_have_attribute("aria-invalid", "true")
    assert "id_annual_income_error" in annual.get_attribute("aria-describedby").split()
    expect(message).to_be_in_viewport()
    assert message.bounding_box()["y"] > annual.bounding_box()["y"]  # under the field

    annual.fill("")
    annual.press_sequentially("12000000", delay=20)
    expect(page.locator("#classification")).to_contain_text("Thu nhập bình quân tính từ tổng thu nhập năm")
    expect(message).to_have_count(0)
    expect(annual).not_to_have_attribute("aria-invalid", "true")
    assert not [e for e in page.console_errors if "Content Security Policy" in e], page.console_errors
