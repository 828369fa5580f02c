"""Django-admin screens scoped like every other page: an administrator of a province sees and edits
only the records of that province (through units/access.py); a national administrator sees all.

Every admin of a record that belongs to a unit subclasses ScopedAdmin. tests/test_admin_scope.py
walks `admin.site._registry` and proves, for each ScopedAdmin, that a province administrator's
list holds their province's rows and not another's, and that the other's rows cannot be opened;
an admin that is not a ScopedAdmin must be justified there (national reference data, superuser
tools)."""

from django.contrib import admin
from django.db.models import Q, QuerySet

from . import access
from .models import AdministrativeUnit


def _located(model) -> bool:
    names = {f.name for f in model._meta.get_fields()}
    return {"province", "commune"} <= names


def _unit_fk(model) -> bool:
    try:
        field = model._meta.get_field("unit")
    except Exception:
        return False
    return getattr(field, "related_model", None) is AdministrativeUnit


def scope_q_for_model(user, model, perm: str) -> Q | None:
    """How rows of `model` are located, for models that do not need a custom rule: a unit itself, a
    model with a `unit` foreign key, or a model carrying province/district/commune fields.
    Raises TypeError for any other model (it needs an explicit rule)."""
    if model is AdministrativeUnit:
        return access.units_q(user, perm)
    if _unit_fk(model):
        return access.units_q(user, perm, prefix="unit__")
    if _located(model):
        return access.located_q(user, perm)
    raise TypeError(f"No scoping rule for {model._meta.label}")


class ScopedAdmin(admin.ModelAdmin):
    """Subclasses say how a row is located: `scope = "located"` (province/district/commune fields,
    optionally through `scope_prefix`), or `scope = "unit"` (a unit FK at `scope_prefix`), or
    override `scope_queryset` for anything else.

    Foreign keys to located records (units, organisations, households...) offer only the records
    in the administrator's scope, so a form cannot move a row out of it."""

    scope = "located"
    scope_prefix = ""

    def _scope_q(self, request, perm: str) -> Q | None:
        if self.scope == "unit":
            return access.units_q(request.user, perm, prefix=self.scope_prefix)
        return access.located_q(request.user, perm, prefix=self.scope_prefix)

    def _perm(self, action: str) -> str:
        opts = self.model._meta
        return f"{opts.app_label}.{action}_{opts.model_name}"

    def scope_queryset(self, request, queryset: QuerySet, action: str) -> QuerySet:
        """`queryset` narrowed to the rows the user may `action` ("view", "change", "delete")."""
        q = self._scope_q(request, self._perm(action))
        return queryset.none() if q is None else queryset.filter(q)

    def get_queryset(self, request):
        return self.scope_queryset(request, super().get_queryset(request), "view")

    def _in_scope(self, request, obj, action: str) -> bool:
        base = type(obj)._default_manager.filter(pk=obj.pk)
        return self.scope_queryset(request, base, action).exists()

    def has_view_permission(self, request, obj=None):
        if not super().has_view_permission(request, obj):
            return False
        if obj is None:
            return True
        # Django lets "change" imply "view"; so does the scope.
        return self._in_scope(request, obj, "view") or self._in_scope(request, obj, "change")

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or self._in_scope(request, obj, "change")
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or self._in_scope(request, obj, "delete")
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return scope_choice_field(field, request.user, db_field.related_model, self._perm("change"))


def scope_choice_field(field, user, related_model, perm: str):
    """Limit a choice field over located records to those in the user's scope for `perm`."""
    if field is None or not hasattr(field, "queryset"):
        return field
    try:
        q = scope_q_for_model(user, related_model, perm)
    except TypeError:
        return field
    field.queryset = field.queryset.none() if q is None else field.queryset.filter(q)
    return field
