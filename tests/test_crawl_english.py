"""Every persona switches to English and follows every link they are shown (tests/crawl.py): no
page shows a text of the catalogue in Vietnamese. That is what a label translated once at import
time (gettext instead of gettext_lazy), a template that forgot {% load i18n %}, or a value
translated before the language was chosen look like. Names and other data stay as written, and
documents (report previews, target tables) are Vietnamese by design, so they are not read."""

import re

import pytest
from django.conf import settings

from households.models import Indicator, PolicyGroup, PovertyCause
from targets.models import SupportMeasure
from tests import crawl as crawling
from tests.catalogue import PLACEHOLDER, PO, TAG, VIETNAMESE, pofile
from tests.crawl import crawl, populate
from units.models import AdministrativeUnit, Organisation

pytestmark = pytest.mark.django_db

# Pages whose body is a Vietnamese document by design (the page around it is checked elsewhere).
DOCUMENTS = re.compile(r"^/(reports/[\w-]+/\d+/|targets/\d+/(table|union-table)/)")
# Long enough not to be a word that data also uses ("Hộ nghèo" is a class and a column title).
MINIMUM = 30


def _phrases() -> set[str]:
    """The Vietnamese stretches of the catalogue's msgids, between placeholders and tags."""
    phrases = set()
    for entry in pofile.messages(PO).values():
        for msgid in filter(None, (entry.msgid, entry.msgid_plural)):
            for part in re.split(f"{PLACEHOLDER.pattern}|{TAG.pattern}", msgid):
                part = " ".join(part.split()).strip(" .,:;()–")
                if len(part) >= MINIMUM and VIETNAMESE.search(part):
                    phrases.add(part)
    return phrases


def _data_names() -> set[str]:
    """Text that is data in the database: shown as written in every language."""
    names = set()
    for model in (PolicyGroup, PovertyCause, SupportMeasure, AdministrativeUnit, Organisation):
        names |= set(model.objects.values_list("name", flat=True))
    names |= set(Indicator.objects.values_list("name", flat=True))
    names |= set(Indicator.objects.values_list("definition", flat=True))
    return names


@pytest.fixture
def lived_in(world, monkeypatch):
    monkeypatch.setattr("households.views.PAGE_SIZE", 2)
    populate(world)
    return world


@pytest.mark.parametrize("persona", ["officer_a", "leader_a", "union_officer_p", "province_officer"])
def test_no_page_shows_catalogue_text_in_vietnamese_to_an_english_reader(lived_in, persona, monkeypatch):
    phrases = _phrases()
    data = _data_names()
    phrases = {p for p in phrases if not any(p in name for name in data)}
    leaks: dict[str, set[str]] = {}

    def read(url, html, allowed=frozenset()):
        page = crawling._Page()
        page.feed(html)
        if not DOCUMENTS.match(url):
            text = " ".join(" ".join(page.text).split())
            found = {phrase for phrase in phrases if phrase in text}
            if found:
                leaks[url] = found
        return [], page.links

    monkeypatch.setattr(crawling, "page_findings", read)
    client = lived_in.client_for(getattr(lived_in, persona))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    result = crawl(client, limit=200)
    assert len(result.visited) > 10, result.visited
    assert not leaks, "\n".join(f"{url}: {sorted(found)[:3]}" for url, found in leaks.items())
    assert not result.findings, "\n".join(str(finding) for finding in result.findings)  # every page 200
