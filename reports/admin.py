from django import forms
from django.contrib import admin

from units.admin_scoping import ScopedAdmin

from .models import PeriodLock, ResidentPopulation
from .services import resident_population_problem, resident_population_save


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


class ResidentPopulationAdminForm(forms.ModelForm):
    class Meta:
        model = ResidentPopulation
        fields = ["unit", "year", "households", "persons", "source"]

    def clean(self):
        data = super().clean()
        unit = data.get("unit") or getattr(self.instance, "unit", None)
        year = data.get("year") or self.instance.year
        if (
            unit is not None
            and year
            and data.get("households") is not None
            and data.get("persons") is not None
        ):
            problem = resident_population_problem(
                unit=unit, year=year, households=data["households"], persons=data["persons"]
            )
            if problem:
                raise forms.ValidationError(problem)
        return data


@admin.register(ResidentPopulation)
class ResidentPopulationAdmin(ScopedAdmin):
    """A unit's resident households and persons per year (the review summary's denominator),
    scoped by unit; saved through the same service as the page, which records who entered it."""

    scope = "unit"
    scope_prefix = "unit__"
    list_display = ["unit", "year", "households", "persons", "source", "entered_by", "entered_at"]
    list_filter = ["year", "unit__admin_version", "unit__level"]
    search_fields = ["unit__search_name", "unit__code"]
    list_select_related = ["unit", "entered_by"]
    autocomplete_fields = ["unit"]
    fields = ["unit", "year", "households", "persons", "source", "entered_by", "entered_at"]
    readonly_fields = ["entered_by", "entered_at"]

    form = ResidentPopulationAdminForm

    def get_readonly_fields(self, request, obj=None):
        # A row is one unit's year: correct its figures, or add the other year as its own row.
        return [*self.readonly_fields, "unit", "year"] if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        saved = resident_population_save(
            user=request.user,
            unit=obj.unit,
            year=obj.year,
            households=obj.households,
            persons=obj.persons,
            source=obj.source,
        )
        obj.pk = saved.pk
