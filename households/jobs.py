"""The household list's Excel export as a background job, for lists too long to write during a
request. The worker reads the list again with the job owner's access at run time, from the query
string the owner filtered the list with, so the file never holds more than the owner may see."""

from django.http import Http404, QueryDict
from django.utils.translation import gettext as _

from core.jobs import JobOutput, Progress, job_start, register
from core.models import Job
from units import access

from . import listing
from .exports import XLSX, export_file_name, household_workbook


def household_export_start(*, user, unit, query: QueryDict) -> Job:
    return job_start(
        owner=user,
        kind=Job.Kind.HOUSEHOLD_EXPORT,
        title=_("Danh sách hộ gia đình – %(unit)s (Excel)") % {"unit": unit.name},
        params={"unit": unit.pk, "query": query.urlencode()},
    )


@register(Job.Kind.HOUSEHOLD_EXPORT, repeatable=True)
def run_household_export(job: Job, progress: Progress) -> JobOutput:
    user = job.owner
    try:
        unit = access.get_unit_for_user(user, job.params["unit"], listing.VIEW)
    except Http404 as error:
        raise PermissionError(_("bạn không còn quyền xem danh sách hộ của đơn vị này")) from error
    try:
        _form, filters = listing.list_filters(user, unit, QueryDict(job.params.get("query", "")))
    except access.SensitiveSelectionRefused as error:
        raise PermissionError(_("bạn không còn quyền lọc danh sách theo dân tộc")) from error
    rows, count = listing.export_rows(user, unit, filters)
    progress(0, count, _("Đang ghi danh sách"), force=True)
    data = household_workbook(
        rows,
        unit=unit,
        filters=filters,
        show_ethnicity=access.can(user, "households.view_ethnicity", unit),
        total=count,
        progress=lambda done, total: progress(done, total, _("Đang ghi danh sách")),
    )
    return JobOutput(result={"rows": count}, file_name=export_file_name(unit), content_type=XLSX, data=data)
