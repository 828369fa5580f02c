"""A province officer opens the source-shaped target tables of their province on a phone: the wide
Cam Lộ table scrolls sideways inside its frame while the page itself does not, and a unit's name
opens that unit's progress page."""

from django.urls import reverse

from targets.models import AnnualTarget
from tests.browser.conftest import login
from tests.browser.test_login import fits_the_phone
from tests.crawl import populate

SCROLLS_INSIDE = "frame => frame.scrollWidth > frame.clientWidth"


def test_target_tables_fit_a_phone_and_lead_to_each_units_progress(phone, world):
    populate(world)
    target = AnnualTarget.objects.get(unit=world.P, organisation__isnull=True)
    login(phone, "province_officer")

    phone.goto(reverse("targets:table", args=[target.pk]))
    table = phone.locator('[data-table="target-table"]')
    assert table.locator("th[title='Cột 2 − cột 8']").inner_text() == "10=2-8"
    assert fits_the_phone(phone)
    assert phone.locator(".table-responsive").filter(has=table).evaluate(SCROLLS_INSIDE)
    assert table.locator('tr[data-row-kind="total"] td').nth(1).inner_text().strip() == "Tổng cộng"

    phone.goto(reverse("targets:union_table", args=[target.pk]))
    assert phone.locator('[data-table="union-targets"]').is_visible()
    assert fits_the_phone(phone)

    phone.locator('[data-table="union-targets"]').get_by_role("link", name=world.A.name).click()
    phone.wait_for_url(f"**{reverse('targets:progress', args=[world.A.pk])}?year={target.year}&org=hlhpn")
    assert fits_the_phone(phone)
    assert not phone.console_errors
