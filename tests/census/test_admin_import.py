"""The admin's django-import-export screen runs the same pipeline (validation, scope, audit)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from import_export.formats.base_formats import XLSX

from households.models import Assessment, Household
from tests.census import files


def _format_index():
    from django.contrib import admin

    formats = admin.site._registry[Household].get_import_formats()
    return next(i for i, fmt in enumerate(formats) if issubclass(fmt, XLSX))


def _post(client, data):
    return client.post(
        reverse("admin:households_household_import"),
        {
            "resource": "0",
            "format": str(_format_index()),
            "import_file": SimpleUploadedFile("ra-soat.xlsx", data),
        },
    )


def test_admin_preview_then_confirm_imports_through_the_census_pipeline(world):
    client = world.client_for(world.admin_p)
    rows = [
        files.Household(f"AD{i}", commune=world.A.name, income=1_200_000, deprived=(1, 2, 3), year=2025)
        for i in (1, 2)
    ]
    response = _post(client, files.simple(rows, 2025))
    assert response.status_code == 200
    result = response.context["result"]
    assert result.totals["new"] == 2 and not result.has_validation_errors()
    assert Household.objects.count() == 0
    confirm = response.context["confirm_form"]
    response = client.post(reverse("admin:households_household_process_import"), confirm.initial)
    assert response.status_code == 302
    assert sorted(Household.objects.values_list("code", flat=True)) == ["AD1", "AD2"]
    assert set(Assessment.objects.values_list("review_year", "result_class", "created_by")) == {
        (2025, "poor", world.admin_p.pk)
    }
    again = _post(client, files.simple(rows, 2025)).context["result"]
    assert again.totals["skip"] == 2 and again.totals["new"] == 0


def test_admin_shows_row_errors_and_offers_no_confirmation(world):
    client = world.client_for(world.admin_p)
    rows = [
        files.Household("AD1", commune=world.A.name, year=2025),
        files.Household("AD2", commune=world.C.name, year=2025),
    ]
    response = _post(client, files.simple(rows, 2025))
    result = response.context["result"]
    assert [row.number for row in result.invalid_rows] == [3]
    assert "ngoài địa bàn" in str(result.invalid_rows[0].error)
    assert "confirm_form" not in response.context
    assert Household.objects.count() == 0


def test_admin_import_needs_the_import_permission(world):
    world.province_officer.is_staff = True
    world.province_officer.save()
    response = world.client_for(world.province_officer).get(reverse("admin:households_household_import"))
    assert response.status_code == 403
