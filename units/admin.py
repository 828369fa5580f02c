from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .admin_scoping import ScopedAdmin
from .models import AdministrativeUnit, Membership, Organisation, UnitLineage


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(ScopedAdmin):
    scope = "unit"
    list_display = ["name", "code", "kind", "admin_version", "parent", "area"]
    list_filter = ["admin_version", "level", "kind", "area"]
    search_fields = ["search_name", "code", "name"]
    readonly_fields = ["admin_version", "code", "level", "parent", "province", "district", "commune"]
    list_select_related = ["parent"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False  # units come from load_units; villages are added on the commune page

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Organisation)
class OrganisationAdmin(ScopedAdmin):
    scope = "unit"
    scope_prefix = "unit__"
    list_display = ["name", "kind", "unit", "signer_title", "signer_name", "active"]
    list_filter = ["kind", "active", "unit__admin_version"]
    search_fields = ["name", "unit__search_name"]
    autocomplete_fields = ["unit"]


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin):
    scope = "unit"
    scope_prefix = "unit__"
    list_display = ["user", "role", "unit", "organisation"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__search_name"]
    autocomplete_fields = ["unit", "organisation", "user"]


@admin.register(UnitLineage)
class UnitLineageAdmin(admin.ModelAdmin):
    list_display = ["old", "new", "partial"]
    list_filter = ["partial"]
    search_fields = ["old__search_name", "new__search_name", "old__code", "new__code"]
    list_select_related = ["old", "new"]
    verbose_name = _("liên kết sắp xếp đơn vị")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
