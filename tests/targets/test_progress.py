"""Progress against targets: registered, helped, escaped (assessments and confirmed outcomes),
stale registrations; per unit and drilling down to children."""

from datetime import date

import pytest

from households.models import Assessment, PovertyClass
from targets import selectors, services
from targets.models import Outcome, Registration
from units import access

from .factories import household, reassess

TODAY = date(2026, 6, 30)
POOR, NEAR = PovertyClass.POOR, PovertyClass.NEAR_POOR


@pytest.fixture
def scene(world):
    """Province P 2026: the locality's 10 (A 6, B 4) and the Women's Union's 3; households in A."""
    make = {"assessments": Assessment.objects.all(), "user": world.province_officer}
    top = services.target_create(unit=world.P, year=2026, reduce_poor=10, reduce_near_poor=2, **make)
    services.target_allocate(
        parent=top,
        rows=[services.ChildAllocation(world.A, 6, 2), services.ChildAllocation(world.B, 4, 0)],
        mismatch_reason="",
        expected_version=1,
        **make,
    )
    services.target_create(
        unit=world.P, year=2026, reduce_poor=3, reduce_near_poor=1, organisation=world.union_p, **make
    )

    h1, h2, h4 = (household(world.A, POOR) for _ in range(3))
    h3 = household(world.A, NEAR, female_head=True)
    household(world.B, POOR)

    def register(item, registered_on):
        return services.registration_create(
            organisation=world.union_p,
            household=item,
            year=2026,
            user=world.union_officer_p,
            today=TODAY,
            registered_on=registered_on,
        )

    r1, r2, r3 = (
        register(h1, date(2026, 1, 10)),
        register(h2, date(2026, 1, 10)),
        register(h3, date(2026, 5, 1)),
    )
    services.help_entry_add(
        registration=r1,
        kind="loan",
        value=20_000_000,
        date=date(2026, 3, 1),
        user=world.union_officer_p,
        today=TODAY,
    )
    for registration, outcome in ((r1, Outcome.ESCAPED_POVERTY), (r3, Outcome.ESCAPED_NEAR_POVERTY)):
        services.registration_propose_outcome(
            registration=registration,
            outcome=outcome,
            user=world.union_officer_p,
            expected_version=registration.version,
        )
        registration.refresh_from_db()
        services.registration_confirm_outcome(
            registration=registration,
            outcome=outcome,
            confirmed_on=date(2026, 6, 1),
            user=world.leader_a,
            expected_version=registration.version,
            today=TODAY,
        )
    services.registration_propose_outcome(
        registration=r2, outcome=Outcome.NOT_YET, user=world.union_officer_p, expected_version=1
    )
    reassess(h4, PovertyClass.NOT_POOR, date(2026, 5, 15))  # escapes by a regular review, not registered
    return world


def _progress(world, user, unit, kind=None, children=None):
    return selectors.progress(
        unit=unit,
        children=children
        if children is not None
        else selectors.child_units(access.units_visible_to(user), unit),
        year=2026,
        kind=kind,
        targets=access.targets_visible_to(user),
        registrations=access.registrations_visible_to(user),
        assessments=access.assessments_visible_to(user),
        today=TODAY,
    )


def test_locality_progress_counts_escapes_by_review_and_confirmed_helped_escapes_apart(scene):
    """The target is measured by approved reviews; a confirmed outcome is shown beside it and
    changes nothing until the household's review is approved (households/flows.py)."""
    own, children = _progress(scene, scene.province_officer, scene.P)
    assert (own.target_poor, own.escaped_poor, own.escaped_near_poor) == (10, 1, 0)
    assert (own.helped_escaped_poor, own.helped_escaped_near_poor) == (1, 1)
    assert (own.registered, own.helped, own.stale, own.awaiting_confirmation) == (3, 1, 1, 1)
    assert own.done_poor == 10
    by_unit = {row.unit: row for row in children}
    assert (by_unit[scene.A].target_poor, by_unit[scene.A].escaped_poor, by_unit[scene.A].registered) == (
        6,
        1,
        3,
    )
    assert (by_unit[scene.B].target_poor, by_unit[scene.B].escaped_poor, by_unit[scene.B].registered) == (
        4,
        0,
        0,
    )


def test_organisation_progress_counts_its_registered_households(scene):
    own, children = _progress(scene, scene.province_officer, scene.P, kind="hlhpn")
    assert (own.target_poor, own.target_near_poor) == (3, 1)
    assert (own.registered, own.registered_poor, own.registered_near_poor) == (3, 2, 1)
    # Confirmed by the commune, not yet reviewed: helped escapes, not escapes.
    assert (own.escaped_poor, own.escaped_near_poor, own.helped, own.stale) == (0, 0, 1, 1)
    assert (own.helped_escaped_poor, own.helped_escaped_near_poor) == (1, 1)
    by_unit = {row.unit: row for row in children}
    assert by_unit[scene.A].registered == 3
    assert by_unit[scene.A].target is None  # the Union's share was not allocated to communes


def test_an_escape_by_assessment_counts_for_a_registered_household_without_confirmation(scene):
    h2 = Registration.objects.get(household__registrations__proposed_outcome=Outcome.NOT_YET).household
    reassess(h2, PovertyClass.NEAR_POOR, date(2026, 6, 15))
    own, _ = _progress(scene, scene.province_officer, scene.P, kind="hlhpn")
    assert (own.escaped_poor, own.helped_escaped_poor) == (1, 1)  # h2 by review; the other confirmed


def test_progress_takes_seven_queries_whatever_the_number_of_children(scene, django_assert_max_num_queries):
    """Targets, registrations (unit, children), flows (unit, children: two queries each)."""
    children = selectors.child_units(access.units_visible_to(scene.province_officer), scene.P)
    with django_assert_max_num_queries(7):
        _progress(scene, scene.province_officer, scene.P, children=children)


def test_progress_sees_only_the_users_scope(scene):
    own, _ = _progress(scene, scene.outsider, scene.P)
    assert (own.target, own.registered, own.escaped_poor) == (None, 0, 0)
    own, _ = _progress(scene, scene.officer_b, scene.B)
    assert (own.target_poor, own.registered) == (4, 0)


def test_a_unit_with_no_children_has_its_own_progress_only(scene):
    own, children = _progress(scene, scene.leader_a, scene.A1)
    assert children == []
    assert own.registered == 0


@pytest.mark.parametrize(
    ("last", "today", "stale"),
    [
        (date(2026, 4, 1), date(2026, 6, 30), False),  # 90 days exactly
        (date(2026, 3, 31), date(2026, 6, 30), True),  # 91 days
        (None, date(2026, 6, 30), True),  # never helped, registered 10/01
        (date(2026, 3, 31), date(2027, 3, 1), True),  # a past year is judged on 31/12
        (date(2026, 10, 5), date(2027, 3, 1), False),
    ],
)
def test_stale_after_90_days_without_help(world, last, today, stale):
    registration = Registration(year=2026, registered_on=date(2026, 1, 10), last_help_on=last)
    assert selectors.is_stale(registration, today) is stale


@pytest.mark.parametrize("today", [date(2026, 6, 30), date(2027, 3, 1)])
def test_the_database_form_of_overdue_agrees_with_is_stale(world, today):
    cases = [
        (date(2026, 4, 1), ""),
        (date(2026, 3, 31), ""),
        (None, ""),
        (date(2026, 10, 5), ""),
        (date(2026, 1, 11), Outcome.NOT_YET),  # confirmed: never overdue
    ]
    registrations = [
        Registration.objects.create(
            organisation=world.union_p,
            household=household(world.A),
            year=2026,
            class_at_registration=PovertyClass.POOR,
            registered_on=date(2026, 1, 10),
            last_help_on=last,
            confirmed_outcome=outcome,
        )
        for last, outcome in cases
    ]
    overdue = set(
        selectors.annotate_registrations(Registration.objects.all(), year=2026, today=today)
        .filter(selectors.overdue_q(2026, today))
        .values_list("pk", flat=True)
    )
    assert overdue == {r.pk for r in registrations if selectors.is_stale(r, today)}
    assert overdue  # the table has overdue registrations on both days


def test_a_confirmed_registration_is_never_stale():
    registration = Registration(year=2026, registered_on=date(2026, 1, 10), confirmed_outcome=Outcome.NOT_YET)
    assert not selectors.is_stale(registration, date(2026, 12, 1))


def test_eligible_households_are_poor_or_near_poor_in_the_year(world):
    poor = household(world.A, POOR)
    near = household(world.A, NEAR)
    household(world.A, PovertyClass.NOT_POOR)
    escaped = household(world.A, POOR)
    reassess(escaped, PovertyClass.NOT_POOR, date(2026, 3, 1))
    scoped = access.households_visible_to(world.union_officer_p, "targets.add_registration")
    eligible = selectors.eligible_households(scoped, year=2026, today=TODAY)
    assert {h.pk: h.class_in_year for h in eligible} == {poor.pk: POOR, near.pk: NEAR}
    # For 2026 seen from January, the household that escaped in March was still poor.
    assert escaped in selectors.eligible_households(scoped, year=2026, today=date(2026, 1, 15))
    assert not selectors.eligible_households(
        access.households_visible_to(world.union_officer, "targets.add_registration"), year=2026, today=TODAY
    ).exists()


def test_default_year_is_the_latest_with_data(world):
    assert (
        selectors.default_year(
            access.targets_visible_to(world.officer_a),
            access.registrations_visible_to(world.officer_a),
            TODAY,
        )
        == 2026
    )
    services.target_create(
        unit=world.A,
        year=2021,
        reduce_poor=1,
        reduce_near_poor=0,
        assessments=Assessment.objects.all(),
        user=world.admin_p,
    )
    assert (
        selectors.default_year(
            access.targets_visible_to(world.officer_a),
            access.registrations_visible_to(world.officer_a),
            date(2026, 1, 5),
        )
        == 2021
    )


def _default(world, today):
    return selectors.default_year(
        access.targets_visible_to(world.union_officer_p),
        access.registrations_visible_to(world.union_officer_p),
        today,
    )


def _register(world, year):
    item = household(world.A, PovertyClass.POOR, on=date(year - 1, 12, 15))
    return services.registration_create(
        organisation=world.union_p,
        household=item,
        year=year,
        user=world.union_officer_p,
        today=date(year - 1, 12, 20),
    )


@pytest.mark.parametrize(
    ("years", "today", "expected"),
    [
        ((), date(2026, 12, 31), 2026),  # nothing in scope: the current year
        ((2026,), date(2026, 1, 1), 2026),
        ((2026, 2027), date(2026, 12, 20), 2026),  # one registration of next year does not move it
        ((2027,), date(2026, 12, 31), 2026),  # nor does it alone
        ((2026, 2027), date(2027, 1, 1), 2027),  # 1 January: the new year's
        ((2025, 2027), date(2026, 6, 30), 2025),  # nothing this year yet: the latest earlier year
        ((2025,), date(2027, 1, 1), 2025),
    ],
)
def test_the_default_year_is_the_current_review_year(world, years, today, expected):
    for year in years:
        _register(world, year)
    assert _default(world, today) == expected
