"""The household list of a unit as a reader may see it: the filter form read from the query string
and the scoped, filtered rows. Shared by the list page, its Excel export and the background export
(which reads the same query string on the worker, with the job owner's access at run time)."""

from units import access
from units.models import AdministrativeUnit, Level

from . import selectors
from .forms import HouseholdFilterForm

VIEW = "households.view_household"


def unit_households(user, unit: AdministrativeUnit):
    return access.households_visible_to(user).filter(unit.within())


def list_filters(
    user, unit: AdministrativeUnit, data
) -> tuple[HouseholdFilterForm, selectors.HouseholdFilters]:
    """The filter form bound to `data` (a QueryDict, or None for the unfiltered list) and the
    filters it gives; invalid values fall back to no filter, as the list page shows them. A
    selection by a sensitive group the user may not use is refused (access.SensitiveSelectionRefused)."""
    access.refuse_sensitive_query(user, unit, data)
    villages = unit.children_units().order_by("name") if unit.level == Level.COMMUNE else None
    form = HouseholdFilterForm(
        data or None, villages=villages, policy_groups=access.selectable_policy_groups(user, unit)
    )
    filters = selectors.HouseholdFilters()
    if form.is_valid():
        cleaned = form.cleaned_data
        filters = selectors.HouseholdFilters(
            q=cleaned["q"],
            village=cleaned.get("village"),
            status=cleaned["status"],
            group=cleaned["group"],
            policy_group=cleaned["policy_group"],
            female_head=cleaned["female_head"],
            state=cleaned["state"],
            year=cleaned["year"],
        )
    return form, filters


def export_rows(user, unit: AdministrativeUnit, filters: selectors.HouseholdFilters):
    """The rows an export of the filtered list writes, and how many there are (one grouped query)."""
    rows = selectors.household_rows(unit_households(user, unit), filters)
    count = selectors.count_for(selectors.class_totals(rows), filters)
    return selectors.filter_by_class(rows, filters), count
