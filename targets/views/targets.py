"""Target pages: the list, creating and editing, allocation down the tree, organisation shares,
the source tables and the import of a target table."""

import base64
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.concurrency import ConcurrentEditError
from core.folding import fold
from core.formatting import fmt_int
from core.tables_html import html_table
from units import access
from units.models import AdministrativeUnit, Level, Organisation
from units.periods import tree_of_year

from .. import selectors, services
from ..allocation import largest_remainder
from ..forms import (
    AllocationForm,
    ImportForm,
    PerspectiveForm,
    ShareForm,
    TargetCreateForm,
    TargetEditForm,
)
from ..importing import ImportFailed, import_targets
from ..models import AnnualTarget
from .common import ALLOCATE, VIEW_TARGET, _conflict, _int, _today


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
    version = tree_of_year(year)
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
            changed = services.target_allocate(
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
            messages.success(request, allocation_saved_message(len(changed)))
            return redirect("targets:detail", pk=target.pk)
    rows = [
        AllocationRow.of(unit, *baselines[unit.pk], form[f"poor_{unit.pk}"], form[f"near_{unit.pk}"])
        for unit in children
    ]
    return render(
        request,
        "targets/allocate.html",
        {
            "target": target,
            "form": form,
            "rows": rows,
            "suggestion": suggestion,
            "fold": fold(request.GET, sum(row.empty for row in rows)),
        },
    )


def allocation_saved_message(count: int) -> str:
    """What saving an allocation says: the number of units whose share was set or changed."""
    if not count:
        return _("Phân bổ không thay đổi.")
    return ngettext("Đã lưu phân bổ cho %(count)s đơn vị.", "Đã lưu phân bổ cho %(count)s đơn vị.", count) % {
        "count": fmt_int(count)
    }


class AllocationRow(NamedTuple):
    """One child unit on the allocation screen; `empty`: no households, no target and nothing
    entered yet (folded away until asked for)."""

    unit: AdministrativeUnit
    baseline: selectors.Baseline
    source: str
    poor_field: object
    near_field: object
    empty: bool

    @classmethod
    def of(cls, unit, baseline, source, poor_field, near_field) -> "AllocationRow":
        entered = any(str(f.value() or "0").strip() not in ("", "0") for f in (poor_field, near_field))
        empty = not source and not baseline.households and not entered
        return cls(unit, baseline, source, poor_field, near_field, empty)


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
