"""Scope cases of the reports pages (see tests/scope.py). Reports of commune A (province P)."""

from tests.scope import ALL_PERSONAS, SEES_A, Case, becomes, grows

QUARTER = "year=2024&quarter=1"
DASHBOARD = frozenset({"province_officer", "admin_p", "national_admin"})
LOCKERS = frozenset({"province_officer", "admin_p", "national_admin"})
# Who enters a unit's resident population: commune and province officers, administrators.
POPULATION_A = frozenset({"officer_a", "province_officer", "admin_p", "national_admin"})
POPULATION_SOMEWHERE = POPULATION_A | {"officer_b", "outsider"}


def _jobs(world, kwargs):
    from core.models import Job

    return Job.objects.count()


def _locks(world, kwargs):
    from reports.models import PeriodLock

    return PeriodLock.objects.filter(unit=world.A, year=2024, quarter=1).count()


def _population(world, kwargs):
    from reports.models import ResidentPopulation

    return (
        ResidentPopulation.objects.filter(unit=world.A, year=2024)
        .values_list("households", "persons")
        .first()
    )


CASES = [
    Case("reports:index", get=ALL_PERSONAS - {"nobody"}),
    Case(
        "reports:open",
        get=SEES_A,
        query="code=quarterly&unit=0",
        get_status=frozenset({302}),
        skip_reason="the unit is a query parameter with a database id; tested in tests/reports/test_views.py",
    ),
    Case(
        "reports:preview", kwargs=lambda w: {"code": "quarterly", "unit": w.A.pk}, get=SEES_A, query=QUARTER
    ),
    Case(
        "reports:download",
        kwargs=lambda w: {"code": "quarterly", "unit": w.A.pk, "fmt": "xlsx"},
        get=SEES_A,
        query=QUARTER,
    ),
    Case(
        "reports:export",
        kwargs=lambda w: {"code": "quarterly", "unit": w.A.pk},
        post=SEES_A,
        post_data=lambda w: {"format": "xlsx", "year": 2024, "quarter": 1},
        effect=grows(_jobs),
    ),
    Case(
        "reports:lock",
        post=LOCKERS,
        post_data=lambda w: {"unit": w.A.pk, "year": 2024, "quarter": 1},
        effect=grows(_locks),
    ),
    Case("reports:dashboard", get=DASHBOARD),
    Case("reports:population_open", get=POPULATION_SOMEWHERE, get_status=frozenset({302})),
    Case(
        "reports:population",
        kwargs=lambda w: {"unit": w.A.pk},
        get=POPULATION_A,
        post=POPULATION_A,
        post_data=lambda w: {"year": 2024, "households": 120, "persons": 480, "source": "Công an xã"},
        effect=becomes(_population, (120, 480)),
        query="year=2024",
    ),
    Case("reports:dashboard_unit", kwargs=lambda w: {"pk": w.P.pk}, get=DASHBOARD),
]
