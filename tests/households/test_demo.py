"""The demo reproduces the Cam Lộ 2021 plan's baseline (seeds/003): the approved end-of-2020
review gives, per commune, the source's households and poor counts, and its group counts where the
row adds up (households/demo.py documents the choice for the two rows that do not)."""

from datetime import date

import pytest
from django.db.models import Count, Q

from households.models import Assessment, Household, PovertyClass
from households.selectors import count_by_class, counts_by_child
from units.models import AdministrativeUnit, AdminVersion

pytestmark = [pytest.mark.demo, pytest.mark.usefixtures("demo_db")]

# Source rows: commune code → (households, poor, policy-supported, social-protection, adds up)
SOURCE = {
    "19600": (1458, 99, 44, 55, True),
    "19603": (2706, 99, 16, 83, True),
    "19606": (1472, 43, 7, 36, True),
    "19615": (1779, 37, 10, 27, True),
    "19612": (2212, 38, 1, 37, True),
    "19597": (2169, 29, 0, 38, False),
    "19621": (1647, 38, 1, 28, False),
    "19618": (1489, 22, 0, 22, True),
}
START_2021 = date(2021, 1, 1)


def test_cam_lo_baseline_per_commune(db):
    district = AdministrativeUnit.objects.by_code("468", AdminVersion.PRE2025)
    by_commune = counts_by_child(Assessment.objects.all(), district, START_2021)
    codes = dict(AdministrativeUnit.objects.filter(parent=district).values_list("pk", "code"))
    social = dict(
        Assessment.objects.filter(district=district, state="approved", result_class=PovertyClass.POOR)
        .values("commune__code")
        .annotate(n=Count("pk", filter=Q(household__policy_groups__code="bao-tro-xa-hoi")))
        .values_list("commune__code", "n")
    )
    for pk, counts in by_commune.items():
        households, poor, policy, protection, adds_up = SOURCE[codes[pk]]
        assert (counts.households, counts.poor) == (households, poor), codes[pk]
        if adds_up:
            assert (counts.poor - social[codes[pk]], social[codes[pk]]) == (policy, protection), codes[pk]
    assert len(by_commune) == 8


def test_cam_lo_district_totals_match_the_source(db):
    district = AdministrativeUnit.objects.by_code("468", AdminVersion.PRE2025)
    totals = count_by_class(Assessment.objects.filter(district=district), START_2021)
    assert (totals.households, totals.poor, totals.near_poor) == (14932, 405, 663)
    social = Household.objects.filter(
        district=district, status_class=PovertyClass.POOR, policy_groups__code="bao-tro-xa-hoi"
    ).count()
    assert (totals.poor - social, social) == (79, 326)
    assert totals.poor_income + totals.poor_deprivation == 405


def test_da_nang_has_poor_and_near_poor_households_headed_by_women(db):
    women = Household.objects.filter(
        province__code="48", province__admin_version=AdminVersion.PRE2025, female_head=True
    )
    assert women.filter(status_class=PovertyClass.POOR).count() > 0
    assert women.filter(status_class=PovertyClass.NEAR_POOR).count() > 0


def test_the_2025_commune_has_its_reviews_under_the_standard_that_serves_each(db):
    commune = AdministrativeUnit.objects.by_code("19597", AdminVersion.V2025)
    assessments = Assessment.objects.filter(commune=commune)
    standards = set(assessments.values_list("kind", "review_year", "standard__code"))
    # End-2025 (lists of 2026) and regular 2026 reviews under NĐ 07; end-2026 (lists of 2027) under NĐ 351.
    assert standards == {
        ("periodic", 2025, "nd07-2021"),
        ("regular", 2026, "nd07-2021"),
        ("periodic", 2026, "nd351-2025"),
    }
    assert assessments.filter(review_year=2025, state="approved").exists()
    assert assessments.filter(review_year=2026, state="approved", kind="regular").exists()
    assert assessments.filter(review_year=2026, state="submitted").exists()
    escaped = assessments.filter(
        review_year=2026, state="approved", change__in=["escaped_poverty", "escaped_to_near_poor"]
    )
    assert escaped.exists()
    for assessment in escaped.select_related("previous"):
        assert assessment.previous.valid_until == assessment.effective_date
