"""Django admin for units, organisations, memberships and user accounts, scoped through
units/access.py. Memberships are written through units/services.py, so that role groups and
admin access (is_staff) always follow them."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from core.text import display_name

from . import access, services
from .admin_scoping import ScopedAdmin, scope_choice_field
from .models import AdministrativeUnit, Membership, Organisation, UnitLineage

User = get_user_model()


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(ScopedAdmin):
    scope = "unit"
    list_display = ["name", "code", "kind", "admin_version", "parent", "area"]
    list_filter = ["admin_version", "level", "kind", "area", "one_person_commune"]
    search_fields = ["search_name", "code", "name"]
    readonly_fields = ["admin_version", "code", "level", "parent", "province", "district", "commune"]
    list_select_related = ["parent"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False  # units come from load_units; villages are added on the commune page

    def has_delete_permission(self, request, obj=None):
        return False

    def get_search_results(self, request, queryset, search_term):
        # "cam lo" finds "Cam Lộ": search the diacritic-free column with the typed words.
        from core.text import search_key

        return super().get_search_results(request, queryset, search_key(search_term))


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "unit",
            "kind",
            "name",
            "short_name",
            "parent_agency",
            "signer_title",
            "signer_name",
            "preparer_name",
            "place_name",
            "active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False
        self.fields["name"].help_text = _(
            "Để trống để dùng tên theo quy ước, ví dụ “Hội Liên hiệp Phụ nữ xã An Bình”."
        )

    def clean(self):
        data = super().clean()
        if not data.get("name") and data.get("unit") and data.get("kind"):
            data["name"] = services.default_organisation_name(data["unit"], data["kind"])
            self.instance.name = data["name"]
        return data


@admin.register(Organisation)
class OrganisationAdmin(ScopedAdmin):
    scope = "unit"
    scope_prefix = "unit__"
    form = OrganisationForm
    list_display = ["name", "kind", "unit", "signer_title", "signer_name", "active"]
    list_filter = ["kind", "active", "unit__admin_version"]
    search_fields = ["name", "unit__search_name"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]


class MembershipForm(forms.ModelForm):
    """The shape of a membership; the rules are services.membership_validate's."""

    class Meta:
        model = Membership
        fields = ["user", "unit", "role", "organisation"]

    def clean(self):
        data = super().clean()
        if "role" in data and "unit" in data and "organisation" in data:
            try:
                services.membership_validate(
                    unit=data["unit"], role=data["role"], organisation=data["organisation"]
                )
            except services.UnitError as error:
                raise ValidationError(str(error)) from error
        return data


def _scope_membership_field(field, db_field, request):
    """Units and organisations a membership may point at: those in the administrator's scope.
    Only a national administrator may leave the unit empty (a national membership)."""
    field = scope_choice_field(field, request.user, db_field.related_model, "units.add_membership")
    if db_field.name == "unit" and field is not None:
        national = access.sees_everything(request.user, "units.add_membership")
        field.required = not national
        if not national:
            field.help_text = _("Một đơn vị trong địa bàn của bạn.")
    return field


def _save_membership(*, membership: Membership, user, data: dict) -> Membership:
    values = {"unit": data["unit"], "role": data["role"], "organisation": data.get("organisation")}
    if membership.pk:
        return services.membership_change(membership=membership, **values)
    return services.membership_grant(user=user, **values)


NEEDS_MEMBERSHIP = _("Hãy phân công tài khoản mới vào một đơn vị trong địa bàn của bạn (đơn vị và vai trò).")


class MembershipFormSet(BaseInlineFormSet):
    require_one = False

    def clean(self):
        super().clean()
        kept = [form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        if self.require_one and not kept:
            raise ValidationError(NEEDS_MEMBERSHIP)


class MembershipInline(admin.TabularInline):
    model = Membership
    form = MembershipForm
    formset = MembershipFormSet
    fk_name = "user"
    fields = ["unit", "role", "organisation"]
    autocomplete_fields = ["unit", "organisation"]
    extra = 0
    verbose_name = _("phân công")
    verbose_name_plural = _("phân công (đơn vị và vai trò)")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # A province administrator's new account must be placed in their scope, or they could not
        # see it afterwards.
        formset.require_one = obj is None and not access.sees_everything(request.user, "auth.view_user")
        return formset

    def get_extra(self, request, obj=None, **kwargs):
        return 1 if obj is None else 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return _scope_membership_field(
            super().formfield_for_foreignkey(db_field, request, **kwargs), db_field, request
        )


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin):
    scope = "unit"
    scope_prefix = "unit__"
    form = MembershipForm
    list_display = ["user", "user_display_name", "role", "unit", "organisation"]
    list_filter = ["role", "unit__admin_version"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__search_name"]
    autocomplete_fields = ["unit", "organisation", "user"]
    list_select_related = ["user", "unit", "organisation"]

    @admin.display(description=_("họ và tên"))
    def user_display_name(self, obj):
        return display_name(obj.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super(ScopedAdmin, self).formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "user":
            user_admin = self.admin_site._registry[User]
            field.queryset = user_admin.scope_queryset(request, field.queryset, "change")
            return field
        return _scope_membership_field(field, db_field, request)

    def save_model(self, request, obj, form, change):
        saved = _save_membership(membership=obj, user=form.cleaned_data["user"], data=form.cleaned_data)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.membership_revoke(membership=obj)

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("user"):
            services.membership_revoke(membership=membership)


@admin.register(UnitLineage)
class UnitLineageAdmin(admin.ModelAdmin):
    """The official conversion table: national reference data, read-only for everyone."""

    list_display = ["old", "new", "partial"]
    list_filter = ["partial"]
    search_fields = ["old__search_name", "new__search_name", "old__code", "new__code"]
    list_select_related = ["old", "new"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- User accounts -------------------------------------------------------------------------------

admin.site.unregister(User)


@admin.register(User)
class UserAdmin(ScopedAdmin, DjangoUserAdmin):
    """Accounts, scoped by their memberships. A province administrator sees the accounts that hold
    a membership in their province, and changes only those whose every membership is there (an
    account that also works elsewhere, or a superuser, stays read-only for them). Groups, staff
    and superuser flags are not edited here: they follow the memberships."""

    inlines = [MembershipInline]
    list_display = ["username", "full_name", "email", "is_active", "last_login"]
    list_filter = ["is_active", "memberships__role"]
    search_fields = ["username", "first_name", "last_name", "email"]
    ordering = ["username"]
    readonly_fields = ["last_login", "date_joined"]

    @admin.display(description=_("họ và tên"), ordering="last_name")
    def full_name(self, obj):
        return display_name(obj)

    def scope_queryset(self, request, queryset: QuerySet, action: str) -> QuerySet:
        user = request.user
        perm = f"auth.{action}_user"
        if access.sees_everything(user, perm):
            scoped = queryset
        else:
            q = access.units_q(user, perm, prefix="unit__")
            if q is None:
                return queryset.none()
            inside = Membership.objects.filter(q)
            scoped = queryset.filter(pk__in=inside.values("user_id"))
            if action != "view":
                outside = Membership.objects.exclude(pk__in=inside.values("pk"))
                scoped = scoped.exclude(pk__in=outside.values("user_id"))
        if action != "view" and not user.is_superuser:
            scoped = scoped.exclude(is_superuser=True)
        return scoped

    def get_fieldsets(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        personal = (_("Thông tin cá nhân"), {"fields": ("last_name", "first_name", "email")})
        if obj is None:
            return [*self.add_fieldsets, personal]
        return [
            (None, {"fields": ("username", "password")}),
            personal,
            (_("Trạng thái"), {"fields": ("is_active", "last_login", "date_joined")}),
        ]

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        for membership in formset.deleted_objects:
            services.membership_revoke(membership=membership)
        for inline_form in formset.forms:
            if inline_form in formset.deleted_forms or not inline_form.has_changed():
                continue
            _save_membership(
                membership=inline_form.instance, user=form.instance, data=inline_form.cleaned_data
            )
