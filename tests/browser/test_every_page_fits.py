"""Every page a persona can reach (collected by tests/crawl.py) fits a 360-pixel phone — no sideways
scrolling — and logs no error in the browser console (blocked script, failed request, htmx)."""

import pytest
from django.conf import settings

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


@pytest.mark.parametrize("persona", ["officer_a", "union_officer_p", "province_officer"])
def test_every_reachable_page_fits_a_phone_in_english(phone, world, persona, live_server):
    """English words are longer than Vietnamese ones: the pages still fit."""
    populate(world)
    client = world.client_for(getattr(world, persona))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    pages = crawl(client, limit=80, per_shape=1).visited
    phone.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )
    phone.goto("/accounts/login/")
    phone.get_by_label("Username").fill(persona)
    phone.get_by_label("Password").fill("Mat-khau-2026")
    phone.get_by_role("button", name="Log in").click()
    phone.wait_for_url(lambda url: "/accounts/login/" not in url)
    wide = []
    for url in pages:
        phone.goto(url, wait_until="load")
        if not fits_the_phone(phone):
            wide.append(f"{url} ({phone.evaluate('document.documentElement.scrollWidth')} px)")
    assert len(pages) > 10
    assert not wide, "scrolls sideways on a phone in English: " + ", ".join(wide)
