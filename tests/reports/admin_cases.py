"""Makers for tests/test_admin_scope.py: a locked quarter located at a commune."""

from reports.models import PeriodLock

MAKERS = {
    "reports.PeriodLock": lambda world, commune: PeriodLock.objects.create(
        unit=commune, year=2026, quarter=1, snapshot={}, locked_by=world.national_admin
    ),
}
