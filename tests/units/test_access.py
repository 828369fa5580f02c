"""units/access.py: who sees and changes what, through the personas of tests/conftest.py.

The map: 2025 provinces P (communes A with village A1, B) and Q (commune C); the pre-2025 province
OP (district OD, communes OA, OB) became part of P."""

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404

from core.models import Job
from tests import factories as f
from units import access
from units.models import Membership, Organisation, Role
from units.services import UnitError, membership_grant, membership_revoke

VIEW_HOUSEHOLD = "households.view_household"
CHANGE_HOUSEHOLD = "households.change_household"


@pytest.fixture
def homes(world):
    """One household in each commune of the map (A's in village A1)."""
    return {
        "A": f.HouseholdFactory(commune=world.A, village=world.A1),
        "B": f.HouseholdFactory(commune=world.B),
        "C": f.HouseholdFactory(commune=world.C),
        "OA": f.HouseholdFactory(commune=world.OA),
        "OB": f.HouseholdFactory(commune=world.OB),
    }


# Which households each persona sees: their unit's subtree, which for a 2025 unit holds the
# households of the pre-2025 units that became it (OA → A, OB → B, OP → P).
SEES = {
    "officer_a": {"A", "OA"},
    "leader_a": {"A", "OA"},
    "officer_b": {"B", "OB"},
    "union_officer": {"OA", "OB"},
    "union_officer_p": {"A", "B", "OA", "OB"},
    "province_officer": {"A", "B", "OA", "OB"},
    "admin_p": {"A", "B", "OA", "OB"},
    "national_admin": {"A", "B", "C", "OA", "OB"},
    "outsider": {"C"},
    "nobody": set(),
}

# Which of them each persona may change (the commune officer and the administrators only).
CHANGES = {
    "officer_a": {"A", "OA"},
    "officer_b": {"B", "OB"},
    "admin_p": {"A", "B", "OA", "OB"},
    "national_admin": {"A", "B", "C", "OA", "OB"},
    "outsider": {"C"},
}


def _names(homes, queryset) -> set[str]:
    by_pk = {home.pk: name for name, home in homes.items()}
    return {by_pk[pk] for pk in queryset.values_list("pk", flat=True)}


# --- grants -------------------------------------------------------------------------------------


def test_commune_officer_holds_one_grant_rooted_at_their_commune(world):
    (grant,) = access.grants(world.officer_a)
    assert grant.role == Role.COMMUNE_OFFICER
    assert grant.roots == (world.A,)
    assert not grant.everywhere
    assert grant.organisation is None
    assert {CHANGE_HOUSEHOLD, "households.submit_assessment", "units.manage_village"} <= grant.perms
    assert "households.approve_assessment" not in grant.perms
    assert grant.role_label == "Cán bộ xã"


def test_a_2025_province_covers_the_pre2025_province_that_became_part_of_it(world):
    """One root per membership; the old province lies inside the new one by its 2025 placement."""
    (grant,) = access.grants(world.province_officer)
    assert grant.roots == (world.P,)
    assert access.can(world.province_officer, VIEW_HOUSEHOLD, world.OP)
    assert access.can(world.province_officer, VIEW_HOUSEHOLD, world.OD)
    assert access.can(world.admin_p, VIEW_HOUSEHOLD, world.OA)


def test_a_2025_commune_covers_its_predecessor_commune_only(world):
    """A ← OA: the commune officer of A sees OA's history, never OB's (which became B)."""
    assert access.can(world.officer_a, VIEW_HOUSEHOLD, world.OA)
    assert not access.can(world.officer_a, VIEW_HOUSEHOLD, world.OB)
    assert not access.can(world.officer_a, VIEW_HOUSEHOLD, world.OD)  # the district split among A, B
    assert not access.can(world.officer_a, VIEW_HOUSEHOLD, world.OP)


def test_a_pre2025_province_officer_does_not_see_the_2025_province(world):
    old_officer = f.UserFactory(username="old_province")
    f.member_of(old_officer, world.OP, Role.PROVINCE_OFFICER)
    (grant,) = access.grants(old_officer)
    assert grant.roots == (world.OP,)
    assert not access.can(old_officer, VIEW_HOUSEHOLD, world.A)


def test_union_officer_grant_carries_their_organisation(world):
    (grant,) = access.grants(world.union_officer)
    assert grant.organisation == world.union_od
    assert grant.roots == (world.OD,)


def test_national_administrator_holds_a_grant_for_the_whole_country(world):
    (grant,) = access.grants(world.national_admin)
    assert grant.everywhere
    assert grant.roots == ()


def test_user_without_membership_holds_no_grant(world):
    assert access.grants(world.nobody) == []


def test_anonymous_and_inactive_users_hold_no_grant(world):
    assert access.grants(AnonymousUser()) == []
    world.officer_a.is_active = False
    world.officer_a.save()
    access.clear_cache(world.officer_a)
    assert access.grants(world.officer_a) == []


def test_superuser_holds_every_permission_everywhere(db):
    root = f.UserFactory(username="root", is_superuser=True)
    (grant,) = access.grants(root)
    assert grant.everywhere and "*" in grant.perms
    assert access.sees_everything(root, "anything.at_all")


def test_user_with_several_memberships_holds_one_grant_each(world):
    membership_grant(user=world.officer_a, unit=world.B, role=Role.COMMUNE_LEADER)
    grants = access.grants(world.officer_a)
    assert sorted((g.role, g.roots) for g in grants) == [
        (Role.COMMUNE_LEADER, (world.B,)),
        (Role.COMMUNE_OFFICER, (world.A,)),
    ]
    # The leader role at B gives approval at B only, not at A.
    assert access.can(world.officer_a, "households.approve_assessment", world.B)
    assert not access.can(world.officer_a, "households.approve_assessment", world.A)


def test_grants_are_loaded_once_per_user_object(world, django_assert_num_queries):
    access.grants(world.officer_a)
    with django_assert_num_queries(0):
        access.grants(world.officer_a)
        access.can(world.officer_a, VIEW_HOUSEHOLD, world.A)


def test_membership_changes_are_seen_at_once(world):
    assert not access.can(world.officer_a, VIEW_HOUSEHOLD, world.C)
    membership = membership_grant(user=world.officer_a, unit=world.C, role=Role.COMMUNE_OFFICER)
    assert access.can(world.officer_a, VIEW_HOUSEHOLD, world.C)
    membership_revoke(membership=membership)
    assert not access.can(world.officer_a, VIEW_HOUSEHOLD, world.C)


def test_role_group_permissions_are_read_from_the_database(world):
    """An administrator may give a role more permissions in the admin; access follows the group."""
    from django.contrib.auth.models import Group, Permission

    perm = Permission.objects.get(codename="approve_assessment")
    Group.objects.get(name=Role.COMMUNE_OFFICER).permissions.add(perm)
    access.clear_cache(world.officer_a)
    assert access.can(world.officer_a, "households.approve_assessment", world.A)


# --- memberships that cannot give access -----------------------------------------------------------


def test_only_an_administrator_may_hold_a_membership_without_a_unit(world):
    with pytest.raises(UnitError):
        membership_grant(user=world.nobody, unit=None, role=Role.COMMUNE_OFFICER)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=world.nobody, unit=None, role=Role.PROVINCE_OFFICER)
    assert access.grants(world.nobody) == []


def test_organisation_must_belong_to_the_membership_unit(world):
    with pytest.raises(UnitError):
        membership_grant(user=world.nobody, unit=world.A, role=Role.ORG_OFFICER, organisation=world.union_p)


def test_grant_without_roots_sees_nothing(world):
    """A grant that is neither national nor rooted anywhere must filter to nothing (never to Q())."""
    hollow = access.Grant(
        role=Role.COMMUNE_OFFICER, perms=frozenset({VIEW_HOUSEHOLD, "auditlog.view_logentry"})
    )
    world.nobody._access_cache = access._Cache([hollow])
    f.HouseholdFactory(commune=world.A)
    assert access.located_q(world.nobody, VIEW_HOUSEHOLD) is None
    assert access.units_q(world.nobody, VIEW_HOUSEHOLD) is None
    assert not access.households_visible_to(world.nobody).exists()
    with set_actor(world.officer_a):
        f.HouseholdFactory(commune=world.B).save()
    assert LogEntry.objects.exists()
    assert not access.audit_entries_visible_to(world.nobody).exists()


# --- can ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "perm", "unit", "expected"),
    [
        ("officer_a", VIEW_HOUSEHOLD, "A", True),
        ("officer_a", VIEW_HOUSEHOLD, "A1", True),  # villages below the commune
        ("officer_a", VIEW_HOUSEHOLD, "B", False),  # the neighbouring commune
        ("officer_a", VIEW_HOUSEHOLD, "P", False),  # the province above
        ("officer_a", VIEW_HOUSEHOLD, "OA", True),  # the old commune A came from: its history
        ("officer_a", VIEW_HOUSEHOLD, "OB", False),  # the old commune B came from
        ("officer_a", CHANGE_HOUSEHOLD, "A", True),
        ("leader_a", CHANGE_HOUSEHOLD, "A", False),  # read-only for households
        ("leader_a", "households.approve_assessment", "A", True),
        ("officer_a", "households.approve_assessment", "A", False),
        ("province_officer", VIEW_HOUSEHOLD, "A1", True),
        ("province_officer", VIEW_HOUSEHOLD, "OA", True),  # the lineage
        ("province_officer", VIEW_HOUSEHOLD, "OD", True),
        ("province_officer", VIEW_HOUSEHOLD, "C", False),
        ("province_officer", CHANGE_HOUSEHOLD, "A", False),
        ("province_officer", "targets.allocate_target", "A", True),
        ("union_officer", VIEW_HOUSEHOLD, "OA", True),
        ("union_officer", VIEW_HOUSEHOLD, "A", False),
        ("union_officer", "targets.add_registration", "OB", True),
        ("union_officer_p", "targets.add_registration", "B", True),
        ("union_officer_p", CHANGE_HOUSEHOLD, "B", False),
        ("admin_p", "units.manage_village", "B", True),
        ("admin_p", "units.manage_village", "C", False),
        ("national_admin", CHANGE_HOUSEHOLD, "C", True),
        ("national_admin", "households.delete_household", "C", False),  # not in the role
        ("outsider", VIEW_HOUSEHOLD, "C", True),
        ("outsider", VIEW_HOUSEHOLD, "A", False),
        ("nobody", VIEW_HOUSEHOLD, "A", False),
    ],
)
def test_can(world, persona, perm, unit, expected):
    assert access.can(getattr(world, persona), perm, getattr(world, unit)) is expected


def test_can_with_no_unit_asks_for_the_whole_country(world):
    assert access.can(world.national_admin, "households.change_povertystandard", None)
    assert not access.can(world.admin_p, "households.change_povertystandard", None)


def test_require_raises_permission_denied(world):
    access.require(world.officer_a, "units.manage_village", world.A)
    with pytest.raises(PermissionDenied):
        access.require(world.leader_a, "units.manage_village", world.A)


def test_permission_questions(world):
    assert access.has_perm_somewhere(world.admin_p, "auditlog.view_logentry")
    assert not access.has_perm_somewhere(world.officer_a, "auditlog.view_logentry")
    assert access.sees_everything(world.national_admin, VIEW_HOUSEHOLD)
    assert not access.sees_everything(world.admin_p, VIEW_HOUSEHOLD)
    assert access.has_role(world.leader_a, Role.COMMUNE_LEADER, Role.COMMUNE_OFFICER)
    assert not access.has_role(world.leader_a, Role.ADMINISTRATOR)
    assert access.roles_of(world.union_officer) == {Role.ORG_OFFICER}


# --- filters ------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", sorted(SEES))
def test_households_visible_to(world, homes, persona):
    assert _names(homes, access.households_visible_to(getattr(world, persona))) == SEES[persona]


@pytest.mark.parametrize("persona", sorted(SEES))
def test_located_q_with_the_change_permission(world, homes, persona):
    from households.models import Household

    q = access.located_q(getattr(world, persona), CHANGE_HOUSEHOLD)
    visible = Household.objects.none() if q is None else Household.objects.filter(q)
    assert _names(homes, visible) == CHANGES.get(persona, set())


def test_located_q_is_none_for_nothing_and_empty_for_everything(world):
    from django.db.models import Q

    assert access.located_q(world.nobody, VIEW_HOUSEHOLD) is None
    assert access.located_q(world.national_admin, VIEW_HOUSEHOLD) == Q()


def test_located_q_reaches_through_a_relation(world, homes):
    from targets.models import Registration

    mine = f.RegistrationFactory(organisation=world.union_p, household=homes["A"])
    f.RegistrationFactory(organisation=world.union_p, household=homes["C"])
    q = access.located_q(world.officer_a, "targets.view_registration", prefix="household__")
    assert list(Registration.objects.filter(q)) == [mine]
    assert list(access.registrations_visible_to(world.officer_a)) == [mine]


def test_units_q_is_the_subtree_of_each_root(world):
    def visible(persona):
        return set(access.units_visible_to(getattr(world, persona)))

    w = world
    assert visible("officer_a") == {w.A, w.A1, w.OA}
    assert visible("union_officer") == {w.OD, w.OA, w.OB}
    assert visible("province_officer") == {w.P, w.A, w.A1, w.B, w.OP, w.OD, w.OA, w.OB}
    assert visible("outsider") == {w.C}
    assert visible("nobody") == set()
    assert visible("national_admin") >= {w.P, w.Q, w.OP, w.C, w.A1}


def test_units_q_reaches_through_a_relation(world):
    f.AnnualTargetFactory(unit=world.A)
    f.AnnualTargetFactory(unit=world.P)
    f.AnnualTargetFactory(unit=world.C)
    assert {t.unit for t in access.targets_visible_to(world.officer_a)} == {world.A}
    assert {t.unit for t in access.targets_visible_to(world.province_officer)} == {world.P, world.A}


def test_scope_roots_list_2025_units_first(world):
    assert access.scope_roots(world.province_officer, VIEW_HOUSEHOLD) == [world.P, world.OP]
    assert access.scope_roots(world.national_admin, VIEW_HOUSEHOLD) == []
    assert access.scope_roots(world.nobody, VIEW_HOUSEHOLD) == []


def test_organisations_for_user(world):
    assert access.organisations_for_user(world.union_officer, "targets.add_registration") == [world.union_od]
    assert access.organisations_for_user(world.officer_a, "targets.add_registration") == []


def test_in_scope_ids(world, homes):
    assert access.in_scope_ids(homes.values(), world.officer_b, CHANGE_HOUSEHOLD) == {
        homes["B"].pk,
        homes["OB"].pk,
    }


# --- objects by id: 404 outside the scope, 403 when read-only ---------------------------------------


def test_get_household_for_user_inside_scope(world, homes):
    assert access.get_household_for_user(world.officer_a, homes["A"].pk) == homes["A"]
    assert access.get_household_for_user(world.officer_a, homes["A"].pk, write=True) == homes["A"]
    assert access.get_household_for_user(world.province_officer, homes["OA"].pk) == homes["OA"]


@pytest.mark.parametrize(
    ("persona", "home"),
    [
        ("officer_a", "B"),
        ("officer_b", "A"),
        ("outsider", "A"),
        ("union_officer", "A"),
        ("nobody", "A"),
        ("officer_a", "OB"),
    ],
)
def test_get_household_for_user_outside_scope_is_404(world, homes, persona, home):
    with pytest.raises(Http404):
        access.get_household_for_user(getattr(world, persona), homes[home].pk)
    with pytest.raises(Http404):
        access.get_household_for_user(getattr(world, persona), homes[home].pk, write=True)


def test_get_household_for_user_missing_is_404(world):
    with pytest.raises(Http404):
        access.get_household_for_user(world.national_admin, 999_999)


@pytest.mark.parametrize("persona", ["leader_a", "province_officer", "union_officer_p"])
def test_get_household_for_user_read_only_is_403(world, homes, persona):
    user = getattr(world, persona)
    assert access.get_household_for_user(user, homes["A"].pk) == homes["A"]
    with pytest.raises(PermissionDenied):
        access.get_household_for_user(user, homes["A"].pk, write=True)


def test_get_assessment_for_user(world, homes):
    assessment = f.AssessmentFactory(household=homes["A"])
    assert access.get_assessment_for_user(world.leader_a, assessment.pk, perm="households.approve_assessment")
    with pytest.raises(PermissionDenied):
        access.get_assessment_for_user(world.officer_a, assessment.pk, perm="households.approve_assessment")
    with pytest.raises(Http404):
        access.get_assessment_for_user(world.officer_b, assessment.pk)
    assert list(access.assessments_visible_to(world.province_officer)) == [assessment]
    assert not access.assessments_visible_to(world.outsider).exists()


def test_get_registration_for_user(world, homes):
    registration = f.RegistrationFactory(organisation=world.union_p, household=homes["A"])
    assert access.get_registration_for_user(
        world.union_officer_p, registration.pk, perm="targets.change_registration"
    )
    with pytest.raises(PermissionDenied):
        access.get_registration_for_user(world.officer_a, registration.pk, perm="targets.change_registration")
    with pytest.raises(Http404):
        access.get_registration_for_user(world.union_officer, registration.pk)


def test_get_target_for_user(world):
    target = f.AnnualTargetFactory(unit=world.A)
    assert (
        access.get_target_for_user(world.province_officer, target.pk, perm="targets.allocate_target")
        == target
    )
    with pytest.raises(PermissionDenied):
        access.get_target_for_user(world.officer_a, target.pk, perm="targets.allocate_target")
    with pytest.raises(Http404):
        access.get_target_for_user(world.outsider, target.pk)


def test_get_unit_for_user(world):
    assert access.get_unit_for_user(world.province_officer, world.OA.pk) == world.OA
    with pytest.raises(Http404):
        access.get_unit_for_user(world.officer_a, world.B.pk)
    with pytest.raises(Http404):
        access.get_unit_for_user(world.officer_a, world.P.pk)


def test_ethnicity_is_shown_only_to_roles_that_need_it(world, homes):
    assert access.may_see_ethnicity(world.officer_a, homes["A"])
    assert access.may_see_ethnicity(world.leader_a, homes["A"])
    assert not access.may_see_ethnicity(world.union_officer_p, homes["A"])
    assert not access.may_see_ethnicity(world.province_officer, homes["A"])
    assert not access.may_see_ethnicity(world.officer_b, homes["A"])


def test_jobs_are_visible_to_their_owner_only(world):
    job = Job.objects.create(owner=world.officer_a, kind=Job.Kind.REPORT, title="Báo cáo")
    assert list(access.jobs_visible_to(world.officer_a)) == [job]
    assert not access.jobs_visible_to(world.national_admin).exists()
    assert not access.jobs_visible_to(AnonymousUser()).exists()


# --- audit entries -------------------------------------------------------------------------------


def test_audit_entries_are_scoped_by_the_units_recorded_with_them(world, homes):
    with set_actor(world.national_admin):
        for home in homes.values():
            home.note = "sửa"
            home.save()
    entries = LogEntry.objects.filter(content_type__model="household", action=LogEntry.Action.UPDATE)

    def seen(persona):
        visible = access.audit_entries_visible_to(getattr(world, persona)) & entries
        by_pk = {str(home.pk): name for name, home in homes.items()}
        return {by_pk[e.object_pk] for e in visible}

    assert seen("admin_p") == {"A", "B", "OA", "OB"}
    assert seen("national_admin") == {"A", "B", "C", "OA", "OB"}
    assert seen("officer_a") == set()  # no audit permission
    assert seen("nobody") == set()


def test_audit_scope_of_a_village_root_is_not_the_whole_commune(world, homes):
    keeper = f.UserFactory(username="village_admin")
    f.member_of(keeper, world.A1, Role.ADMINISTRATOR)
    with set_actor(world.national_admin):
        homes["A"].note = "sửa"
        homes["A"].save()
        f.HouseholdFactory(commune=world.A).save()
    assert not access.audit_entries_visible_to(keeper).filter(content_type__model="household").exists()


def test_organisation_audit_entries_follow_their_unit(world):
    with set_actor(world.national_admin):
        Organisation.objects.create(unit=world.C, kind=Organisation.Kind.VETERANS, name="Hội CCB xã Cẩm Lệ")
        Organisation.objects.create(
            unit=world.B, kind=Organisation.Kind.VETERANS, name="Hội CCB phường Bắc Sơn"
        )
    names = set(
        access.audit_entries_visible_to(world.admin_p)
        .filter(content_type__model="organisation")
        .values_list("object_repr", flat=True)
    )
    assert "Hội CCB phường Bắc Sơn" in names
    assert "Hội CCB xã Cẩm Lệ" not in names
