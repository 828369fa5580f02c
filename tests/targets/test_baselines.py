"""Baselines are counted from approved assessments on 1 January, per unit and per child."""

from datetime import date

from households.models import Assessment, PovertyClass
from targets import selectors

from .factories import household, households, reassess

POOR, NEAR, NOT = PovertyClass.POOR, PovertyClass.NEAR_POOR, PovertyClass.NOT_POOR


def test_baseline_counts_classes_groups_and_female_heads_on_the_first_of_january(world):
    household(world.A, POOR, social_protection=True)
    household(world.A, POOR, female_head=True)
    household(world.A, POOR, social_protection=True, female_head=True)
    household(world.A, NEAR, female_head=True)
    household(world.A, NEAR)
    households(world.A, {NOT: 3, PovertyClass.MEDIUM: 1})
    household(world.B, POOR)  # another commune
    late = household(world.A, POOR, on=date(2026, 1, 2))  # approved after 1 January: not in the baseline
    draft = household(world.A, NOT)
    reassess(
        draft, POOR, date(2025, 12, 20), state=Assessment.State.SUBMITTED
    )  # not approved: still not poor

    baseline = selectors.baseline_of(Assessment.objects.all(), world.A, date(2026, 1, 1))

    assert baseline == selectors.Baseline(
        households=10,
        poor=3,
        near_poor=2,
        poor_policy=1,
        poor_social_protection=2,
        poor_female_head=2,
        near_poor_female_head=1,
    )
    assert late.pk  # counted from 2 January on
    assert selectors.baseline_of(Assessment.objects.all(), world.A, date(2026, 1, 2)).poor == 4


def test_an_escape_approved_before_the_first_of_january_moves_the_household_out(world):
    item = household(world.A, POOR, on=date(2024, 12, 15))
    reassess(item, NEAR, date(2025, 12, 15))
    baseline = selectors.baseline_of(Assessment.objects.all(), world.A, date(2026, 1, 1))
    assert (baseline.poor, baseline.near_poor) == (0, 1)
    assert selectors.baseline_of(Assessment.objects.all(), world.A, date(2025, 1, 1)).poor == 1


def test_baselines_by_child_groups_a_province_by_commune_in_one_query(world, django_assert_num_queries):
    households(world.A, {POOR: 2, NOT: 1})
    households(world.B, {NEAR: 1})
    with django_assert_num_queries(1):
        by_child = selectors.baselines_by_child(Assessment.objects.all(), world.P, date(2026, 1, 1))
    assert by_child[world.A.pk].poor == 2
    assert by_child[world.A.pk].households == 3
    assert by_child[world.B.pk].near_poor == 1
    assert world.C.pk not in by_child


def test_a_unit_without_households_has_no_baseline_data(world):
    baseline = selectors.baseline_of(Assessment.objects.all(), world.C, date(2026, 1, 1))
    assert not baseline.has_data
    assert baseline.poor_rate is None
    assert selectors.baselines_by_child(Assessment.objects.all(), world.A, date(2026, 1, 1)) == {}


def test_scoped_assessments_limit_the_baseline(world):
    from units import access

    households(world.A, {POOR: 2})
    outsider_view = access.assessments_visible_to(world.outsider)
    assert selectors.baseline_of(outsider_view, world.A, date(2026, 1, 1)).poor == 0
    officer_view = access.assessments_visible_to(world.officer_a)
    assert selectors.baseline_of(officer_view, world.A, date(2026, 1, 1)).poor == 2
