"""Poverty standards are data: an administrator corrects the numbers or adds a standard of the same
rule shape (a province's own, say) and new assessments follow, without a deploy."""

import pytest
from django.core.exceptions import ValidationError

from households.models import Indicator, PovertyStandard, Rule
from tests.households import factories as hf

pytestmark = pytest.mark.django_db


def test_a_corrected_poverty_line_applies_to_new_assessments(world):
    standard = PovertyStandard.objects.get(code="nd07-2021")
    household = hf.household(world.officer_a, world.A)
    before = hf.assessment(household, world.officer_a, income=1_600_000)
    assert before.result_class == "medium"
    standard.poverty_line_rural = 1_700_000
    standard.save()
    before.delete()
    after = hf.assessment(household, world.officer_a, income=1_600_000)
    assert after.result_class == "poor"
    assert "chuẩn nghèo nông thôn 1.700.000 đ" in after.reasons


def test_a_provinces_own_standard_is_used_for_its_households(world):
    national = PovertyStandard.objects.get(code="nd07-2021")
    local = PovertyStandard.objects.create(
        code="tinh-thu-2024",
        name="Chuẩn nghèo riêng của tỉnh Thử",
        legal_basis="Quyết định 1/2024/QĐ-UBND",
        rule=Rule.INCOME_AND_DEPRIVATION,
        year_from=2024,
        year_to=2025,
        province=world.P,
        poverty_line_rural=2_000_000,
        poverty_line_urban=2_500_000,
    )
    for indicator in national.indicators.all():
        Indicator.objects.create(
            standard=local,
            order=indicator.order,
            code=indicator.code,
            dimension=indicator.dimension,
            name=indicator.name,
            definition=indicator.definition,
        )
    in_p = hf.assessment(hf.household(world.officer_a, world.A), world.officer_a, income=1_800_000)
    in_q = hf.assessment(hf.household(world.outsider, world.C), world.outsider, income=1_800_000)
    assert (in_p.standard, in_p.result_class) == (local, "poor")
    assert (in_q.standard, in_q.result_class) == (national, "medium")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"year_from": 2027, "year_to": 2026}, "year_to"),
        ({"rule": Rule.EITHER_2016, "near_poverty_line_rural": None}, "near_poverty_line_rural"),
        ({"medium_upper_rural": 1_000_000}, "medium_upper_rural"),
        ({"year_from": 2025, "year_to": 2027}, "year_from"),  # overlaps NĐ 07 and NĐ 351
    ],
)
def test_inconsistent_standards_are_refused(world, changes, field):
    standard = PovertyStandard(
        code="moi",
        name="Chuẩn mới",
        legal_basis="Văn bản mới",
        rule=Rule.INCOME_AND_DEPRIVATION,
        year_from=2031,
        year_to=2035,
        poverty_line_rural=2_500_000,
        poverty_line_urban=3_000_000,
    )
    standard.clean()  # consistent as it is
    for name, value in changes.items():
        setattr(standard, name, value)
    with pytest.raises(ValidationError) as caught:
        standard.clean()
    assert field in caught.value.message_dict


def test_a_household_changed_in_the_admin_keeps_its_summary(world):
    from households import services

    household = hf.household(world.officer_a, world.A)
    household.members.update(full_name="Tên Sửa Trong Quản Trị", sex="female")
    services.household_refresh_summary(household=household)
    household.refresh_from_db()
    assert (household.head_name, household.female_head, household.head_search) == (
        "Tên Sửa Trong Quản Trị",
        True,
        "ten sua trong quan tri",
    )
