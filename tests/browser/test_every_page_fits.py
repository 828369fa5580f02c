"""Every page a persona can reach (collected by tests/crawl.py) fits a 360-pixel phone — no sideways
scrolling — and logs no error in the browser console (blocked script, failed request, htmx)."""

import pytest

from tests.browser.conftest import login
from tests.browser.test_login import fits_the_phone
from tests.crawl import crawl, populate


@pytest.mark.parametrize(
    "persona", ["officer_a", "leader_a", "union_officer_p", "province_officer", "admin_p"]
)
def test_every_reachable_page_fits_a_phone_without_console_errors(phone, world, persona):
    populate(world)
    pages = crawl(world.client_for(getattr(world, persona)), limit=80, per_shape=1).visited
    login(phone, persona)
    wide, errors = [], []
    for url in pages:
        phone.console_errors.clear()
        phone.goto(url, wait_until="load")
        if not fits_the_phone(phone):
            wide.append(f"{url} ({phone.evaluate('document.documentElement.scrollWidth')} px)")
        errors += [f"{url}: {error}" for error in phone.console_errors]
    assert len(pages) > 10
    assert not wide, "scrolls sideways on a phone: " + ", ".join(wide)
    assert not errors, "\n".join(errors)
