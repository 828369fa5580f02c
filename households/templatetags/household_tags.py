"""The change history of a household and its members, without sensitive fields (ethnicity) for
users who may not see them."""

from dataclasses import dataclass

from auditlog.models import LogEntry
from django import template
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext as _

from core.formatting import fmt_percent
from core.formatting import rate as _rate
from units import access

from ..forms import SENSITIVE_POLICY_GROUPS
from ..models import Household, Member, PolicyGroup

register = template.Library()

_SENSITIVE_FIELDS = (
    (Member, "ethnicity"),
    (Household, "ethnic_minority"),
)


@dataclass
class _Entry:
    """One line of the history: when, who, what happened, and the fields changed (for edits)."""

    timestamp: object
    actor: object
    label: str
    rows: list


def _describe(entry: LogEntry, changes: dict) -> _Entry:
    member = entry.content_type.model == "member"
    if entry.action == LogEntry.Action.CREATE:
        label = _("thêm nhân khẩu %(name)s") % {"name": entry.object_repr} if member else _("tạo hộ")
        return _Entry(entry.timestamp, entry.actor, label, [])
    if entry.action == LogEntry.Action.DELETE:
        label = _("xóa nhân khẩu %(name)s") % {"name": entry.object_repr} if member else _("xóa")
        return _Entry(entry.timestamp, entry.actor, label, [])
    label = _("sửa nhân khẩu %(name)s") % {"name": entry.object_repr} if member else _("sửa thông tin hộ")
    rows = []
    for field, values in changes.items():
        if isinstance(values, dict):  # many-to-many: {"operation": "add", "objects": [...]}
            names = ", ".join(str(o) for o in values.get("objects", []))
            before, after = ("", names) if values.get("operation") == "add" else (names, "")
        else:
            before, after = (list(values) + ["", ""])[:2]
        rows.append((field, _blank(before), _blank(after)))
    return _Entry(entry.timestamp, entry.actor, label, rows)


def _blank(value) -> str:
    return "—" if value in (None, "", "None") else str(value)


def _hidden_labels() -> set[str]:
    return {str(model._meta.get_field(name).verbose_name) for model, name in _SENSITIVE_FIELDS}


def _redact(changes: dict, hidden: set[str], sensitive_names: set[str]) -> dict:
    result = {}
    for label, values in changes.items():
        if str(label) in hidden:
            continue
        if sensitive_names and any(name in str(values) for name in sensitive_names):
            continue
        result[label] = values
    return result


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
        shown = [_describe(e, e.changes_display_dict) for e in entries]
    else:
        hidden = _hidden_labels()
        names = set(
            PolicyGroup.objects.filter(code__in=SENSITIVE_POLICY_GROUPS).values_list("name", flat=True)
        )
        shown = [_describe(e, _redact(e.changes_display_dict, hidden, names)) for e in entries]
    return {"object": household, "entries": shown}


@register.simple_tag
def rate(part, whole) -> str:
    """part ÷ whole as a Vietnamese percentage ("4,03%"), or "—" when there is no whole."""
    value = _rate(part, whole)
    return fmt_percent(value) if value is not None else "—"
