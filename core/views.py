from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from units import access

from . import navigation
from .forms import AuditFilterForm, LoginForm
from .models import Job, JobFile


@login_required
def home(request):
    panels = navigation.home_panels(request)
    if not access.grants(request.user):
        messages.warning(
            request, _("Tài khoản của bạn chưa được phân công đơn vị. Hãy liên hệ quản trị viên.")
        )
    return render(request, "home.html", {"panels": panels})


@require_GET
@never_cache
def healthz(request):
    """For load balancers: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


@login_required
def job_list(request):
    jobs = access.jobs_visible_to(request.user)[:50]
    return render(request, "core/job_list.html", {"jobs": jobs})


@login_required
@never_cache
def job_detail(request, pk):
    job = get_object_or_404(access.jobs_visible_to(request.user), pk=pk)
    output = JobFile.objects.filter(job=job, role=JobFile.Role.OUTPUT).only("name", "size").first()
    context = {"job": job, "output": output}
    if request.headers.get("HX-Request"):
        return render(request, "core/job_detail.html#progress", context)
    return render(request, "core/job_detail.html", context)


@login_required
def job_download(request, pk):
    job = get_object_or_404(access.jobs_visible_to(request.user), pk=pk)
    file = JobFile.objects.filter(job=job, role=JobFile.Role.OUTPUT).first()
    if job.status != Job.Status.DONE or file is None:
        raise Http404
    response = HttpResponse(bytes(file.data), content_type=file.content_type)
    response["Content-Disposition"] = content_disposition_header(True, file.name)
    return response


@login_required
def audit_list(request):
    entries = access.audit_entries_visible_to(request.user)
    if not access.has_perm_somewhere(request.user, "auditlog.view_logentry"):
        raise Http404
    form = AuditFilterForm(request.GET or None)
    if form.is_valid():
        entries = form.filter(entries)
    entries = entries.select_related("actor", "content_type").order_by("-timestamp")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_list.html", {"page": page, "form": form})
