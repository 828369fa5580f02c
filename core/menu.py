from django.urls import reverse
from django.utils.translation import gettext as _

from units import access

from .navigation import NavItem


def nav_items(request) -> list[NavItem]:
    items = []
    if access.has_perm_somewhere(request.user, "auditlog.view_logentry"):
        items.append(NavItem(_("Nhật ký thay đổi"), reverse("audit_list"), "clock-history", order=90))
    if request.user.is_staff:
        items.append(NavItem(_("Quản trị dữ liệu"), reverse("admin:index"), "gear", order=95))
    return items
