"""Progress towards the year's targets, per unit and its children."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from units import access
from units.models import AdministrativeUnit, Level

from .. import selectors
from ..forms import (
    PerspectiveForm,
)
from .common import ALLOCATE, VIEW_TARGET, _today, kind_label


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
