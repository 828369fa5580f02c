"""Administrators' import page: upload → dry-run preview (a background job with a progress bar)
→ confirm (strict, or skipping the rows with errors) → results file."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core.models import Job, JobFile
from units import access

from ..models import Assessment, PovertyStandard
from . import jobs
from .forms import ConfirmForm, UploadForm
from .services import default_admin_version
from .template import CONTENT_TYPE, template_workbook
from .validation import IMPORT_PERM


def _require_importer(user) -> None:
    if not access.has_perm_somewhere(user, IMPORT_PERM):
        raise PermissionDenied


def _import_jobs(user):
    return access.jobs_visible_to(user).filter(kind=Job.Kind.CENSUS_IMPORT)


@login_required
def index(request):
    _require_importer(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        year = data["year"]
        job = jobs.start_dry_run(
            owner=request.user,
            data=data["file"].read(),
            file_name=data["file"].name,
            year=year,
            admin_version=data["admin_version"] or default_admin_version(year),
        )
        return redirect("census:detail", pk=job.pk)
    context = {
        "form": form,
        "recent": _import_jobs(request.user)[:10],
        "years": PovertyStandard.objects.review_years(Assessment.Kind.PERIODIC),
    }
    return render(request, "census/index.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def template(request):
    _require_importer(request.user)
    try:
        year = int(request.GET.get("year", ""))
        data = template_workbook(year)
    except (ValueError, PovertyStandard.DoesNotExist):
        years = PovertyStandard.objects.review_years(Assessment.Kind.PERIODIC) or [0]
        messages.error(
            request,
            _("Hãy chọn một năm rà soát có chuẩn nghèo (%(first)s–%(last)s).")
            % {"first": years[0], "last": years[-1]},
        )
        return redirect("census:index")
    response = HttpResponse(data, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"bieu-mau-ra-soat-{year}.xlsx")
    return response


@login_required
@never_cache
def detail(request, pk):
    job = get_object_or_404(_import_jobs(request.user), pk=pk)
    _require_importer(request.user)
    output = JobFile.objects.filter(job=job, role=JobFile.Role.OUTPUT).only("name", "size").first()
    result = job.result or {}
    context = {
        "job": job,
        "output": output,
        "result": result,
        "dry_run": job.params.get("mode") != jobs.APPLY,
        "source": jobs.source_of(job) if job.params.get("source_job") else None,
        "confirm_form": ConfirmForm(),
        "can_confirm": job.status == Job.Status.DONE
        and job.params.get("mode") != jobs.APPLY
        and not result.get("file_error")
        and (result.get("created", 0) + result.get("updated", 0)) > 0,
    }
    if request.headers.get("HX-Request"):
        return render(request, "census/detail.html#status", context)
    return render(request, "census/detail.html", context)


@login_required
@require_POST
def confirm(request, pk):
    source = get_object_or_404(_import_jobs(request.user), pk=pk)
    _require_importer(request.user)
    form = ConfirmForm(request.POST)
    result = source.result or {}
    if (
        source.params.get("mode") == jobs.APPLY
        or source.status != Job.Status.DONE
        or result.get("file_error")
    ):
        messages.error(request, _("Chỉ xác nhận được một lần kiểm tra đã hoàn thành và đọc được tệp."))
        return redirect("census:detail", pk=source.pk)
    skip_errors = form.is_valid() and form.cleaned_data["skip_errors"]
    if result.get("error_count") and not skip_errors:
        messages.error(
            request,
            ngettext(
                "Tệp còn %(n)s lỗi. Hãy sửa tệp và tải lên lại, hoặc chọn bỏ qua các dòng lỗi.",
                "Tệp còn %(n)s lỗi. Hãy sửa tệp và tải lên lại, hoặc chọn bỏ qua các dòng lỗi.",
                result["error_count"],
            )
            % {"n": result["error_count"]},
        )
        return redirect("census:detail", pk=source.pk)
    job = jobs.start_apply(owner=request.user, source=source, skip_errors=skip_errors)
    return redirect("census:detail", pk=job.pk)
