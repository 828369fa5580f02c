"""Navigation entry and home panel for administrators who import year-end review files."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.models import Job
from core.navigation import NavItem, Panel
from units import access

from .validation import IMPORT_PERM


def nav_items(request) -> list[NavItem]:
    if not access.has_perm_somewhere(request.user, IMPORT_PERM):
        return []
    return [NavItem(_("Nhập dữ liệu rà soát"), reverse("census:index"), "upload", order=70)]


def home_panels(request) -> list[Panel]:
    if not access.has_perm_somewhere(request.user, IMPORT_PERM):
        return []
    recent = access.jobs_visible_to(request.user).filter(kind=Job.Kind.CENSUS_IMPORT)[:5]
    return [Panel("census/_home_panel.html", {"recent": recent}, order=60)]
