"""Navigation entries and home-page panels of this app (see core/navigation.py): each role sees
progress against its targets with a chart that drills down the tree; organisation officers see
their registrations overdue for help; commune leaders see outcomes waiting for confirmation."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.navigation import NavItem, Panel
from units import access
from units.models import Level, Role

from . import selectors, services
from .forms import year_choices
from .views.common import kind_label
from .views.progress import progress_context

VIEW_TARGET = "targets.view_annualtarget"
VIEW_REGISTRATION = "targets.view_registration"
ADD_REGISTRATION = "targets.add_registration"


def nav_items(request) -> list[NavItem]:
    user = request.user
    items = []
    if access.has_perm_somewhere(user, VIEW_TARGET):
        items.append(NavItem(_("Chỉ tiêu"), reverse("targets:list"), "bullseye", order=30))
    if access.has_perm_somewhere(user, VIEW_REGISTRATION):
        children = [NavItem(_("Hộ đã đăng ký giúp đỡ"), reverse("targets:registration_list"))]
        if access.organisations_for_user(user, ADD_REGISTRATION):
            children.append(NavItem(_("Chọn hộ để đăng ký"), reverse("targets:eligible")))
        items.append(
            NavItem(_("Giúp thoát nghèo"), reverse("targets:registration_list"), "heart", 35, children)
        )
    return items


def _perspective(user) -> str | None:
    """An organisation officer follows their organisation's targets; everyone else the locality's."""
    organisations = access.organisations_for_user(user, ADD_REGISTRATION)
    return organisations[0].kind if organisations else None


def _picked_year(request) -> int | None:
    """The year chosen with the home page's picker (?year=), when it is one of the picker's."""
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and int(value) in dict(year_choices()) else None


def home_panels(request) -> list[Panel]:
    user = request.user
    if not access.has_perm_somewhere(user, VIEW_TARGET):
        return []
    today = timezone.localdate()
    targets = access.targets_visible_to(user)
    registrations = access.registrations_visible_to(user)
    kind = _perspective(user)
    year = _picked_year(request) or selectors.default_year(targets, registrations, today)
    family = targets.filter(organisation__kind=kind) if kind else targets.filter(organisation__isnull=True)
    tops = list(selectors.top_targets(family, year)[:6])
    roots = [root for root in access.scope_roots(user, VIEW_TARGET) if root.level < Level.VILLAGE]
    unit = tops[0].unit if tops else (roots[0] if roots else None)
    panels = []
    if unit is not None:
        context = progress_context(user, unit, year, kind)
        context.update(
            {
                "unit": unit,
                "year": year,
                "kind": kind or "",
                "kind_label": kind_label(kind),
                "others": tops[1:],
            }
        )
        context["years"] = year_choices(year)
        panels.append(Panel("targets/_home_progress.html", context, order=20, width="col-12 col-xl-7"))
    else:
        panels.append(
            Panel(
                "targets/_home_progress.html",
                {"year": year, "unit": None, "years": year_choices(year)},
                order=20,
                width="col-12 col-xl-7",
            )
        )

    if kind:
        panels.append(_organisation_panel(user, registrations, year, today))
    if access.has_role(user, Role.COMMUNE_LEADER) or access.has_perm_somewhere(
        user, "targets.confirm_outcome"
    ):
        awaiting = (
            registrations.filter(confirmed_outcome="")
            .exclude(proposed_outcome="")
            .select_related("household", "organisation")
            .order_by("proposed_at")
        )
        confirmable = [  # never their own proposals (four eyes)
            r
            for r in awaiting.select_related("household__commune", "household__new_commune")[:50]
            if access.can_for_registration(user, "targets.confirm_outcome", r)
            and services.registration_four_eyes(r, user).allowed
        ]
        if confirmable or access.has_role(user, Role.COMMUNE_LEADER):
            panels.append(
                Panel(
                    "targets/_home_confirm.html",
                    {"awaiting": confirmable[:8], "count": len(confirmable)},
                    order=21,
                    width="col-12 col-xl-5",
                )
            )
    return panels


def _organisation_panel(user, registrations, year, today) -> Panel:
    cutoff = selectors.stale_cutoff(year, today)
    mine = selectors.annotate_registrations(registrations.filter(year=year), year=year, today=today)
    organisations = access.organisations_for_user(user, ADD_REGISTRATION)
    mine = mine.filter(organisation__kind__in={o.kind for o in organisations})
    overdue = mine.filter(selectors.overdue_q(year, today))
    stale = list(overdue.select_related("household", "household__commune").order_by("last_activity")[:8])
    stale_count = overdue.count()
    return Panel(
        "targets/_home_registrations.html",
        {"stale": stale, "stale_count": stale_count, "year": year, "cutoff": cutoff},
        order=22,
        width="col-12 col-xl-5",
    )
