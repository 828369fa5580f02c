"""Background jobs: long work (large reports, census imports) runs on the task worker, reports its
progress to the database and leaves its output file there, so that any app server can show the
progress bar and serve the download.

An app registers a handler for its job kind:

    @register(Job.Kind.REPORT)
    def run_report(job: Job, progress: Progress) -> JobOutput: ...

and starts work with `job_start(...)`; the page at jobs:detail shows the bar and the download."""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Job, JobFile

log = logging.getLogger(__name__)


@dataclass
class JobOutput:
    result: dict = field(default_factory=dict)
    file_name: str = ""
    content_type: str = ""
    data: bytes | None = None


class Progress:
    """Writes progress at most every `interval` seconds (and always at the end)."""

    def __init__(self, job_id, interval: float = 0.5):
        self.job_id = job_id
        self.interval = interval
        self._last = 0.0

    def __call__(self, done: int, total: int, message: str = "", *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last < self.interval and done < total:
            return
        self._last = now
        fields = {"progress_done": done, "progress_total": total}
        if message:
            fields["message"] = message
        Job.objects.filter(pk=self.job_id).update(**fields)


Handler = Callable[[Job, Progress], JobOutput]
_HANDLERS: dict[str, Handler] = {}


def register(kind: str):
    def decorator(handler: Handler) -> Handler:
        _HANDLERS[kind] = handler
        return handler

    return decorator


def job_start(
    *,
    owner,
    kind: str,
    title: str,
    params: dict,
    input_name: str = "",
    input_content_type: str = "",
    input_data: bytes | None = None,
) -> Job:
    """Create the job (and its input file) and enqueue it once the transaction commits."""
    with transaction.atomic():
        job = Job.objects.create(owner=owner, kind=kind, title=title, params=params)
        if input_data is not None:
            JobFile.objects.create(
                job=job,
                role=JobFile.Role.INPUT,
                name=input_name,
                content_type=input_content_type,
                data=input_data,
                size=len(input_data),
            )
    transaction.on_commit(lambda: _enqueue(job))
    return job


def _enqueue(job: Job) -> None:
    result = run_job.enqueue(str(job.pk))
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id))


def input_bytes(job: Job) -> bytes:
    file = JobFile.objects.get(job=job, role=JobFile.Role.INPUT)
    return bytes(file.data)


@task()
def run_job(job_id: str) -> str:
    """Task entry point: run the handler for the job's kind and record the outcome."""
    job = Job.objects.get(pk=job_id)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, started_at=timezone.now())
    try:
        handler = _HANDLERS[job.kind]
        output = handler(job, Progress(job.pk))
    except Exception as error:  # the user must see a failed job, never a bar stuck at 40 %
        log.exception("Job %s failed", job_id)
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED,
            finished_at=timezone.now(),
            message=_("Công việc bị lỗi: %(error)s. Hãy thử lại hoặc báo quản trị viên.") % {"error": error},
        )
        return Job.Status.FAILED
    with transaction.atomic():
        if output.data is not None:
            JobFile.objects.update_or_create(
                job=job,
                role=JobFile.Role.OUTPUT,
                defaults={
                    "name": output.file_name,
                    "content_type": output.content_type,
                    "data": output.data,
                    "size": len(output.data),
                },
            )
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.DONE,
            finished_at=timezone.now(),
            result=output.result,
        )
    return Job.Status.DONE
