"""On the real administrative map and the demo's Cam Lộ 2020 baseline: names resolve among
10,000 communes, and the end-of-2021 review continues each household's chain."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from households.census.services import census_import
from households.models import Assessment, Household
from tests.census import files
from units.models import AdminVersion

pytestmark = [pytest.mark.demo, pytest.mark.usefixtures("demo_db")]


def test_year_after_the_demo_baseline_on_the_real_map(db):
    admin = get_user_model().objects.get(username="quantri")
    existing = (
        Household.objects.filter(
            commune__code="19600", commune__admin_version=AdminVersion.PRE2025, status_class="poor"
        )
        .order_by("code")
        .first()
    )
    before = existing.assessments.get(state="approved", review_year=2020)
    rows = [
        files.Household(
            existing.code,
            commune="Xã Cam Tuyền",
            province="Quảng Trị",
            head=existing.head_name,
            income=2_500_000,
            members=existing.member_count,
        ),
        files.Household("MOI-2021-1", commune="TT Cam Lộ", district="Huyện Cam Lộ", income=600_000),
        files.Household("MOI-2021-2", commune="Thị trấn Cam Lộ", province="Tỉnh Quảng Trị", income=600_000),
    ]
    report = census_import(data=files.simple(rows, 2021), year=2021, user=admin)
    assert report.errors == [], report.errors
    assert (report.created, report.updated) == (2, 1)
    before.refresh_from_db()
    after = existing.assessments.get(state="approved", review_year=2021)
    assert before.valid_until == date(2021, 12, 15)
    assert (after.previous, after.change, after.result_class) == (before, "escaped_poverty", "not_poor")
    existing.refresh_from_db()
    assert (existing.status_class, existing.status_year) == ("not_poor", 2021)
    town = Household.objects.get(code="MOI-2021-1").commune
    assert (town.code, town.name) == ("19597", "Thị trấn Cam Lộ")
    assert Assessment.objects.get(household__code="MOI-2021-2").change == "first"
