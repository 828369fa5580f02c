"""Every persona follows every link they are shown, from the home page outwards (tests/crawl.py):
each page answers 200 and reads as Vietnamese — no "None", no English label, no "2.025", no
"6.79", no "??" in a link. A regression net for the whole product: a new page with a broken link,
an unguarded empty value or an untranslated label fails here."""

from datetime import date

import pytest
from django.utils import timezone

from households.models import Assessment, PovertyClass
from targets import services as target_services
from targets.models import HelpEntry, Outcome
from tests.crawl import crawl
from tests.households import factories as hf

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


@pytest.fixture
def lived_in(world, monkeypatch):
    """A commune in use: households at every stage of the review, a target allocated down, a
    registration helped and waiting for the commune, and the other commune with a household.
    Lists show two rows a page, so that their pagination is followed too."""
    monkeypatch.setattr("households.views.PAGE_SIZE", 2)
    officer, leader = world.officer_a, world.leader_a
    approved = []
    for n, poverty in enumerate(["poor", "near_poor", "not_poor"]):
        household = hf.household(officer, world.A, village=world.A1, head=f"Nguyễn Văn {n}")
        hf.assessment(
            household, officer, state=Assessment.State.APPROVED, leader=leader, poverty=poverty, year=YEAR - 1
        )
        approved.append(household)
    for n, state in enumerate(
        [Assessment.State.SUBMITTED, Assessment.State.RETURNED, Assessment.State.DRAFT]
    ):
        household = hf.household(officer, world.A, head=f"Trần Thị {n}")
        hf.assessment(household, officer, state=state, leader=leader, year=YEAR)
    hf.household(world.officer_b, world.B, head="Lê Văn Bắc")
    target = target_services.target_create(
        unit=world.P,
        year=YEAR,
        reduce_poor=2,
        reduce_near_poor=1,
        assessments=Assessment.objects.all(),
        user=world.province_officer,
    )
    target_services.target_allocate(
        parent=target,
        rows=[target_services.ChildAllocation(world.A, 2, 1), target_services.ChildAllocation(world.B, 0, 0)],
        mismatch_reason="",
        assessments=Assessment.objects.all(),
        user=world.province_officer,
        expected_version=1,
    )
    poor = approved[0]
    assert poor.status_class == PovertyClass.POOR or poor.assessments.filter(result_class="poor").exists()
    registration = target_services.registration_create(
        organisation=world.union_p, household=poor, year=YEAR, user=world.union_officer_p
    )
    target_services.help_entry_add(
        registration=registration,
        kind=HelpEntry.Kind.LOAN,
        value=30_000_000,
        date=min(timezone.localdate(), date(YEAR, 12, 31)),
        user=world.union_officer_p,
    )
    registration.refresh_from_db()
    target_services.registration_propose_outcome(
        registration=registration,
        outcome=Outcome.ESCAPED_POVERTY,
        user=world.union_officer_p,
        expected_version=registration.version,
    )
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
