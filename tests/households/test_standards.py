"""Poverty standards are data: an administrator corrects the numbers or adds a standard of the same
rule shape (a province's own, say) and new assessments follow, without a deploy. Which standard
serves a review: a periodic (year-end) review of year Y the one in force on 1 January Y+1, a
regular review the one in force on its effective date."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from households.models import Indicator, PovertyStandard, Rule, review_standard_date
from tests.households import factories as hf

pytestmark = pytest.mark.django_db

QD59, ND07, ND351 = "qd59-2015", "nd07-2021", "nd351-2025"


def _local_standard(province, year_from: int, year_to: int) -> PovertyStandard:
    """A province's own standard with NĐ 07's indicators and a higher poverty line."""
    national = PovertyStandard.objects.get(code=ND07)
    local = PovertyStandard.objects.create(
        code=f"tinh-thu-{year_from}",
        name="Chuẩn nghèo riêng của tỉnh Thử",
        legal_basis=f"Quyết định 1/{year_from}/QĐ-UBND",
        rule=Rule.INCOME_AND_DEPRIVATION,
        year_from=year_from,
        year_to=year_to,
        province=province,
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
    return local


# --- Which standard serves a review -------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "year", "effective", "day"),
    [
        ("periodic", 2021, date(2021, 12, 15), date(2022, 1, 1)),
        (
            "periodic",
            2021,
            date(2022, 1, 10),
            date(2022, 1, 1),
        ),  # decided in January: still the lists of 2022
        ("periodic", 2021, None, date(2022, 1, 1)),
        ("periodic", 2015, date(2015, 12, 15), date(2016, 1, 1)),
        ("regular", 2021, date(2021, 12, 31), date(2021, 12, 31)),
        ("regular", 2022, date(2022, 1, 1), date(2022, 1, 1)),
    ],
)
def test_the_day_whose_standard_serves_a_review(kind, year, effective, day):
    assert review_standard_date(kind, year, effective) == day


def test_a_regular_review_needs_its_effective_date_to_find_its_standard():
    with pytest.raises(ValueError, match="effective date"):
        review_standard_date("regular", 2024)


@pytest.mark.parametrize(
    ("day", "code"),
    [
        (date(2015, 12, 31), None),
        (date(2016, 1, 1), QD59),
        (date(2021, 12, 31), QD59),  # NĐ 07/2021 Art. 2 kept QĐ 59 through 2021
        (date(2022, 1, 1), ND07),
        (date(2026, 12, 31), ND07),  # NĐ 351/2025 kept NĐ 07 for 2026
        (date(2027, 1, 1), ND351),
        (date(2030, 12, 31), ND351),
        (date(2031, 1, 1), None),
    ],
)
def test_the_standard_in_force_on_a_day(day, code):
    if code is None:
        with pytest.raises(PovertyStandard.DoesNotExist):
            PovertyStandard.objects.in_force_on(day)
    else:
        assert PovertyStandard.objects.in_force_on(day).code == code


# Seeded ranges: QĐ 59/2015 2016–2021, NĐ 07/2021 2022–2026, NĐ 351/2025 2027–2030.
@pytest.mark.parametrize(
    ("year", "code"),
    [
        (2014, None),
        (2015, QD59),  # the end-2015 review drew up the lists of 2016
        (2016, QD59),
        (2020, QD59),  # lists of 2021: QĐ 59 extended
        (2021, ND07),  # lists of 2022 (the 2021 general review under NĐ 07)
        (2024, ND07),
        (2025, ND07),  # lists of 2026: NĐ 351/2025 keeps NĐ 07 for 2026
        (2026, ND351),  # lists of 2027
        (2029, ND351),
        (2030, None),  # lists of 2031: no standard yet
    ],
)
def test_a_periodic_review_uses_the_standard_in_force_on_1_january_of_the_next_year(year, code):
    for effective in (None, date(year, 12, 15), date(year + 1, 1, 10)):
        if code is None:
            with pytest.raises(PovertyStandard.DoesNotExist):
                PovertyStandard.objects.for_review("periodic", year, effective)
        else:
            assert PovertyStandard.objects.for_review("periodic", year, effective).code == code


@pytest.mark.parametrize(
    ("effective", "code"),
    [
        (date(2016, 1, 1), QD59),
        (date(2021, 6, 15), QD59),
        (date(2021, 12, 31), QD59),
        (date(2022, 1, 1), ND07),
        (date(2025, 12, 31), ND07),
        (date(2026, 1, 1), ND07),
        (date(2026, 12, 31), ND07),
        (date(2027, 1, 1), ND351),
        (date(2030, 12, 31), ND351),
    ],
)
def test_a_regular_review_uses_the_standard_in_force_on_its_effective_date(effective, code):
    assert PovertyStandard.objects.for_review("regular", effective.year, effective).code == code


def test_a_provinces_own_standard_serves_the_reviews_of_its_years(world):
    local = _local_standard(world.P, 2024, 2025)
    serves = PovertyStandard.objects.for_review
    assert serves("periodic", 2023, province=world.P) == local  # lists of 2024
    assert serves("periodic", 2024, province=world.P) == local  # lists of 2025
    assert serves("periodic", 2025, province=world.P).code == ND07  # lists of 2026: national again
    assert serves("regular", 2025, date(2025, 12, 31), province=world.P) == local
    assert serves("regular", 2026, date(2026, 1, 1), province=world.P).code == ND07
    assert serves("periodic", 2024, province=world.Q).code == ND07  # another province


@pytest.mark.parametrize(
    ("kind", "first", "last"),
    [(None, 2015, 2030), ("periodic", 2015, 2029), ("regular", 2016, 2030)],
)
def test_review_years_start_with_the_end_2015_review(kind, first, last):
    assert PovertyStandard.objects.review_years(kind) == list(range(first, last + 1))


# --- Standards are data -------------------------------------------------------------------------


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
    national = PovertyStandard.objects.get(code=ND07)
    local = _local_standard(world.P, 2024, 2025)
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
