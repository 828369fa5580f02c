"""Pages for targets (allocation down the tree, organisation shares, the source tables, progress)
and registrations (eligible households, registering, help, outcomes). Objects come through
units/access.py; writes go through services.py."""

import base64
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.concurrency import ConcurrentEditError
from core.tables_html import html_table
from core.text import display_name, search_key
from households.models import PovertyClass
from units import access
from units.models import REFORM_DATE, AdministrativeUnit, AdminVersion, Level, Organisation

from . import selectors, services
from .allocation import largest_remainder
from .forms import (
    AllocationForm,
    ConfirmForm,
    EligibleFilterForm,
    HelpEntryForm,
    ImportForm,
    PerspectiveForm,
    ProposeForm,
    RegistrationCreateForm,
    RegistrationEditForm,
    RegistrationFilterForm,
    ShareForm,
    TargetCreateForm,
    TargetEditForm,
)
from .importing import ImportFailed, import_targets
from .models import AnnualTarget, HelpEntry, Outcome, Registration

VIEW_TARGET = "targets.view_annualtarget"
ALLOCATE = "targets.allocate_target"
VIEW_REGISTRATION = "targets.view_registration"


def _today():
    return timezone.localdate()


def _conflict(request, error: ConcurrentEditError) -> None:
    who = display_name(error.changed_by) if error.changed_by else _("người khác")
    fields = ", ".join(change.label for change in error.changes) or _("một số thông tin")
    messages.error(
        request,
        _(
            "%(who)s vừa sửa bản ghi này (%(fields)s). Thay đổi của bạn chưa được lưu; trang đã hiện số liệu mới nhất, hãy nhập lại."
        )
        % {"who": who, "fields": fields},
    )


def household_url(household) -> str:
    """The household's own page (the households app), when it exists."""
    try:
        return reverse("households:detail", args=[household.pk])
    except NoReverseMatch:
        return ""


def kind_label(kind: str | None) -> str:
    return Organisation.Kind(kind).label if kind else _("Chính quyền địa phương")


# --- Targets --------------------------------------------------------------------------------------


@login_required
def target_list(request):
    """The user's targets of a year, as trees from the top of their scope."""
    if not access.has_perm_somewhere(request.user, VIEW_TARGET):
        raise PermissionDenied
    visible = access.targets_visible_to(request.user)
    today = _today()
    form = PerspectiveForm(request.GET or None)
    year = (form.is_valid() and form.cleaned_data["year"]) or selectors.default_year(
        visible, access.registrations_visible_to(request.user), today
    )
    targets = list(
        visible.filter(year=year)
        .select_related("unit", "organisation", "parent")
        .order_by("organisation__kind", "unit__admin_version", "unit__level", "position", "unit__code")
    )
    tree = _as_tree(targets)
    version = AdminVersion.PRE2025 if year <= REFORM_DATE.year else AdminVersion.V2025
    roots = [
        root
        for root in access.scope_roots(request.user, ALLOCATE)
        if root.level < Level.VILLAGE and root.admin_version == version
    ]
    return render(
        request,
        "targets/target_list.html",
        {"form": form, "year": year, "tree": tree, "allocate_roots": roots},
    )


def _as_tree(targets: list[AnnualTarget]) -> list[tuple[AnnualTarget, int]]:
    """Depth-first (target, depth) so that children follow their parent."""
    by_parent: dict[int | None, list[AnnualTarget]] = {}
    ids = {target.pk for target in targets}
    for target in targets:
        key = target.parent_id if target.parent_id in ids else None
        by_parent.setdefault(key, []).append(target)
    out: list[tuple[AnnualTarget, int]] = []

    def walk(parent_id, depth):
        for target in by_parent.get(parent_id, []):
            out.append((target, depth))
            walk(target.pk, depth + 1)

    walk(None, 0)
    return out


@login_required
def target_create(request, unit_pk):
    unit = access.get_unit_for_user(request.user, unit_pk, VIEW_TARGET)
    access.require(request.user, ALLOCATE, unit)
    assessments = access.assessments_visible_to(request.user)
    year = _int(request.GET.get("year")) or _today().year
    form = TargetCreateForm(request.POST or None, initial={"year": year, "org": request.GET.get("org", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organisation = _organisation_at(unit, data["org"])
        try:
            target = services.target_create(
                unit=unit,
                year=data["year"],
                organisation=organisation,
                reduce_poor=data["reduce_poor"],
                reduce_near_poor=data["reduce_near_poor"],
                entered=selectors.Baseline(**form.entered_values()),
                note=data["note"],
                assessments=assessments,
                user=request.user,
            )
        except services.TargetError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Đã giao chỉ tiêu năm %(year)s cho %(unit)s.") % {"year": target.year, "unit": unit.name},
            )
            return redirect("targets:detail", pk=target.pk)
    shown_year = (form.is_bound and form.is_valid() and form.cleaned_data["year"]) or year
    baseline = services.baseline_compute(assessments=assessments, unit=unit, year=shown_year)
    return render(
        request,
        "targets/target_form.html",
        {"form": form, "unit": unit, "baseline": baseline, "year": shown_year, "creating": True},
    )


def _organisation_at(unit: AdministrativeUnit, kind: str) -> Organisation | None:
    if not kind:
        return None
    from units.services import organisation_ensure

    return organisation_ensure(unit=unit, kind=kind)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
def target_detail(request, pk):
    target = access.get_target_for_user(request.user, pk)
    children = list(selectors.children_of(target).filter(unit__in=access.units_visible_to(request.user)))
    shares = (
        access.targets_visible_to(request.user)
        .filter(unit=target.unit, year=target.year, organisation__isnull=False)
        .select_related("organisation")
        if target.organisation_id is None
        else []
    )
    locality = None
    if target.organisation_id is not None:
        locality = (
            access.targets_visible_to(request.user)
            .filter(unit=target.unit, year=target.year, organisation__isnull=True)
            .first()
        )
    details = services.mismatch_details(target, children) if children else []
    parent = (
        target.parent
        if target.parent_id and access.can(request.user, VIEW_TARGET, target.parent.unit)
        else None
    )
    context = {
        "target": target,
        "parent": parent,
        "children": children,
        "shares": shares,
        "locality": locality,
        "mismatch": details,
        "can_allocate": access.can(request.user, ALLOCATE, target.unit),
        "can_edit": access.can(request.user, "targets.change_annualtarget", target.unit),
        "has_children": access.units_visible_to(request.user).filter(parent=target.unit).exists(),
        "kind": target.organisation.kind if target.organisation_id else "",
    }
    return render(request, "targets/target_detail.html", context)


@login_required
def target_edit(request, pk):
    target = access.get_target_for_user(request.user, pk, perm="targets.change_annualtarget")
    entered = target.baseline_source == AnnualTarget.BaselineSource.ENTERED
    initial = {
        "version": target.version,
        "reduce_poor": target.reduce_poor,
        "reduce_near_poor": target.reduce_near_poor,
        "note": target.note,
        "baseline_households": target.baseline_households,
        "baseline_poor": target.baseline_poor,
        "baseline_near_poor": target.baseline_near_poor,
        "baseline_poor_social_protection": target.baseline_poor_social_protection,
    }
    form = TargetEditForm(request.POST or None, initial=initial, entered=entered)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.target_update(
                target=target,
                expected_version=data["version"],
                reduce_poor=data["reduce_poor"],
                reduce_near_poor=data["reduce_near_poor"],
                note=data["note"],
                entered=selectors.Baseline(**form.entered_values()) if entered else None,
                user=request.user,
            )
        except ConcurrentEditError as error:
            _conflict(request, error)
            return redirect("targets:edit", pk=target.pk)
        except services.TargetError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Đã lưu chỉ tiêu."))
            return redirect("targets:detail", pk=target.pk)
    return render(
        request,
        "targets/target_form.html",
        {"form": form, "unit": target.unit, "target": target, "year": target.year, "creating": False},
    )


@login_required
def target_allocate(request, pk):
    """One screen: a row per child unit with its baseline, live totals, the proportional helper,
    and the check that children add up to the parent."""
    target = access.get_target_for_user(request.user, pk, perm=ALLOCATE)
    children = selectors.child_units(access.units_visible_to(request.user), target.unit)
    assessments = access.assessments_visible_to(request.user)
    existing = {child.unit_id: child for child in selectors.children_of(target)}
    computed = selectors.baselines_by_child(assessments, target.unit, selectors.baseline_date(target.year))
    order = {unit_id: child.position for unit_id, child in existing.items()}
    children.sort(key=lambda unit: (order.get(unit.pk, 10_000), unit.code))

    def baseline_for(unit):
        if unit.pk in existing:
            return selectors.Baseline.of_target(existing[unit.pk]), existing[unit.pk].baseline_source
        if unit.pk in computed:
            return computed[unit.pk], AnnualTarget.BaselineSource.COMPUTED
        return selectors.Baseline(), ""

    baselines = {unit.pk: baseline_for(unit) for unit in children}
    initial = {"version": target.version, "mismatch_reason": target.mismatch_reason}
    for unit in children:
        child = existing.get(unit.pk)
        initial[f"poor_{unit.pk}"] = child.reduce_poor if child else 0
        initial[f"near_{unit.pk}"] = child.reduce_near_poor if child else 0

    action = request.POST.get("action", "")
    data = request.POST.copy() if request.method == "POST" else None
    suggestion = None
    if action in ("suggest_poor", "suggest_near_poor") and children:
        measure = "poor" if action == "suggest_poor" else "near_poor"
        weights = [getattr(baselines[unit.pk][0], measure) for unit in children]
        total = target.reduce_poor if measure == "poor" else target.reduce_near_poor
        shares = largest_remainder(total, weights)
        prefix = "poor" if measure == "poor" else "near"
        for unit, share in zip(children, shares, strict=True):
            data[f"{prefix}_{unit.pk}"] = str(share)
        suggestion = measure if any(weights) else f"{measure}_impossible"
    form = AllocationForm(data, initial=initial, children=children)
    if action == "save" and form.is_valid():
        rows = [
            services.ChildAllocation(
                unit=unit,
                reduce_poor=form.cleaned_data[f"poor_{unit.pk}"],
                reduce_near_poor=form.cleaned_data[f"near_{unit.pk}"],
            )
            for unit in children
        ]
        try:
            services.target_allocate(
                parent=target,
                rows=rows,
                mismatch_reason=form.cleaned_data["mismatch_reason"],
                assessments=assessments,
                expected_version=form.cleaned_data["version"],
                user=request.user,
            )
        except ConcurrentEditError as error:
            _conflict(request, error)
            return redirect("targets:allocate", pk=target.pk)
        except services.TargetError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                ngettext(
                    "Đã lưu phân bổ chỉ tiêu cho %(count)s đơn vị.",
                    "Đã lưu phân bổ chỉ tiêu cho %(count)s đơn vị.",
                    len(children),
                )
                % {"count": len(children)},
            )
            return redirect("targets:detail", pk=target.pk)
    rows = [
        (unit, *baselines[unit.pk], form[f"poor_{unit.pk}"], form[f"near_{unit.pk}"]) for unit in children
    ]
    return render(
        request,
        "targets/allocate.html",
        {"target": target, "form": form, "rows": rows, "suggestion": suggestion},
    )


@login_required
def target_share(request, pk):
    target = access.get_target_for_user(request.user, pk, perm=ALLOCATE)
    if target.organisation_id is not None:
        raise Http404
    form = ShareForm(
        request.POST or None, initial={"kind": Organisation.Kind.WOMENS_UNION, "percent": Decimal(20)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            shares = services.target_share_assign(
                target=target,
                kind=form.cleaned_data["kind"],
                percent=form.cleaned_data["percent"],
                user=request.user,
            )
        except services.TargetError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                ngettext(
                    "Đã giao phần chỉ tiêu cho %(org)s tại %(count)s đơn vị.",
                    "Đã giao phần chỉ tiêu cho %(org)s tại %(count)s đơn vị.",
                    len(shares),
                )
                % {"org": Organisation.Kind(form.cleaned_data["kind"]).label, "count": len(shares)},
            )
            if form.cleaned_data["kind"] == Organisation.Kind.WOMENS_UNION:
                return redirect(
                    f"{reverse('targets:union_table', args=[target.pk])}?org={form.cleaned_data['kind']}"
                )
            return redirect("targets:detail", pk=shares[0].pk)
    children = list(selectors.children_of(target))
    return render(request, "targets/share.html", {"target": target, "form": form, "children": children})


@login_required
def target_table(request, pk):
    """The Cam Lộ layout for the units a target was allocated to."""
    target = access.get_target_for_user(request.user, pk)
    with translation.override(settings.LANGUAGE_CODE):  # the table as filed: in Vietnamese
        table = selectors.target_table(target, units=access.units_visible_to(request.user))
    return _table_page(request, target, table, query=f"?year={target.year}", other="union_table")


@login_required
def union_table(request, pk):
    """The Đà Nẵng layout: the locality's targets per unit and an organisation's share of them."""
    target = access.get_target_for_user(request.user, pk)
    if target.organisation_id is not None:
        target = (
            access.targets_visible_to(request.user)
            .filter(unit=target.unit, year=target.year, organisation__isnull=True)
            .first()
            or target
        )
    kind = request.GET.get("org") or Organisation.Kind.WOMENS_UNION
    if kind not in Organisation.MASS_ORGANISATIONS:
        raise Http404
    with translation.override(settings.LANGUAGE_CODE):  # the table as filed: in Vietnamese
        table = selectors.union_table(
            target,
            kind=kind,
            targets=access.targets_visible_to(request.user),
            units=access.units_visible_to(request.user),
        )
    return _table_page(
        request,
        target,
        table,
        query=f"?year={target.year}&org={kind}",
        other="table",
        kind=kind,
        kinds=Organisation.MASS_ORGANISATIONS,
    )


def _table_page(request, target: AnnualTarget, table, *, query: str, **context):
    """A source-shaped table on screen; each unit's name leads to its progress page."""

    def link(row: dict) -> str:
        return reverse("targets:progress", args=[row["unit"]]) + query

    empty = _("Chưa phân bổ cho đơn vị cấp dưới nào.")
    with translation.override(settings.LANGUAGE_CODE):  # words and figures of the Vietnamese document
        html = html_table(table, link=link, empty=empty)
    title = _("Chỉ tiêu giảm nghèo năm %(year)s – %(unit)s") % {"year": target.year, "unit": target.unit.name}
    return render(
        request,
        "targets/table_page.html",
        {"target": target, "table": table, "html": html, "title": title, **context},
    )


IMPORT_SALT = "targets.import"


@login_required
def target_import(request, unit_pk):
    """Upload a target table for the children of a unit: check it first, then import the
    consistent rows. The checked file travels signed in the confirmation form (files never touch
    the server's disk)."""
    unit = access.get_unit_for_user(request.user, unit_pk, VIEW_TARGET)
    access.require(request.user, ALLOCATE, unit)
    form = ImportForm(
        request.POST or None, request.FILES or None, initial={"year": _int(request.GET.get("year"))}
    )
    result = payload = None
    if request.method == "POST" and request.POST.get("payload"):
        try:
            saved = signing.loads(request.POST["payload"], salt=IMPORT_SALT, max_age=3600)
        except signing.BadSignature:
            messages.error(request, _("Phiên kiểm tra đã hết hạn; hãy chọn lại tệp."))
            return redirect("targets:import", unit_pk=unit.pk)
        if saved["unit"] != unit.pk:
            raise PermissionDenied
        result = _import(request, unit, saved, dry_run=False)
        if result is not None:
            messages.success(
                request,
                _("Đã nhập %(imported)s dòng hợp lệ (thêm mới %(created)s, cập nhật %(updated)s chỉ tiêu).")
                % {"imported": result.imported, "created": result.created, "updated": result.updated},
            )
            top = next((t for t in result.targets if t.unit_id == unit.pk), None)
            return redirect("targets:detail", pk=top.pk) if top else redirect("targets:list")
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        saved = {
            "unit": unit.pk,
            "year": form.cleaned_data["year"],
            "name": upload.name,
            "data": base64.b64encode(upload.read()).decode(),
        }
        result = _import(request, unit, saved, dry_run=True)
        if result is not None and result.imported:
            payload = signing.dumps(saved, salt=IMPORT_SALT, compress=True)
    return render(
        request, "targets/import.html", {"unit": unit, "form": form, "result": result, "payload": payload}
    )


def _import(request, unit, saved: dict, *, dry_run: bool):
    try:
        return import_targets(
            name=saved["name"],
            data=base64.b64decode(saved["data"]),
            year=saved["year"],
            admin_version=unit.admin_version,
            parent=unit,
            user=request.user,
            dry_run=dry_run,
            note=_("Nhập từ tệp %(name)s") % {"name": saved["name"]},
        )
    except ImportFailed as error:
        messages.error(request, str(error))
        return None


# --- Progress -------------------------------------------------------------------------------------


def progress_chart(rows: list[selectors.Progress], links: list[str]) -> dict:
    """A Chart.js bar chart: target, registered, escaped per unit (rendered by static/js/app.js)."""
    return {
        "type": "bar",
        "data": {
            "labels": [row.unit.short_name or row.unit.name for row in rows],
            "datasets": [
                {
                    "label": _("Chỉ tiêu giảm hộ nghèo"),
                    "data": [row.target_poor or 0 for row in rows],
                    "backgroundColor": "#adb5bd",
                },
                {
                    "label": _("Đã đăng ký giúp"),
                    "data": [row.registered for row in rows],
                    "backgroundColor": "#6ea8fe",
                },
                {
                    "label": _("Đã được hỗ trợ"),
                    "data": [row.helped for row in rows],
                    "backgroundColor": "#ffc107",
                },
                {
                    "label": _("Đã thoát nghèo"),
                    "data": [row.escaped_poor for row in rows],
                    "backgroundColor": "#198754",
                },
            ],
        },
        "options": {
            "scales": {"x": {"type": "category"}, "y": {"beginAtZero": True, "ticks": {"precision": 0}}}
        },
        "links": links,
    }


def progress_context(
    user, unit: AdministrativeUnit, year: int, kind: str | None, show_all: bool = False
) -> dict:
    children = (
        selectors.child_units(access.units_visible_to(user), unit) if unit.level < Level.VILLAGE else []
    )
    own, rows = selectors.progress(
        unit=unit,
        children=children,
        year=year,
        kind=kind or None,
        targets=access.targets_visible_to(user),
        registrations=access.registrations_visible_to(user),
        assessments=access.assessments_visible_to(user),
        today=_today(),
    )
    rows.sort(key=lambda row: (row.target.position if row.target else 10_000, row.unit.code))
    shown = rows if show_all else [row for row in rows if not row.is_empty]
    query = f"?year={year}" + (f"&org={kind}" if kind else "")
    links = [reverse("targets:progress", args=[row.unit.pk]) + query for row in shown]
    return {
        "own": own,
        "rows": shown,
        "hidden": len(rows) - len(shown),
        "chart": progress_chart(shown, links),
        "query": query,
    }


@login_required
def progress(request, unit_pk):
    unit = access.get_unit_for_user(request.user, unit_pk, VIEW_TARGET)
    form = PerspectiveForm(request.GET or None)
    valid = form.is_valid()
    kind = (valid and form.cleaned_data["org"]) or ""
    year = (valid and form.cleaned_data["year"]) or selectors.default_year(
        access.targets_visible_to(request.user), access.registrations_visible_to(request.user), _today()
    )
    context = progress_context(request.user, unit, year, kind, show_all=request.GET.get("all") == "1")
    ancestors = [a for a in unit.ancestors() if access.can(request.user, VIEW_TARGET, a)]
    context.update(
        {
            "unit": unit,
            "year": year,
            "kind": kind,
            "kind_label": kind_label(kind),
            "form": form,
            "ancestors": ancestors,
            "can_allocate": access.can(request.user, ALLOCATE, unit),
        }
    )
    return render(request, "targets/progress.html", context)


# --- Registrations --------------------------------------------------------------------------------


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
    cutoff = selectors.stale_cutoff(year, today)
    state = data.get("state")
    if state == "open":
        registrations = registrations.filter(confirmed_outcome="")
    elif state == "stale":
        registrations = registrations.filter(confirmed_outcome="", last_activity__lt=cutoff)
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
        registration.stale = not registration.confirmed_outcome and registration.last_activity < cutoff
    return render(
        request,
        "targets/registration_list.html",
        {
            "form": form,
            "page": page,
            "year": year,
            "cutoff": cutoff,
            "can_register": access.has_perm_somewhere(request.user, "targets.add_registration"),
        },
    )


@login_required
def eligible(request):
    """Poor and near-poor households in scope that the user's organisation may register."""
    if not access.organisations_for_user(request.user, "targets.add_registration"):
        raise PermissionDenied
    today = _today()
    scoped = access.households_visible_to(request.user, "targets.add_registration")
    year_default = today.year
    form_probe = EligibleFilterForm(request.GET or None)
    year = (form_probe.is_valid() and form_probe.cleaned_data["year"]) or year_default
    households = selectors.eligible_households(scoped, year=year, today=today)
    communes = _communes_of(households)
    commune_id = _int(request.GET.get("commune"))
    villages = (
        list(AdministrativeUnit.objects.filter(parent_id=commune_id, level=Level.VILLAGE).order_by("name"))
        if (commune_id and any(c.pk == commune_id for c in communes))
        else []
    )
    form = EligibleFilterForm(request.GET or None, communes=communes, villages=villages)
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
    year = _int(request.GET.get("year")) or today.year
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
    registration = access.get_registration_for_user(request.user, pk)
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
    entries = list(registration.help_entries.select_related("created_by"))
    outcome_choices = _outcomes_for(registration)
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
            "help_form": HelpEntryForm(initial={"date": today}),
            "propose_form": _outcome_form(
                ProposeForm, registration, outcome_choices, registration.proposed_outcome
            ),
            "confirm_form": _outcome_form(
                ConfirmForm, registration, outcome_choices, registration.proposed_outcome, confirmed_on=today
            ),
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
    if form.is_valid():
        try:
            services.help_entry_add(registration=registration, user=request.user, **form.cleaned_data)
        except services.RegistrationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Đã ghi nhận hỗ trợ."))
    else:
        messages.error(request, _("Chưa ghi được hỗ trợ: %(errors)s") % {"errors": _form_errors(form)})
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


def _outcome_post(request, pk, *, perm: str, form_class, service, done: str, invalid: str):
    """An outcome step posted from the registration's page (propose, confirm): the form's fields go
    to `service` with the version the page was opened at; a conflict or a refusal comes back as a
    message on that page. `invalid` may name the form's errors as %(errors)s."""
    registration = access.get_registration_for_user(request.user, pk, perm=perm)
    form = form_class(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            service(
                registration=registration, expected_version=data.pop("version"), user=request.user, **data
            )
        except ConcurrentEditError as error:
            _conflict(request, error)
        except services.RegistrationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, done)
    else:
        messages.error(request, invalid % {"errors": _form_errors(form)})
    return redirect("targets:registration_detail", pk=registration.pk)


@login_required
@require_POST
def propose(request, pk):
    return _outcome_post(
        request,
        pk,
        perm="targets.propose_outcome",
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
        form_class=ConfirmForm,
        service=services.registration_confirm_outcome,
        done=_("Đã xác nhận kết quả."),
        invalid=_("Chưa xác nhận được: %(errors)s"),
    )
