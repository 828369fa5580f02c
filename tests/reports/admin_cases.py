"""Makers for tests/test_admin_scope.py: a locked quarter and a resident population located at a
commune."""

from reports.models import PeriodLock, ResidentPopulation

MAKERS = {
    "reports.PeriodLock": lambda world, commune: PeriodLock.objects.create(
        unit=commune, year=2026, quarter=1, snapshot={}, locked_by=world.national_admin
    ),
    "reports.ResidentPopulation": lambda world, commune: ResidentPopulation.objects.create(
        unit=commune, year=2026, households=100, persons=400, entered_by=world.national_admin
    ),
}
