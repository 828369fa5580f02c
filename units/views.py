from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import access, services
from .forms import UnitSearchForm, VillageForm
from .models import AdministrativeUnit, AdminVersion, Level, UnitLineage


@login_required
def browse(request):
    """The top of the user's scope: their own units, or every province for a national administrator."""
    roots = access.scope_roots(request.user, "units.view_administrativeunit")
    everywhere = access.sees_everything(request.user, "units.view_administrativeunit")
    if len(roots) == 1 and not everywhere:
        return redirect("units:detail", pk=roots[0].pk)
    version = request.GET.get("version", AdminVersion.V2025)
    if everywhere:
        roots = list(
            AdministrativeUnit.objects.filter(level=Level.PROVINCE, admin_version=version).order_by("code")
        )
    if not roots and not everywhere:
        raise PermissionDenied
    return render(
        request,
        "units/browse.html",
        {"roots": roots, "everywhere": everywhere, "version": version, "versions": AdminVersion.choices},
    )


@login_required
def detail(request, pk):
    unit = access.get_unit_for_user(request.user, pk)
    children = (
        access.units_visible_to(request.user)
        .filter(parent=unit)
        .annotate(child_count=Count("children"))
        .order_by("kind", "name")
    )
    ancestors = [a for a in unit.ancestors() if access.can(request.user, "units.view_administrativeunit", a)]
    predecessors = (
        UnitLineage.objects.filter(new=unit).select_related("old", "old__parent").order_by("old__code")
    )
    successors = (
        UnitLineage.objects.filter(old=unit).select_related("new", "new__parent").order_by("new__code")
    )
    context = {
        "unit": unit,
        "children": children,
        "ancestors": ancestors,
        "predecessors": [
            link
            for link in predecessors
            if access.can(request.user, "units.view_administrativeunit", link.old)
        ],
        "successors": [
            link for link in successors if access.can(request.user, "units.view_administrativeunit", link.new)
        ],
        "organisations": unit.organisations.filter(active=True),
        "can_add_village": unit.level == Level.COMMUNE
        and access.can(request.user, "units.manage_village", unit),
        "village_form": VillageForm(),
    }
    return render(request, "units/detail.html", context)


@login_required
def search(request):
    form = UnitSearchForm(request.GET or None)
    results = []
    if form.is_valid() and form.cleaned_data["q"]:
        results = (
            access.units_visible_to(request.user)
            .search(form.cleaned_data["q"])
            .select_related("parent", "province")
            .order_by("admin_version", "level", "name")[:50]
        )
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
        messages.error(request, _("Hãy nhập tên thôn/tổ dân phố."))
    return redirect("units:detail", pk=commune.pk)
