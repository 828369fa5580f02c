"""Four eyes on the confirmation of an outcome (issue 15.5): its proposer never confirms it,
whatever their roles, unless the commune works with one officer; then the record says so."""

from datetime import date

import pytest
from django.urls import reverse

from targets import services
from targets.models import Outcome, Registration
from tests import factories as f
from units.models import Role

from .factories import household

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 30)
CONFIRMS_OWN = "Bạn đã đề xuất kết quả này nên không tự xác nhận được: một lãnh đạo xã khác cần xác nhận."
ALONE_LABEL = "Xác nhận bởi người đã đề xuất (xã một cán bộ)"
PERSONAS = [
    "officer_a",
    "leader_a",
    "union_officer_p",
    "province_officer",
    "admin_p",
    "national_admin",
    "root",
]


def _proposed(world, proposer) -> Registration:
    registration = services.registration_create(
        organisation=world.union_p,
        household=household(world.A),
        year=2026,
        user=world.union_officer_p,
        today=TODAY,
        registered_on=date(2026, 3, 20),
    )
    return services.registration_propose_outcome(
        registration=registration, outcome=Outcome.ESCAPED_POVERTY, user=proposer, expected_version=1
    )


def _confirm(registration, user):
    return services.registration_confirm_outcome(
        registration=registration,
        outcome=Outcome.ESCAPED_POVERTY,
        confirmed_on=date(2026, 6, 1),
        user=user,
        expected_version=registration.version,
        today=TODAY,
    )


@pytest.mark.parametrize("name", PERSONAS)
def test_the_proposer_cannot_confirm_whatever_their_role(world, name):
    person = f.UserFactory(username="root", is_superuser=True) if name == "root" else getattr(world, name)
    registration = _proposed(world, person)
    with pytest.raises(services.RegistrationError) as error:
        _confirm(registration, person)
    assert str(error.value) == CONFIRMS_OWN
    registration.refresh_from_db()
    assert (registration.confirmed_outcome, registration.confirmed_by) == ("", None)


def test_a_different_leader_confirms(world):
    registration = _confirm(_proposed(world, world.union_officer_p), world.leader_a)
    registration.refresh_from_db()
    assert (registration.confirmed_by, registration.confirmed_alone) == (world.leader_a, False)


def test_the_proposer_cannot_correct_a_confirmed_result_either(world):
    f.member_of(world.union_officer_p, world.A, Role.COMMUNE_LEADER)
    registration = _confirm(_proposed(world, world.union_officer_p), world.leader_a)
    with pytest.raises(services.RegistrationError, match="không tự xác nhận"):
        _confirm(registration, world.union_officer_p)


def test_in_a_one_person_commune_the_proposer_confirms_and_the_record_says_so(world):
    world.A.one_person_commune = True
    world.A.save()
    registration = _confirm(_proposed(world, world.leader_a), world.leader_a)
    registration.refresh_from_db()
    assert (registration.confirmed_outcome, registration.confirmed_alone) == (Outcome.ESCAPED_POVERTY, True)
    page = world.client_for(world.leader_a).get(
        reverse("households:detail", args=[registration.household_id])
    )
    assert ALONE_LABEL in page.content.decode()


def test_another_communes_flag_does_not_relax_it(world):
    world.B.one_person_commune = True
    world.B.save()
    registration = _proposed(world, world.leader_a)
    with pytest.raises(services.RegistrationError):
        _confirm(registration, world.leader_a)


def test_the_page_hides_the_confirmation_from_its_proposer_and_says_why(world):
    registration = _proposed(world, world.leader_a)
    url = reverse("targets:registration_detail", args=[registration.pk])
    confirm = reverse("targets:confirm", args=[registration.pk])
    own = world.client_for(world.leader_a).get(url).content.decode()
    assert confirm not in own
    assert CONFIRMS_OWN in own
    other = world.client_for(world.admin_p).get(url).content.decode()
    assert confirm in other
    assert CONFIRMS_OWN not in other


def test_posting_a_confirmation_of_ones_own_proposal_is_refused(world):
    registration = _proposed(world, world.leader_a)
    response = world.client_for(world.leader_a).post(
        reverse("targets:confirm", args=[registration.pk]),
        {"version": registration.version, "outcome": Outcome.ESCAPED_POVERTY, "confirmed_on": "01/06/2026"},
    )
    assert CONFIRMS_OWN in response.content.decode()
    registration.refresh_from_db()
    assert registration.confirmed_outcome == ""


def test_the_home_panel_lists_only_what_the_leader_may_confirm(world):
    own = _proposed(world, world.leader_a)
    theirs = _proposed(world, world.union_officer_p)
    page = world.client_for(world.leader_a).get("/").content.decode()
    assert reverse("targets:registration_detail", args=[theirs.pk]) + "#outcome" in page
    assert reverse("targets:registration_detail", args=[own.pk]) + "#outcome" not in page
