"""Django-admin screens: the editable list of support measures, and read-only views of targets and
registrations scoped like every page (changes go through the product's pages and their services,
which freeze baselines, check allocations and keep versions)."""

from django.contrib import admin

from units.admin_scoping import ScopedAdmin

from .models import AnnualTarget, HelpEntry, Registration, SupportMeasure


@admin.register(SupportMeasure)
class SupportMeasureAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order", "active"]
    list_editable = ["order", "active"]
    search_fields = ["name", "code"]


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AnnualTarget)
class AnnualTargetAdmin(ReadOnlyMixin, ScopedAdmin):
    scope = "unit"
    scope_prefix = "unit__"
    list_display = [
        "unit",
        "year",
        "organisation",
        "reduce_poor",
        "reduce_near_poor",
        "baseline_source",
        "baseline_poor",
    ]
    list_filter = ["year", "baseline_source", "organisation__kind"]
    search_fields = ["unit__name", "organisation__name"]
    list_select_related = ["unit", "organisation"]


class HelpEntryInline(ReadOnlyMixin, admin.TabularInline):
    model = HelpEntry
    extra = 0
    fields = ["date", "kind", "value", "note", "created_by"]


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyMixin, ScopedAdmin):
    scope_prefix = "household__"
    list_display = [
        "household",
        "organisation",
        "year",
        "class_at_registration",
        "last_help_on",
        "confirmed_outcome",
    ]
    list_filter = ["year", "organisation__kind", "confirmed_outcome"]
    search_fields = ["household__head_name", "household__code", "organisation__name"]
    list_select_related = ["household", "organisation"]
    inlines = [HelpEntryInline]
