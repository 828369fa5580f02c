"""The attacks of issue 15 (items 2 and 3) on the census paths — the page's background job, the
page's form, the admin's import screen: each refused in Vietnamese naming the limit, nothing
written, within a bound on the memory the refusal took (measured here)."""

import dataclasses

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import Job
from core.uploads import UploadLimits
from households.census.services import census_import
from households.models import Assessment, Household
from tests import attacks

from .test_admin_import import _format_index

PEAK = 32 * attacks.MB  # census_import's own setup (vocabulary, standards) included
REQUEST_PEAK = 48 * attacks.MB  # a whole admin request through the test client

ATTACKS = [
    pytest.param(attacks.dimension_bomb, {}, "vượt giới hạn 300 cột", id="A1:XFD2000"),
    pytest.param(lambda: attacks.huge_cell(200), {}, "nén quá mức", id="200 MB cell"),
    pytest.param(
        lambda: attacks.huge_cell(100), {"max_ratio": 10**6}, "dài hơn 32.767 ký tự", id="cell streamed"
    ),
    pytest.param(
        lambda: attacks.huge_shared_string(100), {"max_ratio": 10**6}, "dài hơn 32.767", id="shared string"
    ),
    pytest.param(lambda: attacks.zip_bomb(100), {}, "nén quá mức", id="zip bomb"),
    pytest.param(attacks.entity_bomb, {}, "DOCTYPE hoặc ENTITY", id="entities"),
]


def _nothing_written():
    assert Household.objects.count() == 0 and Assessment.objects.count() == 0


@pytest.mark.parametrize(("build", "lifted", "message"), ATTACKS)
def test_the_census_job_refuses_each_attack_within_bounded_memory(camlo, build, lifted, message):
    data = build()
    limits = dataclasses.replace(UploadLimits.for_census(), **lifted)
    report, peak = attacks.peak_memory(
        lambda: census_import(data=data, year=2020, user=camlo.admin, dry_run=False, limits=limits)
    )
    assert report.file_error and not report.written
    assert message in report.errors[0].message
    assert peak < PEAK
    _nothing_written()


def test_the_census_page_refuses_a_file_over_the_size_before_reading_it(world, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 1
    client = world.client_for(world.admin_p)
    upload = SimpleUploadedFile("ra-soat.xlsx", b"PK" + b"\0" * attacks.MB)
    response = client.post(reverse("census:index"), {"file": upload, "year": "2025"})
    assert response.status_code == 400
    assert "Tệp quá lớn (2 MB, tối đa 1 MB)" in response.content.decode()
    assert not Job.objects.exists()


def test_the_census_page_job_ends_with_the_refusal(world, django_capture_on_commit_callbacks):
    client = world.client_for(world.admin_p)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("census:index"),
            {"file": SimpleUploadedFile("ra-soat.xlsx", attacks.entity_bomb()), "year": "2025"},
        )
    job = Job.objects.get()
    assert response.status_code == 302 and job.status == Job.Status.DONE
    assert job.result["file_error"] and "DOCTYPE hoặc ENTITY" in job.result["errors"][0]["message"]
    _nothing_written()


def _admin_post(client, data: bytes):
    return client.post(
        reverse("admin:households_household_import"),
        {
            "resource": "0",
            "format": str(_format_index()),
            "import_file": SimpleUploadedFile("ra-soat.xlsx", data),
        },
    )


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (attacks.dimension_bomb, "vượt giới hạn 100 cột"),
        (lambda: attacks.zip_bomb(100), "nén quá mức"),
        (attacks.entity_bomb, "DOCTYPE hoặc ENTITY"),
    ],
    ids=["A1:XFD2000", "zip bomb", "entities"],
)
def test_the_admin_import_refuses_each_attack_inside_the_request_within_bounded_memory(world, build, message):
    client = world.client_for(world.admin_p)
    data = build()
    client.get(reverse("admin:households_household_import"))  # the admin's own first-request setup
    response, peak = attacks.peak_memory(lambda: _admin_post(client, data))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["import_file"])
    assert peak < REQUEST_PEAK
    _nothing_written()


def test_the_admin_import_refuses_a_file_over_the_tables_size_and_points_to_the_census_page(world, settings):
    settings.TABLE_UPLOAD_MAX_KB = 64
    client = world.client_for(world.admin_p)
    response = _admin_post(client, b"PK" + b"\0" * 70 * 1024)
    errors = " ".join(response.context["form"].errors["import_file"])
    assert "Tệp quá lớn (71 KB, tối đa 64 KB)" in errors and "Nhập dữ liệu rà soát" in errors
    _nothing_written()
