import math
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from units import access

from . import health, navigation, security
from .forms import AuditFilterForm, LoginForm
from .models import Job, JobFile


@login_required
def home(request):
    """The user's units and what to do next; each app contributes panels (core/navigation.py)."""
    return render(request, "home.html", {"panels": navigation.home_panels(request)})


@require_GET
@never_cache
def healthz(request):
    """For load balancers and monitoring: JSON (core/health.py), 200 while the database answers
    (also when "degraded": the web still works), 503 when it does not."""
    report = health.health()
    return JsonResponse(report, status=503 if report["status"] == "down" else 200)


THROTTLED = _("Đăng nhập đang bị làm chậm vì có nhiều lần nhập sai mật khẩu. Hãy thử lại sau %(wait)s.")
RESET_THROTTLED = _("Đã gửi quá nhiều yêu cầu đặt lại mật khẩu từ máy này. Hãy thử lại sau %(wait)s.")


def _wait_text(wait: timedelta) -> str:
    seconds = max(1, math.ceil(wait.total_seconds()))
    if seconds < 120:
        return ngettext("%(count)s giây", "%(count)s giây", seconds) % {"count": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext("%(count)s phút", "%(count)s phút", minutes) % {"count": minutes}


class LoginView(auth_views.LoginView):
    """Django's login, slowed by core/security.py's limits (429 with how long to wait); a
    successful login marks the browser as one the account uses (not slowed on it later)."""

    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        security.remember_device(self.request, response, form.get_user().get_username())
        return response

    def form_invalid(self, form):
        wait = getattr(self.request, "login_throttled", None)
        if wait:
            form.errors.clear()
            form.add_error(None, THROTTLED % {"wait": _wait_text(wait)})
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_invalid(form)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset by e-mail, at most a few mails per account and per client address in a
    window (settings.PASSWORD_RESET_LIMITS). Over the account's limit nothing is sent and the page
    says the same as always (whether an account exists stays hidden); over the address's, 429."""

    def form_valid(self, form):
        address_ok, account_ok = security.reset_allowed(self.request, form.cleaned_data["email"])
        if not address_ok:
            wait = settings.PASSWORD_RESET_LIMITS["WINDOW"]
            form.add_error(None, RESET_THROTTLED % {"wait": _wait_text(wait)})
            return self.render_to_response(self.get_context_data(form=form), status=429)
        if not account_ok:
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Setting a new password through the emailed link also lifts a login lockout of the account
    (the lockout page sends people here)."""

    def form_valid(self, form):
        from axes.utils import reset

        response = super().form_valid(form)
        reset(username=form.user.get_username())
        return response


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
    """Changes to the records in the administrator's scope, newest first, with filters."""
    if not access.has_perm_somewhere(request.user, "auditlog.view_logentry"):
        raise Http404
    entries = access.audit_entries_visible_to(request.user)
    form = AuditFilterForm(request.GET or None)
    if form.is_valid():
        entries = form.filter(entries)
    elif form.is_bound:
        entries = entries.none()
    entries = entries.select_related("actor", "content_type").order_by("-timestamp", "-pk")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_list.html", {"page": page, "form": form})
