"""Stock and flows of poor and near-poor households (and their persons) over a period: the one
definition every page, report and export reads (home pages, progress pages, the dashboard, the
quarterly Biểu 3, Mẫu 03, poor-changes and near-poor-changes).

A household's class at a date is its approved status then (households/selectors.status_on_q), in
the unit where that status places it. Over a period [start, end], each household that is of class
K (poor, or near-poor) on the eve of the period (A) or at its end (B), in a unit, is counted by
comparing A and B, in the columns of the national software's TỔNG HỢP DIỄN BIẾN:

    1  start: of class K on the eve of the period
    decreases:
    2  changed to the other class (poor → near-poor; near-poor → poor)
    3  rose above near-poverty (medium living standard, not poor)
    4  other: left the unit (moved, split, removed), no status any more; and, in persons, the
       members a household of class K lost
    increases:
    5  came from the other class (near-poor → poor; poor → near-poor)
    6  returned to class K (tái nghèo / tái cận nghèo: the approved change says so)
    7  new to class K (phát sinh mới)
    8  other: came into the unit (moved in, split) or a first status loaded as a baseline (census);
       and, in persons, the members a household of class K gained
    9  end = 1 − 2 − 3 − 4 + 5 + 6 + 7 + 8: of class K at the end

so that end = start − outflows + inflows holds for every unit, class and period, in households and
in persons, by construction (tests/households/test_flows.py proves it on random histories).

Two things are called "escaped poverty" and are kept apart:
- `escaped` here: households that left poverty by the commune's approved review (columns 2 + 3 of
  the poor; column 3 of the near-poor) — the figure a locality's reduction target is measured by;
- helped households whose escape the commune confirmed on a registration (targets/selectors):
  the organisation's result; the household's status changes only when its review is approved.

Cost: two queries per period whatever the number of households and units: one grouped aggregate
for the stocks, one over the households with an approved change in the period."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from . import transitions as tr
from .classification import MEDIUM, NEAR_POOR, NOT_POOR, POOR
from .models import Assessment
from .selectors import status_on_q

CLASSES = (POOR, NEAR_POOR)
ABOVE = (MEDIUM, NOT_POOR)
OTHER = {POOR: NEAR_POOR, NEAR_POOR: POOR}
RELAPSED = {POOR: tr.RELAPSED_POOR, NEAR_POOR: tr.RELAPSED_NEAR_POOR}
COLUMNS = ("start", "to_other", "above", "out_other", "from_other", "again", "new", "in_other", "end")
OUTFLOWS = ("to_other", "above", "out_other")
INFLOWS = ("from_other", "again", "new", "in_other")


@dataclass
class Flow:
    """Columns 1–9 for one class, in households or in persons."""

    start: int = 0
    to_other: int = 0
    above: int = 0
    out_other: int = 0
    from_other: int = 0
    again: int = 0
    new: int = 0
    in_other: int = 0
    end: int = 0

    @property
    def outflows(self) -> int:
        return self.to_other + self.above + self.out_other

    @property
    def inflows(self) -> int:
        return self.from_other + self.again + self.new + self.in_other

    @property
    def balanced(self) -> bool:
        return self.end == self.start - self.outflows + self.inflows

    def as_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in COLUMNS}

    def __add__(self, other: "Flow") -> "Flow":
        return Flow(**{name: getattr(self, name) + getattr(other, name) for name in COLUMNS})


@dataclass
class Flows:
    """The flows of one unit (or one group of it): per class, in households and in persons."""

    households: dict[str, Flow] = field(default_factory=lambda: {k: Flow() for k in CLASSES})
    persons: dict[str, Flow] = field(default_factory=lambda: {k: Flow() for k in CLASSES})

    def escaped(self, cls: str = POOR) -> int:
        """Households that left class K by an approved review: poor → near-poor or above; near-poor
        → above (a near-poor household becoming poor has not escaped anything)."""
        flow = self.households[cls]
        return flow.to_other + flow.above if cls == POOR else flow.above

    def __add__(self, other: "Flows") -> "Flows":
        return Flows(
            {k: self.households[k] + other.households[k] for k in CLASSES},
            {k: self.persons[k] + other.persons[k] for k in CLASSES},
        )


@dataclass(frozen=True)
class Status:
    """A household's approved status at a date: class, persons, its group and the change recorded."""

    cls: str
    persons: int
    key: tuple = ()
    change: str = ""


def count_household(
    flows: Flows, cls: str, a: Status | None, b: Status | None, *, existed: bool = False
) -> None:
    """Add one household of class `cls` at the start (a) and/or end (b) of the period to `flows`:
    the pure rule of the columns. `a`/`b` are None outside the group or without a status;
    `existed`: the household had a status on the eve of the period somewhere else (moved in)."""
    in_a = a is not None and a.cls == cls
    in_b = b is not None and b.cls == cls
    households, persons = flows.households[cls], flows.persons[cls]
    if in_a and in_b:
        delta = b.persons - a.persons
        if delta < 0:
            persons.out_other -= delta
        else:
            persons.in_other += delta
        return
    if in_a:
        column = "out_other" if b is None else "to_other" if b.cls == OTHER[cls] else "above"
        setattr(households, column, getattr(households, column) + 1)
        setattr(persons, column, getattr(persons, column) + a.persons)
    if in_b:
        if a is not None and a.cls == OTHER[cls]:
            column = "from_other"
        elif b.change == RELAPSED[cls]:
            column = "again"
        elif a is None and (existed or b.change == tr.FIRST):
            column = "in_other"  # moved in, or a census baseline
        else:
            column = "new"
        setattr(households, column, getattr(households, column) + 1)
        setattr(persons, column, getattr(persons, column) + b.persons)


def _on(row: dict, on: date) -> bool:
    return row["effective_date"] <= on and (row["valid_until"] is None or row["valid_until"] > on)


def _stocks(assessments: QuerySet, eve: date, end: date, keys: list[str]) -> dict[tuple, dict]:
    """Households and persons of each class on `eve` and on `end`, by group: one query."""
    aggregates = {}
    for when, on in (("start", eve), ("end", end)):
        for cls in CLASSES:
            chosen = status_on_q(on) & Q(result_class=cls)
            aggregates[f"{when}:{cls}:households"] = Count("pk", filter=chosen)
            aggregates[f"{when}:{cls}:persons"] = Coalesce(Sum("member_count", filter=chosen), 0)
    chosen = assessments.filter(status_on_q(eve) | status_on_q(end), result_class__in=CLASSES)
    if not keys:  # .values() without fields would group by every column
        return {(): chosen.aggregate(**aggregates)}
    rows = chosen.values(*keys).annotate(**aggregates).order_by()
    return {tuple(row.pop(k) for k in keys): row for row in rows}


def _statuses(changed: QuerySet, eve: date, end: date, keys: list[str], unit):
    """For each household of `changed`: its status on `eve` and on `end`, wherever it was, and
    whether that was inside `unit`: one query (the households changed in the period only)."""
    own = f"{unit.located_field}_id"
    rows = Assessment.objects.filter(status_on_q(eve) | status_on_q(end), household_id__in=changed).values(
        "household_id", "result_class", "member_count", "change", "effective_date", "valid_until", own, *keys
    )
    before: dict[int, tuple[Status, bool]] = {}
    after: dict[int, tuple[Status, bool]] = {}
    for row in rows:
        status = Status(row["result_class"], row["member_count"], tuple(row[k] for k in keys), row["change"])
        inside = row[own] == unit.pk
        if _on(row, eve):
            before[row["household_id"]] = (status, inside)
        if _on(row, end):
            after[row["household_id"]] = (status, inside)
    return before, after


def flows_by(
    assessments: QuerySet, unit, start: date, end: date, group_fields: list[str] | None = None
) -> dict[tuple, Flows]:
    """Flows of `unit` over [start, end] grouped by `group_fields` (located fields, e.g. the
    unit's child field; none: one key `()`), over the caller's scoped assessments."""
    keys = [f"{name}_id" for name in (group_fields or [])]
    eve = start - timedelta(days=1)
    inside = unit.within()
    located = assessments.filter(inside)
    result: dict[tuple, Flows] = {}

    def flows_of(key: tuple) -> Flows:
        return result.setdefault(key, Flows())

    for key, row in _stocks(located, eve, end, keys).items():
        for cls in CLASSES:
            for when in ("start", "end"):
                setattr(flows_of(key).households[cls], when, row[f"{when}:{cls}:households"])
                setattr(flows_of(key).persons[cls], when, row[f"{when}:{cls}:persons"])

    changed = (
        Assessment.objects.filter(
            state=Assessment.State.APPROVED, effective_date__gte=start, effective_date__lte=end
        )
        .filter(household_id__in=located.values("household_id"))
        .values("household_id")
    )
    before, after = _statuses(changed, eve, end, keys, unit)
    for household_id in before.keys() | after.keys():
        a, a_inside = before.get(household_id, (None, False))
        b, b_inside = after.get(household_id, (None, False))
        if a == b and a_inside == b_inside:
            continue  # the same status at both ends: a change in the period undone (or none)
        a, b = (a if a_inside else None), (b if b_inside else None)
        existed = household_id in before
        for key in {s.key for s in (a, b) if s is not None}:
            a_here = a if a is not None and a.key == key else None
            b_here = b if b is not None and b.key == key else None
            for cls in CLASSES:
                count_household(flows_of(key), cls, a_here, b_here, existed=existed)
    return result


def flows_of_unit(assessments: QuerySet, unit, start: date, end: date) -> Flows:
    """The flows of the whole unit over [start, end]."""
    return flows_by(assessments, unit, start, end).get((), Flows())
