"""The history of a record for its page: `{% load history %}{% history_panel object %}`.

Entries come from django-auditlog; this module turns them into rows people can read: the field's
Vietnamese label, the value before and after, without internal fields (version counters, search
columns, reverse relations)."""

from auditlog.models import LogEntry
from django import template
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.apps import is_year_field
from core.formatting import fmt_int
from core.text import display_name

register = template.Library()

HIDDEN_FIELDS = frozenset({"id", "version", "created_at", "updated_at", "search_name", "head_search"})
_EMPTY = frozenset({"", "None", "[]"})
ACTION_LABELS = {
    LogEntry.Action.CREATE: _("Tạo mới"),
    LogEntry.Action.UPDATE: _("Sửa"),
    LogEntry.Action.DELETE: _("Xóa"),
    LogEntry.Action.ACCESS: _("Xem"),
}
M2M_OPERATIONS = {"add": _("Thêm"), "delete": _("Bỏ"), "remove": _("Bỏ"), "clear": _("Bỏ hết")}


@register.inclusion_tag("core/_history.html")
def history_panel(obj, limit=30):
    """The audit entries of one record, newest first. The caller has already checked access."""
    entries = LogEntry.objects.get_for_object(obj).select_related("actor", "content_type")[:limit]
    return {"object": obj, "entries": entries}


@register.filter
def audit_action(entry) -> str:
    return ACTION_LABELS.get(entry.action, entry.get_action_display())


_BOOLEANS = {"True": _("Có"), "False": _("Không")}


_COUNTS = frozenset(
    {
        "IntegerField",
        "BigIntegerField",
        "SmallIntegerField",
        "PositiveIntegerField",
        "PositiveBigIntegerField",
        "PositiveSmallIntegerField",
    }
)


def _clean(value, field=None) -> str:
    text = "" if value is None else str(value)
    if text in _EMPTY:
        return ""
    if field is None:
        return text
    kind = field.get_internal_type()
    if kind == "BooleanField":
        return str(_BOOLEANS.get(text, text))
    if kind in _COUNTS and not field.choices and text.lstrip("-").isdigit() and not is_year_field(field):
        return fmt_int(int(text))  # 1.250.000, not 1250000; years stay 2026
    return text


def _person(value) -> str:
    """A user kept in a record (who proposed, who approved): their name, family name first."""
    text = "" if value is None else str(value)
    if not text.isdigit():
        return "" if text in _EMPTY else text
    user = get_user_model().objects.filter(pk=int(text)).first()
    return display_name(user) if user is not None else text


@register.simple_tag
def audit_rows(entry) -> list[tuple[str, str, str]]:
    """(label, before, after) for each field an entry changed, as people read them."""
    model = entry.content_type.model_class()
    display = entry.changes_display_dict if model is not None else {}
    rows = []
    for name, raw in entry.changes_dict.items():
        if name in HIDDEN_FIELDS:
            continue
        field = None
        if model is not None:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                field = None
        if field is not None and field.auto_created and not field.concrete:
            continue  # a reverse relation (members of a household): not a value of this record
        label = capfirst(getattr(field, "verbose_name", name)) if field is not None else name
        if isinstance(raw, dict) and raw.get("type") == "m2m":
            operation = M2M_OPERATIONS.get(raw.get("operation"), raw.get("operation", ""))
            before, after = "", f"{operation}: {', '.join(str(o) for o in raw.get('objects', []))}"
        elif field is not None and field.is_relation and field.related_model is get_user_model():
            before, after = (_person(v) for v in (list(raw) + ["", ""])[:2])
        elif hasattr(model, "audit_value") and (shown := model.audit_value(name, raw, entry.object_pk)):
            before, after = shown  # the record's own reading of a coded value (an indicator bit mask)
        else:
            values = display.get(getattr(field, "verbose_name", name), raw) if field is not None else raw
            before, after = (_clean(v, field) for v in (list(values) + ["", ""])[:2])
        if before or after:
            rows.append((label, before, after))
    return rows
