"""The unit browser: province → (district) → commune → village, search, and villages added by
commune officers. Every unit comes through units/access.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import navigation

from . import access, selectors, services
from .forms import UnitSearchForm, VillageForm
from .models import AdministrativeUnit, AdminVersion, Level

VIEW = "units.view_administrativeunit"


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
    context = {
        "unit": unit,
        "children": selectors.unit_children(user=request.user, unit=unit),
        "ancestors": [a for a in unit.ancestors() if access.can(request.user, VIEW, a)],
        "predecessors": selectors.unit_predecessors(user=request.user, unit=unit),
        "successors": selectors.unit_successors(user=request.user, unit=unit),
        "organisations": unit.organisations.filter(active=True),
        "can_add_village": unit.level == Level.COMMUNE
        and access.can(request.user, "units.manage_village", unit),
        "village_form": VillageForm(),
        "panels": navigation.unit_panels(request, unit),
        "show_history": access.can(request.user, "auditlog.view_logentry", unit),
    }
    return render(request, "units/detail.html", context)


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
            messages.error(request, str(error))
        else:
            messages.success(request, _("Đã thêm %(name)s.") % {"name": village.name})
    else:
        messages.error(request, _("Hãy nhập tên thôn/tổ dân phố (tối đa 120 ký tự) và chọn loại."))
    return redirect("units:detail", pk=commune.pk)
