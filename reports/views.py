"""Report pages: the list of reports a person may produce, a preview with PDF and Excel downloads
(large ones through the background worker), locking a quarter, the province dashboard, and the
resident population a unit enters per year (the review summary's denominator)."""

from dataclasses import replace
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.folding import fold
from core.formatting import fmt_date, fmt_document_date, fmt_int
from core.tables_html import html_table
from units import access
from units.models import REFORM_DATE, AdministrativeUnit, Level, Organisation
from units.periods import clamped_end, successors

from . import dashboard as dash
from . import registry, services
from .builders import ROMAN
from .forms import (
    FORMAT_CHOICES,
    ExportForm,
    LockForm,
    ResidentPopulationFileForm,
    ResidentPopulationForm,
    last_closed_quarter,
    organisation_queryset,
    picker_context,
    population_unit_options,
    unit_label,
    year_choices,
)
from .params import ReportParamError, ReportParams
from .render import CONTENT_TYPES
from .render import render as render_file
from .roles import ENTER_POPULATION
from .scope import DASHBOARD, VIEW, ReportScope
from .selectors import (
    lock_covering,
    org_registrations,
    quarter_dates,
    recorded_population,
    registration_years,
)

FORMATS = ("pdf", "xlsx")


def _require_reports(user) -> None:
    if not access.has_perm_somewhere(user, VIEW):
        raise PermissionDenied


def _spec(code: str):
    spec = registry.get(code)
    if spec is None:
        raise Http404
    return spec


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _organisation(user, value) -> Organisation | None:
    pk = _int(value)
    if pk is None:
        return None
    organisation = organisation_queryset(user).filter(pk=pk).first()
    if organisation is None:
        raise Http404
    return organisation


def _params(request, code: str, unit: AdministrativeUnit, data: QueryDict) -> ReportParams:
    """Report parameters from a query string or form: defaults are the last closed quarter (the
    whole year for a report whose quarter is optional)."""
    year, quarter = last_closed_quarter(timezone.localdate())
    if not _spec(code).needs_quarter:
        quarter = None
    return registry.resolve(
        ReportScope(request.user),
        code=code,
        unit=unit,
        year=_int(data.get("year"), year),
        quarter=_int(data.get("quarter"), quarter),
        organisation=_organisation(request.user, data.get("organisation")),
        poverty_class=data.get("poverty_class") or None,
    )


def _query(params: ReportParams) -> str:
    query = QueryDict(mutable=True)
    query.update({k: v for k, v in params.as_query().items() if k != "unit"})
    return query.urlencode()


REGISTRATION_REPORTS = ("mau01", "mau02", "mau03")


def _empty_hint(user, scope: ReportScope, code: str, params: ReportParams) -> dict | None:
    """When the chosen year has no registration to report: say so, offer the years that have some and
    the page where households are registered. (The target tables explain a missing target themselves.)"""
    unit, organisation = params.unit, params.organisation
    if code not in REGISTRATION_REPORTS or organisation is None:
        return None
    if org_registrations(scope, unit, organisation, params.year).exists():
        return None
    message = _("Chưa có hộ nào được %(organisation)s đăng ký giúp năm %(year)s ở %(unit)s.") % {
        "organisation": organisation.short_name or organisation.name,
        "year": str(params.year),
        "unit": unit.name,
    }
    years = [year for year in registration_years(scope, unit, organisation) if year != params.year][:6]
    may_register = access.organisations_for_user(user, "targets.add_registration")
    return {
        "message": message,
        "years": [(year, _query(replace(params, year=year))) for year in years],
        "action": (_("Chọn hộ để đăng ký"), reverse("targets:eligible")) if may_register else None,
    }


@login_required
@require_GET
def index(request):
    _require_reports(request.user)
    today = timezone.localdate()
    context = picker_context(request.user, today)
    own = access.organisations_for_user(request.user, VIEW)
    context.update(
        {
            "reports": list(registry.REGISTRY.values()),
            "own_organisation": own[0] if own else None,
            "year": context["selected_year"],
            "quarter": context["selected_quarter"],
            "can_dashboard": access.has_perm_somewhere(request.user, DASHBOARD),
            "can_enter_population": access.has_perm_somewhere(request.user, ENTER_POPULATION),
        }
    )
    return render(request, "reports/index.html", context)


@login_required
@require_GET
def open_report(request):
    """The pickers' target: checks the report and unit, then shows its preview."""
    _require_reports(request.user)
    spec = _spec(request.GET.get("code", ""))
    unit = access.get_unit_for_user(request.user, _int(request.GET.get("unit"), 0), VIEW)
    query = QueryDict(mutable=True)
    for key in ("year", "quarter", "organisation", "poverty_class"):
        if request.GET.get(key):
            query[key] = request.GET[key]
    return redirect(f"{reverse('reports:preview', args=[spec.code, unit.pk])}?{query.urlencode()}")


@login_required
@require_GET
def preview(request, code, unit):
    spec = _spec(code)
    unit = access.get_unit_for_user(request.user, unit, VIEW)
    scope = ReportScope(request.user)
    today = timezone.localdate()
    context = {
        "spec": spec,
        "unit": unit,
        "reports": list(registry.REGISTRY.values()),
        "formats": FORMAT_CHOICES,
    }
    try:
        params = _params(request, code, unit, request.GET)
    except ReportParamError as error:
        context.update(picker_context(request.user, today, unit=unit, spec=spec))
        context["error"] = str(error)
        return render(request, "reports/preview.html", context)
    context.update(
        picker_context(
            request.user,
            today,
            unit=unit,
            year=params.year,
            quarter=params.quarter,
            organisation=params.organisation,
            spec=spec,
            poverty_class=params.poverty_class,
        )
    )
    query = _query(params)

    def link(target: dict) -> str:
        child = target.get("unit")
        return f"{reverse('reports:preview', args=[code, child])}?{query}" if child else ""

    # The preview shows the document as it is filed: in Vietnamese whatever the page's language,
    # like the PDF and Excel files (reports/README.md, "Languages").
    try:
        with translation.override(settings.LANGUAGE_CODE):
            document = spec.produce(scope, params)
            tables = [html_table(table, link=link) for table in document.tables]
    except ReportParamError as error:
        context["error"] = str(error)
        return render(request, "reports/preview.html", context)
    rows = spec.estimate_rows(scope, params)

    context.update(
        {
            "params": params,
            "document": document,
            "place_date": fmt_document_date(document.place, document.issued_on)
            if document.place and document.issued_on
            else "",
            "signature_lines": [line for line in document.signature.title.split("\n") if line],
            "tables": tables,
            "query": query,
            "background": rows > settings.REPORT_BACKGROUND_ROW_THRESHOLD,
            "estimated_rows": rows,
            "ancestors": [a for a in unit.ancestors() if access.can(request.user, VIEW, a)],
            "empty": _empty_hint(request.user, scope, code, params),
        }
    )
    if code == "quarterly":
        lock = lock_covering(unit, params.year, params.quarter)
        end = quarter_dates(params.year, params.quarter)[1]
        context.update(
            {
                "lock": lock,
                "quarter_over": today > end,
                "can_lock": lock is None and today > end and scope.can_lock(unit),
            }
        )
    return render(request, "reports/preview.html", context)


@login_required
@require_GET
def download(request, code, unit, fmt):
    spec = _spec(code)
    if fmt not in FORMATS:
        raise Http404
    unit = access.get_unit_for_user(request.user, unit, VIEW)
    scope = ReportScope(request.user)
    try:
        params = _params(request, code, unit, request.GET)
    except ReportParamError as error:
        messages.error(request, str(error))
        return redirect("reports:preview", code=code, unit=unit.pk)
    preview_url = f"{reverse('reports:preview', args=[code, unit.pk])}?{_query(params)}"
    if spec.estimate_rows(scope, params) > settings.REPORT_BACKGROUND_ROW_THRESHOLD:
        messages.info(request, _("Báo cáo này lớn: hãy bấm “Tạo tệp” để hệ thống tạo tệp ở chế độ nền."))
        return redirect(preview_url)
    with translation.override("vi"):
        document = spec.produce(scope, params)
        data = render_file(document, fmt)
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(True, params.file_name(fmt))
    return response


@login_required
@require_POST
def export(request, code, unit):
    """Start a report file on the background worker (large reports); the job page shows progress."""
    _spec(code)
    unit = access.get_unit_for_user(request.user, unit, VIEW)
    form = ExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn định dạng PDF hoặc Excel và kỳ báo cáo."))
        return redirect("reports:preview", code=code, unit=unit.pk)
    try:
        params = _params(request, code, unit, request.POST)
    except ReportParamError as error:
        messages.error(request, str(error))
        return redirect("reports:preview", code=code, unit=unit.pk)
    job = services.report_export_start(user=request.user, params=params, fmt=form.cleaned_data["format"])
    return redirect("jobs:detail", pk=job.pk)


@login_required
@require_POST
def lock(request):
    form = LockForm(request.POST)
    if not form.is_valid():
        raise Http404
    unit = access.get_unit_for_user(request.user, form.cleaned_data["unit"], VIEW)
    year, quarter = form.cleaned_data["year"], form.cleaned_data["quarter"]
    try:
        period = services.period_lock(
            user=request.user,
            unit=unit,
            year=year,
            quarter=quarter,
            today=timezone.localdate(),
            note=form.cleaned_data["note"],
        )
    except services.ReportError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _(
                "Đã duyệt và khóa số liệu quý %(quarter)s/%(year)s của %(unit)s. Báo cáo kỳ này từ nay giữ nguyên như đã khóa."
            )
            % {"quarter": ROMAN[period.quarter], "year": period.year, "unit": unit.name},
        )
    return redirect(
        f"{reverse('reports:preview', args=['quarterly', unit.pk])}?year={year}&quarter={quarter}"
    )


@login_required
@require_GET
def dashboard(request, pk=None):
    if not access.has_perm_somewhere(request.user, DASHBOARD):
        raise PermissionDenied
    today = timezone.localdate()
    if pk is None:
        roots = access.scope_roots(request.user, DASHBOARD)
        if not roots:
            provinces = AdministrativeUnit.objects.filter(level=Level.PROVINCE).order_by(
                "-admin_version", "code"
            )
            return render(request, "reports/dashboard_pick.html", {"provinces": provinces})
        unit = roots[0]
    else:
        unit = access.get_unit_for_user(request.user, pk, VIEW)
        if not access.can(request.user, DASHBOARD, unit):
            raise PermissionDenied
    if unit.level > Level.COMMUNE:
        raise Http404
    years = year_choices(today)
    if unit.dissolved:  # a pre-2025 unit: its years end with 2025 (figures to 30/06/2025)
        years = [(value, label) for value, label in years if value <= unit.valid_to.year]
    year = _int(request.GET.get("year"), years[0][0] if unit.dissolved else today.year)
    if year not in dict(years):
        year = years[0][0] if unit.dissolved else today.year
    scope = ReportScope(request.user)
    context = dash.dashboard_context(scope, unit, year, today)
    if unit.dissolved:
        context["dissolved"] = {
            "message": _("%(unit)s đã kết thúc từ ngày %(date)s; số liệu đến hết ngày %(last)s.")
            % {"unit": unit.name, "date": fmt_date(REFORM_DATE), "last": fmt_date(unit.valid_to)},
            "successors": [
                (successor, access.can(request.user, DASHBOARD, successor)) for successor in successors(unit)
            ],
        }
    context.update(
        {
            "unit": unit,
            "year": year,
            "years": years,
            "roots": access.scope_roots(request.user, DASHBOARD),
            "ancestors": [a for a in unit.ancestors() if access.can(request.user, DASHBOARD, a)],
            "fold": fold(request.GET, context["empty_units"]),
        }
    )
    return render(request, "reports/dashboard.html", context)


@login_required
@require_GET
def population_open(request):
    """The population page's picker target (and the report index's link): a unit and a year."""
    units = population_unit_options(request.user)
    if not units:
        raise PermissionDenied
    unit = access.get_unit_for_user(
        request.user, _int(request.GET.get("unit"), units[0].pk), ENTER_POPULATION
    )
    year = _int(request.GET.get("year"), timezone.localdate().year)
    return redirect(f"{reverse('reports:population', args=[unit.pk])}?year={year}")


@login_required
def population(request, unit):
    """A unit's resident households and persons for a year: shown with the households recorded,
    entered or corrected by a commune or province officer."""
    unit = access.get_unit_for_user(request.user, unit, VIEW)
    access.require(request.user, ENTER_POPULATION, unit)
    scope = ReportScope(request.user)
    today = timezone.localdate()
    year = _int(request.POST.get("year") or request.GET.get("year"), today.year)
    entry = scope.resident_populations().filter(unit=unit, year=year).first()
    initial = {"year": year}
    if entry is not None:
        initial |= {"households": entry.households, "persons": entry.persons, "source": entry.source}
    uploading = request.method == "POST" and "upload" in request.POST
    form = ResidentPopulationForm(None if uploading else request.POST or None, initial=initial)
    upload = (
        ResidentPopulationFileForm(request.POST, request.FILES) if uploading else ResidentPopulationFileForm()
    )
    if uploading and upload.is_valid():
        file = upload.cleaned_data["file"]
        try:
            count = services.resident_populations_import(user=request.user, name=file.name, data=file.read())
        except services.ReportError as error:
            for line in str(error).splitlines():
                upload.add_error("file", line)
        else:
            messages.success(request, _("Đã nhập số liệu dân cư của %(n)s dòng.") % {"n": fmt_int(count)})
            return redirect(f"{reverse('reports:population', args=[unit.pk])}?year={year}")
    if not uploading and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.resident_population_save(
                user=request.user,
                unit=unit,
                year=data["year"],
                households=data["households"],
                persons=data["persons"],
                source=data["source"],
            )
        except services.ReportError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Đã lưu số liệu dân cư năm %(year)s của %(unit)s.")
                % {"year": data["year"], "unit": unit.name},
            )
            return redirect(f"{reverse('reports:population', args=[unit.pk])}?year={data['year']}")
    units = population_unit_options(request.user)
    if unit not in units:
        units.insert(0, unit)
    return render(
        request,
        "reports/population.html",
        {
            "unit": unit,
            "year": year,
            "years": year_choices(today),
            "unit_choices": [(u.pk, unit_label(u)) for u in units],
            "form": form,
            "upload": upload,
            "entry": entry,
            "recorded": recorded_population(scope, unit, clamped_end(unit, date(year, 12, 31))),
            "recorded_on": clamped_end(unit, date(year, 12, 31)),
        },
    )
