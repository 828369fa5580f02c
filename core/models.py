"""Cross-cutting records: who created and last changed a record, and background jobs with their
progress and files."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Authored(models.Model):
    """Who created a record and who changed it last, and when (the full history is in the audit log)."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("người tạo"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("người sửa"),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)

    class Meta:
        abstract = True


class Job(models.Model):
    """One piece of long work (a large report, a census import) run by the task worker.

    Its progress and files live in the database, so any app server can show the bar and serve the
    result, whichever machine the worker ran on."""

    class Kind(models.TextChoices):
        REPORT = "report", _("Báo cáo")
        CENSUS_IMPORT = "census_import", _("Nhập dữ liệu rà soát")
        HOUSEHOLD_EXPORT = "household_export", _("Xuất danh sách hộ")

    class Status(models.TextChoices):
        PENDING = "pending", _("Đang chờ")
        RUNNING = "running", _("Đang chạy")
        DONE = "done", _("Hoàn thành")
        FAILED = "failed", _("Lỗi")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("loại"), max_length=32, choices=Kind.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs", verbose_name=_("người tạo")
    )
    title = models.CharField(_("tiêu đề"), max_length=255)
    params = models.JSONField(_("tham số"), default=dict, blank=True)
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.PENDING)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    message = models.TextField(_("thông báo"), blank=True)
    result = models.JSONField(_("kết quả"), default=dict, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    queue_name = models.CharField(max_length=32, blank=True)
    # The worker running the job stamps heartbeat_at every few seconds (core/worker.py); a running
    # job whose stamp is older than JOB_STALE_AFTER_SECONDS lost its worker (core/recovery.py).
    worker_id = models.CharField(max_length=64, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # What happened to an earlier run (re-run after its worker stopped), shown on the job page.
    notice = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("công việc nền")
        verbose_name_plural = _("công việc nền")
        indexes = [
            models.Index(fields=["owner", "kind", "-created_at"]),
            models.Index(fields=["status", "created_at"]),
        ]

    def __str__(self):
        return self.title

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(100, int(self.progress_done * 100 / self.progress_total))

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class WorkerBeat(models.Model):
    """A task worker process that is alive, as long as it keeps stamping beat_at (core/worker.py).
    A row whose stamp is old is a worker that died without saying so (killed, host lost)."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    queues = models.CharField(max_length=255)
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField()

    def __str__(self):
        return self.worker_id


class JobFile(models.Model):
    """A file a job reads (an upload) or writes (a report, a results workbook)."""

    class Role(models.TextChoices):
        INPUT = "input", _("Tệp đầu vào")
        OUTPUT = "output", _("Tệp kết quả")

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="files")
    role = models.CharField(max_length=8, choices=Role.choices)
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=128)
    data = models.BinaryField()
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "role"], name="one_file_per_job_role")]

    def __str__(self):
        return self.name
