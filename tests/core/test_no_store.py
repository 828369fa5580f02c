"""Pages with personal data are sent with `Cache-Control: no-store` (officers share office
computers): every URL of the catalogue (tests/scope.py) under a namespace that holds households,
members, lists, exports, reports or jobs' files, as a persona allowed to open it."""

import pytest
from django.urls import reverse

from tests.scope import all_cases

pytestmark = pytest.mark.django_db

CASES = all_cases()
# Written out here, not read from settings: the test pins what must not be cached.
PERSONAL = ("households:", "census:", "targets:", "reports:", "jobs:", "units:", "home", "audit_list")
PERSONAL_URLS = sorted(
    name for name, case in CASES.items() if name.startswith(PERSONAL) and case.get and not case.skip_reason
)


def test_the_catalogue_has_personal_pages_of_every_namespace():
    assert {name.split(":")[0] for name in PERSONAL_URLS} >= {
        "households",
        "census",
        "targets",
        "reports",
        "jobs",
        "units",
        "home",
        "audit_list",
    }


@pytest.mark.parametrize("url_name", PERSONAL_URLS)
def test_a_page_with_personal_data_is_not_stored(url_name, world):
    case = CASES[url_name]
    url = reverse(url_name, kwargs=case.kwargs(world))
    url = f"{url}?{case.query}" if case.query else url
    persona = sorted(case.get)[0]
    response = world.client_for(getattr(world, persona)).get(url)
    assert response.status_code in case.get_status
    assert "no-store" in response.get("Cache-Control", ""), (url_name, persona)


def test_a_refused_page_is_not_stored_either(world):
    response = world.client_for(world.outsider).get(reverse("households:unit_list", args=[world.A.pk]))
    assert response.status_code == 404
    assert "no-store" in response["Cache-Control"]


def test_the_admin_household_list_is_not_stored(world):
    response = world.client_for(world.national_admin).get("/admin/households/household/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
