"""How a change history reads: one audit entry's changes as rows people can read (field label,
value before, value after). Every history page (a household's, an assessment's, a unit's, a
target's, the audit page and the admin's log) shows its rows through `entry_rows`.

Values are formatted the way the rest of the product prints them: money "60.000.000 đ", counts
"1.250", years "2026", dates "24/01/2017", choices by label, booleans "Có"/"Không", people by
name (family name first), other records by their name; a many-to-many or list change as the items
added and removed. Technical fields are left out: version counters, search columns, ids,
bookkeeping (who and when last changed: the entry itself says it), timestamps that repeat the
entry's, and bit masks a record cannot read out.

An app's audit.py says what its fields cannot: which amounts are money, which codes have labels
kept elsewhere (`read_as`)."""

import json
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.apps import is_year_field
from core.formatting import fmt_date, fmt_decimal, fmt_int, fmt_money
from core.text import display_name


class Row(NamedTuple):
    label: str
    before: str
    after: str


# Bookkeeping every save rewrites: the entry's own author and time already say it.
BOOKKEEPING_FIELDS = frozenset({"version", "created_by", "updated_by", "created_at", "updated_at"})
# A timestamp set by the change itself (submitted at, decided at) repeats the entry's time.
_SAME_MOMENT = timedelta(minutes=1)

ADDED = pgettext_lazy("nhật ký", "Thêm")
REMOVED = pgettext_lazy("nhật ký", "Bỏ")
M2M_OPERATIONS = {
    "add": ADDED,
    "delete": REMOVED,
    "remove": REMOVED,
    "clear": pgettext_lazy("nhật ký", "Bỏ hết"),
}
BOOLEANS = {"True": _("Có"), "False": _("Không")}
_EMPTY = frozenset({"", "None", "[]", "{}"})
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

# Set by the apps' audit.py: model → names of its amounts in đồng; model → {name: code → label}.
_MONEY: dict[type[models.Model], frozenset[str]] = {}
_CHOICES: dict[type[models.Model], dict[str, dict[str, str]]] = {}


def read_as(
    model: type[models.Model], *, money: Iterable[str] = (), choices: dict[str, Iterable] | None = None
) -> None:
    """Declare how the history reads `model`'s fields that their type does not say: `money`, the
    whole-đồng amounts (shown "60.000.000 đ"); `choices`, the labels of a field that keeps another
    model's codes without choices of its own ({"latest_state": Assessment.State.choices})."""
    _MONEY[model] = _MONEY.get(model, frozenset()) | frozenset(money)
    for name, pairs in (choices or {}).items():
        _CHOICES.setdefault(model, {})[name] = {str(code): label for code, label in pairs}


def is_hidden(model: type[models.Model] | None, name: str, field) -> bool:
    """Whether a field is technical: never shown in a history."""
    if name in BOOKKEEPING_FIELDS or name == "id":
        return True
    if field is None:
        return False
    if field.auto_created and not field.concrete:
        return True  # a reverse relation (the members of a household): not a value of this record
    if getattr(field, "primary_key", False) or not field.editable:
        return True  # ids, search columns, counters
    if name.endswith("_mask") and not hasattr(model, "audit_value"):
        return True  # a bit mask only its record can read out
    return bool(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))


def entry_rows(entry, *, hidden_fields: Iterable[str] = (), hidden_items: Iterable[str] = ()) -> list[Row]:
    """The rows of one entry's changes, as people read them. `hidden_fields`: field names left out
    for this reader; `hidden_items`: names of related records (a sensitive policy group) left out
    of the items added and removed."""
    model = entry.content_type.model_class() if entry.content_type_id else None
    hidden_fields, hidden_items = frozenset(hidden_fields), frozenset(hidden_items)
    rows = []
    for name, raw in (entry.changes_dict or {}).items():
        if name in hidden_fields:
            continue
        field = _field(model, name)
        if is_hidden(model, name, field):
            continue
        label = capfirst(str(field.verbose_name)) if field is not None else name
        row = _row(entry, model, name, field, raw, hidden_items)
        if row is not None and (row[0] or row[1]):
            rows.append(Row(label, *row))
    return rows


def _field(model, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _row(entry, model, name, field, raw, hidden_items) -> tuple[str, str] | None:
    if isinstance(raw, dict) and raw.get("type") == "m2m":
        items = [str(item) for item in raw.get("objects", []) if str(item) not in hidden_items]
        if not items:
            return None
        operation = M2M_OPERATIONS.get(raw.get("operation"), raw.get("operation", ""))
        return "", f"{operation}: {', '.join(items)}"
    before, after = (list(raw) + [None, None])[:2] if isinstance(raw, list | tuple) else (None, raw)
    if hasattr(model, "audit_value") and (shown := model.audit_value(name, [before, after], entry.object_pk)):
        return shown  # the record's own reading of a coded value (an indicator bit mask)
    if isinstance(field, models.DateTimeField) and _at_moment(after, entry.timestamp):
        return None
    if isinstance(field, models.JSONField) and (listed := _list_change(before, after)) is not None:
        return listed
    money = name in _MONEY.get(model, ())
    labels = _CHOICES.get(model, {}).get(name, {})
    before, after = (
        str(labels[str(value)]) if str(value) in labels else format_value(field, value, money=money)
        for value in (before, after)
    )
    return before, after


def _at_moment(value, moment) -> bool:
    when = _datetime(value)
    return when is not None and moment is not None and abs(when - moment) < _SAME_MOMENT


def _datetime(value) -> datetime | None:
    """auditlog keeps a timestamp as naive UTC text ("2026-12-03 17:53:13.123456")."""
    try:
        when = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return when.replace(tzinfo=UTC) if timezone.is_naive(when) else when


def _list_change(before, after) -> tuple[str, str] | None:
    """A JSON list before and after, as the items removed (before) and added (after)."""
    old, new = _as_list(before), _as_list(after)
    if old is None or new is None:
        return None
    removed = [str(item) for item in old if item not in new]
    added = [str(item) for item in new if item not in old]
    return (
        f"{REMOVED}: {', '.join(removed)}" if removed else "",
        f"{ADDED}: {', '.join(added)}" if added else "",
    )


def _as_list(value) -> list | None:
    if value is None or value == "None":
        return []
    if isinstance(value, list):
        return value
    if not isinstance(value, str) or not value.startswith("["):
        return None
    try:
        parsed = json.loads(value)
    except ValueError:
        return None
    return parsed if isinstance(parsed, list) else None


def format_value(field, raw, *, money: bool = False) -> str:
    """One stored value (auditlog keeps values as text) as the product prints it."""
    text = "" if raw is None else str(raw)
    if text in _EMPTY:
        return ""
    if field is None:
        return text
    if field.is_relation:
        return _related(field, text)
    if field.flatchoices:
        return str({str(key): label for key, label in field.flatchoices}.get(text, text))
    kind = field.get_internal_type()
    if kind == "BooleanField":
        return str(BOOLEANS.get(text, text))
    if kind in _COUNTS and text.lstrip("-").isdigit():
        if is_year_field(field):
            return text  # 2026, not 2.026
        return fmt_money(int(text)) if money else fmt_int(int(text))
    if kind == "DecimalField":
        try:
            return fmt_decimal(text, field.decimal_places)
        except ArithmeticError:
            return text
    if kind == "DateField":
        try:
            return fmt_date(date.fromisoformat(text[:10]))
        except ValueError:
            return text
    if kind == "DateTimeField" and (when := _datetime(text)) is not None:
        moment = timezone.localtime(when)
        return f"{moment:%H:%M} {fmt_date(moment.date())}"
    return text


def _related(field, text: str) -> str:
    """A foreign key kept as the related record's id: the record's name, a person's full name."""
    related = field.related_model
    try:
        obj = related._default_manager.filter(pk=text).first()
    except (ValueError, TypeError):
        obj = None
    if obj is None:
        return text
    return display_name(obj) if related is get_user_model() else str(obj)
