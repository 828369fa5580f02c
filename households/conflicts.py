"""Showing a refused save (ConcurrentEditError) in Vietnamese: who changed the record, and for each
field what they saved and what this user typed. Nothing is lost: the form keeps the user's input."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.concurrency import ConcurrentEditError
from core.formatting import fmt_date, fmt_int
from core.text import display_name

from . import indicators
from .models import Indicator, Member

# Bookkeeping fields that every save changes: not worth showing.
_SKIP = {
    "updated_by",
    "created_by",
    "submitted_by",
    "submitted_at",
    "decided_by",
    "decided_at",
    "head_search",
}
_MONEY = {"income_per_capita", "annual_income"}


@dataclass
class ConflictRow:
    label: str
    theirs: str
    yours: str


def _choices(model, name: str) -> dict:
    field = _field(model, name)
    return {str(k): str(v) for k, v in (field.choices or [])} if field is not None else {}


def _text(model, name: str, value, standard_id=None) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool) or value in ("True", "False"):
        return _("Có") if value in (True, "True") else _("Không")
    if name == "deprived_mask":
        mask = int(value)
        names = (
            Indicator.objects.filter(standard_id=standard_id).order_by("order").values_list("order", "name")
        )
        chosen = indicators.decode(mask, [(label, order) for order, label in names])
        return ", ".join(chosen) or _("không thiếu hụt chỉ số nào")
    if name in _MONEY:
        return f"{fmt_int(value)} đ"
    if hasattr(value, "strftime"):
        return fmt_date(value)
    choices = _choices(model, name)
    if str(value) in choices:
        return choices[str(value)]
    field = _field(model, name)
    if field is not None and field.is_relation:
        related = field.related_model.objects.filter(pk=value).first()
        return str(related) if related else str(value)
    return str(value)


def _field(model, name: str):
    for field in model._meta.concrete_fields:
        if name in (field.name, field.attname):
            return field
    return None


def conflict_rows(error: ConcurrentEditError, model) -> list[ConflictRow]:
    standard_id = getattr(error.current, "standard_id", None)
    rows = []
    for change in error.changes:
        name = change.field
        if name in _SKIP:
            continue
        if name.startswith("member-"):
            field = name.rsplit("-", 1)[-1] if name.count("-") == 2 else ""
            rows.append(
                ConflictRow(
                    change.label, _text(Member, field, change.theirs), _text(Member, field, change.yours)
                )
            )
            continue
        rows.append(
            ConflictRow(
                change.label,
                _text(model, name, change.theirs, standard_id),
                _text(model, name, change.yours, standard_id),
            )
        )
    return rows


def conflict_context(error: ConcurrentEditError, model) -> dict:
    who = error.changed_by
    return {
        "conflict": {
            "who": display_name(who) if who else _("một người khác"),
            "rows": conflict_rows(error, model),
        }
    }
