"""Navigation entry and home-page panel of the unit browser (see core/navigation.py)."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from core.formatting import fmt_int
from core.navigation import NavItem, Panel

from . import access, selectors
from .models import Level, Role


@dataclass
class NextStep:
    label: str
    url: str
    hint: str = ""


def nav_items(request) -> list[NavItem]:
    if not access.has_perm_somewhere(request.user, "units.view_administrativeunit"):
        return []
    return [NavItem(_("Địa bàn"), reverse("units:browse"), "geo-alt", order=10)]


def next_steps(user) -> list[NextStep]:
    """What this app suggests doing next, from the user's roles (other apps add their own panels)."""
    steps: list[NextStep] = []
    for grant in access.grants(user):
        for root in grant.roots[:1]:
            if (
                root.level == Level.COMMUNE
                and "units.manage_village" in grant.perms
                and not root.children.exists()
            ):
                steps.append(
                    NextStep(
                        _("Thêm thôn, tổ dân phố của %(unit)s") % {"unit": root.name},
                        reverse("units:detail", args=[root.pk]),
                        _("Để ghi địa chỉ hộ theo thôn và lập danh sách theo thôn."),
                    )
                )
    if access.has_perm_somewhere(user, selectors.MANAGE_SPLITS):
        waiting = selectors.split_communes(user=user).filter(unassigned__gt=0).count()
        if waiting:
            steps.append(
                NextStep(
                    _("Gán thôn của %(n)s xã cũ được chia cho xã mới") % {"n": fmt_int(waiting)},
                    reverse("units:split_list"),
                    _("Hộ của thôn chưa gán được tính ở dòng “chưa xác định đơn vị mới”."),
                )
            )
    if access.has_role(user, Role.ADMINISTRATOR) and user.is_staff:
        steps.append(
            NextStep(
                _("Tạo tài khoản và phân công cán bộ"),
                reverse("admin:auth_user_changelist"),
                _("Mỗi tài khoản gắn với một đơn vị và một vai trò."),
            )
        )
        steps.append(
            NextStep(
                _("Cập nhật tên, người ký của các tổ chức"),
                reverse("admin:units_organisation_changelist"),
                _("Dùng cho khối tên cơ quan và chữ ký trên báo cáo."),
            )
        )
    if access.has_perm_somewhere(user, "auditlog.view_logentry"):
        steps.append(NextStep(_("Xem nhật ký thay đổi"), reverse("audit_list"), _("Ai đã sửa gì, khi nào.")))
    return steps


def home_panels(request) -> list[Panel]:
    grants = access.grants(request.user)
    context = {
        "grants": grants,
        "steps": next_steps(request.user),
        "everywhere": any(g.everywhere for g in grants),
    }
    return [Panel("units/_home_panel.html", context, order=0, width="col-12")]
