"""Optimistic concurrency: a record carries a version; a save made from a stale copy is refused
and the user is shown what the other person changed, so nothing is overwritten silently."""

from dataclasses import dataclass

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

CONFLICT_MESSAGE = _("Bản ghi vừa được người khác sửa. Thay đổi của bạn chưa được lưu.")


class Versioned(models.Model):
    version = models.PositiveIntegerField(_("số lần sửa"), default=1, editable=False)

    class Meta:
        abstract = True


@dataclass
class FieldChange:
    field: str
    label: str
    theirs: object
    yours: object


class ConcurrentEditError(Exception):
    """The record changed since the user opened it. `changes` lists what the other person changed."""

    def __init__(self, current, changes: list[FieldChange], changed_by=None):
        self.current = current
        self.changes = changes
        self.changed_by = changed_by
        super().__init__(str(CONFLICT_MESSAGE))


def _value(obj, field):
    return getattr(obj, field.attname)


def save_versioned(obj: Versioned, *, expected_version: int, original: dict | None = None) -> Versioned:
    """Save obj if the stored row still has expected_version; bump the version.

    `original` maps field names to the values the user saw when the form was opened; with it the
    error lists exactly the fields the other person changed. Must be called inside a transaction
    that also writes the audit entry (services do both)."""
    model = type(obj)
    with transaction.atomic():
        current = model.objects.select_for_update().get(pk=obj.pk)
        if current.version != expected_version:
            changes = []
            for field in model._meta.concrete_fields:
                if field.name in ("version", "id") or not field.editable:
                    continue
                theirs = _value(current, field)
                seen = original.get(field.attname, original.get(field.name)) if original else None
                if original is not None and str(seen) == str(theirs):
                    continue
                if original is None and theirs == _value(obj, field):
                    continue
                changes.append(FieldChange(field.name, str(field.verbose_name), theirs, _value(obj, field)))
            changed_by = getattr(current, "updated_by", None)
            raise ConcurrentEditError(current, changes, changed_by)
        obj.version = current.version + 1
        obj.save()
    return obj
