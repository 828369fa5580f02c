from django.urls import reverse
from django.utils.translation import gettext as _

from core.navigation import NavItem, Panel

from . import access


def nav_items(request) -> list[NavItem]:
    if not access.has_perm_somewhere(request.user, "units.view_administrativeunit"):
        return []
    return [NavItem(_("Địa bàn"), reverse("units:browse"), "geo-alt", order=10)]


def home_panels(request) -> list[Panel]:
    roots = access.scope_roots(request.user, "units.view_administrativeunit")
    grants = access.grants(request.user)
    return [Panel("units/_home_panel.html", {"roots": roots, "grants": grants}, order=0, width="col-12")]
