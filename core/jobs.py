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

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import DatabaseError, transaction
from django.http import Http404
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


class UnknownJobKind(Exception):
    """No handler is registered for the job's kind (a job queued by an older release)."""


def failure_reason(error: BaseException) -> str:
    """Why a job failed, in Vietnamese, for its owner: the handler's own message when it gave one
    (handlers raise PermissionError, ReportParamError… with Vietnamese text), else a reason by the
    kind of error — never an empty one, never a technical English one for a known kind."""
    text = str(error).strip().rstrip(".") if error.args else ""
    if isinstance(error, (PermissionDenied, Http404, PermissionError)):
        return text or _("bạn không còn quyền truy cập dữ liệu của công việc này")
    if isinstance(error, ObjectDoesNotExist):
        return _("dữ liệu cần cho công việc không còn nữa (có thể đã bị xoá)")
    if isinstance(error, DatabaseError):
        return _("cơ sở dữ liệu đang bận hoặc không trả lời")
    if isinstance(error, MemoryError):
        return _("dữ liệu quá lớn để xử lý")
    if isinstance(error, UnknownJobKind):
        return _("loại công việc này không còn được hỗ trợ")
    return text or _("lỗi hệ thống không lường trước; quản trị viên xem chi tiết trong nhật ký")


def failure_message(error: BaseException) -> str:
    return _("Công việc bị lỗi: %(error)s. Hãy thử lại hoặc báo quản trị viên.") % {
        "error": failure_reason(error)
    }


@task()
def run_job(job_id: str) -> str:
    """Task entry point: run the handler for the job's kind and record the outcome."""
    job = Job.objects.get(pk=job_id)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, started_at=timezone.now())
    try:
        handler = _HANDLERS.get(job.kind)
        if handler is None:
            raise UnknownJobKind(job.kind)
        output = handler(job, Progress(job.pk))
        _finish(job, output)
    except Exception as error:  # the user must see a failed job, never a bar stuck at 40 %
        log.exception("Job %s failed", job_id)
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED, finished_at=timezone.now(), message=failure_message(error)
        )
        return Job.Status.FAILED
    return Job.Status.DONE


def _finish(job: Job, output: JobOutput) -> None:
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
