"""Navigation entries and home-page panels of this app (see core/navigation.py)."""

from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.navigation import NavItem, Panel
from units import access

from . import registry
from .builders import ROMAN
from .forms import last_closed_quarter, unit_title
from .scope import DASHBOARD, VIEW


def nav_items(request) -> list:
    items = []
    if access.has_perm_somewhere(request.user, VIEW):
        items.append(NavItem(_("Báo cáo"), reverse("reports:index"), "file-earmark-bar-graph", order=60))
    if access.has_perm_somewhere(request.user, DASHBOARD):
        items.append(NavItem(_("Bảng điều khiển"), reverse("reports:dashboard"), "bar-chart", order=65))
    return items


def home_panels(request) -> list:
    user = request.user
    if not access.has_perm_somewhere(user, VIEW):
        return []
    roots = [root for root in access.scope_roots(user, VIEW) if root.level <= 3][:3]
    today = timezone.localdate()
    year, quarter = last_closed_quarter(today)
    organisations = access.organisations_for_user(user, VIEW)
    links = []
    for root in roots:
        links.append(
            {
                "label": _("Báo cáo quý %(quarter)s/%(year)s") % {"quarter": ROMAN[quarter], "year": year},
                "detail": unit_title(root),
                "url": f"{reverse('reports:preview', args=['quarterly', root.pk])}?year={year}&quarter={quarter}",
            }
        )
    for organisation in organisations[:2]:
        # The latest year in which this kind of organisation registered households (the year of the
        # progress panel beside it), not an empty current year.
        year_registered = (
            (
                access.registrations_visible_to(user)
                .filter(organisation__kind=organisation.kind, year__lte=today.year + 1)
                .aggregate(year=Max("year"))["year"]
            )
            or today.year
        )
        for code in ("mau01", "mau02", "mau03"):
            spec = registry.get(code)
            links.append(
                {
                    "label": str(spec.title),
                    "detail": organisation.short_name or organisation.name,
                    "url": f"{reverse('reports:preview', args=[code, organisation.unit_id])}?year={year_registered}&organisation={organisation.pk}",
                }
            )
    return [
        Panel(
            "reports/_home_panel.html",
            {"links": links, "dashboard": access.has_perm_somewhere(user, DASHBOARD)},
            order=60,
        )
    ]
