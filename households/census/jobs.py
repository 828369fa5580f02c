"""The census import as a background job: a dry run after upload (the preview), then the write
after the administrator confirms. Both read the uploaded bytes stored with the dry-run job, both
leave a results workbook to download. Progress is visible while the file is read and checked and
while the results file is made; the write itself is one transaction (all or nothing), so the
progress it records inside that transaction shows only when it commits."""

from auditlog.context import set_actor
from django.urls import reverse
from django.utils.translation import gettext as _

from core.jobs import QUEUE_HEAVY, JobOutput, Progress, input_bytes, job_start, register
from core.models import Job

from .results import CONTENT_TYPE, results_workbook
from .services import census_import

DRY_RUN, APPLY = "dry_run", "apply"
ERROR_LIMIT = 1000  # errors kept on the job for the preview; all of them are in the results file


def start_dry_run(*, owner, data: bytes, file_name: str, year: int, admin_version: str) -> Job:
    return job_start(
        owner=owner,
        kind=Job.Kind.CENSUS_IMPORT,
        title=_("Kiểm tra tệp rà soát năm %(year)s: %(name)s") % {"year": year, "name": file_name},
        params={"mode": DRY_RUN, "year": year, "admin_version": admin_version, "file_name": file_name},
        input_name=file_name,
        input_content_type=CONTENT_TYPE,
        input_data=data,
    )


def start_apply(*, owner, source: Job, skip_errors: bool) -> Job:
    params = source.params
    return job_start(
        owner=owner,
        kind=Job.Kind.CENSUS_IMPORT,
        title=_("Nhập dữ liệu rà soát năm %(year)s: %(name)s")
        % {"year": params["year"], "name": params.get("file_name", "")},
        params={**params, "mode": APPLY, "skip_errors": skip_errors, "source_job": str(source.pk)},
    )


def source_of(job: Job) -> Job:
    return Job.objects.get(pk=job.params["source_job"]) if job.params.get("source_job") else job


def is_dry_run(params: dict) -> bool:
    return params.get("mode") != APPLY


# A dry run writes nothing but its results file, so a run cut short by a dying worker runs again;
# the write is one transaction (rolled back when its worker dies) but is never repeated unasked.
@register(Job.Kind.CENSUS_IMPORT, queue=QUEUE_HEAVY, repeatable=is_dry_run)
def run_census_import(job: Job, progress: Progress) -> JobOutput:
    params = job.params
    data = input_bytes(source_of(job))
    dry_run = is_dry_run(params)
    with set_actor(job.owner):
        report = census_import(
            data=data,
            year=int(params["year"]),
            admin_version=params.get("admin_version") or None,
            user=job.owner,
            dry_run=dry_run,
            skip_errors=bool(params.get("skip_errors")),
            job_id=job.pk,
            progress=lambda done, total, message="": progress(done, total, message),
        )
    progress(960, 1000, _("Đang tạo tệp kết quả"), force=True)
    output = results_workbook(data, report)
    result = report.as_json(error_limit=ERROR_LIMIT) | {
        "mode": params.get("mode"),
        "file_error": report.file_error,
        "preview": report.updated_preview,
        "sheet": report.sheet,
        "next_url": reverse("census:detail", args=[job.pk]),
    }
    name = params.get("file_name", "tep.xlsx").rsplit(".", 1)[0]
    return JobOutput(
        result=result,
        file_name=f"ket-qua-{'kiem-tra' if dry_run else 'nhap'}-{params['year']}-{name}.xlsx",
        content_type=CONTENT_TYPE,
        data=output,
    )
