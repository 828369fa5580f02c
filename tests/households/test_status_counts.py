"""Counting a province's households by class on a date takes a bounded number of queries, whatever
the number of households and units (issue 3 §5)."""

from datetime import date

import pytest

from households.models import Assessment, PovertyClass
from households.selectors import count_by_class, counts_by_child
from tests import factories as f
from units import access

pytestmark = pytest.mark.django_db


def _populate(world, communes: int, per_commune: int) -> None:
    classes = [PovertyClass.POOR, PovertyClass.NEAR_POOR, PovertyClass.NOT_POOR]
    for c in range(communes):
        commune = f.commune(world.P)
        for n in range(per_commune):
            household = f.HouseholdFactory(commune=commune, code=f"{commune.code}-{n}")
            # A 2022 status superseded by a 2024 one: only the later counts after 15/12/2024.
            f.AssessmentFactory(
                household=household,
                review_year=2022,
                result_class=PovertyClass.POOR,
                valid_until=date(2024, 12, 15),
            )
            f.AssessmentFactory(household=household, review_year=2024, result_class=classes[(c + n) % 3])


@pytest.mark.parametrize(("communes", "per_commune"), [(2, 3), (6, 10)])
def test_province_counts_take_one_query_whatever_the_size(
    world, django_assert_num_queries, communes, per_commune
):
    _populate(world, communes, per_commune)
    scoped = access.assessments_visible_to(world.province_officer)  # grants loaded here, once
    with django_assert_num_queries(1):
        totals = count_by_class(scoped, date(2025, 1, 1))
    with django_assert_num_queries(1):
        by_commune = counts_by_child(scoped, world.P, date(2025, 1, 1))
    households = communes * per_commune
    assert totals.households == households
    assert totals.poor + totals.near_poor + totals.not_poor == households
    assert len(by_commune) == communes
    assert sum(c.households for c in by_commune.values()) == households
    earlier = count_by_class(scoped, date(2023, 6, 1))
    assert (earlier.households, earlier.poor) == (households, households)


def test_the_unit_figures_page_takes_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    from django.urls import reverse

    _populate(world, 4, 5)
    client = world.client_for(world.province_officer)
    url = reverse("households:unit_figures", args=[world.P.pk])
    client.get(url)
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert response.context["total"].households == 20
    assert Assessment.objects.count() == 40
