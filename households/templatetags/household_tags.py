"""Template helpers of the households pages: change histories (without ethnicity for users who may
not see it), class and state badges, rates."""

from dataclasses import dataclass

from auditlog.models import LogEntry
from django import template
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core.audit_display import entry_rows
from core.formatting import fmt_percent
from core.formatting import rate as _rate
from units import access

from ..forms import SENSITIVE_POLICY_GROUPS
from ..models import Household, Member, PolicyGroup

register = template.Library()

# Fields that reveal ethnicity (Member.ethnicity, Household.ethnic_minority): left out of the
# history for the roles that may not see it.
_SENSITIVE_FIELDS = frozenset({"ethnicity", "ethnic_minority"})


@dataclass
class _Entry:
    """One line of the history: when, who, what happened, and the fields changed (for edits)."""

    timestamp: object
    actor: object
    label: str
    rows: list


def _labels(entry: LogEntry) -> tuple[str, str, str]:
    """(created, changed, deleted) wording for the entry's kind of record."""
    model = entry.content_type.model
    name = {"name": entry.object_repr}
    if model == "member":
        return (
            _("thêm nhân khẩu %(name)s") % name,
            _("sửa nhân khẩu %(name)s") % name,
            _("xóa nhân khẩu %(name)s") % name,
        )
    if model == "assessment":
        return _("lập phiếu"), _("cập nhật phiếu"), _("hủy phiếu")
    return _("tạo hộ"), _("sửa thông tin hộ"), _("xóa hộ")


def _describe(entry: LogEntry, *, hidden_fields=(), hidden_items=()) -> _Entry:
    """What happened; for an edit, the fields changed (core/audit_display.py reads them)."""
    created, changed, deleted = _labels(entry)
    if entry.action == LogEntry.Action.CREATE:
        return _Entry(entry.timestamp, entry.actor, created, [])
    if entry.action == LogEntry.Action.DELETE:
        return _Entry(entry.timestamp, entry.actor, deleted, [])
    rows = entry_rows(entry, hidden_fields=hidden_fields, hidden_items=hidden_items)
    return _Entry(entry.timestamp, entry.actor, changed, rows)


@register.inclusion_tag("households/_household_history.html", takes_context=True)
def household_history(context, household, limit=30):
    """Audit entries of the household and its members, newest first."""
    user = context["request"].user
    types = ContentType.objects.get_for_models(Household, Member)
    entries = (
        LogEntry.objects.filter(
            Q(content_type=types[Household], object_id=household.pk)
            | Q(content_type=types[Member], additional_data__household=household.pk)
        )
        .select_related("actor", "content_type")
        .order_by("-timestamp")[:limit]
    )
    if access.may_see_ethnicity(user, household):
        shown = [_describe(e) for e in entries]
    else:
        names = set(
            PolicyGroup.objects.filter(code__in=SENSITIVE_POLICY_GROUPS).values_list("name", flat=True)
        )
        shown = [_describe(e, hidden_fields=_SENSITIVE_FIELDS, hidden_items=names) for e in entries]
    return {"object": household, "entries": shown}


@register.simple_tag
def rate(part, whole) -> str:
    """part ÷ whole as a Vietnamese percentage ("4,03%"), or "—" when there is no whole."""
    value = _rate(part, whole)
    return fmt_percent(value) if value is not None else "—"


_CLASS_BADGES = {
    "poor": ("danger", _lazy("Hộ nghèo")),
    "near_poor": ("warning", _lazy("Hộ cận nghèo")),
    "medium": ("info", _lazy("Mức sống trung bình")),
    "not_poor": ("success", _lazy("Không nghèo")),
}
_STATE_BADGES = {
    "draft": ("secondary", _lazy("Nháp")),
    "submitted": ("primary", _lazy("Chờ duyệt")),
    "returned": ("warning", _lazy("Trả lại")),
    "approved": ("success", _lazy("Đã duyệt")),
}


@register.simple_tag
def class_badge(value, group="", year=None) -> str:
    """A poverty class as a coloured badge (with N1/N2 for the 2016–2020 groups, and the year).
    Built in Python: a list of 50 rows would otherwise render 50 template includes."""
    colour, label = _CLASS_BADGES.get(value or "", ("light border", _lazy("Chưa có kết quả")))
    suffix = {"income": " N1", "deprivation": " N2"}.get(group or "", "") if value == "poor" else ""
    badge = format_html('<span class="badge text-bg-{}">{}{}</span>', colour, label, suffix)
    if year:
        badge += format_html(' <span class="small text-body-secondary">{}</span>', str(year))
    return badge


@register.simple_tag
def state_badge(value) -> str:
    if value not in _STATE_BADGES:
        return ""
    colour, label = _STATE_BADGES[value]
    return format_html('<span class="badge text-bg-{}">{}</span>', colour, label)


@register.inclusion_tag("households/_household_history.html")
def assessment_history(assessment, limit=30):
    """Audit entries of one assessment, newest first: who created, changed, submitted, decided."""
    entries = LogEntry.objects.get_for_object(assessment).select_related("actor", "content_type")[:limit]
    return {
        "object": assessment,
        "entries": [_describe(e) for e in entries],
    }


@register.simple_tag
def select_field(bound) -> str:
    """A <select> for a bound choice field, built in Python: the template-per-option rendering of
    Django's widgets costs more than the rest of the household list page."""
    value = bound.value()
    chosen = (
        {str(v) for v in value} if isinstance(value, list | tuple) else {"" if value is None else str(value)}
    )
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (str(key), mark_safe(" selected") if str(key) in chosen else "", label)
            for key, label in bound.field.choices
        ),
    )
    css = bound.field.widget.attrs.get("class", "form-select")
    return format_html(
        '<select name="{}" id="{}" class="{}">{}</select>', bound.html_name, bound.auto_id, css, options
    )
