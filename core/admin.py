"""The audit log in the Django admin, scoped like the audit page (units/access.py)."""

from auditlog.admin import LogEntryAdmin as AuditlogLogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin

from units import access
from units.admin_scoping import ScopedAdmin

# auditlog registers an unscoped LogEntryAdmin; replace it (auditlog's admin module loads first:
# it comes before core in INSTALLED_APPS).
if admin.site.is_registered(LogEntry):
    admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class LogEntryAdmin(ScopedAdmin, AuditlogLogEntryAdmin):
    """Read-only; a province administrator sees the entries of records in their province."""

    def scope_queryset(self, request, queryset, action):
        if action != "view":
            return queryset.none()
        return queryset & access.audit_entries_visible_to(request.user)
