"""Django-admin screens scoped like every other page: an administrator of a province sees and edits
only the records of that province (through units/access.py); a national administrator sees all."""

from django.contrib import admin

from . import access


class ScopedAdmin(admin.ModelAdmin):
    """Subclasses say how a row is located: `scope = "located"` (province/district/commune fields,
    optionally through `scope_prefix`), or `scope = "unit"` (a unit FK at `scope_prefix`)."""

    scope = "located"
    scope_prefix = ""

    def _scope_q(self, request, perm: str):
        if self.scope == "unit":
            return access.units_q(request.user, perm, prefix=self.scope_prefix)
        return access.located_q(request.user, perm, prefix=self.scope_prefix)

    def _perm(self, action: str) -> str:
        opts = self.model._meta
        return f"{opts.app_label}.{action}_{opts.model_name}"

    def get_queryset(self, request):
        q = self._scope_q(request, self._perm("view"))
        queryset = super().get_queryset(request)
        return queryset.none() if q is None else queryset.filter(q)

    def _in_scope(self, request, obj, action: str) -> bool:
        q = self._scope_q(request, self._perm(action))
        return q is not None and type(obj)._default_manager.filter(q, pk=obj.pk).exists()

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and (
            obj is None or self._in_scope(request, obj, "view")
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or self._in_scope(request, obj, "change")
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or self._in_scope(request, obj, "delete")
        )
