"""Reads for reports. Callers pass a ReportScope (units/access.py); these functions filter the scoped
querysets to a unit's subtree and aggregate in the database.

Every figure per unit comes from a grouped aggregate — GROUP BY the child unit field (or the
district/commune/village fields together for a locked period's snapshot) with conditional counts —
so the number of queries does not depend on how many units a report has."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan
from django.utils.translation import gettext as _

from households import indicators
from households.flows import Flows, flows_by
from households.models import Assessment, Household, PoorGroup, PovertyClass, PovertyStandard
from households.selectors import status_on_q
from units.models import AdministrativeUnit, AdminVersion, Level

from .models import PeriodLock
from .scope import ReportScope

SOCIAL_PROTECTION = "bao-tro-xa-hoi"
MERIT = "nguoi-co-cong"

CHANGE_KEYS = (
    "escaped_poverty",
    "new_poor",
    "relapsed_poor",
    "escaped_near_poverty",
    "new_near_poor",
    "relapsed_near_poor",
)


def in_unit(queryset: QuerySet, unit: AdministrativeUnit, prefix: str = "") -> QuerySet:
    return queryset.filter(unit.within(prefix))


def quarter_dates(year: int, quarter: int) -> tuple[date, date]:
    start = date(year, 3 * (quarter - 1) + 1, 1)
    end = date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)
    return start, end - timedelta(days=1)


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    return (year, quarter - 1) if quarter > 1 else (year - 1, 4)


# --- Units ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitRef:
    id: int | None
    name: str
    code: str = ""
    level: int = 0
    admin_version: str = AdminVersion.V2025

    @classmethod
    def of(cls, unit: AdministrativeUnit) -> "UnitRef":
        return cls(unit.pk, unit.name, unit.code, unit.level, unit.admin_version)


def no_child_label(unit) -> str:
    """The row of a unit's households that have no child unit: under a 2025 province, those of a
    split pre-2025 commune whose village is not yet assigned to a new commune."""
    if unit.level == Level.PROVINCE and unit.admin_version == AdminVersion.V2025:
        return _("Chưa xác định đơn vị mới (xã cũ được chia, thôn chưa gán)")
    word = {Level.PROVINCE: _("huyện"), Level.DISTRICT: _("xã")}.get(unit.level, _("thôn, tổ dân phố"))
    return _("Hộ chưa ghi %(word)s") % {"word": word}


def children_of(unit: AdministrativeUnit) -> list[UnitRef]:
    return [UnitRef.of(child) for child in unit.children_units()]


def subtree(unit: AdministrativeUnit) -> list[AdministrativeUnit]:
    """Every unit below `unit` (one query), for building a locked period's documents."""
    return list(unit.subtree_units().order_by("level", "code"))


# --- Poverty standard -------------------------------------------------------------------------------


@dataclass(frozen=True)
class StandardInfo:
    id: int
    name: str
    legal_basis: str
    either_rule: bool  # QĐ 59/2015: poor by income (N1) or by deprivation (N2)
    indicators: tuple[tuple[int, str, str], ...]  # (order, dimension, name)


def standard_for(end: date, unit: AdministrativeUnit) -> StandardInfo | None:
    """The standard a report of a period ending on `end` reads its indicators and N1/N2 by: the
    standard of the lists that stand at the period's end, which is the one in force on the next
    day — on 31/12/Y the lists are those of Y+1, drawn up by the year-end review under the standard
    of 1 January Y+1 (households/models.py `for_review`); at the end of any other quarter it is
    the standard in force that day."""
    province = unit if unit.level == Level.PROVINCE else unit.province
    try:
        standard = PovertyStandard.objects.in_force_on(end + timedelta(days=1), province)
    except PovertyStandard.DoesNotExist:
        return None
    return _standard_info(standard)


def _standard_info(standard: PovertyStandard) -> StandardInfo:
    indicators = tuple(standard.indicators.order_by("order").values_list("order", "dimension", "name"))
    return StandardInfo(
        id=standard.pk,
        name=standard.name,
        legal_basis=standard.legal_basis,
        either_rule=standard.rule == "either_2016",
        indicators=indicators,
    )


# --- Quarterly figures ------------------------------------------------------------------------------


def _policy_members(code: str):
    through = Household.policy_groups.through
    return through.objects.filter(policygroup__code=code).values("household_id")


def stock_aggregates(standard: StandardInfo | None) -> dict:
    """Counts read from the assessment row alone (no join): classes, N1/N2, deprivation bits."""
    poor = Q(result_class=PovertyClass.POOR)
    aggregates = {
        "households": Count("pk"),
        "poor": Count("pk", filter=poor),
        "near_poor": Count("pk", filter=Q(result_class=PovertyClass.NEAR_POOR)),
        "poor_income": Count("pk", filter=poor & Q(result_group=PoorGroup.INCOME)),
        "poor_deprivation": Count("pk", filter=poor & Q(result_group=PoorGroup.DEPRIVATION)),
    }
    if standard is not None:
        same = poor & Q(standard_id=standard.id)
        aggregates["poor_other_standard"] = Count("pk", filter=poor & ~Q(standard_id=standard.id))
        for order, _dimension, _name in standard.indicators:
            bit = indicators.bit(order)
            aggregates[f"ind_{order}"] = Count(
                "pk", filter=same & Q(GreaterThan(F("deprived_mask").bitand(bit), 0))
            )
    return aggregates


# Poor households by group: these read the household (flags, policy groups), so they are counted
# over the poor households only — a join of a few percent of the rows, not of the whole province.
POOR_GROUP_AGGREGATES = {
    "poor_social_protection": lambda: Count(
        "pk", filter=Q(household_id__in=_policy_members(SOCIAL_PROTECTION))
    ),
    "poor_merit": lambda: Count("pk", filter=Q(household_id__in=_policy_members(MERIT))),
    "poor_ethnic": lambda: Count("pk", filter=Q(household__ethnic_minority=True)),
    "poor_female": lambda: Count("pk", filter=Q(household__female_head=True)),
    "poor_no_labour": lambda: Count("pk", filter=Q(household__labour=Household.Labour.NO_LABOUR)),
}


def poor_groups_by(
    scope: ReportScope, unit: AdministrativeUnit, on: date, group_fields: list[str]
) -> dict[tuple, dict]:
    """Poor households on `on` by group (social protection, merit, ethnic minority, female head,
    no labour), grouped by `group_fields`: one query over the poor households only."""
    queryset = in_unit(scope.assessments(), unit).filter(status_on_q(on), result_class=PovertyClass.POOR)
    return _grouped(queryset, group_fields, {key: make() for key, make in POOR_GROUP_AGGREGATES.items()})


BASIC_STOCK = {
    "households": Count("pk"),
    "poor": Count("pk", filter=Q(result_class=PovertyClass.POOR)),
    "near_poor": Count("pk", filter=Q(result_class=PovertyClass.NEAR_POOR)),
}


def _grouped(queryset: QuerySet, group_fields: list[str], aggregates: dict) -> dict[tuple, dict]:
    keys = [f"{name}_id" for name in group_fields]
    result = {}
    for row in queryset.values(*keys).annotate(**aggregates).order_by():
        key = tuple(row.pop(k) for k in keys)
        result[key] = row
    return result


def stock_by(
    scope: ReportScope, unit: AdministrativeUnit, on: date, group_fields: list[str], aggregates: dict
) -> dict[tuple, dict]:
    """Households by status on `on`, grouped by `group_fields`: one query."""
    return _grouped(in_unit(scope.assessments(), unit).filter(status_on_q(on)), group_fields, aggregates)


def changes_by(
    scope: ReportScope, unit: AdministrativeUnit, start: date, end: date, group_fields: list[str]
) -> dict[tuple, dict]:
    """Flows in [start, end] (the quarter) and since 1 January (year to date), by the columns of
    Biểu 3, from the one definition of flows (households/flows.py): escaped = poor → near-poor or
    above (near-poor: above); new = from the other class or new to it; relapsed = returned to it.
    Flows that are neither (moves, baselines, near-poor → poor for the near-poor) are in the
    poor-changes and near-poor-changes reports, whose columns balance the stock."""
    periods = {"": (start, end), "_ytd": (date(end.year, 1, 1), end)}
    result: dict[tuple, dict] = defaultdict(dict)
    for suffix, (first, last) in periods.items():
        for key, flows in flows_by(scope.assessments(), unit, first, last, group_fields).items():
            row = result[key]
            for cls, escaped, new, relapsed in (
                (PovertyClass.POOR, "escaped_poverty", "new_poor", "relapsed_poor"),
                (PovertyClass.NEAR_POOR, "escaped_near_poverty", "new_near_poor", "relapsed_near_poor"),
            ):
                flow = flows.households[cls]
                row[f"{escaped}{suffix}"] = flows.escaped(cls)
                row[f"{new}{suffix}"] = flow.from_other + flow.new
                row[f"{relapsed}{suffix}"] = flow.again
    return dict(result)


def late_approvals_by(
    scope: ReportScope, unit: AdministrativeUnit, until: date, after, group_fields: list[str]
) -> dict[tuple, dict]:
    """Assessments effective on or before `until` but approved after `after` (a lock): one query."""
    approved_later = Q(decided_at__gt=after) | Q(decided_at__isnull=True, created_at__gt=after)  # imports
    return _grouped(
        in_unit(scope.assessments(), unit).filter(
            approved_later, state=Assessment.State.APPROVED, effective_date__lte=until
        ),
        group_fields,
        {"late": Count("pk")},
    )


def targets_by_unit(
    scope: ReportScope, unit: AdministrativeUnit, year: int, *, whole_subtree: bool
) -> dict[int, tuple[int, int]]:
    """The locality's own targets (no organisation) of `unit` and its children (or its whole subtree)."""
    located = Q(unit=unit) | (unit.within("unit__") if whole_subtree else Q(unit__parent=unit))
    rows = (
        scope.targets()
        .filter(located, year=year, organisation__isnull=True)
        .values_list("unit_id", "reduce_poor", "reduce_near_poor")
    )
    return {unit_id: (poor, near) for unit_id, poor, near in rows}


# --- Summary reports (review-summary, poor-changes, near-poor-changes, deprivation-*) -------------


@dataclass(frozen=True)
class Layout:
    """The rows of a summary report of `unit`: its children in code order, or for a pre-2025
    province its communes grouped under their districts (`groups`: (district or None, rows)).
    Figures for it are grouped by `fields` and keyed by the row unit (the last field)."""

    unit: UnitRef
    fields: tuple[str, ...]
    groups: tuple[tuple[UnitRef | None, tuple[UnitRef, ...]], ...]

    @property
    def row_count(self) -> int:
        return sum(len(rows) + (district is not None) for district, rows in self.groups)

    @property
    def unit_ids(self) -> list[int]:
        """The report unit, the districts and the row units (whose resident population counts)."""
        ids = [self.unit.id]
        for district, rows in self.groups:
            ids += ([district.id] if district else []) + [row.id for row in rows]
        return [pk for pk in ids if pk is not None]


def summary_layout(unit: AdministrativeUnit) -> Layout:
    """The rows of `unit`'s summary reports (two queries for a pre-2025 province, else one)."""
    if unit.level == Level.PROVINCE and unit.is_pre2025:
        districts = children_of(unit)
        by_district: dict[int, list[UnitRef]] = defaultdict(list)
        for commune in AdministrativeUnit.objects.filter(province=unit, level=Level.COMMUNE).order_by("code"):
            by_district[commune.district_id].append(UnitRef.of(commune))
        groups = tuple((district, tuple(by_district.get(district.id, ()))) for district in districts)
        return Layout(UnitRef.of(unit), ("district", "commune"), groups)
    return Layout(UnitRef.of(unit), (unit.child_field,), ((None, tuple(children_of(unit))),))


def _by_row(grouped: dict[tuple, dict]) -> dict[int | None, dict]:
    """Grouped figures keyed by their row unit (the last grouping field; a commune has one district)."""
    result: dict[int | None, dict] = {}
    for key, figures in grouped.items():
        row = result.setdefault(key[-1], {})
        for name, value in figures.items():
            row[name] = row.get(name, 0) + (value or 0)
    return result


def _persons(condition: Q | None = None):
    return Coalesce(Sum("member_count", filter=condition), 0)


def review_stock_by_row(scope: ReportScope, unit: AdministrativeUnit, on: date, layout: Layout) -> dict:
    """Households and persons recorded with a status on `on`, the poor, the near-poor and the
    medium-living farm, forestry, fishery and salt households (and their persons), per row unit:
    two grouped queries (the farm flag is read from the household, over the medium ones only)."""
    stock = in_unit(scope.assessments(), unit).filter(status_on_q(on))
    poor, near = Q(result_class=PovertyClass.POOR), Q(result_class=PovertyClass.NEAR_POOR)
    classes = _grouped(
        stock,
        list(layout.fields),
        {
            "households": Count("pk"),
            "persons": _persons(),
            "poor": Count("pk", filter=poor),
            "poor_persons": _persons(poor),
            "near_poor": Count("pk", filter=near),
            "near_poor_persons": _persons(near),
        },
    )
    medium = _grouped(
        stock.filter(result_class=PovertyClass.MEDIUM, household__agri_forestry_fishery_salt=True),
        list(layout.fields),
        {"medium_farm": Count("pk"), "medium_farm_persons": _persons()},
    )
    rows = _by_row(classes)
    for key, figures in _by_row(medium).items():
        rows.setdefault(key, {}).update(figures)
    return rows


def resident_population(scope: ReportScope, unit_ids: list[int], year: int) -> dict[int, tuple[int, int]]:
    """The resident (households, persons) entered for `year`, by unit id: one query."""
    rows = scope.resident_populations().filter(unit_id__in=unit_ids, year=year)
    return {
        unit_id: (households, persons)
        for unit_id, households, persons in rows.values_list("unit_id", "households", "persons")
    }


def recorded_population(scope: ReportScope, unit: AdministrativeUnit, on: date) -> dict[str, int]:
    """Households and persons of `unit` recorded with a status on `on` (what a report falls back to)."""
    return (
        in_unit(scope.assessments(), unit)
        .filter(status_on_q(on))
        .aggregate(households=Count("pk"), persons=_persons())
    )


def class_standard(
    scope: ReportScope, unit: AdministrativeUnit, on: date, poverty_class: str
) -> StandardInfo | None:
    """The standard the unit's households of `poverty_class` on `on` were classified under (most
    of them), else the one in force for the day after `on` (the year-end review of year Y serves
    year Y + 1)."""
    row = (
        in_unit(scope.assessments(), unit)
        .filter(status_on_q(on), result_class=poverty_class)
        .values("standard_id")
        .annotate(households=Count("pk"))
        .order_by("-households", "standard_id")
        .first()
    )
    if row is not None:
        return _standard_info(PovertyStandard.objects.get(pk=row["standard_id"]))
    return standard_for(on, unit)


def deprivation_by_row(
    scope: ReportScope,
    unit: AdministrativeUnit,
    on: date,
    layout: Layout,
    poverty_class: str,
    standard: StandardInfo | None,
) -> dict:
    """Households of `poverty_class` on `on` per row unit, their deprivations and the households
    deprived on each indicator of `standard` (deprivation bits, `deprived_mask & bit`), and those
    classified under another standard: one grouped query."""
    queryset = in_unit(scope.assessments(), unit).filter(status_on_q(on), result_class=poverty_class)
    aggregates: dict = {"households": Count("pk")}
    if standard is not None:
        same = Q(standard_id=standard.id)
        aggregates["other_standard"] = Count("pk", filter=~same)
        aggregates["deprivations"] = Coalesce(Sum("deprived_count", filter=same), 0)
        for order, _dimension, _name in standard.indicators:
            bit = indicators.bit(order)
            aggregates[f"ind_{order}"] = Count(
                "pk", filter=same & Q(GreaterThan(F("deprived_mask").bitand(bit), 0))
            )
    else:
        aggregates["deprivations"] = Coalesce(Sum("deprived_count"), 0)
    return _by_row(_grouped(queryset, list(layout.fields), aggregates))


def flows_by_row(
    scope: ReportScope, unit: AdministrativeUnit, start: date, end: date, layout: Layout
) -> dict[int | None, Flows]:
    """Stock and flows over [start, end] per row unit (households/flows.py, the one definition)."""
    result: dict[int | None, Flows] = {}
    for key, flows in flows_by(scope.assessments(), unit, start, end, list(layout.fields)).items():
        result[key[-1]] = result[key[-1]] + flows if key[-1] in result else flows
    return result


# --- Period locks -----------------------------------------------------------------------------------


def lock_covering(
    unit: AdministrativeUnit, year: int, quarter: int, code: str = "quarterly"
) -> PeriodLock | None:
    """The lock of this period on the unit or on a unit above it (the highest one wins: its figures
    are the ones that were sent up)."""
    ids = [pk for pk in (unit.province_id, unit.district_id, unit.commune_id, unit.pk) if pk]
    locks = PeriodLock.objects.filter(
        year=year, quarter=quarter, report_code=code, unit_id__in=ids
    ).select_related("unit", "locked_by")
    return min(locks, key=lambda lock: lock.unit.level, default=None)


# --- Organisation reports (Mẫu 01–03) ----------------------------------------------------------------


def org_registrations(scope: ReportScope, unit: AdministrativeUnit, organisation, year: int) -> QuerySet:
    """Registrations of the year by organisations of this kind, for households in the unit's subtree."""
    return in_unit(scope.registrations(), unit, prefix="household__").filter(
        year=year, organisation__kind=organisation.kind
    )


def registration_years(scope: ReportScope, unit: AdministrativeUnit, organisation) -> list[int]:
    """Years in which organisations of this kind registered households in the unit's subtree, latest first."""
    registrations = in_unit(scope.registrations(), unit, prefix="household__").filter(
        organisation__kind=organisation.kind
    )
    return sorted(set(registrations.values_list("year", flat=True)), reverse=True)


def female_headed_by_child(
    scope: ReportScope, unit: AdministrativeUnit, on: date, *, female_only: bool
) -> dict:
    field_name = unit.child_field
    qs = in_unit(scope.assessments(), unit).filter(status_on_q(on))
    if female_only:
        qs = qs.filter(household__female_head=True)
    return {
        key[0]: row
        for key, row in _grouped(
            qs,
            [field_name],
            {
                "poor": Count("pk", filter=Q(result_class=PovertyClass.POOR)),
                "near_poor": Count("pk", filter=Q(result_class=PovertyClass.NEAR_POOR)),
            },
        ).items()
    }


def registrations_by_child(registrations: QuerySet, unit: AdministrativeUnit) -> dict:
    from targets.models import HelpEntry, Outcome

    field_name = f"household__{unit.child_field}_id"
    helped = Exists(HelpEntry.objects.filter(registration_id=OuterRef("pk")))
    rows = (
        registrations.values(field_name)
        .annotate(
            poor=Count("pk", filter=Q(class_at_registration=PovertyClass.POOR)),
            near_poor=Count("pk", filter=Q(class_at_registration=PovertyClass.NEAR_POOR)),
            registered=Count("pk"),
            helped=Count("pk", filter=Q(helped)),
            escaped_poverty=Count("pk", filter=Q(confirmed_outcome=Outcome.ESCAPED_POVERTY)),
            escaped_near_poverty=Count("pk", filter=Q(confirmed_outcome=Outcome.ESCAPED_NEAR_POVERTY)),
            not_yet=Count("pk", filter=Q(confirmed_outcome=Outcome.NOT_YET)),
            unconfirmed=Count("pk", filter=Q(confirmed_outcome="")),
        )
        .order_by()
    )
    return {row.pop(field_name): row for row in rows}


def help_values_by_child(
    registrations: QuerySet, unit: AdministrativeUnit
) -> dict[int | None, dict[str, int]]:
    from targets.models import HelpEntry

    field_name = f"registration__household__{unit.child_field}_id"
    rows = (
        HelpEntry.objects.filter(registration__in=registrations.values("pk"))
        .values(field_name, "kind")
        .annotate(total=Coalesce(Sum("value"), Value(0)))
        .order_by()
    )
    result: dict = defaultdict(dict)
    for row in rows:
        result[row[field_name]][row["kind"]] = row["total"]
    return dict(result)


def org_targets_by_child(
    scope: ReportScope, unit: AdministrativeUnit, organisation, year: int
) -> dict[int, tuple[int, int]]:
    """The organisation kind's targets at each child unit (its share of the locality's target)."""
    rows = (
        scope.targets()
        .filter(unit__parent=unit, year=year, organisation__kind=organisation.kind)
        .order_by("unit_id", "-organisation__unit__level")
        .values_list("unit_id", "reduce_poor", "reduce_near_poor")
    )
    result: dict[int, tuple[int, int]] = {}
    for unit_id, poor, near in rows:
        result.setdefault(unit_id, (poor, near))  # the organisation at the child unit itself first
    return result


@dataclass
class ListItem:
    """One registered household for Mẫu 02 / Mẫu 03 lists."""

    commune_id: int
    commune: str
    village: str
    head: str
    poverty_class: str
    circumstances: str
    causes: list[str]
    needs: str
    measures: list[str]
    responsible: str
    note: str
    help: list[tuple[str, int]] = field(default_factory=list)  # (kind label, value)
    proposed: str = ""
    outcome: str = ""
    confirmed_on: date | None = None
    awaiting_review: bool = False  # a confirmed escape whose review is not approved yet


def registration_list(registrations: QuerySet, *, with_help: bool = False) -> list[ListItem]:
    from targets.models import HelpEntry

    queryset = (
        registrations.select_related("household", "household__commune", "household__village")
        .prefetch_related("causes", "measures")
        .order_by("household__commune__code", "household__village__code", "household__code", "pk")
    )
    help_by: dict[int, list[tuple[str, int]]] = defaultdict(list)
    if with_help:
        labels = dict(HelpEntry.Kind.choices)
        for registration_id, kind, value in (
            HelpEntry.objects.filter(registration__in=registrations.values("pk"))
            .order_by("registration_id", "date", "pk")
            .values_list("registration_id", "kind", "value")
        ):
            help_by[registration_id].append((str(labels.get(kind, kind)), value))
    items = []
    for registration in queryset.iterator(chunk_size=2000):
        household = registration.household
        items.append(
            ListItem(
                commune_id=household.commune_id,
                commune=household.commune.name,
                village=household.village.name if household.village else "",
                head=household.head_name,
                poverty_class=registration.class_at_registration,
                circumstances=registration.circumstances,
                causes=[cause.name for cause in registration.causes.all()],
                needs=registration.needs,
                measures=[measure.name for measure in registration.measures.all()],
                responsible=registration.responsible_member,
                note=registration.note,
                help=help_by.get(registration.pk, []),
                proposed=registration.proposed_outcome,
                outcome=registration.confirmed_outcome,
                confirmed_on=registration.confirmed_on,
                awaiting_review=registration.awaiting_review,
            )
        )
    return items


# --- Dashboard --------------------------------------------------------------------------------------


def trend(scope: ReportScope, unit: AdministrativeUnit, dates: list[date]) -> dict[date, dict]:
    """Households, poor and near-poor of `unit` on each date, in one query (a conditional count per date)."""
    if not dates:
        return {}
    aggregates = {}
    for index, on in enumerate(dates):
        status = status_on_q(on)
        aggregates[f"h{index}"] = Count("pk", filter=status)
        aggregates[f"p{index}"] = Count("pk", filter=status & Q(result_class=PovertyClass.POOR))
        aggregates[f"n{index}"] = Count("pk", filter=status & Q(result_class=PovertyClass.NEAR_POOR))
    row = (
        in_unit(scope.assessments(), unit)
        .filter(state=Assessment.State.APPROVED, effective_date__lte=max(dates))
        .aggregate(**aggregates)
    )
    return {
        on: {"households": row[f"h{i}"], "poor": row[f"p{i}"], "near_poor": row[f"n{i}"]}
        for i, on in enumerate(dates)
    }
