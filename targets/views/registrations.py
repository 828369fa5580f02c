"""Registrations: eligible households, registering, help given, proposed and confirmed outcomes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.concurrency import ConcurrentEditError
from core.text import search_key
from households.models import PovertyClass
from units import access
from units.models import AdministrativeUnit, Level

from .. import selectors, services
from ..forms import (
    ConfirmForm,
    EligibleFilterForm,
    HelpEntryForm,
    ProposeForm,
    RegistrationCreateForm,
    RegistrationEditForm,
    RegistrationFilterForm,
)
from ..models import HelpEntry, Outcome, Registration
from .common import VIEW_REGISTRATION, _conflict, _int, _today, household_url


def _communes_of(queryset, field="commune_id", limit=500) -> list[AdministrativeUnit]:
    ids = list(queryset.order_by().values_list(field, flat=True).distinct()[:limit])
    return list(AdministrativeUnit.objects.filter(pk__in=ids).order_by("name"))


@login_required
def registration_list(request):
    if not access.has_perm_somewhere(request.user, VIEW_REGISTRATION):
        raise PermissionDenied
    today = _today()
    visible = access.registrations_visible_to(request.user)
    form = RegistrationFilterForm(
        request.GET or None, communes=_communes_of(visible, "household__commune_id")
    )
    valid = form.is_valid()
    data = form.cleaned_data if valid else {}
    year = data.get("year") or selectors.default_year(access.targets_visible_to(request.user), visible, today)
    registrations = selectors.annotate_registrations(visible.filter(year=year), year=year, today=today)
    if data.get("org"):
        registrations = registrations.filter(organisation__kind=data["org"])
    if data.get("commune"):
        registrations = registrations.filter(household__commune_id=data["commune"])
    if data.get("q"):
        registrations = registrations.filter(household__head_search__contains=search_key(data["q"]))
    state = data.get("state")
    if state == "open":
        registrations = registrations.filter(confirmed_outcome="")
    elif state == "stale":
        registrations = registrations.filter(selectors.overdue_q(year, today))
    elif state == "awaiting":
        registrations = registrations.filter(confirmed_outcome="").exclude(proposed_outcome="")
    elif state == "confirmed":
        registrations = registrations.exclude(confirmed_outcome="")
    registrations = registrations.select_related(
        "household", "household__commune", "household__village", "organisation"
    )
    page = Paginator(
        registrations.order_by("household__commune__name", "household__head_search", "pk"), 50
    ).get_page(request.GET.get("page"))
    for registration in page:
        registration.stale = selectors.is_stale(registration, today)
    return render(
        request,
        "targets/registration_list.html",
        {
            "form": form,
            "page": page,
            "year": year,
            "cutoff": selectors.stale_cutoff(year, today),
            "can_register": access.has_perm_somewhere(request.user, "targets.add_registration"),
        },
    )


@login_required
def eligible(request):
    """Poor and near-poor households in scope that the user's organisation may register."""
    if not access.organisations_for_user(request.user, "targets.add_registration"):
        raise PermissionDenied
    access.refuse_sensitive_query(request.user, None, request.GET)
    today = _today()
    scoped = access.households_visible_to(request.user, "targets.add_registration")
    year_default = selectors.default_year(
        access.targets_visible_to(request.user), access.registrations_visible_to(request.user), today
    )
    groups = access.selectable_policy_groups(request.user)
    form_probe = EligibleFilterForm(request.GET or None, policy_groups=groups)
    year = (form_probe.is_valid() and form_probe.cleaned_data["year"]) or year_default
    households = selectors.eligible_households(scoped, year=year, today=today)
    communes = _communes_of(households)
    commune_id = _int(request.GET.get("commune"))
    villages = (
        list(AdministrativeUnit.objects.filter(parent_id=commune_id, level=Level.VILLAGE).order_by("name"))
        if (commune_id and any(c.pk == commune_id for c in communes))
        else []
    )
    form = EligibleFilterForm(request.GET or None, policy_groups=groups, communes=communes, villages=villages)
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("commune"):
        households = households.filter(commune_id=data["commune"])
    if data.get("village"):
        households = households.filter(village_id=data["village"])
    if data.get("klass"):
        households = households.filter(class_in_year=data["klass"])
    if data.get("female_head") in ("0", "1"):
        households = households.filter(female_head=data["female_head"] == "1")
    if data.get("group"):
        households = households.filter(policy_groups=data["group"])
        if access.is_sensitive_value(data["group"].code):
            households = access.sensitive_scope(households, request.user)
    if data.get("q"):
        households = households.filter(head_search__contains=search_key(data["q"]))
    organisations = access.organisations_for_user(request.user, "targets.add_registration")
    mine = Registration.objects.filter(year=year, organisation__in=organisations)
    # Not yet registered unless the user chose otherwise (the select's first option).
    registered_filter = request.GET.get("registered", "0")
    if registered_filter == "0":
        households = households.exclude(pk__in=mine.values("household_id"))
    elif registered_filter == "1":
        households = households.filter(pk__in=mine.values("household_id"))
    households = households.select_related("commune", "village").order_by(
        "commune__name", "village__name", "head_search", "pk"
    )
    page = Paginator(households, 50).get_page(request.GET.get("page"))
    registered = dict(mine.filter(household__in=[h.pk for h in page]).values_list("household_id", "pk"))
    for household in page:
        household.registration_id = registered.get(household.pk)
    return render(
        request,
        "targets/eligible.html",
        {
            "form": form,
            "page": page,
            "year": year,
            "registered_filter": registered_filter,
        },
    )


@login_required
def registration_create(request, household_pk):
    household = access.get_household_for_user(request.user, household_pk)
    organisations = access.organisations_for_household(request.user, "targets.add_registration", household)
    if not organisations:
        raise PermissionDenied
    today = _today()
    year = _int(request.GET.get("year")) or selectors.default_year(
        access.targets_visible_to(request.user), access.registrations_visible_to(request.user), today
    )
    form = RegistrationCreateForm(
        request.POST or None,
        organisations=organisations,
        initial={"year": year, "organisation": organisations[0].pk, "causes": list(household.causes.all())},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            registration = services.registration_create(
                organisation=data["organisation"],
                household=household,
                year=data["year"],
                circumstances=data["circumstances"],
                causes=data["causes"],
                needs=data["needs"],
                measures=data["measures"],
                responsible_member=data["responsible_member"],
                note=data["note"],
                user=request.user,
                today=today,
            )
        except services.RegistrationError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Đã đăng ký giúp hộ %(head)s năm %(year)s.")
                % {"head": household.head_name, "year": registration.year},
            )
            return redirect("targets:registration_detail", pk=registration.pk)
    klass = selectors.class_in_year(household, year=year, today=today)
    existing = Registration.objects.filter(
        household=household, organisation__in=organisations
    ).select_related("organisation")
    return render(
        request,
        "targets/registration_form.html",
        {
            "form": form,
            "household": household,
            "household_url": household_url(household),
            "klass": PovertyClass(klass).label if klass else "",
            "eligible": klass in (PovertyClass.POOR, PovertyClass.NEAR_POOR),
            "existing": existing,
            "creating": True,
        },
    )


@login_required
def registration_detail(request, pk):
    return _detail_page(request, access.get_registration_for_user(request.user, pk))


def _detail_page(request, registration: Registration, **bound_forms):
    """The registration's page; `bound_forms` (help_form, propose_form, confirm_form) are forms
    posted from it that came back with errors, shown as they were typed."""
    today = _today()
    user = request.user
    can = {
        "edit": access.can_for_registration(user, "targets.change_registration", registration),
        "help": access.can_for_registration(user, "targets.add_helpentry", registration),
        "delete_help": access.can_for_registration(user, "targets.delete_helpentry", registration),
        "propose": access.can_for_registration(user, "targets.propose_outcome", registration)
        and not registration.confirmed_outcome,
        "confirm": access.can_for_registration(user, "targets.confirm_outcome", registration)
        and bool(registration.proposed_outcome),
    }
    cannot_confirm_reason = ""
    if can["confirm"]:
        eyes = services.registration_four_eyes(registration, user)
        can["confirm"], can["confirm_alone"] = eyes.allowed, eyes.alone
        cannot_confirm_reason = "" if eyes.allowed else services.CONFIRMS_OWN
    entries = list(registration.help_entries.select_related("created_by"))
    outcome_choices = _outcomes_for(registration)
    forms = {
        "help_form": HelpEntryForm(initial={"date": today}),
        "propose_form": _outcome_form(
            ProposeForm, registration, outcome_choices, registration.proposed_outcome
        ),
        "confirm_form": _outcome_form(
            ConfirmForm, registration, outcome_choices, registration.proposed_outcome, confirmed_on=today
        ),
    }
    for name, form in bound_forms.items():
        if "outcome" in form.fields:
            form.fields["outcome"].choices = outcome_choices
        forms[name] = form
    return render(
        request,
        "targets/registration_detail.html",
        {
            "registration": registration,
            "household": registration.household,
            "household_url": household_url(registration.household),
            "entries": entries,
            "help_total": sum(entry.value for entry in entries),
            "stale": selectors.is_stale(registration, today),
            "stale_days": selectors.STALE_AFTER_DAYS,
            "can": can,
            "cannot_confirm_reason": cannot_confirm_reason,
            **forms,
        },
    )


def _outcomes_for(registration: Registration) -> list[tuple[str, str]]:
    allowed = services.OUTCOME_FOR_CLASS.get(registration.class_at_registration)
    return [(value, label) for value, label in Outcome.choices if value in (allowed, Outcome.NOT_YET)]


def _outcome_form(form_class, registration, choices, outcome, **initial):
    form = form_class(
        initial={"version": registration.version, "outcome": outcome or choices[0][0], **initial}
    )
    form.fields["outcome"].choices = choices
    return form


@login_required
def registration_edit(request, pk):
    registration = access.get_registration_for_user(request.user, pk, perm="targets.change_registration")
    initial = {
        "version": registration.version,
        "circumstances": registration.circumstances,
        "causes": list(registration.causes.all()),
        "needs": registration.needs,
        "measures": list(registration.measures.all()),
        "responsible_member": registration.responsible_member,
        "note": registration.note,
    }
    form = RegistrationEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.registration_update(
                registration=registration,
                expected_version=data["version"],
                circumstances=data["circumstances"],
                causes=data["causes"],
                needs=data["needs"],
                measures=data["measures"],
                responsible_member=data["responsible_member"],
                note=data["note"],
                user=request.user,
            )
        except ConcurrentEditError as error:
            _conflict(request, error)
            return redirect("targets:registration_edit", pk=registration.pk)
        messages.success(request, _("Đã lưu đăng ký."))
        return redirect("targets:registration_detail", pk=registration.pk)
    return render(
        request,
        "targets/registration_form.html",
        {
            "form": form,
            "registration": registration,
            "household": registration.household,
            "household_url": household_url(registration.household),
            "creating": False,
        },
    )


@login_required
@require_POST
def help_add(request, pk):
    registration = access.get_registration_for_user(request.user, pk, perm="targets.add_helpentry")
    form = HelpEntryForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Chưa ghi được hỗ trợ: %(errors)s") % {"errors": _form_errors(form)})
        return _detail_page(request, registration, help_form=form)
    try:
        services.help_entry_add(registration=registration, user=request.user, **form.cleaned_data)
    except services.RegistrationError as error:
        form.add_error(None, str(error))
        messages.error(request, str(error))
        return _detail_page(request, registration, help_form=form)
    messages.success(request, _("Đã ghi nhận hỗ trợ."))
    return redirect("targets:registration_detail", pk=registration.pk)


def _form_errors(form) -> str:
    return "; ".join(
        f"{form.fields[name].label}: {' '.join(errors)}" if name in form.fields else " ".join(errors)
        for name, errors in form.errors.items()
    )


@login_required
@require_POST
def help_delete(request, pk, entry_pk):
    registration = access.get_registration_for_user(request.user, pk, perm="targets.delete_helpentry")
    entry = get_object_or_404(HelpEntry, pk=entry_pk, registration=registration)
    services.help_entry_delete(entry=entry, user=request.user)
    messages.success(request, _("Đã xóa một lần hỗ trợ."))
    return redirect("targets:registration_detail", pk=registration.pk)


def _outcome_post(request, pk, *, perm: str, form_name: str, form_class, service, done: str, invalid: str):
    """An outcome step posted from the registration's page (propose, confirm): the form's fields go
    to `service` with the version the page was opened at; a conflict comes back as a message on
    that page, a form error or a refusal as the page with the form as typed. `invalid` may name
    the form's errors as %(errors)s."""
    registration = access.get_registration_for_user(request.user, pk, perm=perm)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, invalid % {"errors": _form_errors(form)})
        return _detail_page(request, registration, **{form_name: form})
    data = dict(form.cleaned_data)
    try:
        service(registration=registration, expected_version=data.pop("version"), user=request.user, **data)
    except ConcurrentEditError as error:
        _conflict(request, error)
    except services.RegistrationError as error:
        messages.error(request, str(error))
        return _detail_page(request, registration, **{form_name: form})
    else:
        messages.success(request, done)
    return redirect("targets:registration_detail", pk=registration.pk)


@login_required
@require_POST
def propose(request, pk):
    return _outcome_post(
        request,
        pk,
        perm="targets.propose_outcome",
        form_name="propose_form",
        form_class=ProposeForm,
        service=services.registration_propose_outcome,
        done=_("Đã gửi đề xuất kết quả; chờ UBND xã xác nhận."),
        invalid=_("Hãy chọn kết quả đề xuất."),
    )


@login_required
@require_POST
def confirm(request, pk):
    return _outcome_post(
        request,
        pk,
        perm="targets.confirm_outcome",
        form_name="confirm_form",
        form_class=ConfirmForm,
        service=services.registration_confirm_outcome,
        done=_("Đã xác nhận kết quả."),
        invalid=_("Chưa xác nhận được: %(errors)s"),
    )
