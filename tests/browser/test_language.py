"""A commune officer switches the product to English with the footer's switch on a phone, finds the
menu in English, and switches back to Vietnamese. The choice outlives the session (a cookie)."""

from tests import factories as f
from tests.browser.conftest import login, open_menu
from tests.browser.test_login import fits_the_phone, no_csp_errors
from units.models import Role


def _choose(page, language: str, *, label: str, button: str) -> None:
    """The footer's switch, labelled in the page's current language."""
    page.get_by_label(label).select_option(language)
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_function(f"document.documentElement.lang === '{language}'")


def test_commune_officer_switches_to_english_on_a_phone(phone):
    province = f.province(name="Tỉnh Thử")
    commune = f.commune(province, name="Xã An Bình")
    officer = f.UserFactory(username="canbo", first_name="Hoa", last_name="Lê Thị")
    f.member_of(officer, commune, Role.COMMUNE_OFFICER)
    login(phone, "canbo")
    assert phone.get_by_role("heading", name="Xin chào, Lê Thị Hoa").is_visible()

    _choose(phone, "en", label="Ngôn ngữ", button="Đổi")
    assert phone.get_by_role("heading", name="Hello, Lê Thị Hoa").is_visible()
    open_menu(phone)
    menu = phone.locator("#main-nav")
    for english in ("Households", "Area", "Reports"):
        assert menu.get_by_role("link", name=english, exact=True).is_visible(), english
    assert not menu.get_by_role("link", name="Hộ gia đình").count()
    assert fits_the_phone(phone), "the English home page scrolls sideways on a phone"

    # The household list, in English, still fits the phone.
    menu.get_by_role("link", name="Households", exact=True).click()
    phone.wait_for_url("**/households/**")
    assert phone.get_by_role("link", name="Add household").first.is_visible()
    assert fits_the_phone(phone), "the English household list scrolls sideways on a phone"

    # The choice is kept after logging out: the login page is English too.
    phone.context.clear_cookies(name="sessionid")
    phone.goto("/accounts/login/")
    assert phone.get_by_role("button", name="Log in").is_visible()

    _choose(phone, "vi", label="Language", button="Change")
    assert phone.get_by_role("button", name="Đăng nhập").is_visible()
    assert no_csp_errors(phone), phone.console_errors
