"""A real worker process (`manage.py db_worker`) killed with SIGKILL in the middle of a census dry
run: another worker finds the job stale within the configured (short) time, closes the task the
dead worker left RUNNING, runs the dry run again (it is safe to repeat) and then the next job."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from core import jobs
from core.models import Job
from households.census.jobs import start_dry_run
from tests.census import files

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROOT = Path(settings.BASE_DIR)
STALE_AFTER = 3  # seconds without a heartbeat before a job counts as lost (short, for the test)
ROWS = 4000  # enough rows for the dry run to take a few seconds on a loaded machine


class Database:
    """The test database as the worker processes see it: PostgreSQL's test database itself, or a
    file copy of SQLite's in-memory one (read back with plain sqlite3)."""

    def __init__(self, tmp_path: Path):
        self.vendor = connection.vendor
        if self.vendor == "sqlite":
            self.path = tmp_path / "worker.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(self.path)
            connection.connection.backup(target)
            target.close()
            self.url = f"sqlite:///{self.path}"
        else:
            s = connection.settings_dict
            self.url = f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{s['NAME']}"

    def job(self, job: Job) -> dict:
        sql = "SELECT status, attempts, notice, progress_done, task_id FROM core_job WHERE id = {}"
        if self.vendor == "sqlite":
            with sqlite3.connect(self.path, timeout=20) as db:
                row = db.execute(sql.format("?"), [job.pk.hex]).fetchone()
        else:
            with connection.cursor() as cursor:
                cursor.execute(sql.format("%s"), [job.pk])
                row = cursor.fetchone()
        return dict(zip(["status", "attempts", "notice", "progress_done", "task_id"], row, strict=True))

    def task_status(self, task_id: str) -> str:
        sql = f"SELECT status FROM {DBTaskResult._meta.db_table} WHERE id = {{}}"
        if self.vendor == "sqlite":
            with sqlite3.connect(self.path, timeout=20) as db:
                return db.execute(sql.format("?"), [task_id.replace("-", "")]).fetchone()[0]
        with connection.cursor() as cursor:
            cursor.execute(sql.format("%s"), [task_id])
            return cursor.fetchone()[0]


def _queue(job: Job) -> None:
    """Enqueue on the database backend (the tests' own backend runs tasks at once)."""
    backend = DatabaseBackend("default", {"QUEUES": settings.TASK_QUEUES})
    queue = jobs.queue_for(job.kind, job.params)
    result = backend.enqueue(jobs.run_job.using(queue_name=queue), [str(job.pk)], {})
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id), queue_name=queue)


def _worker(database: Database, name: str, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "povertyplan.settings.dev",
        "DEBUG": "0",
        "DATABASE_URL": database.url,
        "JOB_HEARTBEAT_SECONDS": "1",
        "JOB_STALE_AFTER_SECONDS": str(STALE_AFTER),
        "JOB_RECOVERY_SECONDS": "1",
    }
    command = [sys.executable, "manage.py", "db_worker", "--queue-name", "heavy", "--no-reload"]
    command += ["--no-startup-delay", "--interval", "0.2", "--worker-id", name]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)  # the worker finishes its task, then exits
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def _wait(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def reference_data(transactional_db):
    """Transactional tests flush the database between tests, data migrations included."""
    import_module("households.migrations.0002_standards_and_lookups").load(apps, None)


def test_a_job_whose_worker_is_killed_mid_run_is_run_again_and_the_next_job_runs(
    reference_data, world, tmp_path, monkeypatch
):
    year = 2024
    rows = [files.Household(f"K{i:05d}", commune_code=world.A.code, income=1_200_000) for i in range(ROWS)]
    data = files.simple(rows, year)
    small = files.simple(rows[:5], year)
    # The tests' task backend would run them at once: queue them on the database backend instead.
    monkeypatch.setattr(jobs, "_enqueue", lambda job: None)
    first = start_dry_run(owner=world.admin_p, data=data, file_name="lon.xlsx", year=year, admin_version="")
    second = start_dry_run(owner=world.admin_p, data=small, file_name="nho.xlsx", year=year, admin_version="")
    _queue(first)
    time.sleep(0.01)  # the second is queued after the first
    _queue(second)
    database = Database(tmp_path)

    doomed = _worker(database, "doomed", tmp_path / "doomed.log")
    try:
        _wait(lambda: database.job(first)["progress_done"] > 0, 90, "the dry run to report progress")
        assert database.job(first)["status"] == "running"
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(10)
        killed_task = database.job(first)["task_id"]
        killed_at = time.monotonic()
        assert database.job(first)["status"] == "running"  # nothing else knows it died yet

        rescuer = _worker(database, "rescuer", tmp_path / "rescuer.log")
        try:
            _wait(
                lambda: database.job(first)["attempts"] == 2,
                30,
                "the lost dry run to be re-queued and started",
            )
            # Stale after STALE_AFTER seconds, found by a recovery run every second, plus start-up.
            assert time.monotonic() - killed_at < STALE_AFTER + 15
            assert database.task_status(killed_task) == "FAILED"  # the dead worker's task is not left RUNNING
            _wait(lambda: database.job(second)["status"] == "done", 180, "the next job to run")
            _wait(lambda: database.job(first)["status"] != "running", 180, "the re-run to end")
        finally:
            _stop(rescuer)
    finally:
        _stop(doomed)
    final = database.job(first)
    log = (tmp_path / "rescuer.log").read_text()
    assert final["status"] == "done", log
    assert final["notice"].startswith("Lần chạy trước bị gián đoạn vì máy chạy nền dừng đột ngột")
    assert database.job(second)["attempts"] == 1
