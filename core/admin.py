"""The audit log in the Django admin, scoped like the audit page (units/access.py) and read the same
way: Vietnamese labels, people by name, each change as field — before — after (the history
panel's rows). django-auditlog's own admin screens are in English."""

from auditlog.models import LogEntry
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from units import access
from units.admin_scoping import ScopedAdmin

from .formatting import fmt_date
from .templatetags.history import ACTION_LABELS, audit_action, audit_rows
from .text import display_name

# auditlog registers an unscoped LogEntryAdmin; replace it (auditlog's admin module loads first:
# it comes before core in INSTALLED_APPS).
if admin.site.is_registered(LogEntry):
    admin.site.unregister(LogEntry)


class ActionFilter(admin.SimpleListFilter):
    title = _("thao tác")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return [
            (str(action), label)
            for action, label in ACTION_LABELS.items()
            if action != LogEntry.Action.ACCESS
        ]

    def queryset(self, request, queryset):
        return queryset.filter(action=int(self.value())) if (self.value() or "").isdigit() else queryset


@admin.register(LogEntry)
class LogEntryAdmin(ScopedAdmin):
    """Read-only; a province administrator sees the entries of records in their province."""

    date_hierarchy = "timestamp"
    list_display = ["when", "kind", "record", "action_label", "author"]
    list_filter = [ActionFilter]
    list_select_related = ["content_type", "actor"]
    search_fields = ["object_repr", "actor__first_name", "actor__last_name", "actor__username"]
    fields = ["when", "author", "kind", "record", "action_label", "address", "change_table"]
    readonly_fields = fields

    def scope_queryset(self, request, queryset, action):
        if action != "view":
            return queryset.none()
        return queryset & access.audit_entries_visible_to(request.user)

    def has_add_permission(self, request):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        entry = self.get_object(request, object_id)
        if entry is not None:  # auditlog's own title reads "Updated …"
            extra_context = {
                **(extra_context or {}),
                "subtitle": f"{audit_action(entry)}: {entry.object_repr}",
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("thời điểm"), ordering="timestamp")
    def when(self, entry):
        moment = timezone.localtime(entry.timestamp)
        return f"{moment:%H:%M} {fmt_date(moment.date())}"

    @admin.display(description=_("loại bản ghi"), ordering="content_type")
    def kind(self, entry):
        return str(entry.content_type.name).capitalize() if entry.content_type_id else ""

    @admin.display(description=_("bản ghi"), ordering="object_repr")
    def record(self, entry):
        url = f"{reverse('audit_list')}?{urlencode({'record': entry.object_repr[:100]})}"
        return format_html('<a href="{}">{}</a>', url, entry.object_repr)

    @admin.display(description=_("thao tác"), ordering="action")
    def action_label(self, entry):
        return audit_action(entry)

    @admin.display(description=_("người thực hiện"), ordering="actor")
    def author(self, entry):
        return display_name(entry.actor) if entry.actor else _("hệ thống")

    @admin.display(description=_("địa chỉ máy"))
    def address(self, entry):
        return entry.remote_addr or "—"

    @admin.display(description=_("thay đổi"))
    def change_table(self, entry):
        rows = audit_rows(entry)
        if not rows:
            return "—"
        body = format_html_join(
            "",
            "<tr><th scope='row'>{}</th><td>{}</td><td>{}</td></tr>",
            ((label, before or "—", after or "—") for label, before, after in rows),
        )
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("Trường"),
            _("Trước"),
            _("Sau"),
            body,
        )
