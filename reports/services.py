"""Writes of the reports app: locking a quarter (its documents frozen for every unit below),
starting a report file on the background worker, and a unit's resident population for a year."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.formatting import fmt_date, fmt_int
from core.jobs import job_start
from core.models import Job
from units import access
from units.models import AdministrativeUnit, Level

from . import registry
from .builders import ROMAN, quarterly
from .frame import local_frame, organisations_by_unit
from .models import PeriodLock, ResidentPopulation
from .params import MAX_YEAR, MIN_YEAR, ReportParams
from .roles import ENTER_POPULATION
from .scope import ReportScope
from .selectors import UnitRef, lock_covering, quarter_dates, subtree

QUARTER_NOT_OVER = _(
    "Quý %(quarter)s/%(year)s chưa kết thúc (đến hết ngày %(end)s); chỉ khóa được quý đã qua."
)
ALREADY_LOCKED = _("Quý %(quarter)s/%(year)s đã được khóa tại %(unit)s ngày %(date)s.")


class ReportError(ValueError):
    """A report action that cannot be done; the message says why, in Vietnamese."""


def _documents_for(
    scope: ReportScope, unit: AdministrativeUnit, year: int, quarter: int, issued_on: date
) -> dict:
    """Quarterly documents of `unit` and of every province, district and commune below it, from one
    set of grouped queries (grouped by district, commune and village together)."""
    units = [unit] + [u for u in subtree(unit) if u.level <= Level.COMMUNE]
    everything = [unit] + subtree(unit)
    children: dict[int, list[UnitRef]] = {u.pk: [] for u in units}
    for u in everything:
        parent_id = u.tree_parent_id(unit.admin_version)
        if parent_id in children:
            children[parent_id].append(UnitRef.of(u))
    for refs in children.values():
        refs.sort(key=lambda ref: ref.code)
    figures = quarterly.fetch(scope, unit, year, quarter, fields=unit.below_fields)
    organisations = organisations_by_unit(units)
    documents, locked_figures = {}, {}
    for u in units:
        data = quarterly.data_for(figures, u, children[u.pk])
        document = quarterly.build_quarterly(
            data,
            frame=local_frame(u, organisations.get(u.pk, {})),
            issued_on=issued_on,
            preparer=scope.person_name,
        )
        documents[str(u.pk)] = document.to_dict()
        locked_figures[str(u.pk)] = quarterly.lock_figures(data)
    return {"version": 1, "documents": documents, "figures": locked_figures}


def period_lock(
    *, user, unit: AdministrativeUnit, year: int, quarter: int, today: date, note: str = ""
) -> PeriodLock:
    """Approve and lock a quarter at `unit`: the quarterly report of the unit and of every unit
    below it is frozen as it stands now and reproduced exactly from then on."""
    scope = ReportScope(user)
    if not scope.can_lock(unit):
        raise PermissionDenied
    if unit.level > Level.COMMUNE:
        raise ReportError(_("Chỉ khóa kỳ báo cáo của tỉnh, huyện hoặc xã."))
    end = quarter_dates(year, quarter)[1]
    if today <= end:
        raise ReportError(QUARTER_NOT_OVER % {"quarter": ROMAN[quarter], "year": year, "end": fmt_date(end)})
    existing = lock_covering(unit, year, quarter)
    if existing is not None:
        raise ReportError(
            ALREADY_LOCKED
            % {
                "quarter": ROMAN[quarter],
                "year": year,
                "unit": existing.unit.name,
                "date": fmt_date(timezone.localtime(existing.locked_at)),
            }
        )
    snapshot = _documents_for(scope, unit, year, quarter, issued_on=today)
    try:
        with transaction.atomic():
            return PeriodLock.objects.create(
                unit=unit,
                year=year,
                quarter=quarter,
                report_code=quarterly.CODE,
                snapshot=snapshot,
                locked_by=user,
                note=note,
            )
    except IntegrityError as error:  # two officers locking at the same moment
        raise ReportError(
            ALREADY_LOCKED
            % {"quarter": ROMAN[quarter], "year": year, "unit": unit.name, "date": fmt_date(today)}
        ) from error


def report_export_start(*, user, params: ReportParams, fmt: str) -> Job:
    """Render a large report on the background worker; the job page shows progress and the file."""
    spec = registry.get(params.code)
    title = _("%(report)s – %(unit)s – %(period)s (%(format)s)") % {
        "report": spec.title,
        "unit": params.unit.name,
        "period": f"Q{params.quarter}/{params.year}" if params.quarter else params.year,
        "format": fmt.upper(),
    }
    return job_start(
        owner=user,
        kind=Job.Kind.REPORT,
        title=title,
        params={"code": params.code, "format": fmt, **params.as_query()},
    )


POPULATION_PERSONS_BELOW_HOUSEHOLDS = _("Số nhân khẩu (%(persons)s) không thể ít hơn số hộ (%(households)s).")
POPULATION_YEAR_INVALID = _("Năm %(year)s không hợp lệ.")
POPULATION_AFTER_DISSOLUTION = _(
    "%(unit)s chỉ có số liệu đến hết ngày %(date)s; số liệu dân cư năm %(year)s do đơn vị mới nhập."
)


def resident_population_save(
    *, user, unit: AdministrativeUnit, year: int, households: int, persons: int, source: str = ""
) -> ResidentPopulation:
    """Enter (or correct) `unit`'s resident households and persons for `year`: the denominator of
    the review summary. Refused outside the user's scope (404), for a year after a dissolved unit's
    end, and with fewer persons than households."""
    if not access.can(user, ENTER_POPULATION, unit):
        raise PermissionDenied
    problem = resident_population_problem(unit=unit, year=year, households=households, persons=persons)
    if problem:
        raise ReportError(problem)
    population, _created = ResidentPopulation.objects.update_or_create(
        unit=unit,
        year=year,
        defaults={"households": households, "persons": persons, "source": source, "entered_by": user},
    )
    return population


def resident_population_problem(
    *, unit: AdministrativeUnit, year: int, households: int, persons: int
) -> str | None:
    """Why these figures cannot be entered (None: they can); the admin form shows it too."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return POPULATION_YEAR_INVALID % {"year": year}
    if unit.dissolved and year > unit.valid_to.year:
        return POPULATION_AFTER_DISSOLUTION % {
            "unit": unit.name,
            "date": fmt_date(unit.valid_to),
            "year": year,
        }
    if persons < households:
        return POPULATION_PERSONS_BELOW_HOUSEHOLDS % {
            "persons": fmt_int(persons),
            "households": fmt_int(households),
        }
    return None
