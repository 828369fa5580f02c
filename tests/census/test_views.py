"""The administrator's import page: upload → preview → confirm, through the access ladder."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from core.models import Job
from households.models import Assessment, Household
from tests.census import files

_capture = None


@pytest.fixture(autouse=True)
def run_jobs(django_capture_on_commit_callbacks):
    """Jobs start when the transaction commits; in these tests, run them as each POST ends."""
    global _capture
    _capture = django_capture_on_commit_callbacks
    yield
    _capture = None


def _post(client, url, data):
    with _capture(execute=True):
        return client.post(url, data)


def _upload(client, data, year=2025, name="ra-soat.xlsx"):
    return _post(client, reverse("census:index"), {"file": SimpleUploadedFile(name, data), "year": str(year)})


def _rows(world, n=3):
    return [
        files.Household(f"H{i}", commune_code=world.A.code, income=1_200_000, deprived=(1, 2, 3))
        for i in range(1, n + 1)
    ]


def test_upload_shows_a_preview_and_writes_nothing_until_confirmed(world):
    client = world.client_for(world.admin_p)
    rows = _rows(world)
    rows[1].income = "nhiều"
    response = _upload(client, files.simple(rows, 2025))
    job = Job.objects.get(owner=world.admin_p)
    assert response.status_code == 302 and response.url == reverse("census:detail", args=[job.pk])
    page = client.get(response.url)
    content = page.content.decode()
    assert job.params["mode"] == "dry_run"
    assert "chưa có gì được ghi" in content and "Thu nhập bình quân" in content and "nhiều" in content
    assert Household.objects.count() == 0
    # Strict confirmation is refused while there are errors.
    response = _post(client, reverse("census:confirm", args=[job.pk]), {})
    assert response.status_code == 302 and Household.objects.count() == 0
    response = _post(client, reverse("census:confirm", args=[job.pk]), {"skip_errors": "on"})
    apply_job = Job.objects.exclude(pk=job.pk).get()
    assert response.url == reverse("census:detail", args=[apply_job.pk])
    assert apply_job.result["written"] and apply_job.result["created"] == 2
    assert sorted(Household.objects.values_list("code", flat=True)) == ["H1", "H3"]
    assert set(Assessment.objects.values_list("import_job", "created_by")) == {
        (apply_job.pk, world.admin_p.pk)
    }
    assert "Đã ghi vào cơ sở dữ liệu" in client.get(response.url).content.decode()
    download = client.get(reverse("jobs:download", args=[apply_job.pk]))
    sheet = load_workbook(
        io.BytesIO(b"".join(download.streaming_content) if download.streaming else download.content)
    ).active
    assert sheet.cell(row=1, column=len(files.headers(2025)) + 1).value == "Phân loại theo hệ thống"


def test_a_non_xlsx_upload_is_refused_by_the_form(world):
    response = _upload(world.client_for(world.admin_p), b"a,b\n1,2\n", name="ra-soat.csv")
    assert response.status_code == 400
    assert "Chỉ nhận tệp Excel .xlsx" in response.content.decode()
    assert not Job.objects.exists()


def test_a_broken_xlsx_gets_a_clear_message(world):
    client = world.client_for(world.admin_p)
    response = _upload(client, b"PK\x03\x04 broken")
    page = client.get(response.url).content.decode()
    assert "Không đọc được tệp" in page and "Ghi vào cơ sở dữ liệu" not in page


def test_rows_of_another_province_are_errors_for_a_province_administrator(world):
    client = world.client_for(world.admin_p)
    rows = _rows(world, 1) + [files.Household("X1", commune_code=world.C.code)]
    _upload(client, files.simple(rows, 2025))
    job = Job.objects.get()
    assert job.result["error_count"] == 1 and "ngoài địa bàn" in job.result["errors"][0]["message"]


@pytest.mark.parametrize("persona", ["officer_a", "province_officer", "leader_a"])
def test_people_who_do_not_import_do_not_see_the_menu_entry(world, persona):
    content = world.client_for(getattr(world, persona)).get(reverse("home")).content.decode()
    assert reverse("census:index") not in content


def test_administrators_see_the_menu_entry_and_their_recent_imports_on_home(world):
    client = world.client_for(world.admin_p)
    _upload(client, files.simple(_rows(world, 1), 2025))
    content = client.get(reverse("home")).content.decode()
    assert "Nhập dữ liệu rà soát" in content and "Kiểm tra tệp rà soát năm 2025" in content


def test_template_download(world):
    response = world.client_for(world.national_admin).get(reverse("census:template"), {"year": "2024"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "bieu-mau-ra-soat-2024.xlsx" in response["Content-Disposition"]


def test_the_end_2015_review_can_be_uploaded_and_its_template_downloaded(world):
    client = world.client_for(world.national_admin)
    page = client.get(reverse("census:index"))
    assert page.context["years"][0] == 2015 and page.context["years"][-1] == 2029
    template = client.get(reverse("census:template"), {"year": "2015"})
    assert "bieu-mau-ra-soat-2015.xlsx" in template["Content-Disposition"]
    response = _upload(client, files.simple(_rows(world, 1), 2015), year=2015)
    assert response.status_code == 302 and Job.objects.get().params["year"] == 2015


def test_a_year_whose_year_end_review_has_no_standard_is_refused_by_the_form(world):
    response = _upload(world.client_for(world.national_admin), files.simple(_rows(world, 1), 2029), year=2030)
    assert response.status_code == 400
    assert "Chưa có chuẩn nghèo cho rà soát cuối năm 2030. Hãy chọn năm từ 2015 đến 2029." in (
        response.content.decode()
    )
    assert not Job.objects.exists()
