"""A Women's Union officer registers a poor household on a phone and records the help given; the
commune leader confirms that the household escaped poverty; the progress figures change."""

from datetime import date

from django.utils import timezone

from households.models import PovertyClass
from targets.models import AnnualTarget, Registration
from tests import factories as f
from tests.browser.conftest import login, open_menu
from units.models import Organisation, Role


def _figure(page, label: str) -> str:
    card = page.locator(".stat-card", has_text=label).first
    return card.locator(".fs-3").inner_text().split()[0]


def test_union_registers_helps_and_the_leader_confirms(phone, desktop):
    year = timezone.localdate().year
    province = f.province(name="Tỉnh Thử")
    commune = f.commune(province, name="Xã An Bình")
    village = f.village(commune, name="Thôn Một")
    union = f.OrganisationFactory(
        unit=province,
        kind=Organisation.Kind.WOMENS_UNION,
        name="Hội LHPN tỉnh Thử",
        short_name="Hội LHPN tỉnh",
    )
    officer = f.UserFactory(username="hoiphunu", first_name="Lan", last_name="Phan Thị")
    f.member_of(officer, province, Role.ORG_OFFICER, union)
    leader = f.UserFactory(username="lanhdao", first_name="Bình", last_name="Nguyễn Văn")
    f.member_of(leader, commune, Role.COMMUNE_LEADER)
    household = f.HouseholdFactory(
        commune=commune,
        village=village,
        head_name="Trần Thị Hoa",
        female_head=True,
        status_class=PovertyClass.POOR,
    )
    f.AssessmentFactory(household=household, review_year=year - 1, effective_date=date(year - 1, 12, 15))
    f.HouseholdFactory(commune=commune, head_name="Lê Văn Nam")  # no approved status: not eligible
    AnnualTarget.objects.create(
        unit=province, year=year, organisation=union, reduce_poor=2, reduce_near_poor=0
    )

    # The Union officer, on her phone.
    login(phone, "hoiphunu")
    assert _figure(phone, "Thoát nghèo theo rà soát / chỉ tiêu") == "0"
    assert _figure(phone, "Hộ đăng ký giúp đỡ") == "0"
    open_menu(phone)
    phone.get_by_role("button", name="Giúp thoát nghèo").click()
    phone.get_by_role("link", name="Chọn hộ để đăng ký").click()
    phone.get_by_label("Chủ hộ là nữ").select_option("1")
    phone.get_by_role("button", name="Lọc").click()
    row = phone.locator("tr", has_text="Trần Thị Hoa")
    assert phone.locator("tr", has_text="Lê Văn Nam").count() == 0
    # At 360 px the code and address columns are hidden; both sit under the head's name.
    identity = row.locator("[data-testid=household-identity]")
    assert identity.is_visible()
    assert household.code in identity.inner_text() and "Thôn Một, Xã An Bình" in identity.inner_text()
    row.get_by_role("link", name="Đăng ký").click()

    phone.get_by_label("Hoàn cảnh").fill("Chồng mất, một mình nuôi hai con nhỏ")
    phone.get_by_label("Vay vốn ưu đãi Ngân hàng Chính sách xã hội").check()
    phone.get_by_label("Hỗ trợ phương tiện sinh kế").check()
    phone.get_by_label("Nhu cầu").fill("Vay 30 triệu đồng nuôi bò sinh sản")
    phone.get_by_label("Người phụ trách giúp đỡ").fill("Chi hội Thôn Một")
    phone.get_by_role("button", name="Đăng ký", exact=True).click()
    phone.get_by_text("Đã đăng ký giúp hộ Trần Thị Hoa").wait_for()

    phone.get_by_label("Hình thức hỗ trợ").select_option("loan")
    phone.get_by_label("Giá trị (đồng)").fill("30.000.000")
    phone.get_by_label("Ngày hỗ trợ").fill(timezone.localdate().strftime("%d/%m/%Y"))
    phone.get_by_role("button", name="Ghi nhận hỗ trợ").click()
    phone.get_by_text("Đã ghi nhận hỗ trợ.").wait_for()
    assert phone.get_by_text("30.000.000 đ").first.is_visible()
    phone.get_by_label("Kết quả đề xuất").select_option("escaped_poverty")
    phone.get_by_role("button", name="Đề xuất kết quả").click()
    phone.get_by_text("chờ xã xác nhận").first.wait_for()

    phone.goto("/")
    assert _figure(phone, "Hộ đăng ký giúp đỡ") == "1"
    assert _figure(phone, "Đã được hỗ trợ") == "1"
    assert _figure(phone, "Thoát nghèo theo rà soát / chỉ tiêu") == "0"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 361, "page scrolls sideways on a phone"

    # The commune leader, at the office.
    login(desktop, "lanhdao")
    desktop.get_by_role("link", name="Trần Thị Hoa").click()
    desktop.get_by_label("Ngày xác nhận").fill(timezone.localdate().strftime("%d/%m/%Y"))
    desktop.get_by_role("button", name="Xác nhận kết quả").click()
    desktop.get_by_text("Đã xác nhận kết quả.").wait_for()

    registration = Registration.objects.get()
    assert registration.confirmed_outcome == "escaped_poverty"
    assert registration.help_entries.get().value == 30_000_000

    # The escape starts the household's regular review; it counts once a leader approves it.
    assert household.assessments.get(state="draft").kind == "regular"
    phone.goto("/")
    assert _figure(phone, "Thoát nghèo theo rà soát / chỉ tiêu") == "0"
    assert phone.get_by_test_id("helped-escaped").first.inner_text().endswith(": 1")
    errors = [e for e in phone.console_errors + desktop.console_errors if "Content Security Policy" in e]
    assert not errors, errors
