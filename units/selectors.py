"""Reads of the unit browser, always through units/access.py."""

from django.db.models import Count, Q

from core.text import search_key

from . import access
from .models import AdministrativeUnit, UnitLineage

VIEW = "units.view_administrativeunit"
SEARCH_LIMIT = 50


def unit_children(*, user, unit: AdministrativeUnit):
    """The units directly below `unit` that the user may see, in GSO code order, each with the
    number of its own children."""
    return (
        access.units_visible_to(user)
        .filter(parent=unit)
        .annotate(child_count=Count("children"))
        .order_by("code")
    )


def unit_predecessors(*, user, unit: AdministrativeUnit) -> list[UnitLineage]:
    """Links to the pre-2025 units `unit` was formed from. Unit names are public, so every link is
    listed; `link.visible` says whether the user may open the old unit."""
    links = UnitLineage.objects.filter(new=unit).select_related("old", "old__parent", "old__province")
    return _mark_visible(user, list(links.order_by("old__code")), "old")


def unit_successors(*, user, unit: AdministrativeUnit) -> list[UnitLineage]:
    """Links to the 2025 units `unit` became, wholly or in part; `link.visible` as above."""
    links = UnitLineage.objects.filter(old=unit).select_related("new", "new__parent", "new__province")
    return _mark_visible(user, list(links.order_by("new__code")), "new")


def _mark_visible(user, links: list[UnitLineage], side: str) -> list[UnitLineage]:
    for link in links:
        link.visible = access.can(user, VIEW, getattr(link, side))
    return links


def unit_search(*, user, text: str):
    """Units in the user's scope whose name contains the typed text, with or without diacritics
    ("cam lo" finds "Cam Lộ"), or whose GSO code it is. 2025 units first, then by level."""
    key = search_key(text)
    if not key:
        return AdministrativeUnit.objects.none()
    q = Q(search_name__contains=key)
    if key.isdigit():
        q |= Q(code=key)
    return (
        access.units_visible_to(user)
        .filter(q)
        .select_related("parent", "province")
        .order_by("admin_version", "level", "search_name")[:SEARCH_LIMIT]
    )


MANAGE_SPLITS = "units.change_administrativeunit"


def split_communes(*, user):
    """Pre-2025 communes split among several 2025 communes, inside the user's scope for assigning
    their villages, each with `successor_count`, `village_count` and `unassigned` (villages without
    a new commune) — those with villages or households first."""
    from .models import AdminVersion, Level

    split = (
        UnitLineage.objects.values("old_id")
        .annotate(n=Count("new_id"))
        .filter(n__gt=1, old__admin_version=AdminVersion.PRE2025, old__level=Level.COMMUNE)
        .values("old_id")
    )
    return (
        access.units_visible_to(user, MANAGE_SPLITS)
        .filter(pk__in=split)
        .annotate(
            successor_count=Count("successor_links", distinct=True),
            village_count=Count("children", distinct=True),
            unassigned=Count("children", filter=Q(children__new_commune__isnull=True), distinct=True),
        )
        .select_related("district", "province")
        .order_by("-unassigned", "-village_count", "code")
    )


def unplaced_households(*, user, commune: AdministrativeUnit):
    """Households of a split commune not yet placed in a 2025 commune, as the user may see them."""
    return (
        access.households_visible_to(user)
        .filter(commune=commune, new_commune__isnull=True)
        .select_related("village")
        .order_by("village__code", "code")
    )
