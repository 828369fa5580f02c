"""The unit browser: province → (district) → commune → village, search, and villages added by
commune officers. Every unit comes through units/access.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import navigation
from core.formatting import fmt_int

from . import access, selectors, services
from .forms import UnitSearchForm, VillageAssignmentUploadForm, VillageForm
from .models import AdministrativeUnit, AdminVersion, Level

VIEW = "units.view_administrativeunit"
MANAGE_SPLITS = selectors.MANAGE_SPLITS


@login_required
def browse(request):
    """The top of the user's scope: their own unit(s), or every province for a national administrator."""
    everywhere = access.sees_everything(request.user, VIEW)
    roots = access.scope_roots(request.user, VIEW)
    if not roots and not everywhere:
        # Not a bare 403: say what to do. Nothing about any unit is shown.
        return render(request, "units/no_unit.html", status=403)
    if len(roots) == 1 and not everywhere:
        return redirect("units:detail", pk=roots[0].pk)
    version = request.GET.get("version")
    if version not in AdminVersion.values:
        version = AdminVersion.V2025
    if everywhere:
        roots = list(
            AdministrativeUnit.objects.filter(level=Level.PROVINCE, admin_version=version)
            .annotate(child_count=Count("children"))
            .order_by("code")
        )
    return render(
        request,
        "units/browse.html",
        {"roots": roots, "everywhere": everywhere, "version": version, "versions": AdminVersion.choices},
    )


@login_required
def detail(request, pk):
    unit = access.get_unit_for_user(request.user, pk)
    return render(request, "units/detail.html", _detail_context(request, unit, VillageForm()))


def _detail_context(request, unit: AdministrativeUnit, village_form: VillageForm) -> dict:
    return {
        "unit": unit,
        "children": selectors.unit_children(user=request.user, unit=unit),
        "ancestors": [a for a in unit.ancestors() if access.can(request.user, VIEW, a)],
        "predecessors": selectors.unit_predecessors(user=request.user, unit=unit),
        "successors": selectors.unit_successors(user=request.user, unit=unit),
        "organisations": unit.organisations.filter(active=True),
        "can_add_village": unit.level == Level.COMMUNE
        and access.can(request.user, "units.manage_village", unit),
        "village_form": village_form,
        "can_assign_villages": access.can(request.user, MANAGE_SPLITS, unit)
        and bool(services.split_successors(unit)),
        "panels": navigation.unit_panels(request, unit),
        "show_history": access.can(request.user, "auditlog.view_logentry", unit),
    }


@login_required
def search(request):
    form = UnitSearchForm(request.GET or None)
    results = []
    if form.is_valid() and form.cleaned_data["q"]:
        results = selectors.unit_search(user=request.user, text=form.cleaned_data["q"])
    template = "units/search.html#results" if request.headers.get("HX-Request") else "units/search.html"
    return render(request, template, {"form": form, "results": results})


@login_required
@require_POST
def village_create(request, pk):
    commune = access.get_unit_for_user(request.user, pk)
    access.require(request.user, "units.manage_village", commune)
    form = VillageForm(request.POST)
    if form.is_valid():
        try:
            village = services.village_create(commune=commune, **form.cleaned_data)
        except services.UnitError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, _("Đã thêm %(name)s.") % {"name": village.name})
            return redirect("units:detail", pk=commune.pk)
    # The page again, with what was typed and the error at the field.
    return render(request, "units/detail.html", _detail_context(request, commune, form), status=400)


@login_required
def split_list(request):
    """The pre-2025 communes split among several new ones whose villages the user may assign."""
    if not access.has_perm_somewhere(request.user, MANAGE_SPLITS):
        raise PermissionDenied
    communes = list(selectors.split_communes(user=request.user)[:500])
    return render(request, "units/split_list.html", {"communes": communes})


@login_required
def split_detail(request, pk):
    """One split commune: assign each village to one of its new communes (or upload the table);
    the households not yet placed are listed below."""
    commune = access.get_unit_for_user(request.user, pk)
    access.require(request.user, MANAGE_SPLITS, commune)
    successors = services.split_successors(commune)
    if not successors:
        raise Http404
    villages = list(commune.children.order_by("code"))
    choices = {str(u.pk): u for u in successors}
    upload = VillageAssignmentUploadForm()
    if request.method == "POST" and "upload" in request.POST:
        upload = VillageAssignmentUploadForm(request.POST, request.FILES)
        if upload.is_valid():
            try:
                count = services.villages_assign_rows(commune=commune, rows=upload.cleaned_data["file"])
            except services.UnitError as error:
                for line in str(error).splitlines():
                    upload.add_error("file", line)
            else:
                messages.success(request, _("Đã gán %(n)s thôn theo tệp.") % {"n": fmt_int(count)})
                return redirect("units:split_detail", pk=commune.pk)
    elif request.method == "POST":
        wanted = {}
        for village in villages:
            value = request.POST.get(f"village-{village.pk}", "")
            if value and value not in choices:
                messages.error(request, _("Xã mới đã chọn không hợp lệ; hãy chọn lại."))
                return redirect("units:split_detail", pk=commune.pk)
            wanted[village] = choices.get(value)
        changed = 0
        with transaction.atomic():
            for village, target in wanted.items():
                if village.new_commune_id != (target.pk if target else None):
                    services.village_assign(village=village, new_commune=target)
                    changed += 1
        messages.success(request, _("Đã lưu: %(n)s thôn thay đổi.") % {"n": fmt_int(changed)})
        return redirect("units:split_detail", pk=commune.pk)
    unplaced = selectors.unplaced_households(user=request.user, commune=commune)
    counts = dict(
        access.households_visible_to(request.user)
        .filter(commune=commune)
        .values_list("village_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = [(village, counts.get(village.pk, 0)) for village in villages]
    return render(
        request,
        "units/split_detail.html",
        {
            "unit": commune,
            "ancestors": [a for a in commune.ancestors() if access.can(request.user, VIEW, a)],
            "successors": successors,
            "rows": rows,
            "upload": upload,
            "unplaced": unplaced[:200],
            "unplaced_count": unplaced.count(),
            "no_village": counts.get(None, 0),
        },
    )
