"""The Django admin shows targets and registrations only in the administrator's scope, read-only;
support measures are an editable list."""

from django.urls import reverse

from targets.models import AnnualTarget


def test_admin_lists_targets_of_their_province_only_and_cannot_change_them(world):
    mine = AnnualTarget.objects.create(unit=world.A, year=2026, reduce_poor=1)
    other = AnnualTarget.objects.create(unit=world.C, year=2026, reduce_poor=2)
    client = world.client_for(world.admin_p)
    listing = client.get(reverse("admin:targets_annualtarget_changelist"))
    assert listing.status_code == 200
    assert list(listing.context["cl"].queryset) == [mine]
    assert client.get(reverse("admin:targets_annualtarget_change", args=[other.pk])).status_code in (
        302,
        403,
        404,
    )
    response = client.post(reverse("admin:targets_annualtarget_change", args=[mine.pk]), {"reduce_poor": 9})
    assert response.status_code in (302, 403)
    mine.refresh_from_db()
    assert mine.reduce_poor == 1


def test_admin_edits_the_list_of_support_measures(world):
    client = world.client_for(world.admin_p)
    assert client.get(reverse("admin:targets_supportmeasure_changelist")).status_code == 200
