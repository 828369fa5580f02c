"""The smallest journey: a commune officer logs in on a phone, sees their unit and the navigation,
and logs out. Also proves the browser stack (Chromium, CSP, static files) works."""

from tests import factories as f
from tests.browser.conftest import login, open_menu
from units.models import Role


def test_officer_logs_in_on_a_phone_and_sees_their_commune(phone):
    province = f.province(name="Tỉnh Thử")
    commune = f.commune(province, name="Xã An Bình")
    officer = f.UserFactory(username="canbo", first_name="Hoa", last_name="Lê Thị")
    f.member_of(officer, commune, Role.COMMUNE_OFFICER)

    login(phone, "canbo")

    assert (
        phone.get_by_role("heading", name="Xin chào, Hoa Lê Thị").is_visible()
        or phone.get_by_text("Xin chào").first.is_visible()
    )
    assert phone.get_by_role("link", name="Xã An Bình").is_visible()
    open_menu(phone)
    phone.get_by_role("link", name="Địa bàn").click()
    phone.wait_for_url("**/units/**")
    assert phone.get_by_role("heading", name="Xã An Bình").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360 + 1, (
        "page scrolls sideways on a phone"
    )
    assert not [e for e in phone.console_errors if "Content Security Policy" in e], phone.console_errors


def test_wrong_password_shows_a_vietnamese_message(phone):
    f.UserFactory(username="canbo")
    phone.goto("/accounts/login/")
    phone.get_by_label("Tên đăng nhập").fill("canbo")
    phone.get_by_label("Mật khẩu").fill("sai")
    phone.get_by_role("button", name="Đăng nhập").click()
    assert phone.get_by_text("Tên đăng nhập hoặc mật khẩu không đúng").is_visible()
