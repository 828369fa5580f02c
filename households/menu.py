"""Navigation entries and home-page panels of this app (see core/navigation.py): each person sees
what they can do next — an officer their returned and draft surveys, a leader what waits for
approval, everyone the household list of their area."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.navigation import NavItem, Panel
from units import access
from units.models import Level

from .models import Assessment
from .selectors import count_by_class, decidable_by


def nav_items(request) -> list:
    user = request.user
    if not access.has_perm_somewhere(user, "households.view_household"):
        return []
    items = [NavItem(_("Hộ gia đình"), reverse("households:list"), "people", order=20)]
    if access.has_perm_somewhere(user, "households.approve_assessment"):
        items.append(
            NavItem(_("Duyệt phiếu"), reverse("households:approval_queue"), "check2-square", order=21)
        )
    if access.has_perm_somewhere(user, "households.add_assessment"):
        items.append(
            NavItem(_("Phiếu của tôi"), reverse("households:my_assessments"), "clipboard-check", order=22)
        )
    return items


def commune_figures(user) -> list[dict]:
    """Today's households, poor and near-poor of the communes a person works in (at most three,
    one query each): the figures a commune officer or leader is asked for first."""
    today = timezone.localdate()
    communes = [
        root for root in access.scope_roots(user, "households.view_household") if root.level == Level.COMMUNE
    ]
    assessments = access.assessments_visible_to(user)
    return [
        {
            "unit": commune,
            "today": today,
            "counts": count_by_class(assessments.filter(commune=commune), today),
        }
        for commune in communes[:3]
    ]


def home_panels(request) -> list:
    user = request.user
    panels = []
    figures = commune_figures(user)
    if access.has_perm_somewhere(user, "households.add_assessment"):
        mine = (
            access.assessments_visible_to(user, "households.change_assessment")
            .filter(Q(created_by=user) | Q(submitted_by=user))
            .aggregate(
                returned=Count("pk", filter=Q(state=Assessment.State.RETURNED)),
                draft=Count("pk", filter=Q(state=Assessment.State.DRAFT)),
                submitted=Count("pk", filter=Q(state=Assessment.State.SUBMITTED)),
            )
        )
        roots = access.scope_roots(user, "households.add_household")
        panels.append(
            Panel(
                "households/_home_officer.html", {"mine": mine, "roots": roots, "figures": figures}, order=10
            )
        )
        figures = []  # shown once
    if access.has_perm_somewhere(user, "households.approve_assessment"):
        waiting = decidable_by(
            access.assessments_visible_to(user, "households.approve_assessment").filter(
                state=Assessment.State.SUBMITTED
            ),
            user,
        ).count()
        panels.append(
            Panel("households/_home_leader.html", {"waiting": waiting, "figures": figures}, order=11)
        )
    if not panels and access.has_perm_somewhere(user, "households.view_household"):
        panels.append(Panel("households/_home_viewer.html", {}, order=15))
    return panels
