"""Heartbeats, time limits, queues and the recovery of jobs whose worker stopped beating, in process
(tests/core/test_worker_kill.py kills a real worker)."""

import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core import jobs, recovery, worker
from core.models import Job, WorkerBeat
from households.census.jobs import APPLY, DRY_RUN

STALE = 120


@pytest.fixture(autouse=True)
def short_limits(settings):
    settings.JOB_STALE_AFTER_SECONDS = STALE
    settings.JOB_HEARTBEAT_SECONDS = 10
    settings.JOB_RECOVERY_SECONDS = 60


@pytest.fixture
def finishing_handler(monkeypatch):
    """Every kind's handler finishes at once with a small file (the re-run of a recovered job)."""

    def handler(job, progress):
        progress(1, 1, force=True)
        return jobs.JobOutput(result={"ran": True}, file_name="x.xlsx", content_type="x", data=b"x")

    for kind in Job.Kind.values:
        monkeypatch.setitem(jobs._HANDLERS, kind, handler)


def _running(
    owner, *, kind=Job.Kind.REPORT, params=None, beat_age=STALE + 1, run_age=None, attempts=1
) -> Job:
    """A running job last stamped `beat_age` seconds ago, with its task RUNNING in the database."""
    now = timezone.now()
    job = Job.objects.create(
        owner=owner,
        kind=kind,
        title="Công việc thử",
        params=params or {},
        status=Job.Status.RUNNING,
        attempts=attempts,
        started_at=now - timedelta(seconds=run_age if run_age is not None else beat_age + 5),
        heartbeat_at=now - timedelta(seconds=beat_age),
        progress_done=23,
        progress_total=100,
        worker_id="dead-worker",
    )
    task = DatabaseBackend("default", {}).enqueue(jobs.run_job, [str(job.pk)], {})
    DBTaskResult.objects.filter(pk=task.id).update(
        status=TaskResultStatus.RUNNING, started_at=job.started_at, worker_ids=["dead-worker"]
    )
    Job.objects.filter(pk=job.pk).update(task_id=str(task.id))
    job.refresh_from_db()
    return job


def _task_status(job: Job) -> str:
    return DBTaskResult.objects.get(pk=job.task_id).status


@pytest.mark.parametrize(
    ("beat_age", "recovered"), [(STALE - 5, False), (STALE - 1, False), (STALE + 1, True), (STALE * 10, True)]
)
def test_a_job_is_recovered_only_once_its_heartbeat_is_older_than_the_limit(world, beat_age, recovered):
    job = _running(world.officer_a, kind=Job.Kind.HOUSEHOLD_EXPORT, beat_age=beat_age)
    report = recovery.jobs_recover()
    job.refresh_from_db()
    assert (job.pk in report.requeued) is recovered
    assert job.status == (Job.Status.PENDING if recovered else Job.Status.RUNNING)
    assert _task_status(job) == (TaskResultStatus.FAILED if recovered else TaskResultStatus.RUNNING)


@pytest.mark.parametrize(
    ("kind", "params", "attempts", "outcome", "message"),
    [
        (Job.Kind.REPORT, {"format": "pdf"}, 1, "requeued", ""),
        (Job.Kind.HOUSEHOLD_EXPORT, {}, 1, "requeued", ""),
        (Job.Kind.CENSUS_IMPORT, {"mode": DRY_RUN}, 1, "requeued", ""),
        (Job.Kind.REPORT, {}, 2, "failed", "Máy chạy nền dừng đột ngột 2 lần"),
        (Job.Kind.CENSUS_IMPORT, {"mode": DRY_RUN}, 2, "failed", "Máy chạy nền dừng đột ngột 2 lần"),
        (Job.Kind.CENSUS_IMPORT, {"mode": APPLY}, 1, "failed", "Loại công việc này không tự chạy lại"),
    ],
)
def test_a_lost_job_is_run_again_once_when_safe_to_repeat_and_failed_otherwise(
    world, finishing_handler, django_capture_on_commit_callbacks, kind, params, attempts, outcome, message
):
    job = _running(world.officer_a, kind=kind, params=params, attempts=attempts)
    lost_task = job.task_id
    with django_capture_on_commit_callbacks(execute=True):
        report = recovery.jobs_recover()
    job.refresh_from_db()
    assert DBTaskResult.objects.get(pk=lost_task).status == TaskResultStatus.FAILED
    if outcome == "requeued":
        assert report.requeued == [job.pk] and report.failed == []
        # Run again by the (immediate) test backend, from the start, with the user told why.
        assert job.status == Job.Status.DONE and job.attempts == attempts + 1
        assert job.notice.startswith("Lần chạy trước bị gián đoạn vì máy chạy nền dừng đột ngột")
        assert job.result == {"ran": True}
    else:
        assert report.failed == [job.pk] and report.requeued == []
        assert job.status == Job.Status.FAILED and job.finished_at
        assert message in job.message and "tín hiệu cuối lúc" in job.message


def test_the_dead_workers_task_is_closed_not_left_running(
    world, finishing_handler, django_capture_on_commit_callbacks
):
    job = _running(world.officer_a)
    lost_task = job.task_id
    with django_capture_on_commit_callbacks(execute=True):
        recovery.jobs_recover()
    task = DBTaskResult.objects.get(pk=lost_task)
    assert task.status == TaskResultStatus.FAILED and task.finished_at
    assert task.exception_class_path == "core.recovery.WorkerLost"
    job.refresh_from_db()
    assert job.task_id != lost_task  # the re-run is a new task


def test_a_job_past_its_kinds_time_limit_is_failed_even_while_beating(world, settings):
    settings.JOB_TIME_LIMITS = {**settings.JOB_TIME_LIMITS, "report": 600}
    job = _running(world.officer_a, beat_age=1, run_age=600 + STALE + 5)
    other = _running(world.officer_a, beat_age=1, run_age=600 + STALE - 5)
    report = recovery.jobs_recover()
    job.refresh_from_db(), other.refresh_from_db()
    assert report.failed == [job.pk]
    assert job.status == Job.Status.FAILED and job.message.startswith(
        "Công việc chạy quá thời gian cho phép (10 phút)"
    )
    assert other.status == Job.Status.RUNNING


def test_a_task_claimed_by_a_worker_that_died_before_starting_the_job_is_closed_and_queued_again(
    world, finishing_handler, django_capture_on_commit_callbacks
):
    job = _running(world.officer_a)
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.PENDING, attempts=0, heartbeat_at=None, started_at=None
    )
    with django_capture_on_commit_callbacks(execute=True):
        report = recovery.jobs_recover()
    assert report.requeued == [job.pk] and report.tasks_closed == 1
    assert _task_status(job) == TaskResultStatus.FAILED
    job.refresh_from_db()
    assert job.status == Job.Status.DONE


def test_the_recover_jobs_command_reports_what_it_did(world, capsys):
    _running(world.officer_a, kind=Job.Kind.CENSUS_IMPORT, params={"mode": APPLY})
    call_command("recover_jobs")
    assert "requeued=0 failed=1 tasks_closed=1" in capsys.readouterr().out


def test_a_run_given_up_by_recovery_does_not_overwrite_the_outcome(world, monkeypatch):
    def handler(job, progress):
        Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, message="recovered")  # meanwhile
        return jobs.JobOutput(result={"late": True})

    monkeypatch.setitem(jobs._HANDLERS, Job.Kind.REPORT, handler)
    job = Job.objects.create(owner=world.officer_a, kind=Job.Kind.REPORT, title="Báo cáo")
    jobs.run_job.call(str(job.pk))
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.message == "recovered" and job.result == {}


# The worker's heartbeat -------------------------------------------------------------------------


@pytest.fixture
def beat(monkeypatch):
    """This process as a worker: a heartbeat (its thread not started; steps are run by hand)."""
    heartbeat = worker.Heartbeat(worker_id="w-test", queues="heavy")
    monkeypatch.setattr(worker, "_current", heartbeat)
    return heartbeat


def test_on_the_worker_progress_is_written_by_the_heartbeat_not_on_the_handlers_connection(
    world, monkeypatch, beat
):
    seen = {}

    def handler(job, progress):
        with CaptureQueriesContext(connection) as queries:
            progress(5, 10, "Đang đọc", force=True)
        seen["writes"] = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
        Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
        beat._step()  # the thread's tick
        seen["job"] = Job.objects.get(pk=job.pk)
        return jobs.JobOutput()

    monkeypatch.setitem(jobs._HANDLERS, Job.Kind.REPORT, handler)
    job = Job.objects.create(owner=world.officer_a, kind=Job.Kind.REPORT, title="Báo cáo")
    jobs.run_job.call(str(job.pk))
    assert seen["writes"] == []
    during = seen["job"]
    assert (during.progress_done, during.progress_total, during.message) == (5, 10, "Đang đọc")
    assert timezone.now() - during.heartbeat_at < timedelta(seconds=5)  # stamped by the tick
    assert during.worker_id == "w-test" and during.attempts == 1
    assert WorkerBeat.objects.get(pk="w-test").queues == "heavy"
    job.refresh_from_db()
    assert job.status == Job.Status.DONE


def test_a_long_step_without_progress_still_beats(world, beat):
    job = _running(world.officer_a, beat_age=STALE - 10)
    with beat.running(job.pk, job.attempts):
        beat._step()
    job.refresh_from_db()
    assert timezone.now() - job.heartbeat_at < timedelta(seconds=5)
    assert recovery.jobs_recover(now=timezone.now() + timedelta(seconds=STALE - 20)).requeued == []


def test_a_beat_never_touches_a_job_recovery_has_taken_over(world, beat):
    job = _running(world.officer_a)
    with beat.running(job.pk, job.attempts):
        Job.objects.filter(pk=job.pk).update(status=Job.Status.PENDING, attempts=job.attempts)
        beat.record({"progress_done": 99})
        beat._step()
    job.refresh_from_db()
    assert job.status == Job.Status.PENDING and job.progress_done == 23


def test_the_worker_stops_a_job_at_its_kinds_time_limit(world, monkeypatch, settings, beat):
    settings.JOB_TIME_LIMITS = {**settings.JOB_TIME_LIMITS, "report": 0.3}

    def slow(job, progress):
        time.sleep(5)
        return jobs.JobOutput()

    monkeypatch.setitem(jobs._HANDLERS, Job.Kind.REPORT, slow)
    job = Job.objects.create(owner=world.officer_a, kind=Job.Kind.REPORT, title="Báo cáo")
    start = time.monotonic()
    jobs.run_job.call(str(job.pk))
    assert time.monotonic() - start < 3
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message.startswith("Công việc chạy quá thời gian cho phép (")


# Queues -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "params", "queue"),
    [
        (Job.Kind.CENSUS_IMPORT, {"mode": DRY_RUN}, "heavy"),
        (Job.Kind.CENSUS_IMPORT, {"mode": APPLY}, "heavy"),
        (Job.Kind.REPORT, {"format": "pdf"}, "heavy"),
        (Job.Kind.REPORT, {"format": "xlsx"}, "default"),
        (Job.Kind.HOUSEHOLD_EXPORT, {}, "default"),
    ],
)
def test_heavy_kinds_run_on_their_own_queue(
    world, finishing_handler, django_capture_on_commit_callbacks, kind, params, queue
):
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.job_start(owner=world.officer_a, kind=kind, title="Thử", params=params)
    job.refresh_from_db()
    assert job.queue_name == queue and job.status == Job.Status.DONE


# The job page and the health endpoint ------------------------------------------------------------


def test_the_job_page_says_the_job_was_run_again(world):
    job = Job.objects.create(
        owner=world.officer_a, kind=Job.Kind.REPORT, title="Báo cáo", notice="Lần chạy trước bị gián đoạn …"
    )
    page = world.client_for(world.officer_a).get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert 'data-testid="job-notice"' in page and "Lần chạy trước bị gián đoạn" in page


def test_health_is_ok_with_a_live_worker_and_nothing_stale(world, client):
    now = timezone.now()
    WorkerBeat.objects.create(worker_id="w1", queues="*", started_at=now, beat_at=now)
    body = client.get(reverse("healthz")).json()
    assert body["status"] == "ok" and body["problems"] == []
    assert body["database"]["ok"] is True
    assert body["workers"] == {"live": 1, "stale": 0, "stale_after_seconds": STALE}
    assert body["jobs"]["oldest_queued"] is None and body["jobs"]["oldest_running"] is None


def test_health_reports_the_oldest_jobs_and_stale_workers_and_jobs(world, client):
    now = timezone.now()
    WorkerBeat.objects.create(
        worker_id="dead", queues="heavy", started_at=now, beat_at=now - timedelta(seconds=STALE + 1)
    )
    _running(world.officer_a, kind=Job.Kind.CENSUS_IMPORT, beat_age=STALE + 30, run_age=900)
    queued = Job.objects.create(
        owner=world.officer_a, kind=Job.Kind.REPORT, title="Chờ", queue_name="default"
    )
    Job.objects.filter(pk=queued.pk).update(created_at=now - timedelta(seconds=300))
    Job.objects.create(owner=world.officer_a, kind=Job.Kind.REPORT, title="Chờ sau")
    response = client.get(reverse("healthz"))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "degraded"
    assert set(body["problems"]) == {"stale_jobs", "stale_workers", "no_live_worker"}
    assert body["workers"]["live"] == 0 and body["workers"]["stale"] == 1
    assert body["jobs"]["queued"] == 2 and body["jobs"]["running"] == 1 and body["jobs"]["stale"] == 1
    oldest = body["jobs"]["oldest_queued"]
    assert oldest["kind"] == "report" and oldest["queue"] == "default" and 299 <= oldest["age_seconds"] <= 310
    running = body["jobs"]["oldest_running"]
    assert running["kind"] == "census_import" and 899 <= running["age_seconds"] <= 910
    assert STALE + 29 <= running["heartbeat_age_seconds"] <= STALE + 40
