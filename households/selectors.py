"""Reads about households' status on a date. Callers pass querysets already scoped by
units/access.py; these functions only aggregate.

Status on date D = the approved assessment with effective_date ≤ D < valid_until (valid_until is
the effective date of the household's next approved assessment, empty for the latest). Counting a
province's households by class is therefore one aggregate query, never a query per household."""

from dataclasses import asdict, dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from units.models import AdministrativeUnit

from .models import Assessment, Household, Member, PoorGroup, PovertyClass


def status_on_q(on: date, prefix: str = "") -> Q:
    """Q selecting, among assessments, the one that gives each household its status on `on`."""
    return Q(**{f"{prefix}state": Assessment.State.APPROVED, f"{prefix}effective_date__lte": on}) & (
        Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gt": on})
    )


def status_assessments(assessments: QuerySet, on: date) -> QuerySet:
    return assessments.filter(status_on_q(on))


# --- One household --------------------------------------------------------------------------------


def duplicate_citizen_ids(household: Household) -> dict[str, list[Member]]:
    """Members of *other* households that carry a citizen ID of one of this household's members."""
    numbers = list(household.members.exclude(citizen_id="").values_list("citizen_id", flat=True))
    if not numbers:
        return {}
    result: dict[str, list[Member]] = {}
    others = (
        Member.objects.filter(citizen_id__in=numbers).exclude(household=household).select_related("household")
    )
    for member in others:
        result.setdefault(member.citizen_id, []).append(member)
    return result


def open_assessment(household: Household) -> Assessment | None:
    """The household's assessment still in the workflow (draft, submitted or returned), if any."""
    return (
        household.assessments.exclude(state=Assessment.State.APPROVED)
        .order_by("-pk")
        .select_related("standard")
        .first()
    )


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


def counts_by_child(
    assessments: QuerySet, unit: AdministrativeUnit, on: date
) -> dict[int | None, ClassCounts]:
    """Households by class on `on` for each child of `unit`: one grouped query.

    Keys are child unit ids (None for households of a commune with no village recorded)."""
    field = unit.child_field
    rows = (
        status_assessments(assessments.filter(unit.within()), on)
        .values(f"{field}_id")
        .annotate(**_AGGREGATES)
        .order_by()
    )
    result = {}
    for row in rows:
        key = row.pop(f"{field}_id")
        result[key] = ClassCounts(**row)
    return result


# --- Household lists ----------------------------------------------------------------------------

NO_RESULT = "none"


@dataclass
class HouseholdFilters:
    """What a household list is narrowed to (all optional)."""

    q: str = ""
    village: AdministrativeUnit | None = None
    status: str = ""
    group: str = ""
    policy_group: object = None
    female_head: str = ""
    state: str = ""
    year: int | None = None


def _search_q(text: str) -> Q:
    """Name with or without diacritics (head or any member), household code, or citizen ID."""
    from core.text import search_key

    from .citizen_id import clean_number
    from .models import Member

    number = clean_number(text)
    if number.isdigit() and len(number) >= 4:
        ids = Member.objects.filter(citizen_id__startswith=number).values("household_id")
        return Q(code__icontains=text.strip()) | Q(pk__in=ids)
    key = search_key(text)
    members = Member.objects.filter(search_name__contains=key).values("household_id")
    return Q(head_search__contains=key) | Q(code__icontains=text.strip()) | Q(pk__in=members)


def household_rows(households: QuerySet, filters: HouseholdFilters) -> QuerySet:
    """Households narrowed by everything but the class, annotated with the class shown in the list:
    the current status, or the status at the end of `filters.year`."""
    from django.db.models import F, FilteredRelation

    qs = households
    if filters.q.strip():
        qs = qs.filter(_search_q(filters.q))
    if filters.village is not None:
        qs = qs.filter(village=filters.village)
    if filters.policy_group is not None:
        qs = qs.filter(policy_groups=filters.policy_group)
    if filters.female_head in ("0", "1"):
        qs = qs.filter(female_head=filters.female_head == "1")
    if filters.state == NO_RESULT:
        qs = qs.filter(latest_state="")
    elif filters.state:
        qs = qs.filter(latest_state=filters.state)
    if filters.year:
        on = date(filters.year, 12, 31)
        qs = qs.annotate(
            year_status=FilteredRelation("assessments", condition=status_on_q(on, "assessments__"))
        )
        return qs.annotate(
            shown_class=F("year_status__result_class"),
            shown_group=F("year_status__result_group"),
            shown_year=F("year_status__review_year"),
        )
    return qs.annotate(
        shown_class=F("status_class"), shown_group=F("status_group"), shown_year=F("status_year")
    )


def filter_by_class(rows: QuerySet, filters: HouseholdFilters) -> QuerySet:
    if filters.status == NO_RESULT:
        rows = rows.filter(Q(shown_class__isnull=True) | Q(shown_class=""))
    elif filters.status:
        rows = rows.filter(shown_class=filters.status)
    if filters.group:
        rows = rows.filter(shown_class=PovertyClass.POOR, shown_group=filters.group)
    return rows


def class_totals(rows: QuerySet) -> dict[str, int]:
    """Households of the (narrowed) list by the class shown: one grouped query (a handful of rows)."""
    totals = dict.fromkeys(
        ("total", "poor", "poor_income", "poor_deprivation", "near_poor", "medium", "not_poor", "none"), 0
    )
    grouped = rows.values("shown_class", "shown_group").annotate(n=Count("pk")).order_by()
    for row in grouped:
        shown, n = row["shown_class"] or "none", row["n"]
        totals["total"] += n
        totals[shown] = totals.get(shown, 0) + n
        if shown == PovertyClass.POOR and row["shown_group"] == PoorGroup.INCOME:
            totals["poor_income"] += n
        elif shown == PovertyClass.POOR and row["shown_group"] == PoorGroup.DEPRIVATION:
            totals["poor_deprivation"] += n
    return totals


def count_for(totals: dict[str, int], filters: HouseholdFilters) -> int:
    """The number of rows the class filter leaves, read from the totals (no second count query)."""
    if filters.group:
        return totals["poor_income" if filters.group == PoorGroup.INCOME else "poor_deprivation"]
    if filters.status:
        return totals[filters.status]
    return totals["total"]


def decidable_by(assessments: QuerySet, user) -> QuerySet:
    """The assessments among `assessments` that `user` may decide: the filter form of
    units.access.four_eyes (none they entered or submitted, unless the commune works with one
    officer), for counts that cannot ask row by row."""
    entered = Assessment.entered_by.through.objects.filter(assessment=OuterRef("pk"), user_id=user.pk)
    own = Q(Exists(entered)) | Q(submitted_by_id=user.pk)
    alone = Q(commune__one_person_commune=True) | Q(new_commune__one_person_commune=True)
    return assessments.filter(~own | alone)
