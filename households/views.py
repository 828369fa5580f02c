"""Pages for households and assessments. Thin: access (units/access.py) → form → service → page.
Out of scope → 404; in scope without the permission → 403."""

from __future__ import annotations

from contextlib import suppress
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from core.concurrency import ConcurrentEditError
from core.formatting import fmt_int
from units import access
from units.models import AdministrativeUnit, Level

from . import listing, selectors, services
from .classification import lines_for
from .conflicts import conflict_context
from .exports import XLSX, export_file_name, household_workbook
from .forms import (
    INCOME_FIELDS,
    SENSITIVE_POLICY_GROUPS,
    ApproveForm,
    AssessmentForm,
    HouseholdForm,
    MemberFormSet,
    ReturnForm,
    VersionedFormMixin,
    assessment_initial,
    review_years,
)
from .income import ANNUAL, PER_CAPITA
from .jobs import household_export_start
from .listing import VIEW
from .models import Assessment, Household

PAGE_SIZE = 50


# --- Lists --------------------------------------------------------------------------------------


def _list_unit(request, pk) -> AdministrativeUnit:
    return access.get_unit_for_user(request.user, pk, VIEW)


def _filters(request, unit: AdministrativeUnit):
    return listing.list_filters(request.user, unit, request.GET)


@login_required
@require_GET
def household_list(request):
    """The household list of the top of the user's scope (a national administrator picks a province)."""
    roots = access.scope_roots(request.user, VIEW)
    if access.sees_everything(request.user, VIEW):
        roots = AdministrativeUnit.objects.filter(level=Level.PROVINCE).order_by("-admin_version", "name")
    elif len(roots) == 1:
        return redirect("households:unit_list", unit=roots[0].pk)
    elif not roots:
        raise PermissionDenied
    return render(request, "households/pick_unit.html", {"units": roots})


@login_required
@require_GET
def unit_household_list(request, unit):
    unit = _list_unit(request, unit)
    form, filters = _filters(request, unit)
    rows = selectors.household_rows(listing.unit_households(request.user, unit), filters)
    totals = selectors.class_totals(rows)
    listed = selectors.filter_by_class(rows, filters).select_related("village").order_by("code")
    paginator = Paginator(listed, PAGE_SIZE)
    paginator.count = selectors.count_for(totals, filters)  # known from the totals: no second count
    page = paginator.get_page(request.GET.get("page"))
    children = access.units_visible_to(request.user, VIEW).filter(parent=unit).order_by("name")
    context = {
        "unit": unit,
        "form": form,
        "filters": filters,
        "page": page,
        "totals": totals,
        "children": children if unit.level in (Level.PROVINCE, Level.DISTRICT) else [],
        "ancestors": [a for a in unit.ancestors() if access.can(request.user, VIEW, a)],
        "can_add": unit.level == Level.COMMUNE and access.can(request.user, "households.add_household", unit),
    }
    return render(request, "households/list.html", context)


@login_required
@require_GET
def household_export(request, unit):
    """The filtered list as an Excel workbook; a long list is written on the background worker and
    the reader follows its progress on the job page."""
    unit = _list_unit(request, unit)
    _form, filters = _filters(request, unit)
    rows, count = listing.export_rows(request.user, unit, filters)
    if count > settings.HOUSEHOLD_EXPORT_BACKGROUND_ROWS:
        job = household_export_start(user=request.user, unit=unit, query=request.GET)
        messages.info(
            request,
            _("Danh sách có %(count)s hộ nên được xuất ở chế độ nền. Tệp sẽ có ở trang này khi xong.")
            % {"count": fmt_int(count)},
        )
        return redirect("jobs:detail", pk=job.pk)
    data = household_workbook(
        rows,
        unit=unit,
        filters=filters,
        show_ethnicity=access.can(request.user, "households.view_ethnicity", unit),
    )
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, export_file_name(unit))
    return response


# --- Households ---------------------------------------------------------------------------------


def _commune_for_create(request, pk) -> AdministrativeUnit:
    commune = access.get_unit_for_user(request.user, pk, VIEW)
    if commune.level != Level.COMMUNE:
        raise Http404
    access.require(request.user, "households.add_household", commune)
    return commune


def _member_formset(request, household, *, show_ethnicity: bool, data=None):
    initial = [{"relation": "head"}] if household.pk is None else None
    return MemberFormSet(
        data,
        instance=household,
        prefix="members",
        initial=initial,
        form_kwargs={"show_ethnicity": show_ethnicity},
    )


def _say_citizen_id_warnings(request, formset) -> None:
    for warning in formset.warnings():
        messages.warning(request, warning)


@login_required
def household_create(request, unit):
    commune = _commune_for_create(request, unit)
    show_ethnicity = access.can(request.user, "households.view_ethnicity", commune)
    data = request.POST if request.method == "POST" else None
    form = HouseholdForm(data, commune=commune, show_ethnicity=show_ethnicity)
    formset = _member_formset(request, Household(commune=commune), show_ethnicity=show_ethnicity, data=data)
    if data is not None and form.is_valid() and formset.is_valid():
        try:
            household = services.household_create(
                user=request.user,
                commune=commune,
                members=[edit.data for edit in formset.edits()],
                **{name: form.cleaned_data[name] for name in HouseholdForm.Meta.fields},
            )
        except services.HouseholdError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            _say_citizen_id_warnings(request, formset)
            messages.success(request, _("Đã thêm hộ %(code)s.") % {"code": household.code})
            return redirect("households:detail", pk=household.pk)
    return render(
        request,
        "households/household_form.html",
        {"form": form, "formset": formset, "commune": commune, "household": None},
    )


@login_required
def household_update(request, pk):
    household = access.get_household_for_user(request.user, pk, write=True)
    show_ethnicity = access.may_see_ethnicity(request.user, household)
    data = request.POST.copy() if request.method == "POST" else None
    initial = {
        "version": household.version,
        "original": VersionedFormMixin.sign(services.household_snapshot(household)),
    }
    form = HouseholdForm(
        data, instance=household, commune=household.commune, show_ethnicity=show_ethnicity, initial=initial
    )
    formset = _member_formset(request, household, show_ethnicity=show_ethnicity, data=data)
    context = {"form": form, "formset": formset, "commune": household.commune, "household": household}
    if data is not None and form.is_valid() and formset.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.HOUSEHOLD_EDITABLE}
        try:
            services.household_update(
                household=household,
                user=request.user,
                expected_version=form.cleaned_data["version"],
                original=form.original_snapshot(),
                members=formset.edits(),
                policy_groups=list(form.cleaned_data["policy_groups"]) + form.hidden_policy_groups(),
                causes=form.cleaned_data["causes"],
                **fields,
            )
        except ConcurrentEditError as error:
            current = Household.objects.get(pk=household.pk)
            data["version"] = current.version
            data["original"] = VersionedFormMixin.sign(services.household_snapshot(current))
            context["form"] = HouseholdForm(
                data, instance=current, commune=current.commune, show_ethnicity=show_ethnicity
            )
            context["form"].is_valid()
            context |= conflict_context(error, Household)
        except services.HouseholdError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            _say_citizen_id_warnings(request, formset)
            messages.success(request, _("Đã lưu thay đổi của hộ %(code)s.") % {"code": household.code})
            return redirect("households:detail", pk=household.pk)
    return render(request, "households/household_form.html", context)


@login_required
@require_GET
def household_detail(request, pk):
    household = access.get_household_for_user(request.user, pk)
    user = request.user
    show_ethnicity = access.may_see_ethnicity(user, household)
    groups = household.policy_groups.all()
    if not show_ethnicity:
        groups = groups.exclude(code__in=SENSITIVE_POLICY_GROUPS)
    duplicates = []
    for number, others in selectors.duplicate_citizen_ids(household).items():
        for other in others:
            visible = access.can_at_located(user, VIEW, other.household)
            duplicates.append(
                {"number": number, "member": other, "household": other.household if visible else None}
            )
    timeline = (
        household.assessments.filter(state=Assessment.State.APPROVED)
        .select_related("standard", "decided_by")
        .order_by("-effective_date", "-pk")
    )
    context = {
        "household": household,
        "members": household.members.all(),
        "show_ethnicity": show_ethnicity,
        "policy_groups": groups,
        "causes": household.causes.all(),
        "duplicates": duplicates,
        "timeline": timeline,
        "pending": household.assessments.exclude(state=Assessment.State.APPROVED)
        .select_related("created_by")
        .order_by("-pk"),
        "can_edit": access.can_at_located(user, "households.change_household", household),
        "can_assess": access.can_at_located(user, "households.add_assessment", household),
    }
    return render(request, "households/household_detail.html", context)


# --- Assessments --------------------------------------------------------------------------------


def _default_year() -> int:
    years = review_years()
    return min(max(timezone.localdate().year, years[0]), years[-1])


def _default_effective(year: int) -> date:
    today = timezone.localdate()
    return today if today.year == year else date(year, 12, 15)


def _new_initial(household: Household, year: int) -> tuple[dict, Assessment | None]:
    """A new assessment starts from the household's previous one (approved first), for the officer
    to update, with the household's current size and area."""
    previous = (
        household.assessments.filter(state=Assessment.State.APPROVED)
        .order_by("-effective_date", "-pk")
        .first()
        or household.assessments.order_by("-pk").first()
    )
    initial = {
        "kind": Assessment.Kind.PERIODIC,
        "review_year": year,
        "effective_date": _default_effective(year),
        "area": household.area,
        "member_count": household.member_count or 1,
    }
    if previous is not None:
        # Both figures as recorded; with another member count, the per-person one follows the
        # yearly one (the basis of a form whose yearly income is filled in).
        initial["annual_income"] = previous.annual_income
        initial["income_per_capita"] = previous.income_per_capita
        initial |= {
            f"indicator_{code}": True for code in services.codes_of(previous.standard, previous.deprived_mask)
        }
    return initial, previous


def _posted_year(request, fallback: int) -> int:
    try:
        return int(request.POST.get("review_year", fallback))
    except (TypeError, ValueError):
        return fallback


def _posted_review(request, *, kind: str, year: int, effective: date | None = None) -> dict:
    """What decides the standard (kind, review year, effective date) as posted; a value missing or
    not valid yet keeps the one given, so the indicators follow the officer's typing."""
    posted_kind = request.POST.get("kind")
    kind = posted_kind if posted_kind in Assessment.Kind.values else kind
    year = _posted_year(request, year)
    with suppress(ValidationError):
        effective = AssessmentForm.base_fields["effective_date"].clean(request.POST.get("effective_date"))
    return {"kind": kind, "review_year": year, "effective_date": effective or _default_effective(year)}


def _require_at(user, perm: str, household: Household) -> None:
    if not access.can_at_located(user, perm, household):
        raise PermissionDenied


@login_required
def assessment_create(request, pk):
    household = access.get_household_for_user(request.user, pk)
    _require_at(request.user, "households.add_assessment", household)
    pending = selectors.open_assessment(household)
    if pending is not None:
        messages.info(request, _("Hộ này đang có phiếu rà soát chưa duyệt; hãy tiếp tục phiếu đó."))
        return redirect("households:assessment_detail", pk=pending.pk)
    year = _default_year()
    initial, previous = _new_initial(household, year)
    review = {"kind": initial["kind"], "review_year": year, "effective_date": initial["effective_date"]}
    if request.method == "POST":
        review = _posted_review(request, kind=initial["kind"], year=year)
    try:
        standard = services.standard_for(household, **review)
    except services.AssessmentError as error:
        messages.error(request, str(error))
        return redirect("households:detail", pk=household.pk)
    form = AssessmentForm(request.POST or None, initial=initial, standard=standard, new=True)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_create(
                household=household, user=request.user, data=form.assessment_input()
            )
        except services.AssessmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Đã lưu phiếu nháp: %(result)s.") % {"result": assessment.get_result_class_display()},
            )
            return redirect("households:assessment_detail", pk=assessment.pk)
    return render(
        request,
        "households/assessment_form.html",
        {
            "form": form,
            "household": household,
            "assessment": None,
            "previous": previous,
            **_preview(form, household),
        },
    )


@login_required
def assessment_update(request, pk):
    assessment = access.get_assessment_for_user(request.user, pk, perm="households.change_assessment")
    household = assessment.household
    if not assessment.is_editable:
        messages.error(request, services.NOT_EDITABLE % {"state": assessment.get_state_display()})
        return redirect("households:assessment_detail", pk=assessment.pk)
    codes = services.codes_of(assessment.standard, assessment.deprived_mask)
    initial = assessment_initial(assessment, codes) | {
        "version": assessment.version,
        "original": VersionedFormMixin.sign(services.assessment_snapshot(assessment)),
    }
    review = {
        "kind": assessment.kind,
        "review_year": assessment.review_year,
        "effective_date": assessment.effective_date,
    }
    if request.method == "POST":
        review = _posted_review(
            request, kind=assessment.kind, year=assessment.review_year, effective=assessment.effective_date
        )
    try:
        standard = services.standard_for(household, **review)
    except services.AssessmentError:
        standard = assessment.standard
    data = request.POST.copy() if request.method == "POST" else None
    form = AssessmentForm(data, initial=initial, standard=standard, new=False)
    context = {"household": household, "assessment": assessment}
    if data is not None and form.is_valid():
        try:
            services.assessment_update(
                assessment=assessment,
                user=request.user,
                data=form.assessment_input(),
                expected_version=form.cleaned_data["version"],
                original=form.original_snapshot(),
            )
        except ConcurrentEditError as error:
            current = Assessment.objects.get(pk=assessment.pk)
            data["version"] = current.version
            data["original"] = VersionedFormMixin.sign(services.assessment_snapshot(current))
            form = AssessmentForm(data, standard=standard, new=False)
            form.is_valid()
            context |= conflict_context(error, Assessment)
        except services.AssessmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Đã lưu phiếu: %(result)s.") % {"result": assessment.get_result_class_display()}
            )
            return redirect("households:assessment_detail", pk=assessment.pk)
    return render(
        request, "households/assessment_form.html", {"form": form, **context, **_preview(form, household)}
    )


def _preview(form: AssessmentForm, household: Household) -> dict:
    """The live classification for what the form holds, by the service a save uses, and the
    income figure it computed (the per-person one from the yearly one, or the other way)."""
    if form.is_bound:
        data = getattr(form, "cleaned_data", {})  # the basis too (AssessmentForm.clean)
    else:
        data = {name: form.get_initial_for_field(field, name) for name, field in form.fields.items()}
    per_capita, annual = data.get("income_per_capita"), data.get("annual_income")
    # What is wrong with the income typed (negative, letters), said at its field as well
    # (static/js/households.js puts it there).
    errors = form.errors.as_data() if form.is_bound else {}
    typed = {
        name: error.messages[0]
        for name in ("income_per_capita", "annual_income")
        for error in errors.get(name, [])[:1]
        if error.code in ("invalid", "negative")
    }
    context = {
        "standard": form.standard,
        "result": None,
        "computed": None,
        "preview_error": "",
        "income_errors": {form[name].auto_id: typed.get(name, "") for name in INCOME_FIELDS},
    }
    if per_capita is None and annual is None:
        context["preview_error"] = next(
            iter(typed.values()), _("Nhập thu nhập bình quân hoặc tổng thu nhập năm để xem phân loại.")
        )
        return context
    try:
        assessed = services.assessment_classify(
            standard=form.standard,
            area=data.get("area") or household.area,
            member_count=data.get("member_count"),
            deprived=[i.code for i in form.indicators if data.get(f"indicator_{i.code}")],
            annual_income=annual,
            income_per_capita=per_capita,
            income_basis=data.get("income_basis") or ANNUAL,
            rules=form.standard.rules(form.indicators),
        )
    except services.AssessmentError as error:  # shown, not raised, while the officer types
        context["preview_error"] = str(error)
        return context
    context["result"] = assessed.classification
    income = assessed.income
    if income.basis == ANNUAL and income.per_capita != per_capita:
        context["computed"] = {"basis": ANNUAL, "value": income.per_capita}
    elif income.basis == PER_CAPITA and income.annual != annual:
        context["computed"] = {"basis": PER_CAPITA, "value": income.annual}
    return context


@login_required
@require_POST
def assessment_preview(request, pk):
    """htmx: the classification and its reasons for the form as typed so far; the indicators too
    when the kind, review year or effective date moved the review to another standard."""
    household = access.get_household_for_user(request.user, pk)
    if not (
        access.can_at_located(request.user, "households.add_assessment", household)
        or access.can_at_located(request.user, "households.change_assessment", household)
    ):
        raise PermissionDenied
    try:
        review = _posted_review(request, kind=Assessment.Kind.PERIODIC, year=_default_year())
        standard = services.standard_for(household, **review)
    except services.AssessmentError as error:
        return render(request, "households/_classification.html", {"preview_error": str(error)})
    form = AssessmentForm(request.POST, standard=standard, new=True)
    form.is_valid()
    context = {"form": form, "household": household, **_preview(form, household)}
    context["swap_indicators"] = request.POST.get("indicator_standard") != standard.code
    return render(request, "households/_classification.html", context)


@login_required
@require_GET
def assessment_detail(request, pk):
    return _assessment_page(request, access.get_assessment_for_user(request.user, pk))


def _assessment_page(request, assessment: Assessment, *, approve_form: ApproveForm | None = None):
    """The assessment's page; for the leader deciding it, the household's members and the figures
    that decide the class, with the approval and the return apart."""
    user = request.user
    household = assessment.household
    codes = set(services.codes_of(assessment.standard, assessment.deprived_mask))
    indicators = [(i, i.code in codes) for i in assessment.standard.indicators.order_by("order")]
    members = list(household.members.all())
    state = assessment.state
    open_ = state in Assessment.EDITABLE_STATES
    context = {
        "assessment": assessment,
        "household": household,
        "indicators": indicators,
        "members": members,
        "show_ethnicity": access.may_see_ethnicity(user, household),
        "lines": lines_for(assessment.standard.rules([i for i, _deprived in indicators]), assessment.area),
        "can_edit": open_ and access.can_at_located(user, "households.change_assessment", assessment),
        "can_submit": open_ and access.can_at_located(user, "households.submit_assessment", assessment),
        "can_withdraw": state == Assessment.State.SUBMITTED
        and access.can_at_located(user, "households.submit_assessment", assessment),
        "can_decide": False,
        "approve_form": approve_form or ApproveForm(initial={"version": assessment.version}),
        "return_form": ReturnForm(initial={"version": assessment.version}),
    }
    if state == Assessment.State.SUBMITTED and access.can_at_located(
        user, "households.approve_assessment", assessment
    ):
        eyes = services.assessment_four_eyes(assessment, user)
        context |= {
            "can_decide": eyes.allowed,
            "decides_alone": eyes.alone,
            "cannot_decide_reason": "" if eyes.allowed else services.DECIDES_OWN,
        }
    return render(request, "households/assessment_detail.html", context)


def _workflow_action(request, pk, perm: str, action, success: str, **extra):
    assessment = access.get_assessment_for_user(request.user, pk, perm=perm)
    try:
        version = int(request.POST.get("version", assessment.version))
    except ValueError:
        version = assessment.version
    try:
        action(assessment=assessment, user=request.user, expected_version=version, **extra)
    except ConcurrentEditError:
        messages.error(
            request,
            _("Phiếu vừa được người khác thay đổi nên chưa thực hiện được. Hãy xem lại phiếu rồi làm lại."),
        )
    except services.AssessmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect("households:assessment_detail", pk=assessment.pk)


@login_required
@require_POST
def assessment_submit(request, pk):
    return _workflow_action(
        request,
        pk,
        "households.submit_assessment",
        services.assessment_submit,
        _("Đã gửi phiếu để lãnh đạo xã duyệt."),
    )


@login_required
@require_POST
def assessment_withdraw(request, pk):
    return _workflow_action(
        request,
        pk,
        "households.submit_assessment",
        services.assessment_withdraw,
        _("Đã rút phiếu về bản nháp. Sửa xong, hãy gửi duyệt lại."),
    )


@login_required
@require_POST
def assessment_approve(request, pk):
    form = ApproveForm(request.POST)
    if not form.is_valid():  # not confirmed: the page again, the box to tick marked
        assessment = access.get_assessment_for_user(request.user, pk, perm="households.approve_assessment")
        return _assessment_page(request, assessment, approve_form=form)
    return _workflow_action(
        request,
        pk,
        "households.approve_assessment",
        services.assessment_approve,
        _("Đã duyệt phiếu rà soát."),
    )


@login_required
@require_POST
def assessment_return(request, pk):
    return _workflow_action(
        request,
        pk,
        "households.approve_assessment",
        services.assessment_return,
        _("Đã trả lại phiếu cho cán bộ rà soát."),
        reason=request.POST.get("reason", ""),
    )


@login_required
@require_POST
def assessment_delete(request, pk):
    assessment = access.get_assessment_for_user(request.user, pk, perm="households.change_assessment")
    household_pk = assessment.household_id
    try:
        services.assessment_delete(assessment=assessment, user=request.user)
    except services.AssessmentError as error:
        messages.error(request, str(error))
        return redirect("households:assessment_detail", pk=assessment.pk)
    messages.success(request, _("Đã hủy phiếu rà soát."))
    return redirect("households:detail", pk=household_pk)


# --- Work queues --------------------------------------------------------------------------------


@login_required
@require_GET
def approval_queue(request):
    """Submitted assessments the user may approve, oldest first."""
    if not access.has_perm_somewhere(request.user, "households.approve_assessment"):
        raise PermissionDenied
    rows = (
        access.assessments_visible_to(request.user, "households.approve_assessment")
        .filter(state=Assessment.State.SUBMITTED)
        .select_related("household", "village", "submitted_by", "commune", "new_commune")
        .prefetch_related("entered_by")
        .order_by("submitted_at", "pk")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for assessment in page.object_list:  # the leader's own entries are marked, not approvable
        assessment.eyes = services.assessment_four_eyes(assessment, request.user)
    return render(request, "households/approval_queue.html", {"page": page})


@login_required
@require_POST
def approve_many(request):
    """Approve the ticked submitted assessments at once (each as it was when the page was shown)."""
    if not access.has_perm_somewhere(request.user, "households.approve_assessment"):
        raise PermissionDenied
    ids = [int(pk) for pk in request.POST.getlist("approve") if pk.isdigit()]
    chosen = access.assessments_visible_to(request.user, "households.approve_assessment").filter(
        pk__in=ids, state=Assessment.State.SUBMITTED
    )
    done, refused, own = 0, 0, 0
    for assessment in chosen.select_related("household", "commune", "new_commune"):
        if not services.assessment_four_eyes(assessment, request.user).allowed:
            own += 1
            continue
        version = request.POST.get(f"version_{assessment.pk}", "")
        try:
            services.assessment_approve(
                assessment=assessment,
                user=request.user,
                expected_version=int(version) if version.isdigit() else assessment.version,
            )
        except (ConcurrentEditError, services.AssessmentError):
            refused += 1
        else:
            done += 1
    if done:
        messages.success(
            request,
            ngettext("Đã duyệt %(count)s phiếu.", "Đã duyệt %(count)s phiếu.", done) % {"count": done},
        )
    if refused:
        messages.warning(
            request,
            ngettext(
                "%(count)s phiếu vừa thay đổi nên chưa duyệt; hãy xem lại từng phiếu.",
                "%(count)s phiếu vừa thay đổi nên chưa duyệt; hãy xem lại từng phiếu.",
                refused,
            )
            % {"count": refused},
        )
    if own:
        messages.warning(request, services.DECIDES_OWN)
    if not ids:
        messages.info(request, _("Hãy đánh dấu các phiếu cần duyệt."))
    return redirect("households:approval_queue")


@login_required
@require_GET
def my_assessments(request):
    """The officer's unfinished work: returned first (with the reason), then drafts, then waiting."""
    if not access.has_perm_somewhere(request.user, "households.add_assessment"):
        raise PermissionDenied
    rows = (
        access.assessments_visible_to(request.user, "households.change_assessment")
        .filter(Q(created_by=request.user) | Q(updated_by=request.user) | Q(submitted_by=request.user))
        .exclude(state=Assessment.State.APPROVED)
        .select_related("household", "village")
    )
    order = {Assessment.State.RETURNED: 0, Assessment.State.DRAFT: 1, Assessment.State.SUBMITTED: 2}
    grouped = sorted(rows[:500], key=lambda a: (order.get(a.state, 3), -a.pk))
    return render(request, "households/my_assessments.html", {"rows": grouped})


# --- Figures on unit pages ----------------------------------------------------------------------


@login_required
@require_GET
def unit_figures(request, unit):
    """Households, poor and near-poor per child unit on today's date (one grouped query)."""
    unit = access.get_unit_for_user(request.user, unit)
    if not access.can(request.user, "households.view_assessment", unit):
        return HttpResponse("")
    today = timezone.localdate()
    scoped = access.assessments_visible_to(request.user)
    rows, total = [], selectors.ClassCounts()
    if unit.level == Level.VILLAGE:
        total = selectors.count_by_class(scoped.filter(village=unit), today)
    else:
        counts = selectors.counts_by_child(scoped, unit, today)
        names = dict(
            AdministrativeUnit.objects.filter(pk__in=[k for k in counts if k]).values_list("pk", "name")
        )
        for key, value in sorted(counts.items(), key=lambda item: (item[0] is None, names.get(item[0], ""))):
            rows.append(
                {"unit_id": key, "name": names.get(key) or _("Chưa gán thôn/đơn vị"), "counts": value}
            )
            total = total + value
    context = {"unit": unit, "rows": rows, "total": total, "today": today, "level": Level}
    return render(request, "households/_unit_figures.html", context)
