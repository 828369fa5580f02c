"""Jobs whose worker died: a running job whose heartbeat is older than JOB_STALE_AFTER_SECONDS, or
that has run past its kind's time limit, lost its worker (killed out of memory, host lost). Its
django-tasks-db result is closed as failed (never left RUNNING), then the job is re-queued once when
its kind is safe to repeat (a dry run, an export, a report) or failed with a message saying why.

Run by every worker (at start and every JOB_RECOVERY_SECONDS, core/worker.py) and by
`manage.py recover_jobs` from cron."""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from . import jobs
from .formatting import fmt_duration
from .models import Job, WorkerBeat

log = logging.getLogger(__name__)

# A job is run at most this many times in all (the first run and one re-run).
MAX_RUNS = 2
# A worker row that has not beaten for this long is forgotten (its jobs were recovered long ago).
FORGET_WORKERS_AFTER = timedelta(hours=1)

REQUEUED_NOTICE = gettext_noop(
    "Lần chạy trước bị gián đoạn vì máy chạy nền dừng đột ngột (tín hiệu cuối lúc %(time)s); công "
    "việc đã được tự động chạy lại từ đầu."
)
NOT_REPEATABLE_MESSAGE = gettext_noop(
    "Máy chạy nền dừng đột ngột khi đang làm công việc này (tín hiệu cuối lúc %(time)s). Loại công "
    "việc này không tự chạy lại: hãy kiểm tra kết quả rồi làm lại nếu cần."
)
GAVE_UP_MESSAGE = gettext_noop(
    "Máy chạy nền dừng đột ngột %(runs)s lần khi đang làm công việc này (tín hiệu cuối lúc "
    "%(time)s) nên công việc đã dừng. Nếu tệp hoặc báo cáo rất lớn, hãy chia nhỏ rồi thử lại, hoặc "
    "báo quản trị viên."
)
TASK_CLOSED = "Closed by core.recovery: the worker running this task stopped beating."


@dataclass
class RecoveryReport:
    requeued: list = field(default_factory=list)
    failed: list = field(default_factory=list)
    tasks_closed: int = 0


def stale_cutoff(now: datetime) -> datetime:
    return now - timedelta(seconds=settings.JOB_STALE_AFTER_SECONDS)


def stale_jobs(now: datetime):
    """Running jobs whose worker has not beaten since the cutoff."""
    cutoff = stale_cutoff(now)
    return Job.objects.filter(status=Job.Status.RUNNING).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
    )


def _over_time(job: Job, now: datetime) -> bool:
    # The worker stops a job at its limit itself; this catches one that could not (an autoreloading
    # worker runs jobs off the main thread), with a heartbeat's grace.
    grace = timedelta(seconds=settings.JOB_STALE_AFTER_SECONDS)
    return bool(job.started_at) and now - job.started_at > jobs.time_limit(job.kind) + grace


def jobs_recover(*, now: datetime | None = None) -> RecoveryReport:
    """Fail or re-queue every job whose worker stopped beating; close the tasks they leave RUNNING."""
    now = now or timezone.now()
    report = RecoveryReport()
    candidates = set(stale_jobs(now).values_list("pk", flat=True))
    for job in (
        Job.objects.filter(status=Job.Status.RUNNING).exclude(pk__in=candidates).only("kind", "started_at")
    ):
        if _over_time(job, now):
            candidates.add(job.pk)
    for pk in candidates:
        _recover_job(pk, now, report)
    report.tasks_closed += _close_orphan_tasks(now, report)
    WorkerBeat.objects.filter(beat_at__lt=now - FORGET_WORKERS_AFTER).delete()
    return report


def _close_task(task_id: str, now: datetime) -> int:
    if not task_id:
        return 0
    return DBTaskResult.objects.filter(pk=task_id, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        exception_class_path="core.recovery.WorkerLost",
        traceback=TASK_CLOSED,
    )


def _recover_job(pk, now: datetime, report: RecoveryReport) -> None:
    with transaction.atomic():
        job = Job.objects.select_for_update(skip_locked=True).filter(pk=pk, status=Job.Status.RUNNING).first()
        if job is None:
            return
        cutoff = stale_cutoff(now)
        last_beat = job.heartbeat_at or job.started_at
        over_time = _over_time(job, now)
        if not over_time and last_beat and last_beat >= cutoff:
            return  # it beat again since the candidates were listed
        report.tasks_closed += _close_task(job.task_id, now)
        when = timezone.localtime(last_beat).strftime("%H:%M:%S %d/%m/%Y") if last_beat else "?"
        if over_time:
            message = _(jobs.TIME_LIMIT_MESSAGE) % {"limit": fmt_duration(jobs.time_limit(job.kind))}
        elif not jobs.is_repeatable(job):
            message = _(NOT_REPEATABLE_MESSAGE) % {"time": when}
        elif job.attempts >= MAX_RUNS:
            message = _(GAVE_UP_MESSAGE) % {"runs": job.attempts, "time": when}
        else:
            Job.objects.filter(pk=job.pk).update(
                status=Job.Status.PENDING,
                notice=_(REQUEUED_NOTICE) % {"time": when},
                message="",
                progress_done=0,
                progress_total=0,
                heartbeat_at=None,
                worker_id="",
            )
            transaction.on_commit(lambda: jobs._enqueue(job))
            log.warning("Job %s lost its worker %s; re-queued", job.pk, job.worker_id)
            report.requeued.append(job.pk)
            return
        Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, finished_at=now, message=message)
        log.warning("Job %s lost its worker %s; failed", job.pk, job.worker_id)
        report.failed.append(job.pk)


def _close_orphan_tasks(now: datetime, report: RecoveryReport) -> int:
    """Tasks of jobs left RUNNING by a dead worker although the job is not running: the worker died
    between claiming the task and starting the job, or the job was already recovered."""
    closed = 0
    cutoff = stale_cutoff(now)
    running = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, task_path=jobs.run_job.module_path, started_at__lt=cutoff
    )
    for task in running:
        job_id = (task.args_kwargs.get("args") or [None])[0]
        job = Job.objects.filter(pk=job_id).first() if job_id else None
        if job is not None and job.status == Job.Status.RUNNING:
            continue  # beating (or handled above)
        closed += _close_task(str(task.pk), now)
        if job is not None and job.status == Job.Status.PENDING and job.task_id == str(task.pk):
            # Claimed but never started: nothing ran, so it is safe to queue again whatever its kind.
            transaction.on_commit(lambda job=job: jobs._enqueue(job))
            report.requeued.append(job.pk)
    return closed
