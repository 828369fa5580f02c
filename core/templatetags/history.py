"""The history of a record for its page: `{% load history %}{% history_panel object %}`.

Entries come from django-auditlog; core/audit_display.py turns each into rows people can read."""

from auditlog.models import LogEntry
from django import template
from django.utils.translation import pgettext_lazy

from core.audit_display import Row, entry_rows

register = template.Library()

# "nhật ký": what happened to a record, in the change history (English: "Edited", not "Edit").
ACTION_LABELS = {
    LogEntry.Action.CREATE: pgettext_lazy("nhật ký", "Tạo mới"),
    LogEntry.Action.UPDATE: pgettext_lazy("nhật ký", "Sửa"),
    LogEntry.Action.DELETE: pgettext_lazy("nhật ký", "Xóa"),
    LogEntry.Action.ACCESS: pgettext_lazy("nhật ký", "Xem"),
}


@register.inclusion_tag("core/_history.html")
def history_panel(obj, limit=30):
    """The audit entries of one record, newest first. The caller has already checked access."""
    entries = LogEntry.objects.get_for_object(obj).select_related("actor", "content_type")[:limit]
    return {"object": obj, "entries": entries}


@register.filter
def audit_action(entry) -> str:
    return ACTION_LABELS.get(entry.action, entry.get_action_display())


@register.simple_tag
def audit_rows(entry) -> list[Row]:
    """(label, before, after) for each field an entry changed, as people read them."""
    return entry_rows(entry)
