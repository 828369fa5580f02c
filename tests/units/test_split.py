"""Villages of a pre-2025 commune split among several 2025 communes: assigned one by one or from
an .xlsx, their households follow in every report; the unassigned are listed and counted apart."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from households.models import Assessment, Household
from reports.selectors import no_child_label
from tests import factories as f
from units import services
from units.models import UnitLineage

pytestmark = pytest.mark.django_db


@pytest.fixture
def split(world):
    """OB split between A and B; two villages with a household each (poor since 2021)."""
    UnitLineage.objects.filter(old=world.OB).delete()
    services.lineage_link(old=world.OB, new=world.A, partial=True)
    services.lineage_link(old=world.OB, new=world.B, partial=True)
    world.OB.refresh_from_db()
    villages = [f.village(world.OB, code=f"90012-00{n}", name=f"Thôn {n}") for n in (1, 2)]
    homes = []
    for village in villages:
        household = f.HouseholdFactory(commune=world.OB, village=village)
        f.AssessmentFactory(household=household, review_year=2021, effective_date=date(2021, 12, 15))
        homes.append(household)
    return world.OB, villages, homes


def _url(commune):
    return reverse("units:split_detail", args=[commune.pk])


def test_a_split_commune_places_nobody_until_its_villages_are_assigned(world, split):
    commune, villages, homes = split
    assert commune.new_commune_id is None and commune.new_province_id == world.P.pk
    assert set(
        Household.objects.filter(pk__in=[h.pk for h in homes]).values_list("new_commune", flat=True)
    ) == {None}
    page = world.client_for(world.admin_p).get(_url(commune))
    assert page.context["unplaced_count"] == 2
    assert no_child_label(world.P).startswith("Chưa xác định đơn vị mới")


def test_assigning_villages_moves_their_households_and_assessments(world, split):
    commune, villages, homes = split
    client = world.client_for(world.admin_p)
    response = client.post(_url(commune), {f"village-{villages[0].pk}": world.A.pk})
    assert response.status_code == 302
    homes[0].refresh_from_db()
    homes[1].refresh_from_db()
    assert (homes[0].new_commune_id, homes[1].new_commune_id) == (world.A.pk, None)
    assert Assessment.objects.get(household=homes[0]).new_commune_id == world.A.pk
    assert client.get(_url(commune)).context["unplaced_count"] == 1
    # The commune officer of A now sees the household's history; B's does not.
    assert (
        world.client_for(world.officer_a).get(reverse("households:detail", args=[homes[0].pk])).status_code
        == 200
    )
    assert (
        world.client_for(world.officer_b).get(reverse("households:detail", args=[homes[0].pk])).status_code
        == 404
    )


def test_a_commune_outside_the_successors_is_refused(world, split):
    commune, villages, _homes = split
    with pytest.raises(services.UnitError) as error:
        services.village_assign(village=villages[0], new_commune=world.C)
    assert "không nằm trong các xã mới" in str(error.value)


def _xlsx(rows) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(["Thôn", "Xã mới"])
    for row in rows:
        sheet.append(list(row))
    data = io.BytesIO()
    book.save(data)
    return SimpleUploadedFile("gan-thon.xlsx", data.getvalue())


def test_the_xlsx_assigns_by_code_or_name_all_or_nothing(world, split):
    commune, villages, homes = split
    client = world.client_for(world.admin_p)
    bad = client.post(
        _url(commune), {"upload": "1", "file": _xlsx([("Thôn 1", "An Bình"), ("Thôn 9", "Bắc Sơn")])}
    )
    assert bad.status_code == 200
    assert "Dòng 3: không có thôn “Thôn 9”" in bad.content.decode()
    assert not Household.objects.filter(
        new_commune__isnull=False, commune=commune
    ).exists()  # nothing written
    good = client.post(
        _url(commune),
        {"upload": "1", "file": _xlsx([("thon 1", "Xã An Bình"), (villages[1].code, world.B.code)])},
    )
    assert good.status_code == 302
    assert dict(Household.objects.filter(commune=commune).values_list("village", "new_commune")) == {
        villages[0].pk: world.A.pk,
        villages[1].pk: world.B.pk,
    }


def test_administrators_are_offered_the_page_from_their_home(world, split):
    page = world.client_for(world.admin_p).get(reverse("home")).content.decode()
    assert reverse("units:split_list") in page
    listing = world.client_for(world.admin_p).get(reverse("units:split_list"))
    assert [c.pk for c in listing.context["communes"]] == [split[0].pk]


def test_a_hostile_assignment_table_is_refused_before_openpyxl_reads_it(world, split):
    from tests import attacks

    commune, villages, _homes = split
    client = world.client_for(world.admin_p)
    upload = SimpleUploadedFile("gan-thon.xlsx", attacks.dimension_bomb())
    response, peak = attacks.peak_memory(lambda: client.post(_url(commune), {"upload": "1", "file": upload}))
    assert response.status_code == 200
    assert "vượt giới hạn 100 cột" in response.content.decode()
    assert peak < 48 * attacks.MB
    assert not any(v.new_commune_id for v in commune.children.all())
