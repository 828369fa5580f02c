"""One rule for a person's data, used by the household form, the services and the census import."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from households import services
from households.citizen_id import FEMALE, MALE
from households.models import Household
from households.people import birth_date_error, birth_year_error, check_person
from tests.households import factories as hf
from tests.households.scope_cases import MEMBER_POST

LATEST = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("year", "latest", "ok"),
    [
        (1899, 2026, False),
        (1900, 2026, True),  # the first year the rule allows
        (1975, 2026, True),
        (2026, 2026, True),  # born this year
        (2027, 2026, False),  # next year: not born yet
        (2031, 2026, False),  # the typing slip
        (2024, 2024, True),  # a 2024 census file: born by the end of 2024
        (2025, 2024, False),
        (75, 2026, False),  # two digits
        (19750, 2026, False),
    ],
)
def test_a_birth_year_runs_from_1900_to_the_latest_year(year, latest, ok):
    problem = birth_year_error(year, latest=latest)
    assert (problem == "") is ok
    if not ok:
        assert problem == (f"Năm sinh {year} không hợp lệ: phải là năm có 4 chữ số, từ 1900 đến {latest}.")


@pytest.mark.parametrize(
    ("born", "ok"),
    [
        (date(1899, 12, 31), False),
        (date(1900, 1, 1), True),
        (LATEST - timedelta(days=1), True),
        (LATEST, True),  # born today
        (LATEST + timedelta(days=1), False),  # tomorrow
        (date(2031, 3, 15), False),
    ],
)
def test_a_birth_date_runs_from_1900_to_the_latest_day(born, ok):
    problem = birth_date_error(born, latest=LATEST)
    assert (problem == "") is ok
    if not ok:
        assert problem == f"Ngày sinh {born:%d/%m/%Y} không hợp lệ: phải từ 01/01/1900 đến 23/11/2026."


def test_a_person_who_agrees_with_their_citizen_id_passes():
    check = check_person(sex=MALE, birth_year=1985, citizen_id="045 085 000 123", latest=LATEST)
    assert check.ok and check.citizen_id == "045085000123"


def test_a_future_birth_year_is_refused_and_the_citizen_id_not_compared_with_it():
    check = check_person(sex=MALE, birth_year=2031, citizen_id="045085000123", latest=LATEST)
    assert list(check.errors) == ["birth_year"]


def test_a_birth_date_is_checked_instead_of_the_year_and_gives_the_year_for_the_citizen_id():
    check = check_person(
        sex=FEMALE, birth_year=None, birth_date=date(1985, 3, 15), citizen_id="045185000123", latest=LATEST
    )
    assert check.ok
    future = check_person(sex=FEMALE, birth_year=2031, birth_date=date(2031, 3, 15), latest=LATEST)
    assert list(future.errors) == ["birth_date"]
    wrong_id = check_person(
        sex=FEMALE, birth_year=None, birth_date=date(1986, 3, 15), citizen_id="045185000123", latest=LATEST
    )
    assert list(wrong_id.errors) == ["citizen_id"]
    assert "cho năm sinh 1985" in wrong_id.errors["citizen_id"][0]


def test_an_old_identity_card_cannot_belong_to_someone_born_after_2007():
    assert check_person(sex=MALE, birth_year=2007, citizen_id="123456789", latest=LATEST).ok
    young = check_person(sex=MALE, birth_year=2008, citizen_id="123456789", latest=LATEST)
    assert list(young.errors) == ["citizen_id"]


# --- The same rule where people are entered -----------------------------------------------------


def _household_post(world, **member):
    return {
        **MEMBER_POST,
        "members-INITIAL_FORMS": "0",
        "labour": "has_labour",
        **{f"members-0-{name}": value for name, value in member.items()},
    }


def test_the_household_form_refuses_a_birth_year_in_the_future(world):
    next_year = timezone.localdate().year + 1
    client = world.client_for(world.officer_a)
    response = client.post(
        reverse("households:create", args=[world.A.pk]), _household_post(world, birth_year=str(next_year))
    )
    assert response.status_code == 200
    expected = birth_year_error(next_year, latest=timezone.localdate().year)
    assert expected in response.content.decode()
    assert response.context["formset"].forms[0].errors["birth_year"] == [expected]
    assert not Household.objects.exists()


def test_the_household_form_refuses_a_birth_date_after_today(world):
    tomorrow = timezone.localdate() + timedelta(days=1)
    client = world.client_for(world.officer_a)
    response = client.post(
        reverse("households:create", args=[world.A.pk]),
        _household_post(world, birth_year="", birth_date=tomorrow.strftime("%d/%m/%Y")),
    )
    assert response.status_code == 200
    assert "birth_date" in response.context["formset"].forms[0].errors
    assert not Household.objects.exists()


def test_the_household_form_takes_this_years_birth(world):
    client = world.client_for(world.officer_a)
    this_year = str(timezone.localdate().year)
    response = client.post(
        reverse("households:create", args=[world.A.pk]), _household_post(world, birth_year=this_year)
    )
    assert response.status_code == 302
    assert Household.objects.get().members.get().birth_year == int(this_year)


def test_the_services_refuse_a_birth_year_in_the_future_whoever_calls_them(world):
    next_year = timezone.localdate().year + 1
    with pytest.raises(services.HouseholdError, match=f"Năm sinh {next_year} không hợp lệ"):
        hf.household(
            world.officer_a, world.A, others=[hf.member("Con", relation="child", birth_year=next_year)]
        )
    assert not Household.objects.exists()
