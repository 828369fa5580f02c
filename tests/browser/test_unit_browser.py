"""The unit browser and the foundation's pages on a 360-pixel phone: a commune officer adds a
village, a province officer finds "Cam Lộ" by typing without diacritics, and every page of the
foundation fits the screen (no sideways scrolling)."""

import pytest

from tests import factories as f
from tests.browser.conftest import login, open_menu
from tests.browser.test_login import fits_the_phone, no_csp_errors
from units.models import Kind, UnitLineage


def test_commune_officer_adds_a_village_on_a_phone(phone, world):
    login(phone, "officer_a")
    phone.goto(f"/units/{world.A.pk}/")
    phone.get_by_label("Tên thôn/tổ dân phố").fill("Thôn Hai")
    phone.get_by_role("button", name="Thêm").click()
    phone.wait_for_load_state()
    assert phone.get_by_text("Đã thêm Thôn Hai.").is_visible()
    assert phone.get_by_role("link", name="Thôn Hai").is_visible()
    # The same name again is refused with a message.
    phone.get_by_label("Tên thôn/tổ dân phố").fill("thôn hai")
    phone.get_by_role("button", name="Thêm").click()
    phone.wait_for_load_state()
    # Under the field, and in the summary at the top as a link to it.
    assert phone.get_by_text("Xã này đã có thôn/tổ dân phố cùng tên.", exact=True).is_visible()
    assert phone.get_by_role(
        "link", name="Tên thôn/tổ dân phố: Xã này đã có thôn/tổ dân phố cùng tên."
    ).is_visible()
    assert fits_the_phone(phone)
    assert no_csp_errors(phone), phone.console_errors


def test_province_officer_finds_cam_lo_without_diacritics(phone, world):
    district = f.district(world.OP, name="Huyện Cam Lộ", short_name="Cam Lộ", code="468")
    town = f.commune(district, name="Thị trấn Cam Lộ", short_name="Cam Lộ", code="19597", kind=Kind.THI_TRAN)
    new = f.commune(world.P, name="Xã Cam Lộ", short_name="Cam Lộ", code="19597")
    UnitLineage.objects.create(old=town, new=new)

    login(phone, "province_officer")
    phone.goto("/units/search/")
    phone.get_by_label("Tìm đơn vị").press_sequentially("cam lo", delay=30)
    results = phone.locator("#unit-results")
    results.get_by_text("Thị trấn Cam Lộ", exact=True).wait_for()  # live results (htmx), no submit
    assert results.get_by_text("Huyện Cam Lộ", exact=True).is_visible()
    assert fits_the_phone(phone)

    results.get_by_role("link", name="Xã Cam Lộ").click()
    phone.wait_for_url(f"**/units/{new.pk}/")
    assert phone.get_by_text("Hình thành từ các đơn vị trước 01/07/2025").is_visible()
    phone.get_by_role("link", name="Thị trấn Cam Lộ").click()
    phone.wait_for_url(f"**/units/{town.pk}/")
    assert phone.get_by_text("Từ 01/07/2025 thuộc về").is_visible()
    assert fits_the_phone(phone)
    assert no_csp_errors(phone), phone.console_errors


@pytest.mark.parametrize(
    ("persona", "paths"),
    [
        (
            "officer_a",
            [
                "/",
                "/units/{A}/",
                "/units/{A1}/",
                "/units/search/?q=an",
                "/jobs/",
                "/accounts/password/change/",
                "/units/{C}/",
            ],
        ),
        ("admin_p", ["/", "/units/", "/units/{P}/", "/audit/", "/audit/?date_from=sai"]),
        ("nobody", ["/", "/units/"]),
    ],
)
def test_foundation_pages_fit_a_phone(phone, world, persona, paths):
    login(phone, persona)
    for path in paths:
        url = path.format(A=world.A.pk, A1=world.A1.pk, C=world.C.pk, P=world.P.pk)
        phone.goto(url)
        assert fits_the_phone(phone), f"{url} scrolls sideways on a phone for {persona}"
    open_menu(phone)
    assert fits_the_phone(phone)
    assert no_csp_errors(phone), phone.console_errors


def test_anonymous_pages_fit_a_phone(phone, db):
    for url in [
        "/accounts/login/",
        "/accounts/password/reset/",
        "/accounts/password/reset/done/",
        "/accounts/reset/MQ/sai-token/",
        "/accounts/reset/done/",
    ]:
        phone.goto(url)
        assert fits_the_phone(phone), f"{url} scrolls sideways on a phone"
    assert no_csp_errors(phone), phone.console_errors


def test_the_admin_runs_under_the_content_security_policy(desktop, world):
    """Django's admin (accounts, memberships with unit autocompletion) works with the nonce-based
    policy: no blocked script or style."""
    login(desktop, "admin_p")
    for url in [
        "/admin/",
        "/admin/auth/user/",
        "/admin/auth/user/add/",
        f"/admin/auth/user/{world.officer_a.pk}/change/",
        "/admin/units/membership/add/",
        "/admin/auditlog/logentry/",
    ]:
        response = desktop.goto(url)
        assert response.status == 200, url
    desktop.goto("/admin/units/membership/add/")
    desktop.locator(".field-unit .select2-selection").click()
    desktop.locator(".select2-search__field").fill("xa")  # "Xã …": An Bình (P) and Cẩm Lệ (Q) both match
    desktop.get_by_role("option", name="Xã An Bình").wait_for()
    assert not desktop.get_by_role("option", name="Xã Cẩm Lệ").count(), (
        "a unit outside the province is offered"
    )
    assert no_csp_errors(desktop), desktop.console_errors
