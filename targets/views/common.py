"""What every targets page shares: permission names, the conflict message, links."""

from django.contrib import messages
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.concurrency import ConcurrentEditError
from core.text import display_name
from units.models import Organisation

VIEW_TARGET = "targets.view_annualtarget"
ALLOCATE = "targets.allocate_target"
VIEW_REGISTRATION = "targets.view_registration"


def _today():
    return timezone.localdate()


def _conflict(request, error: ConcurrentEditError) -> None:
    who = display_name(error.changed_by) if error.changed_by else _("người khác")
    fields = ", ".join(change.label for change in error.changes) or _("một số thông tin")
    messages.error(
        request,
        _(
            "%(who)s vừa sửa bản ghi này (%(fields)s). Thay đổi của bạn chưa được lưu; trang đã hiện số liệu mới nhất, hãy nhập lại."
        )
        % {"who": who, "fields": fields},
    )


def household_url(household) -> str:
    """The household's own page (the households app), when it exists."""
    try:
        return reverse("households:detail", args=[household.pk])
    except NoReverseMatch:
        return ""


def kind_label(kind: str | None) -> str:
    return Organisation.Kind(kind).label if kind else _("Chính quyền địa phương")


# --- Targets --------------------------------------------------------------------------------------


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
