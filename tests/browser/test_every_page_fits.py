"""Every page a persona can reach (collected by tests/crawl.py) fits a 360-pixel phone — no sideways
scrolling —, logs no error in the browser console (blocked script, failed request, htmx) and passes
axe-core's WCAG 2.1 AA rules (test_accessibility.py checks the same pages on a laptop)."""

import pytest
from django.conf import settings

from tests.browser.axe import Findings, axe_violations
from tests.browser.conftest import login
from tests.browser.test_login import fits_the_phone
from tests.crawl import crawl, populate

# Each persona whose pages differ (tests/conftest.py's world); test_accessibility.py reuses them.
PERSONAS = ["officer_a", "leader_a", "union_officer_p", "province_officer", "admin_p"]


def reachable_pages(world, persona: str) -> list[str]:
    """The pages a persona of a commune in use reaches by following links from the home page."""
    populate(world)
    return crawl(world.client_for(getattr(world, persona)), limit=80, per_shape=1).visited


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_reachable_page_fits_a_phone_without_console_errors(phone, world, persona):
    pages = reachable_pages(world, persona)
    login(phone, persona)
    wide, errors, inaccessible = [], [], Findings()
    for url in pages:
        phone.console_errors.clear()
        phone.goto(url, wait_until="load")
        if not fits_the_phone(phone):
            wide.append(f"{url} ({phone.evaluate('document.documentElement.scrollWidth')} px)")
        errors += [f"{url}: {error}" for error in phone.console_errors]
        inaccessible.add(url, axe_violations(phone))
    assert len(pages) > 10
    assert not wide, "scrolls sideways on a phone: " + ", ".join(wide)
    assert not errors, "\n".join(errors)
    assert not inaccessible, f"serious or critical accessibility violations on a phone:\n{inaccessible}"


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
