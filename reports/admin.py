from django.contrib import admin

from units.admin_scoping import ScopedAdmin

from .models import PeriodLock


@admin.register(PeriodLock)
class PeriodLockAdmin(ScopedAdmin):
    """Locked periods can be seen (scoped by unit) and, by a superuser only, deleted to reopen a
    quarter; the audit log keeps who did it. They are never edited: the snapshot is the report."""

    scope = "unit"
    scope_prefix = "unit__"
    list_display = ["unit", "year", "quarter", "report_code", "locked_by", "locked_at"]
    list_filter = ["year", "quarter", "report_code"]
    search_fields = ["unit__search_name"]
    list_select_related = ["unit", "locked_by"]
    fields = ["unit", "year", "quarter", "report_code", "locked_by", "locked_at", "note"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
