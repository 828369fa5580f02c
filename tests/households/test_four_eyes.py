"""Four eyes on every decision (issue 15.5): nobody approves or returns an assessment they entered
(created or edited) or submitted, whatever their roles, unless an administrator marked the commune
as working with one officer; then the decision is allowed and says so."""

import pytest
from django.urls import reverse

from households import services
from households.models import Assessment
from households.selectors import decidable_by
from tests import factories as f
from tests.households import factories as hf
from units import access
from units.models import Role

pytestmark = pytest.mark.django_db

S = Assessment.State
DECIDES_OWN = (
    "Bạn đã nhập hoặc gửi duyệt phiếu này nên không tự duyệt hay trả lại được: "
    "một lãnh đạo xã khác cần quyết định."
)
ALONE_LABEL = "Quyết định bởi người đã nhập (xã một cán bộ)"


# --- The rule -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("decider", "involved", "one_person", "allowed", "alone"),
    [
        (1, [2, 3], False, True, False),  # someone else entered and submitted it
        (1, [1, 3], False, False, False),  # entered it
        (1, [2, 1], False, False, False),  # submitted it
        (1, [1, 1], False, False, False),  # entered and submitted it
        (1, [1], True, True, True),  # one-person commune: allowed, recorded
        (1, [2], True, True, False),  # one-person commune, someone else's: an ordinary decision
        (1, [None, None], False, True, False),  # nobody known entered it (an import)
        (None, [None], False, True, False),  # an unknown decider is nobody, not "the same"
        (1, [], False, True, False),
    ],
)
def test_the_rule(decider, involved, one_person, allowed, alone):
    assert access.four_eyes(decider, involved, one_person_commune=one_person) == access.FourEyes(
        allowed=allowed, alone=alone
    )


# --- Every role, every way of being involved -------------------------------------------------------


@pytest.fixture
def superuser(db):
    return f.UserFactory(username="root", is_superuser=True, is_staff=True)


PERSONAS = [
    "officer_a",
    "leader_a",
    "union_officer_p",
    "province_officer",
    "admin_p",
    "national_admin",
    "root",
]


def _persona(world, superuser, name):
    return superuser if name == "root" else getattr(world, name)


def _involved(world, person, how) -> Assessment:
    """A submitted assessment that `person` created, edited or submitted (someone else did the rest)."""
    other = world.officer_a if person != world.officer_a else f.UserFactory(username="officer_a2")
    f.member_of(other, world.A, Role.COMMUNE_OFFICER)
    household = hf.household(other, world.A)
    author = person if how == "created" else other
    assessment = services.assessment_create(
        household=household, user=author, data=hf.assessment_input(household)
    )
    if how == "edited":
        services.assessment_update(
            assessment=assessment,
            user=person,
            data=hf.assessment_input(household, income=900_000),
            expected_version=assessment.version,
        )
    services.assessment_submit(assessment=assessment, user=person if how == "submitted" else other)
    assessment.refresh_from_db()
    return assessment


@pytest.mark.parametrize("how", ["created", "edited", "submitted"])
@pytest.mark.parametrize("name", PERSONAS)
def test_nobody_approves_or_returns_what_they_entered_or_submitted(world, superuser, name, how):
    person = _persona(world, superuser, name)
    assessment = _involved(world, person, how)
    with pytest.raises(services.AssessmentError) as error:
        services.assessment_approve(assessment=assessment, user=person)
    assert str(error.value) == DECIDES_OWN
    with pytest.raises(services.AssessmentError) as error:
        services.assessment_return(assessment=assessment, user=person, reason="Sai thu nhập")
    assert str(error.value) == DECIDES_OWN
    assessment.refresh_from_db()
    assert (assessment.state, assessment.decided_by) == (S.SUBMITTED, None)


def test_the_creator_stays_involved_after_someone_else_edits_it(world):
    assessment = _involved(world, world.admin_p, "edited")  # officer_a created, admin_p edited
    with pytest.raises(services.AssessmentError):
        services.assessment_approve(assessment=assessment, user=world.officer_a)


def test_the_administrator_who_holds_officer_and_leader_rights_cannot_approve_their_own(world):
    f.member_of(world.admin_p, world.A, Role.COMMUNE_OFFICER)
    f.member_of(world.admin_p, world.A, Role.COMMUNE_LEADER)
    household = hf.household(world.admin_p, world.A)
    assessment = services.assessment_create(
        household=household, user=world.admin_p, data=hf.assessment_input(household)
    )
    services.assessment_submit(assessment=assessment, user=world.admin_p)
    with pytest.raises(services.AssessmentError, match="không tự duyệt"):
        services.assessment_approve(assessment=assessment, user=world.admin_p)


def test_a_different_leader_approves(world):
    assessment = _involved(world, world.officer_a, "created")
    services.assessment_approve(assessment=assessment, user=world.leader_a)
    assessment.refresh_from_db()
    assert (assessment.state, assessment.decided_by, assessment.decided_alone) == (
        S.APPROVED,
        world.leader_a,
        False,
    )


def test_a_different_leader_returns(world):
    assessment = _involved(world, world.officer_a, "submitted")
    services.assessment_return(assessment=assessment, user=world.leader_a, reason="Sai thu nhập")
    assessment.refresh_from_db()
    assert (assessment.state, assessment.decided_by, assessment.decided_alone) == (
        S.RETURNED,
        world.leader_a,
        False,
    )


# --- The one-person commune ---------------------------------------------------------------------


def _one_person(unit):
    unit.one_person_commune = True
    unit.save()


@pytest.mark.parametrize("how", ["created", "submitted"])
def test_in_a_one_person_commune_the_officer_decides_alone_and_the_record_says_so(world, how):
    _one_person(world.A)
    assessment = _involved(world, world.leader_a, how)
    services.assessment_approve(assessment=assessment, user=world.leader_a)
    assessment.refresh_from_db()
    assert (assessment.state, assessment.decided_by, assessment.decided_alone) == (
        S.APPROVED,
        world.leader_a,
        True,
    )
    page = world.client_for(world.leader_a).get(reverse("households:detail", args=[assessment.household_id]))
    assert ALONE_LABEL in page.content.decode()


def test_a_one_person_decision_is_in_the_audit_entry(world):
    from auditlog.models import LogEntry

    _one_person(world.A)
    assessment = _involved(world, world.leader_a, "submitted")
    services.assessment_return(assessment=assessment, user=world.leader_a, reason="Thiếu giấy tờ")
    entry = LogEntry.objects.get_for_object(assessment).order_by("-pk").first()
    assert entry.changes_dict["decided_alone"] == ["False", "True"]


def test_the_flag_of_another_commune_does_not_relax_it(world):
    _one_person(world.B)
    assessment = _involved(world, world.leader_a, "submitted")
    with pytest.raises(services.AssessmentError):
        services.assessment_approve(assessment=assessment, user=world.leader_a)


def test_an_ordinary_decision_in_a_one_person_commune_is_not_marked(world):
    _one_person(world.A)
    assessment = _involved(world, world.officer_a, "submitted")
    services.assessment_approve(assessment=assessment, user=world.leader_a)
    assessment.refresh_from_db()
    assert assessment.decided_alone is False


def test_the_flag_is_kept_in_the_audit_log(world):
    from auditlog.models import LogEntry

    _one_person(world.A)
    entry = LogEntry.objects.get_for_object(world.A).order_by("-pk").first()
    assert entry.changes_dict["one_person_commune"] == ["False", "True"]


# --- The pages -----------------------------------------------------------------------------------


def test_the_page_hides_the_buttons_from_the_submitter_and_says_why(world):
    f.member_of(world.leader_a, world.A, Role.COMMUNE_OFFICER)
    assessment = _involved(world, world.leader_a, "submitted")
    url = reverse("households:assessment_detail", args=[assessment.pk])
    approve = reverse("households:assessment_approve", args=[assessment.pk])

    own = world.client_for(world.leader_a).get(url).content.decode()
    assert approve not in own
    assert DECIDES_OWN in own

    other = world.client_for(world.admin_p).get(url).content.decode()
    assert approve in other
    assert DECIDES_OWN not in other


def test_posting_the_approval_of_ones_own_is_refused_with_the_message(world):
    assessment = _involved(world, world.admin_p, "created")
    client = world.client_for(world.admin_p)
    response = client.post(
        reverse("households:assessment_approve", args=[assessment.pk]),
        {"version": assessment.version},
        follow=True,
    )
    assert DECIDES_OWN in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.state == S.SUBMITTED


def test_the_one_person_commune_page_warns_before_deciding(world):
    _one_person(world.A)
    assessment = _involved(world, world.leader_a, "submitted")
    page = world.client_for(world.leader_a).get(reverse("households:assessment_detail", args=[assessment.pk]))
    body = page.content.decode()
    assert reverse("households:assessment_approve", args=[assessment.pk]) in body
    assert 'data-testid="decides-alone"' in body


def test_the_queue_marks_own_entries_and_approve_many_skips_them(world):
    own = _involved(world, world.admin_p, "submitted")
    theirs = _involved(world, world.officer_a, "submitted")
    client = world.client_for(world.admin_p)
    page = client.get(reverse("households:approval_queue")).content.decode()
    assert f'name="approve" value="{theirs.pk}"' in page
    assert f'name="approve" value="{own.pk}"' not in page
    assert page.count('data-testid="own-entry"') == 1

    response = client.post(
        reverse("households:approve_many"),
        {"approve": [str(own.pk), str(theirs.pk)]},
        follow=True,
    )
    assert DECIDES_OWN in response.content.decode()
    own.refresh_from_db()
    theirs.refresh_from_db()
    assert (own.state, theirs.state) == (S.SUBMITTED, S.APPROVED)


def test_the_home_panel_counts_only_what_the_leader_may_decide(world):
    _involved(world, world.leader_a, "submitted")
    _involved(world, world.officer_a, "submitted")
    page = world.client_for(world.leader_a).get("/").content.decode()
    assert "Có 1 phiếu đang chờ bạn duyệt." in page


def test_the_filter_agrees_with_the_rule(world, superuser):
    cases = [_involved(world, world.leader_a, how) for how in ("created", "edited", "submitted")]
    cases.append(_involved(world, world.officer_a, "submitted"))
    submitted = Assessment.objects.filter(state=S.SUBMITTED)
    for one_person in (False, True):
        world.A.one_person_commune = one_person
        world.A.save()
        for person in (world.leader_a, world.officer_a, superuser):
            fresh = Assessment.objects.filter(pk__in=[c.pk for c in cases]).select_related(
                "commune", "new_commune"
            )
            expected = {a.pk for a in fresh if services.assessment_four_eyes(a, person).allowed}
            assert set(decidable_by(submitted, person).values_list("pk", flat=True)) == expected
    assert expected  # the last round (one-person commune) allows some


def test_a_review_opened_by_a_confirmed_escape_may_be_decided_by_its_opener(world):
    """The leader who confirms an escape opens the household's regular review without entering its
    figures; once an officer has corrected and submitted it, that leader approves it."""
    household = hf.household(world.officer_a, world.A)
    draft = services.assessment_create(
        household=household, user=world.leader_a, data=hf.assessment_input(household), entered=False
    )
    services.assessment_submit(assessment=draft, user=world.officer_a)
    services.assessment_approve(assessment=draft, user=world.leader_a)
    draft.refresh_from_db()
    assert (draft.state, draft.decided_alone) == (S.APPROVED, False)
