"""The one definition of stock and flows (households/flows.py): the columns of each transition, and
end = start − outflows + inflows for every unit, class and period on random histories, in
households and in persons, with the start of each period equal to the end of the one before."""

import random
from datetime import date

import pytest

from households.classification import MEDIUM, NEAR_POOR, NOT_POOR, POOR
from households.flows import CLASSES, Flows, Status, count_household, flows_by, flows_of_unit
from households.models import Assessment
from households.selectors import status_on_q
from households.services import assessment_chain_rebuild
from households.transitions import FIRST, NEW_POOR, RELAPSED_NEAR_POOR, RELAPSED_POOR, UNCHANGED
from tests import factories as f
from units import access

pytestmark = pytest.mark.django_db


def _one(cls, a, b, existed=False) -> tuple[dict, dict]:
    flows = Flows()
    count_household(flows, cls, a, b, existed=existed)
    return flows.households[cls].as_dict(), flows.persons[cls].as_dict()


def _only(**columns) -> dict:
    base = dict.fromkeys(
        ("start", "to_other", "above", "out_other", "from_other", "again", "new", "in_other", "end"), 0
    )
    return base | columns


@pytest.mark.parametrize(
    ("cls", "a", "b", "existed", "households", "persons"),
    [
        # decreases
        (POOR, Status(POOR, 4), Status(NEAR_POOR, 4), True, {"to_other": 1}, {"to_other": 4}),
        (POOR, Status(POOR, 4), Status(MEDIUM, 3), True, {"above": 1}, {"above": 4}),
        (POOR, Status(POOR, 4), Status(NOT_POOR, 5), True, {"above": 1}, {"above": 4}),
        (POOR, Status(POOR, 2), None, True, {"out_other": 1}, {"out_other": 2}),
        (NEAR_POOR, Status(NEAR_POOR, 3), Status(POOR, 3), True, {"to_other": 1}, {"to_other": 3}),
        (NEAR_POOR, Status(NEAR_POOR, 3), Status(MEDIUM, 3), True, {"above": 1}, {"above": 3}),
        (NEAR_POOR, Status(NEAR_POOR, 3), None, True, {"out_other": 1}, {"out_other": 3}),
        # increases
        (POOR, Status(NEAR_POOR, 5), Status(POOR, 6), True, {"from_other": 1}, {"from_other": 6}),
        (POOR, Status(MEDIUM, 5), Status(POOR, 5, change=RELAPSED_POOR), True, {"again": 1}, {"again": 5}),
        (POOR, Status(NOT_POOR, 5), Status(POOR, 5, change=NEW_POOR), True, {"new": 1}, {"new": 5}),
        (POOR, None, Status(POOR, 2, change=NEW_POOR), False, {"new": 1}, {"new": 2}),
        (POOR, None, Status(POOR, 2, change=FIRST), False, {"in_other": 1}, {"in_other": 2}),
        (POOR, None, Status(POOR, 2, change=UNCHANGED), True, {"in_other": 1}, {"in_other": 2}),
        (NEAR_POOR, Status(POOR, 4), Status(NEAR_POOR, 4), True, {"from_other": 1}, {"from_other": 4}),
        (
            NEAR_POOR,
            Status(MEDIUM, 4),
            Status(NEAR_POOR, 4, change=RELAPSED_NEAR_POOR),
            True,
            {"again": 1},
            {"again": 4},
        ),
        # staying: persons only
        (POOR, Status(POOR, 4), Status(POOR, 3), True, {}, {"out_other": 1}),
        (POOR, Status(POOR, 4), Status(POOR, 6), True, {}, {"in_other": 2}),
        (POOR, Status(POOR, 4), Status(POOR, 4), True, {}, {}),
        # other classes: nothing
        (POOR, Status(MEDIUM, 4), Status(NOT_POOR, 4), True, {}, {}),
        (NEAR_POOR, Status(POOR, 4), Status(MEDIUM, 4), True, {}, {}),
    ],
)
def test_each_transition_counts_in_one_column(cls, a, b, existed, households, persons):
    assert _one(cls, a, b, existed) == (_only(**households), _only(**persons))


def test_escaped_by_review_counts_poor_leaving_poverty_and_near_poor_rising_above():
    flows = Flows()
    count_household(flows, POOR, Status(POOR, 1), Status(NEAR_POOR, 1))
    count_household(flows, NEAR_POOR, Status(POOR, 1), Status(NEAR_POOR, 1))
    count_household(flows, NEAR_POOR, Status(NEAR_POOR, 1), Status(POOR, 1))
    count_household(flows, POOR, Status(NEAR_POOR, 1), Status(POOR, 1))
    assert flows.escaped(POOR) == 1
    assert flows.escaped(NEAR_POOR) == 0  # becoming poor is not escaping near-poverty


# --- random histories ------------------------------------------------------------------------------

PERIODS = [(date(2022, 1, 1), date(2022, 3, 31)), (date(2022, 4, 1), date(2022, 6, 30))]
PERIODS += [(date(2022, 7, 1), date(2022, 12, 31)), (date(2023, 1, 1), date(2023, 12, 31))]
CHOICES = [POOR, POOR, NEAR_POOR, NEAR_POOR, MEDIUM, NOT_POOR]


def _history(world, rng: random.Random, households: int = 14) -> list:
    """Households of A (two villages) and B with random approved assessments 2021–2023: class,
    size and place (moves between villages and between A and B) change at random dates."""
    villages = [world.A1, f.village(world.A, code="90001-002")]
    places = [(world.A, villages[0]), (world.A, villages[1]), (world.B, None)]
    result = []
    for n in range(households):
        commune, village = rng.choice(places)
        household = f.HouseholdFactory(commune=commune, village=village, code=f"R{n}")
        days = sorted(rng.sample(range(0, 3 * 365), rng.randint(1, 5)))
        for index, day in enumerate(days):
            commune, village = rng.choice(places) if rng.random() < 0.3 else (commune, village)
            f.AssessmentFactory(
                household=household,
                province_id=commune.province_id,
                district_id=commune.district_id,
                commune_id=commune.pk,
                village_id=village.pk if village else None,
                review_year=2021 + day // 365,
                effective_date=date.fromordinal(date(2021, 1, 1).toordinal() + day),
                member_count=rng.randint(1, 7),
                result_class=rng.choice(CHOICES),
                change=FIRST if index == 0 and rng.random() < 0.5 else "",
            )
        assessment_chain_rebuild(household=household)
        result.append(household)
    return result


def _stock(scoped, unit, on, cls) -> tuple[int, int]:
    rows = scoped.filter(unit.within()).filter(status_on_q(on), result_class=cls)
    return rows.count(), sum(rows.values_list("member_count", flat=True))


@pytest.mark.parametrize("seed", range(3))
def test_end_is_start_minus_outflows_plus_inflows_for_every_unit_class_and_period(world, seed):
    _history(world, random.Random(seed))
    scoped = access.assessments_visible_to(world.province_officer)
    for unit in (world.P, world.A, world.B, world.A1):
        previous_end = None
        for start, end in PERIODS:
            whole = flows_of_unit(scoped, unit, start, end)
            for cls in CLASSES:
                for measure, flow in (("households", whole.households[cls]), ("persons", whole.persons[cls])):
                    assert flow.balanced, (unit, start, cls, measure, flow)
                households, persons = _stock(scoped, unit, start.fromordinal(start.toordinal() - 1), cls)
                assert (whole.households[cls].start, whole.persons[cls].start) == (households, persons)
                households, persons = _stock(scoped, unit, end, cls)
                assert (whole.households[cls].end, whole.persons[cls].end) == (households, persons)
                if previous_end is not None:
                    assert whole.households[cls].start == previous_end[cls]
            previous_end = {cls: whole.households[cls].end for cls in CLASSES}
            if unit.level < 4:
                # The children's flows add up to the unit's (moves between children included).
                by_child = flows_by(scoped, unit, start, end, [unit.child_field])
                total = sum(by_child.values(), Flows())
                for cls in CLASSES:
                    assert total.households[cls].start == whole.households[cls].start
                    assert total.households[cls].end == whole.households[cls].end
                    assert all(flows.households[cls].balanced for flows in by_child.values())
                    assert all(flows.persons[cls].balanced for flows in by_child.values())


def test_a_household_moving_between_villages_leaves_one_and_enters_the_other(world):
    second = f.village(world.A, code="90001-002")
    household = f.HouseholdFactory(commune=world.A, village=world.A1)
    f.AssessmentFactory(household=household, effective_date=date(2021, 12, 15), village_id=world.A1.pk)
    f.AssessmentFactory(household=household, effective_date=date(2022, 5, 1), village_id=second.pk)
    assessment_chain_rebuild(household=household)
    scoped = Assessment.objects.all()
    by_village = flows_by(scoped, world.A, date(2022, 1, 1), date(2022, 12, 31), ["village"])
    assert by_village[(world.A1.pk,)].households[POOR].out_other == 1
    assert by_village[(second.pk,)].households[POOR].in_other == 1
    commune = flows_of_unit(scoped, world.A, date(2022, 1, 1), date(2022, 12, 31)).households[POOR]
    assert (commune.start, commune.outflows, commune.inflows, commune.end) == (1, 0, 0, 1)
