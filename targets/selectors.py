"""Reads for targets and registrations: baselines, progress, the source-shaped target tables,
eligible households, stale help.

Callers pass querysets already scoped by units/access.py (`targets_visible_to`,
`registrations_visible_to`, `assessments_visible_to`, `households_visible_to`); these functions
only narrow them to one unit's subtree for drilling down, and aggregate with one grouped query per
figure, never a query per unit or per household.

Dates: a year's baseline is the households' status on 1 January; its results are their status at
the start of the next year (so a year-end review effective in December or on 1 January counts),
or today while the year is running."""

from dataclasses import asdict, dataclass, fields
from datetime import date, timedelta

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from core import tables as t
from core.formatting import rate
from households.flows import flows_by
from households.models import Assessment, Household, PovertyClass
from households.selectors import status_on_q
from units.models import AdministrativeUnit, Level, Organisation

from . import tables
from .models import AnnualTarget, Outcome, Registration

SOCIAL_PROTECTION = "bao-tro-xa-hoi"  # PolicyGroup code: the "HN cứng" of the Cam Lộ table
STALE_AFTER_DAYS = 90


# --- Dates ----------------------------------------------------------------------------------------


def baseline_date(year: int) -> date:
    """The date a year's baseline is counted on: 1 January."""
    return date(year, 1, 1)


def results_date(year: int, today: date) -> date:
    """The date a year's results are read on: 1 January of the next year, or today before that."""
    return min(today, date(year + 1, 1, 1))


def reference_date(year: int, today: date) -> date:
    """The day within `year` closest to today: whose status makes a household eligible in that year."""
    return min(max(today, date(year, 1, 1)), date(year, 12, 31))


def stale_cutoff(year: int, today: date) -> date:
    """Registrations whose last help (or registration) is before this date are overdue for help."""
    return reference_date(year, today) - timedelta(days=STALE_AFTER_DAYS)


# --- Baselines ------------------------------------------------------------------------------------


@dataclass
class Baseline:
    households: int = 0
    poor: int = 0
    near_poor: int = 0
    poor_policy: int = 0
    poor_social_protection: int = 0
    poor_female_head: int = 0
    near_poor_female_head: int = 0

    @property
    def has_data(self) -> bool:
        return self.households > 0

    @property
    def poor_rate(self):
        return rate(self.poor, self.households)

    @property
    def near_poor_rate(self):
        return rate(self.near_poor, self.households)

    def as_target_fields(self) -> dict:
        return {f"baseline_{name}": value for name, value in asdict(self).items()}

    @classmethod
    def of_target(cls, target: AnnualTarget) -> "Baseline":
        return cls(**{f.name: getattr(target, f"baseline_{f.name}") for f in fields(cls)})


def _with_social_protection(assessments: QuerySet) -> QuerySet:
    groups = Household.policy_groups.through.objects.filter(
        household_id=OuterRef("household_id"), policygroup__code=SOCIAL_PROTECTION
    )
    return assessments.annotate(social_protection=Exists(groups))


_POOR = Q(result_class=PovertyClass.POOR)
_NEAR = Q(result_class=PovertyClass.NEAR_POOR)
_BASELINE_AGGREGATES = {
    "households": Count("pk"),
    "poor": Count("pk", filter=_POOR),
    "near_poor": Count("pk", filter=_NEAR),
    "poor_social_protection": Count("pk", filter=_POOR & Q(social_protection=True)),
    "poor_female_head": Count("pk", filter=_POOR & Q(household__female_head=True)),
    "near_poor_female_head": Count("pk", filter=_NEAR & Q(household__female_head=True)),
}


def _baseline(row: dict) -> Baseline:
    return Baseline(poor_policy=row["poor"] - row["poor_social_protection"], **row)


def baseline_of(assessments: QuerySet, unit: AdministrativeUnit, on: date) -> Baseline:
    """Households of `unit` by class on `on` from approved assessments (one query). Poor households
    in the social-protection policy group are the "HN cứng"; the other poor are "Hộ CS GN"."""
    scoped = _with_social_protection(assessments.filter(status_on_q(on)).filter(unit.within()))
    return _baseline(scoped.aggregate(**_BASELINE_AGGREGATES))


def baselines_by_child(
    assessments: QuerySet, unit: AdministrativeUnit, on: date
) -> dict[int | None, Baseline]:
    """The same figures for each child of `unit` (one grouped query); children without households
    are absent."""
    field = unit.child_field
    rows = (
        _with_social_protection(assessments.filter(status_on_q(on)).filter(unit.within()))
        .values(f"{field}_id")
        .annotate(**_BASELINE_AGGREGATES)
        .order_by()
    )
    return {row.pop(f"{field}_id"): _baseline(row) for row in rows}


# --- Progress -------------------------------------------------------------------------------------


@dataclass
class Progress:
    """Where a unit stands against its target for a year, for the locality or one kind of
    organisation. Two different things (households/flows.py):
    - `escaped_*`: households that left poverty (near-poverty) by an approved review — for a
      locality all of them (households/flows.py), for an organisation its registered ones;
    - `helped_escaped_*`: helped households whose escape the commune confirmed (the review may be
      pending: "chờ rà soát")."""

    unit: AdministrativeUnit | None = None
    target: AnnualTarget | None = None
    registered: int = 0
    registered_poor: int = 0
    registered_near_poor: int = 0
    helped: int = 0
    escaped_poor: int = 0
    escaped_near_poor: int = 0
    helped_escaped_poor: int = 0
    helped_escaped_near_poor: int = 0
    stale: int = 0
    awaiting_confirmation: int = 0

    @property
    def target_poor(self) -> int | None:
        return self.target.reduce_poor if self.target else None

    @property
    def target_near_poor(self) -> int | None:
        return self.target.reduce_near_poor if self.target else None

    @property
    def done_poor(self):
        """Escaped poverty as a percentage of the target (None without a target)."""
        return rate(self.escaped_poor, self.target_poor) if self.target_poor else None

    @property
    def bar_poor(self):
        """done_poor capped at 100 for a progress bar."""
        return min(self.done_poor, 100) if self.done_poor is not None else None

    @property
    def done_near_poor(self):
        return rate(self.escaped_near_poor, self.target_near_poor) if self.target_near_poor else None

    @property
    def is_empty(self) -> bool:
        return (
            self.target is None
            and not self.registered
            and not self.escaped_poor
            and not self.escaped_near_poor
        )


_REGISTRATION_FIGURES = (
    "registered",
    "registered_poor",
    "registered_near_poor",
    "helped",
    "stale",
    "awaiting_confirmation",
    "helped_escaped_poor",
    "helped_escaped_near_poor",
)


def _registration_aggregates(overdue: Q) -> dict:
    open_ = Q(confirmed_outcome="")
    poor = Q(class_at_registration=PovertyClass.POOR)
    near = Q(class_at_registration=PovertyClass.NEAR_POOR)
    return {
        "registered": Count("pk"),
        "registered_poor": Count("pk", filter=poor),
        "registered_near_poor": Count("pk", filter=near),
        "helped": Count("pk", filter=Q(last_help_on__isnull=False)),
        "stale": Count("pk", filter=overdue),
        "awaiting_confirmation": Count("pk", filter=open_ & ~Q(proposed_outcome="")),
        # An organisation's result: its helped households out of poverty by an approved review at
        # the results date (a confirmation alone changes no status: it opens the review).
        "escaped_poor": Count("pk", filter=poor & Q(out_of_poverty=True)),
        "escaped_near_poor": Count("pk", filter=near & Q(out_of_near_poverty=True)),
        # Confirmed by the commune, whether or not the review is approved yet.
        "helped_escaped_poor": Count("pk", filter=poor & Q(confirmed_outcome=Outcome.ESCAPED_POVERTY)),
        "helped_escaped_near_poor": Count(
            "pk", filter=near & Q(confirmed_outcome=Outcome.ESCAPED_NEAR_POVERTY)
        ),
    }


def _status_at(on: date, household_ref: str = "household_id") -> QuerySet:
    return Assessment.objects.filter(status_on_q(on), household_id=OuterRef(household_ref))


def annotate_registrations(registrations: QuerySet, *, year: int, today: date) -> QuerySet:
    """Registrations with `last_activity` (last help, else the registration date) and whether the
    household's approved status at the year's results date is out of poverty / near-poverty."""
    end = results_date(year, today)
    out = [PovertyClass.MEDIUM, PovertyClass.NOT_POOR]
    return registrations.annotate(
        last_activity=Coalesce("last_help_on", "registered_on"),
        out_of_poverty=Exists(_status_at(end).exclude(result_class=PovertyClass.POOR)),
        out_of_near_poverty=Exists(_status_at(end).filter(result_class__in=out)),
    )


def _registration_figures(
    registrations: QuerySet,
    unit: AdministrativeUnit,
    year: int,
    kind: str | None,
    today: date,
    by_child: bool,
):
    queryset = registrations.filter(year=year).filter(unit.within("household__"))
    if kind:
        queryset = queryset.filter(organisation__kind=kind)
    queryset = annotate_registrations(queryset, year=year, today=today)
    aggregates = _registration_aggregates(overdue_q(year, today))
    if not by_child:
        return queryset.aggregate(**aggregates)
    key = f"household__{unit.child_field}_id"
    return {row.pop(key): row for row in queryset.values(key).annotate(**aggregates).order_by()}


def _locality_escapes(
    assessments: QuerySet, unit: AdministrativeUnit, year: int, today: date, by_child: bool
):
    """Households of the unit that left poverty (near-poverty) by an approved review between
    1 January and the results date: the flows' `escaped` (households/flows.py), the figure a
    locality's target is measured by. Confirmed outcomes of helped households are counted apart."""
    start, end = baseline_date(year), results_date(year, today)
    if end < start:
        return {} if by_child else {"escaped_poor": 0, "escaped_near_poor": 0}
    fields = [unit.child_field] if by_child else []
    result = {
        key: {
            "escaped_poor": flows.escaped(PovertyClass.POOR),
            "escaped_near_poor": flows.escaped(PovertyClass.NEAR_POOR),
        }
        for key, flows in flows_by(assessments, unit, start, end, fields).items()
    }
    if by_child:
        return {key[0]: figures for key, figures in result.items()}
    return result.get((), {"escaped_poor": 0, "escaped_near_poor": 0})


def _targets_for(targets: QuerySet, units: list[AdministrativeUnit], year: int, kind: str | None) -> dict:
    queryset = targets.filter(year=year, unit__in=units).select_related("unit", "organisation")
    queryset = (
        queryset.filter(organisation__kind=kind) if kind else queryset.filter(organisation__isnull=True)
    )
    return {target.unit_id: target for target in queryset}


def progress(
    *,
    unit: AdministrativeUnit,
    children: list[AdministrativeUnit],
    year: int,
    kind: str | None,
    targets: QuerySet,
    registrations: QuerySet,
    assessments: QuerySet,
    today: date,
) -> tuple[Progress, list[Progress]]:
    """The unit's progress and each child's, for the locality (`kind` None) or one kind of
    organisation: five queries whatever the number of children."""
    target_by_unit = _targets_for(targets, [unit, *children], year, kind)
    own = Progress(unit=unit, target=target_by_unit.get(unit.pk))
    rows = {child.pk: Progress(unit=child, target=target_by_unit.get(child.pk)) for child in children}

    for name, value in _registration_figures(registrations, unit, year, kind, today, by_child=False).items():
        if kind or name in _REGISTRATION_FIGURES:
            setattr(own, name, value or 0)
    if unit.level < Level.VILLAGE and children:
        for key, figures in _registration_figures(
            registrations, unit, year, kind, today, by_child=True
        ).items():
            if key in rows:
                for name, value in figures.items():
                    if kind or name in _REGISTRATION_FIGURES:
                        setattr(rows[key], name, value)
    if not kind:
        for name, value in _locality_escapes(assessments, unit, year, today, by_child=False).items():
            setattr(own, name, value or 0)
        if unit.level < Level.VILLAGE and children:
            for key, figures in _locality_escapes(assessments, unit, year, today, by_child=True).items():
                if key in rows:
                    for name, value in figures.items():
                        setattr(rows[key], name, value)
    return own, [rows[child.pk] for child in children]


def default_year(targets: QuerySet, registrations: QuerySet, today: date) -> int:
    """The year the targets pages, their lists and the home page's progress open on (one rule for
    all of them, shown with a year picker): the current review year, the year whose results are
    being worked on. A year's targets are met or missed by that year's periodic review (1 September
    to 14 December), so it is the calendar year of `today` — from 1 January the new year's. When
    the user's scope has no target or registration of it yet, the latest earlier year that has one,
    so that a page does not open empty while last year's figures exist. A target or registration
    of a later year (registered ahead in December) never moves it."""
    current = today.year
    years = [
        targets.filter(year__lte=current).aggregate(year=Max("year"))["year"],
        registrations.filter(year__lte=current).aggregate(year=Max("year"))["year"],
    ]
    known = [year for year in years if year]
    return max(known) if known else current


def top_targets(targets: QuerySet, year: int) -> QuerySet:
    """Targets of `year` whose parent is outside the given (scoped) set: the tops of the user's trees."""
    of_year = targets.filter(year=year)
    return (
        of_year.exclude(parent__in=of_year.values("pk"))
        .select_related("unit", "organisation")
        .order_by("unit__level", "organisation__kind", "unit__code")
    )


# --- Registrations --------------------------------------------------------------------------------


def eligible_households(households: QuerySet, *, year: int, today: date) -> QuerySet:
    """Households (already scoped) that are poor or near-poor on the reference day of `year`, by
    approved assessments, annotated with that class as `class_in_year`."""
    on = reference_date(year, today)
    status = Assessment.objects.filter(status_on_q(on), household_id=OuterRef("pk")).order_by(
        "-effective_date"
    )
    return (
        households.filter(removed_on__isnull=True)
        .annotate(class_in_year=Subquery(status.values("result_class")[:1]))
        .filter(class_in_year__in=[PovertyClass.POOR, PovertyClass.NEAR_POOR])
    )


def class_in_year(household: Household, *, year: int, today: date) -> str:
    """The household's class on the reference day of `year` ("" without an approved assessment)."""
    on = reference_date(year, today)
    status = (
        Assessment.objects.filter(status_on_q(on), household=household).order_by("-effective_date").first()
    )
    return status.result_class if status else ""


def is_stale(registration: Registration, today: date) -> bool:
    """No help recorded for 90 days (counting from the registration when none yet), outcome open."""
    if registration.confirmed_outcome:
        return False
    last = registration.last_help_on or registration.registered_on
    return last < stale_cutoff(registration.year, today)


def overdue_q(year: int, today: date) -> Q:
    """Registrations of `year` overdue for help, over a queryset from `annotate_registrations`
    (its `last_activity`): the database form of `is_stale`."""
    return Q(confirmed_outcome="", last_activity__lt=stale_cutoff(year, today))


def help_total(registration: Registration) -> int:
    return sum(entry.value for entry in registration.help_entries.all())


def child_units(units: QuerySet, unit: AdministrativeUnit) -> list[AdministrativeUnit]:
    """`unit`'s children among the given (scoped) units, in code order."""
    return list(units.filter(pk__in=unit.children_units().values("pk")).order_by("code"))


# --- The source-shaped target tables ------------------------------------------------------------


def children_of(target: AnnualTarget) -> QuerySet:
    """Targets allocated from `target` (same year, same family: the locality's or one kind of organisation's)."""
    return target.children.select_related("unit", "organisation").order_by("position", "unit__code")


def target_table(target: AnnualTarget, *, units: QuerySet) -> t.Table:
    """The Cam Lộ table of the units (among the scoped `units`) that `target` was allocated to: their
    frozen baselines and targets, never recomputed."""
    rows = [
        tables.TargetTableInput(
            label=child.unit.name,
            households=child.baseline_households,
            poor=child.baseline_poor,
            poor_policy=child.baseline_poor_policy,
            poor_social_protection=child.baseline_poor_social_protection,
            reduce_poor=child.reduce_poor,
            unit_id=child.unit_id,
        )
        for child in children_of(target).filter(unit__in=units)
    ]
    return tables.build_target_table(rows, year=target.year)


def union_label(kind: str, unit: AdministrativeUnit) -> str:
    """The organisation one level below `unit`, as the Đà Nẵng table names it ("Hội LHPN quận/huyện")."""
    short = {Organisation.Kind.WOMENS_UNION: "Hội LHPN"}.get(kind, str(Organisation.Kind(kind).label))
    below = {Level.PROVINCE: "quận/huyện" if unit.is_pre2025 else "xã/phường", Level.DISTRICT: "xã/thị trấn"}
    return f"{short} {below.get(unit.level, 'thôn/tổ dân phố')}"


def union_table(target: AnnualTarget, *, kind: str, targets: QuerySet, units: QuerySet) -> t.Table:
    """The Đà Nẵng table of a locality's `target`: per unit it was allocated to (among the scoped
    `units`), the locality's target and the share of the organisation of `kind` (among the scoped
    `targets`); a unit whose organisation has no share yet shows 0."""
    children = list(children_of(target).filter(unit__in=units))
    shares = {
        share.unit_id: share
        for share in targets.filter(
            year=target.year, organisation__kind=kind, unit__in=[child.unit_id for child in children]
        ).select_related("organisation")
    }
    rows = []
    for child in children:
        share = shares.get(child.unit_id)
        rows.append(
            tables.UnionTableInput(
                label=(share.organisation.short_name or share.organisation.name)
                if share
                else child.unit.name,
                locality_poor=child.reduce_poor,
                locality_near_poor=child.reduce_near_poor,
                organisation_poor=share.reduce_poor if share else 0,
                organisation_near_poor=share.reduce_near_poor if share else 0,
                percent=share.share_percent if share else None,
                unit_id=child.unit_id,
            )
        )
    women = kind == Organisation.Kind.WOMENS_UNION
    return tables.build_union_table(
        rows,
        year=target.year,
        organisation_label=union_label(kind, target.unit),
        poor_label="Số hộ PNN" if women else gettext("Số hộ nghèo"),
        near_poor_label="Số hộ PNCN" if women else gettext("Số hộ cận nghèo"),
    )
