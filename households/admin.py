from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin_imports import GuardedImportMixin
from units import access
from units.admin_scoping import ScopedAdmin

from .census.resources import CensusImportResource
from .census.validation import IMPORT_PERM
from .models import Assessment, Household, Indicator, Member, PolicyGroup, PovertyCause, PovertyStandard


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ["order", "code", "dimension", "name", "definition", "provisional"]


@admin.register(PovertyStandard)
class PovertyStandardAdmin(admin.ModelAdmin):
    """Administrators correct the numbers (lines, medium band, deprivation count) and add a
    standard of the same rule shape, without a deploy."""

    list_display = [
        "name",
        "legal_basis",
        "year_from",
        "year_to",
        "poverty_line_rural",
        "poverty_line_urban",
        "provisional",
    ]
    inlines = [IndicatorInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "code",
                    "name",
                    "legal_basis",
                    "rule",
                    "year_from",
                    "year_to",
                    "province",
                    "provisional",
                    "notes",
                ]
            },
        ),
        (
            _("Mức chuẩn (đồng/người/tháng)"),
            {
                "fields": [
                    ("poverty_line_rural", "poverty_line_urban"),
                    ("near_poverty_line_rural", "near_poverty_line_urban"),
                    ("medium_upper_rural", "medium_upper_urban"),
                    "deprivation_threshold",
                ]
            },
        ),
    ]


@admin.register(PolicyGroup, PovertyCause)
class LookupAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order", "active"]
    list_editable = ["order", "active"]


class MemberInline(admin.TabularInline):
    model = Member
    extra = 0
    fields = [
        "full_name",
        "sex",
        "birth_year",
        "relation",
        "citizen_id",
        "ethnicity",
        "health_insurance",
        "disability",
    ]


@admin.register(Household)
class HouseholdAdmin(GuardedImportMixin, ScopedAdmin):
    # Smaller tables can be imported here; they go through the census import pipeline (same
    # validation, scope and audit), inside the request, so within the small tables' upload limits
    # (core/admin_imports.py). Large files: the import page (/census/, in the worker) or import_census.
    resource_classes = [CensusImportResource]
    skip_admin_log = True  # the import writes its own audit entries

    def has_import_permission(self, request):
        return access.has_perm_somewhere(request.user, IMPORT_PERM)

    list_display = ["code", "head_name", "commune", "village", "status_class", "status_year", "member_count"]
    list_filter = ["status_class", "area", "female_head", "province__admin_version"]
    search_fields = ["code", "head_search", "members__citizen_id"]
    readonly_fields = [
        "province",
        "district",
        "status_class",
        "status_group",
        "status_year",
        "latest_state",
        "version",
    ]
    autocomplete_fields = ["commune", "village"]
    filter_horizontal = ["policy_groups", "causes"]
    inlines = [MemberInline]
    list_select_related = ["commune", "village"]
    show_full_result_count = False

    def save_model(self, request, obj, form, change):
        # The same denormalised place and generated code as households created in the pages.
        from .services import next_household_code

        obj.province_id, obj.district_id = obj.commune.province_id, obj.commune.district_id
        if not obj.code:
            obj.code = next_household_code(obj.commune, obj.village)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        from .services import household_refresh_summary

        super().save_related(request, form, formsets, change)
        household_refresh_summary(household=form.instance)


@admin.register(Assessment)
class AssessmentAdmin(ScopedAdmin):
    list_display = ["household", "review_year", "kind", "effective_date", "result_class", "state"]
    list_filter = ["state", "kind", "review_year", "result_class"]
    search_fields = ["household__code", "household__head_search"]
    raw_id_fields = ["household", "previous"]
    list_select_related = ["household"]
    show_full_result_count = False

    def has_change_permission(self, request, obj=None):
        return False  # assessments change through the review workflow, which keeps the audit trail

    def has_add_permission(self, request):
        return False
