"""Logging in and out on a phone, and what happens after too many wrong passwords. Also proves the
browser stack (Chromium, CSP, static files) works."""

import re

from django.conf import settings

from tests import factories as f
from tests.browser.conftest import login, open_menu
from units.models import Role

PHONE_WIDTH = 360


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH + 1


def no_csp_errors(page) -> bool:
    return not [e for e in page.console_errors if "Content Security Policy" in e]


def test_officer_logs_in_on_a_phone_and_sees_their_commune(phone):
    province = f.province(name="Tỉnh Thử")
    commune = f.commune(province, name="Xã An Bình")
    officer = f.UserFactory(username="canbo", first_name="Hoa", last_name="Lê Thị")
    f.member_of(officer, commune, Role.COMMUNE_OFFICER)

    phone.goto("/accounts/login/")
    assert fits_the_phone(phone), "the login page scrolls sideways on a phone"
    login(phone, "canbo")

    assert phone.get_by_role("heading", name="Xin chào, Lê Thị Hoa").is_visible()
    assert phone.get_by_role("link", name="Xã An Bình", exact=True).is_visible()
    assert phone.get_by_role("link", name="Thêm thôn, tổ dân phố của Xã An Bình").is_visible()
    assert fits_the_phone(phone), "the home page scrolls sideways on a phone"
    open_menu(phone)
    phone.get_by_role("link", name="Địa bàn").click()
    phone.wait_for_url("**/units/**")
    assert phone.get_by_role("heading", name="Xã An Bình").is_visible()
    assert fits_the_phone(phone), "the commune page scrolls sideways on a phone"
    assert no_csp_errors(phone), phone.console_errors


def test_officer_logs_out_from_the_menu(phone):
    commune = f.commune(f.province())
    officer = f.UserFactory(username="canbo")
    f.member_of(officer, commune, Role.COMMUNE_OFFICER)
    login(phone, "canbo")
    open_menu(phone)
    phone.get_by_role("button", name=re.compile("canbo|" + officer.last_name)).click()
    phone.locator("#main-nav .dropdown-menu.show").wait_for()
    phone.get_by_role("button", name="Đăng xuất").click()
    phone.wait_for_url("**/accounts/login/")
    phone.goto("/")
    assert "/accounts/login/" in phone.url, "still logged in after logging out"


def test_wrong_password_shows_a_vietnamese_message(phone):
    f.UserFactory(username="canbo")
    phone.goto("/accounts/login/")
    phone.get_by_label("Tên đăng nhập").fill("canbo")
    phone.get_by_label("Mật khẩu").fill("sai")
    phone.get_by_role("button", name="Đăng nhập").click()
    assert phone.get_by_text("Tên đăng nhập hoặc mật khẩu không đúng").is_visible()


def test_too_many_wrong_passwords_show_the_lockout_page_on_a_phone(phone):
    f.UserFactory(username="canbo")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        phone.goto("/accounts/login/")
        phone.get_by_label("Tên đăng nhập").fill("canbo")
        phone.get_by_label("Mật khẩu").fill("sai")
        phone.get_by_role("button", name="Đăng nhập").click()
        phone.wait_for_load_state()
    assert phone.get_by_role("heading", name="Tạm khóa đăng nhập").is_visible()
    assert phone.get_by_text("Hãy thử lại sau 15 phút").is_visible()
    assert fits_the_phone(phone)
    phone.get_by_role("link", name="Đặt lại mật khẩu").click()
    phone.wait_for_url("**/accounts/password/reset/")
    assert fits_the_phone(phone)
    assert no_csp_errors(phone), phone.console_errors
