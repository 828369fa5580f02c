"""Every persona follows every link they are shown, from the home page outwards (tests/crawl.py):
each page answers 200 and reads as Vietnamese — no "None", no English label, no "2.025", no
"6.79", no "??" in a link. A regression net for the whole product: a new page with a broken link,
an unguarded empty value or an untranslated label fails here."""

import pytest

from tests.crawl import crawl, populate

pytestmark = pytest.mark.django_db


@pytest.fixture
def lived_in(world, monkeypatch):
    """The world in use (tests/crawl.populate); lists show two rows a page, so that their
    pagination is followed too."""
    monkeypatch.setattr("households.views.PAGE_SIZE", 2)
    populate(world)
    return world


PERSONAS = ["officer_a", "leader_a", "union_officer", "union_officer_p", "province_officer", "admin_p"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_a_persona_can_reach_answers_in_vietnamese(lived_in, persona):
    result = crawl(lived_in.client_for(getattr(lived_in, persona)), limit=250)
    assert len(result.visited) > 10, result.visited  # the navigation leads somewhere
    assert not result.findings, "\n".join(str(finding) for finding in result.findings)


@pytest.mark.parametrize("persona", ["admin_p", "national_admin"])
def test_administrators_reach_the_admin_and_every_admin_page_answers(lived_in, persona):
    result = crawl(lived_in.client_for(getattr(lived_in, persona)), limit=400, per_shape=1, admin=True)
    assert any(url.startswith("/admin/") for url in result.visited)
    assert not result.findings, "\n".join(str(finding) for finding in result.findings)
