"""Background jobs as their owner sees them: the list, the progress page and the download, which
serves the file from the database to its owner only."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.http import Http404
from django.urls import reverse

from core import jobs
from core.models import Job, JobFile


@pytest.fixture
def report_handler(monkeypatch):
    """A report handler that counts to three and writes a small workbook-like file."""
    calls = []

    def handler(job, progress):
        calls.append(job.pk)
        for done in range(1, 4):
            progress(done, 3, "Đang tổng hợp")
        return jobs.JobOutput(
            result={"rows": 3},
            file_name="Báo cáo quý 1.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            data=b"PK\x03\x04 workbook",
        )

    monkeypatch.setitem(jobs._HANDLERS, Job.Kind.REPORT, handler)
    return calls


def _done_job(owner, *, with_file=True) -> Job:
    job = Job.objects.create(owner=owner, kind=Job.Kind.REPORT, title="Báo cáo thử", status=Job.Status.DONE)
    if with_file:
        JobFile.objects.create(
            job=job,
            role=JobFile.Role.OUTPUT,
            name="Danh sách hộ.pdf",
            content_type="application/pdf",
            data=b"%PDF-1.7",
        )
    return job


def test_a_started_job_runs_and_its_owner_downloads_the_result(
    world, report_handler, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.job_start(
            owner=world.officer_a, kind=Job.Kind.REPORT, title="Báo cáo quý 1", params={"q": 1}
        )
    job.refresh_from_db()
    assert report_handler == [job.pk]
    assert job.status == Job.Status.DONE and job.percent == 100
    assert job.result == {"rows": 3}
    assert job.started_at and job.finished_at

    client = world.client_for(world.officer_a)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert reverse("jobs:download", args=[job.pk]) in page
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 200
    assert response.content == b"PK\x03\x04 workbook"
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment")
    assert "B%C3%A1o%20c%C3%A1o%20qu%C3%BD%201.xlsx" in response["Content-Disposition"]


def test_a_failing_job_is_marked_failed_with_a_vietnamese_message(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(job, progress):
        raise ValueError("tệp hỏng")

    monkeypatch.setitem(jobs._HANDLERS, Job.Kind.REPORT, broken)
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.job_start(owner=world.officer_a, kind=Job.Kind.REPORT, title="Báo cáo", params={})
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message.startswith("Công việc bị lỗi")
    assert world.client_for(world.officer_a).get(reverse("jobs:download", args=[job.pk])).status_code == 404


@pytest.mark.parametrize("persona", ["officer_b", "leader_a", "admin_p", "national_admin", "nobody"])
def test_only_the_owner_may_download(world, persona):
    job = _done_job(world.officer_a)
    client = world.client_for(getattr(world, persona))
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404


def test_anonymous_download_goes_to_login(world, client):
    job = _done_job(world.officer_a)
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_an_unfinished_job_has_nothing_to_download(world):
    job = _done_job(world.officer_a)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    assert world.client_for(world.officer_a).get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_a_finished_job_without_a_file_has_nothing_to_download(world):
    job = _done_job(world.officer_a, with_file=False)
    assert world.client_for(world.officer_a).get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_an_input_file_is_never_served_as_the_result(world):
    job = _done_job(world.officer_a, with_file=False)
    JobFile.objects.create(
        job=job, role=JobFile.Role.INPUT, name="tai-len.xlsx", content_type="x", data=b"input"
    )
    assert world.client_for(world.officer_a).get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_progress_fragment_for_htmx(world):
    job = Job.objects.create(
        owner=world.officer_a,
        kind=Job.Kind.REPORT,
        title="Báo cáo",
        status=Job.Status.RUNNING,
        progress_done=1234,
        progress_total=5000,
    )
    response = world.client_for(world.officer_a).get(
        reverse("jobs:detail", args=[job.pk]), HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert "<html" not in page, "htmx gets the fragment only"
    assert 'id="job-progress"' in page and "1.234 / 5.000" in page
    assert 'hx-trigger="every 1s"' in page


def test_job_list_shows_own_jobs_only(world):
    mine = Job.objects.create(owner=world.officer_a, kind=Job.Kind.REPORT, title="Của tôi")
    Job.objects.create(owner=world.officer_b, kind=Job.Kind.REPORT, title="Của người khác")
    page = world.client_for(world.officer_a).get(reverse("jobs:list")).content.decode()
    assert mine.title in page and "Của người khác" not in page
    empty = world.client_for(world.leader_a).get(reverse("jobs:list")).content.decode()
    assert "Chưa có công việc nền nào" in empty


class _Revoked(Exception):
    pass


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (PermissionDenied(), "bạn không còn quyền truy cập dữ liệu của công việc này"),
        (Http404(), "bạn không còn quyền truy cập dữ liệu của công việc này"),
        (PermissionError("bạn không còn quyền xem báo cáo này"), "bạn không còn quyền xem báo cáo này"),
        (Job.DoesNotExist("Job matching query does not exist."), "dữ liệu cần cho công việc không còn nữa"),
        (OperationalError("database is locked"), "cơ sở dữ liệu đang bận hoặc không trả lời"),
        (MemoryError(), "dữ liệu quá lớn để xử lý"),
        (ValueError("tệp hỏng."), "tệp hỏng"),
        (_Revoked(), "lỗi hệ thống không lường trước"),
        (ValueError(""), "lỗi hệ thống không lường trước"),
    ],
)
def test_every_failure_says_why_in_vietnamese(error, reason):
    message = jobs.failure_message(error)
    assert message.startswith(f"Công việc bị lỗi: {reason}")
    assert "Công việc bị lỗi: ." not in message
    assert ".." not in message


def test_a_job_whose_access_was_revoked_says_so(world, monkeypatch, django_capture_on_commit_callbacks):
    """Seen in issue 15: "Công việc bị lỗi: ." when the owner's membership was removed."""

    def revoked(job, progress):
        raise Http404

    monkeypatch.setitem(jobs._HANDLERS, Job.Kind.REPORT, revoked)
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.job_start(owner=world.officer_a, kind=Job.Kind.REPORT, title="Báo cáo", params={})
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message.startswith("Công việc bị lỗi: bạn không còn quyền truy cập")


def test_a_job_of_an_unknown_kind_fails_with_a_reason(world, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.delitem(jobs._HANDLERS, Job.Kind.REPORT)
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.job_start(owner=world.officer_a, kind=Job.Kind.REPORT, title="Báo cáo", params={})
    job.refresh_from_db()
    assert (job.status, job.message.split(".")[0]) == (
        Job.Status.FAILED,
        "Công việc bị lỗi: loại công việc này không còn được hỗ trợ",
    )


def test_a_failure_while_saving_the_output_fails_the_job(
    world, report_handler, monkeypatch, django_capture_on_commit_callbacks
):
    def full_disk(*args, **kwargs):
        raise OperationalError("disk full")

    monkeypatch.setattr(JobFile.objects, "update_or_create", full_disk)
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.job_start(owner=world.officer_a, kind=Job.Kind.REPORT, title="Báo cáo", params={})
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "cơ sở dữ liệu đang bận" in job.message
