from auditlog.models import LogEntry
from django import template

register = template.Library()


@register.inclusion_tag("core/_history.html")
def history_panel(obj, limit=30):
    """The audit entries of one record, newest first. The caller has already checked access."""
    entries = LogEntry.objects.get_for_object(obj).select_related("actor")[:limit]
    return {"object": obj, "entries": entries}
