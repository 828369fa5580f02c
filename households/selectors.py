"""Reads about households' status on a date. Callers pass querysets already scoped by
units/access.py; these functions only aggregate.

Status on date D = the approved assessment with effective_date ≤ D < valid_until (valid_until is
the effective date of the household's next approved assessment, empty for the latest). Counting a
province's households by class is therefore one aggregate query, never a query per household."""

from dataclasses import asdict, dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet

from units.models import AdministrativeUnit, AdminVersion, Level

from .models import Assessment, PoorGroup, PovertyClass


def status_on_q(on: date, prefix: str = "") -> Q:
    """Q selecting, among assessments, the one that gives each household its status on `on`."""
    return Q(**{f"{prefix}state": Assessment.State.APPROVED, f"{prefix}effective_date__lte": on}) & (
        Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gt": on})
    )


def status_assessments(assessments: QuerySet, on: date) -> QuerySet:
    return assessments.filter(status_on_q(on))


@dataclass
class ClassCounts:
    households: int = 0
    poor: int = 0
    near_poor: int = 0
    medium: int = 0
    not_poor: int = 0
    poor_income: int = 0
    poor_deprivation: int = 0

    def as_dict(self) -> dict:
        return asdict(self)

    def __add__(self, other: "ClassCounts") -> "ClassCounts":
        return ClassCounts(**{k: v + getattr(other, k) for k, v in asdict(self).items()})


_AGGREGATES = {
    "households": Count("pk"),
    "poor": Count("pk", filter=Q(result_class=PovertyClass.POOR)),
    "near_poor": Count("pk", filter=Q(result_class=PovertyClass.NEAR_POOR)),
    "medium": Count("pk", filter=Q(result_class=PovertyClass.MEDIUM)),
    "not_poor": Count("pk", filter=Q(result_class=PovertyClass.NOT_POOR)),
    "poor_income": Count("pk", filter=Q(result_class=PovertyClass.POOR, result_group=PoorGroup.INCOME)),
    "poor_deprivation": Count(
        "pk", filter=Q(result_class=PovertyClass.POOR, result_group=PoorGroup.DEPRIVATION)
    ),
}


def count_by_class(assessments: QuerySet, on: date) -> ClassCounts:
    """Households by class on `on`, over the given (scoped) assessments: one query."""
    return ClassCounts(**status_assessments(assessments, on).aggregate(**_AGGREGATES))


def child_field(unit: AdministrativeUnit) -> str:
    """The located field that names a unit's children: district or commune under a province
    (three tiers before 2025, two after), commune under a district, village under a commune."""
    if unit.level == Level.PROVINCE:
        return "district" if unit.admin_version == AdminVersion.PRE2025 else "commune"
    return {Level.DISTRICT: "commune", Level.COMMUNE: "village"}[unit.level]


def counts_by_child(
    assessments: QuerySet, unit: AdministrativeUnit, on: date
) -> dict[int | None, ClassCounts]:
    """Households by class on `on` for each child of `unit`: one grouped query.

    Keys are child unit ids (None for households of a commune with no village recorded)."""
    field = child_field(unit)
    level_field = {Level.PROVINCE: "province", Level.DISTRICT: "district", Level.COMMUNE: "commune"}[
        unit.level
    ]
    rows = (
        status_assessments(assessments.filter(**{f"{level_field}_id": unit.pk}), on)
        .values(f"{field}_id")
        .annotate(**_AGGREGATES)
        .order_by()
    )
    result = {}
    for row in rows:
        key = row.pop(f"{field}_id")
        result[key] = ClassCounts(**row)
    return result
