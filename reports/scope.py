"""What a report may read, through units/access.py only.

A report is produced for a person (a page, a background job they started) or by the operator of
the server (`manage.py render_report`, scheduled). Both go through the same access functions: the
operator acts as `SystemUser`, which access.py treats like a national administrator (the shell user
can read the whole database anyway)."""

from dataclasses import dataclass

from django.db.models import QuerySet

from core.text import display_name
from units import access
from units.models import AdministrativeUnit

VIEW = "reports.view_report"
DASHBOARD = "reports.view_dashboard"
LOCK = "reports.lock_period"


class SystemUser:
    """The server's operator running a command: all units, every report."""

    pk = None
    id = None
    is_authenticated = True
    is_active = True
    is_superuser = True
    is_staff = True
    username = "system"

    def get_full_name(self) -> str:
        return ""

    def __str__(self) -> str:
        return "system"


@dataclass
class ReportScope:
    user: object

    @property
    def is_system(self) -> bool:
        return isinstance(self.user, SystemUser)

    def can_view(self, unit: AdministrativeUnit) -> bool:
        return access.can(self.user, VIEW, unit)

    def can_lock(self, unit: AdministrativeUnit) -> bool:
        return access.can(self.user, LOCK, unit)

    def assessments(self) -> QuerySet:
        return access.assessments_visible_to(self.user)

    def registrations(self) -> QuerySet:
        return access.registrations_visible_to(self.user)

    def targets(self) -> QuerySet:
        return access.targets_visible_to(self.user)

    def units(self) -> QuerySet:
        return access.units_visible_to(self.user)

    def resident_populations(self) -> QuerySet:
        """Resident population entries of the units the reader may report on."""
        from .models import ResidentPopulation

        q = access.units_q(self.user, VIEW, prefix="unit__")
        return ResidentPopulation.objects.none() if q is None else ResidentPopulation.objects.filter(q)

    @property
    def person_name(self) -> str:
        if self.is_system:
            return ""
        return display_name(self.user)
