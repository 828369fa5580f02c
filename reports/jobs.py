"""The background job that renders a report file (registered for Job.Kind.REPORT in apps.py).
Access is checked again when the job runs, as its owner: a membership removed in between counts."""

from datetime import date

from django.utils import translation
from django.utils.translation import gettext_noop

from core.jobs import QUEUE_DEFAULT, QUEUE_HEAVY, JobOutput, Progress, register
from core.models import Job
from units.models import AdministrativeUnit, Organisation

from . import registry
from .render import CONTENT_TYPES, render
from .scope import ReportScope


def report_queue(params: dict) -> str:
    # A background report is a large one; as a PDF (WeasyPrint) it takes the memory of an import.
    return QUEUE_HEAVY if params.get("format") == "pdf" else QUEUE_DEFAULT


@register(Job.Kind.REPORT, queue=report_queue, repeatable=True)
def run_report(job: Job, progress: Progress) -> JobOutput:
    params = job.params
    scope = ReportScope(job.owner)
    unit = AdministrativeUnit.objects.get(pk=params["unit"])
    organisation = Organisation.objects.get(pk=params["organisation"]) if params.get("organisation") else None
    resolved = registry.resolve(
        scope,
        code=params["code"],
        unit=unit,
        year=int(params["year"]),
        quarter=params.get("quarter"),
        organisation=organisation,
        issued_on=date.fromisoformat(params["issued_on"]) if params.get("issued_on") else None,
        poverty_class=params.get("poverty_class"),
    )
    fmt = params["format"]
    progress(0, 100, gettext_noop("Đang tổng hợp số liệu"), force=True)
    with translation.override("vi"):
        document = registry.get(resolved.code).produce(scope, resolved)
        progress(30, 100, gettext_noop("Đang tạo tệp"), force=True)

        def step(done: int, total: int, message: str = ""):
            progress(30 + int(70 * done / max(total, 1)), 100, message)

        data = render(document, fmt, progress=step)
    return JobOutput(
        result={"rows": document.row_count, "code": resolved.code},
        file_name=resolved.file_name(fmt),
        content_type=CONTENT_TYPES[fmt],
        data=data,
    )
