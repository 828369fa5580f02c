"""Background jobs: long work (large reports, census imports) runs on the task worker, reports its
progress to the database and leaves its output file there, so that any app server can show the
progress bar and serve the download.

An app registers a handler for its job kind:

    @register(Job.Kind.REPORT)
    def run_report(job: Job, progress: Progress) -> JobOutput: ...

and starts work with `job_start(...)`; the page at jobs:detail shows the bar and the download.

A kind also declares its queue (heavy work, such as imports and PDFs, on QUEUE_HEAVY so that one big
upload cannot hold every user's exports) and whether it is safe to run again from the start when
its worker dies (core/recovery.py): `register(kind, queue=..., repeatable=...)`, each either a
value or a function of the job's params. Its time limit is the setting JOB_TIME_LIMITS[kind]."""

import logging
import signal
import threading
import time
from collections.abc import Callable
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import DatabaseError, transaction
from django.db.models import F
from django.http import Http404
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .formatting import fmt_duration
from .models import Job, JobFile

log = logging.getLogger(__name__)

QUEUE_DEFAULT = "default"
QUEUE_HEAVY = "heavy"

TIME_LIMIT_MESSAGE = gettext_noop(
    "Công việc chạy quá thời gian cho phép (%(limit)s) nên đã bị dừng. Hãy chia nhỏ tệp hoặc báo "
    "cáo rồi thử lại, hoặc báo quản trị viên."
)


@dataclass
class JobOutput:
    result: dict = field(default_factory=dict)
    file_name: str = ""
    content_type: str = ""
    data: bytes | None = None


class Progress:
    """Writes progress at most every `interval` seconds (and always at the end).

    On the task worker the progress goes to the worker's heartbeat thread (`sink`), which writes it
    on its own database connection with the heartbeat: a handler iterating a query never writes on
    the connection that is reading (on SQLite that write fails with "database is locked" as soon as
    another connection has written since the read began)."""

    def __init__(self, job_id, interval: float = 0.5, *, sink=None):
        self.job_id = job_id
        self.interval = interval
        self.sink = sink
        self._last = 0.0

    def __call__(self, done: int, total: int, message: str = "", *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last < self.interval and done < total:
            return
        self._last = now
        fields = {"progress_done": done, "progress_total": total}
        if message:
            fields["message"] = message
        if self.sink is not None:
            self.sink.record(fields)
        else:
            Job.objects.filter(pk=self.job_id).update(**fields)


Handler = Callable[[Job, Progress], JobOutput]
ParamsRule = Callable[[dict], object]
_HANDLERS: dict[str, Handler] = {}


@dataclass(frozen=True)
class KindRules:
    queue: str | ParamsRule = QUEUE_DEFAULT
    repeatable: bool | ParamsRule = False


_RULES: dict[str, KindRules] = {}


def register(kind: str, *, queue: str | ParamsRule = QUEUE_DEFAULT, repeatable: bool | ParamsRule = False):
    """Register the handler of a job kind, the queue it runs on and whether it is safe to repeat."""

    def decorator(handler: Handler) -> Handler:
        _HANDLERS[kind] = handler
        _RULES[kind] = KindRules(queue=queue, repeatable=repeatable)
        return handler

    return decorator


def _rule(value, params: dict):
    return value(params) if callable(value) else value


def queue_for(kind: str, params: dict) -> str:
    """The task queue a job of this kind and these params runs on."""
    return _rule(_RULES.get(kind, KindRules()).queue, params)


def is_repeatable(job: Job) -> bool:
    """Whether running the job again from the start is harmless (it writes nothing but its file)."""
    return bool(_rule(_RULES.get(job.kind, KindRules()).repeatable, job.params))


def time_limit(kind: str) -> timedelta:
    """How long one run of a job of this kind may take (settings JOB_TIME_LIMITS, in seconds)."""
    limits = settings.JOB_TIME_LIMITS
    return timedelta(seconds=limits.get(kind, limits.get("*", 60 * 60)))


class JobTimeLimitExceeded(Exception):
    pass


@contextmanager
def _alarm(limit: timedelta):
    """Raise JobTimeLimitExceeded in the handler once `limit` has passed. Only the worker's main
    thread can take a signal; elsewhere (an autoreloading worker) recovery enforces the limit."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise JobTimeLimitExceeded

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, limit.total_seconds())
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


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
    queue = queue_for(job.kind, job.params)
    result = run_job.using(queue_name=queue).enqueue(str(job.pk))
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id), queue_name=queue)


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
    from . import worker

    beat = worker.current()
    now = timezone.now()
    started = Job.objects.filter(pk=job_id, status=Job.Status.PENDING).update(
        status=Job.Status.RUNNING,
        started_at=now,
        heartbeat_at=now,
        worker_id=beat.worker_id if beat else "",
        attempts=F("attempts") + 1,
    )
    job = Job.objects.get(pk=job_id)
    if not started:  # already run, or failed by recovery while it waited: nothing to do
        return job.status
    # Only this run may record the outcome: a run that recovery gave up on must not overwrite it.
    this_run = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, attempts=job.attempts)
    limit = time_limit(job.kind)
    try:
        handler = _HANDLERS.get(job.kind)
        if handler is None:
            raise UnknownJobKind(job.kind)
        with ExitStack() as on_worker:
            if beat:
                on_worker.enter_context(beat.running(job.pk, job.attempts))
                on_worker.enter_context(_alarm(limit))
            output = handler(job, Progress(job.pk, sink=beat))
        return _finish(job, this_run, output)
    except JobTimeLimitExceeded:
        log.error("Job %s passed its time limit of %s", job_id, limit)
        this_run.update(
            status=Job.Status.FAILED,
            finished_at=timezone.now(),
            message=_(TIME_LIMIT_MESSAGE) % {"limit": fmt_duration(limit)},
        )
        return Job.Status.FAILED
    except Exception as error:  # the user must see a failed job, never a bar stuck at 40 %
        log.exception("Job %s failed", job_id)
        this_run.update(status=Job.Status.FAILED, finished_at=timezone.now(), message=failure_message(error))
        return Job.Status.FAILED


def _finish(job: Job, this_run, output: JobOutput) -> str:
    """Record the outcome of this run (none if recovery gave up on it meanwhile) and its file."""
    with transaction.atomic():
        if not this_run.update(status=Job.Status.DONE, finished_at=timezone.now(), result=output.result):
            return Job.objects.get(pk=job.pk).status
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
    return Job.Status.DONE
