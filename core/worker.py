"""The task worker's heartbeat: `manage.py db_worker` (core's command, which replaces
django-tasks-db's) runs one thread beside the worker loop that

- stamps the worker's WorkerBeat row and the running job's heartbeat_at every
  JOB_HEARTBEAT_SECONDS, also while a long step reports no progress;
- writes the job's progress (Progress hands it over), on the thread's own database connection;
- runs the recovery of jobs whose worker stopped beating (core/recovery.py) when the worker starts
  and every JOB_RECOVERY_SECONDS.

A worker killed outright (out of memory, host lost) stops beating; another worker's recovery, or
the cron command `manage.py recover_jobs`, then fails or re-queues its job."""

import logging
import os
import socket
import threading
import time
from contextlib import contextmanager

from django.conf import settings
from django.db import DatabaseError, connections
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker as DatabaseWorker

from .models import Job, WorkerBeat

log = logging.getLogger(__name__)

_current: "Heartbeat | None" = None


def current() -> "Heartbeat | None":
    """The heartbeat of this worker process, None outside a worker (requests, tests, commands)."""
    return _current


class Heartbeat(threading.Thread):
    def __init__(self, *, worker_id: str, queues: str, tick: float = 0.5):
        super().__init__(name="job-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.queues = queues
        self.tick = tick
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._job: tuple | None = None  # (job id, attempt)
        self._pending: dict = {}
        self._last_beat = self._last_recovery = float("-inf")

    # Called from the worker's main thread -------------------------------------------------------

    @contextmanager
    def running(self, job_id, attempt: int):
        """While the block runs, the job is beaten and its progress written by this thread."""
        with self._lock:
            self._job, self._pending = (job_id, attempt), {}
        try:
            yield self
        finally:
            with self._lock:
                job, pending = self._job, self._pending
                self._job, self._pending = None, {}
            if pending:  # the last progress reported, written by the caller now that it has finished
                _beat_job(job, pending, timezone.now())

    def record(self, fields: dict) -> None:
        with self._lock:
            self._pending.update(fields)

    def stop(self) -> None:
        self._stopping.set()

    # The thread ---------------------------------------------------------------------------------

    def run(self) -> None:
        try:
            while True:
                self._step()
                if self._stopping.wait(self.tick):
                    break
            self._safely(lambda: WorkerBeat.objects.filter(pk=self.worker_id).delete())
        finally:
            connections.close_all()

    def _step(self) -> None:
        clock, monotonic = timezone.now(), time.monotonic()
        with self._lock:
            job, pending = self._job, self._pending
            self._pending = {}
        beat_due = monotonic - self._last_beat >= settings.JOB_HEARTBEAT_SECONDS
        if job and (pending or beat_due):
            self._safely(lambda: _beat_job(job, pending, clock))
        if beat_due:
            self._last_beat = monotonic
            self._safely(self._beat_worker)
        if monotonic - self._last_recovery >= settings.JOB_RECOVERY_SECONDS:
            self._last_recovery = monotonic
            from .recovery import jobs_recover

            self._safely(jobs_recover)

    def _beat_worker(self) -> None:
        now = timezone.now()
        updated = WorkerBeat.objects.filter(pk=self.worker_id).update(beat_at=now)
        if not updated:
            WorkerBeat.objects.update_or_create(
                worker_id=self.worker_id,
                defaults={
                    "queues": self.queues[:255],
                    "host": socket.gethostname()[:255],
                    "pid": os.getpid(),
                    "started_at": now,
                    "beat_at": now,
                },
            )

    def _safely(self, action) -> None:
        # A busy or lost database must not kill the thread: the next tick tries again.
        try:
            action()
        except DatabaseError:
            log.warning("Worker %s: heartbeat write failed", self.worker_id, exc_info=True)
            connections["default"].close()
        except Exception:  # a dead heartbeat thread would make a live job look lost
            log.exception("Worker %s: heartbeat step failed", self.worker_id)


def _beat_job(job: tuple, fields: dict, now) -> None:
    job_id, attempt = job
    Job.objects.filter(pk=job_id, status=Job.Status.RUNNING, attempts=attempt).update(
        heartbeat_at=now, **fields
    )


class Worker(DatabaseWorker):
    """django-tasks-db's worker with a heartbeat thread for as long as it runs."""

    def run(self) -> None:
        global _current
        beat = Heartbeat(worker_id=self.worker_id, queues=",".join(self.queue_names))
        beat.start()
        _current = beat
        try:
            super().run()
        finally:
            _current = None
            beat.stop()
            beat.join(timeout=10)
