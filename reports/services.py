"""Writes of the reports app: locking a quarter (its documents frozen for every unit below),
starting a report file on the background worker, and a unit's resident population for a year."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.formatting import fmt_date, fmt_int
from core.grids import GridUnreadable, cell_text, parse_count, read_grid
from core.jobs import job_start
from core.models import Job
from units import access
from units.models import AdministrativeUnit, AdminVersion, Level
from units.periods import tree_of_year

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
POPULATION_FILE_ROW = _("Dòng %(row)s (mã %(code)s): %(problem)s")
POPULATION_FILE_UNKNOWN_UNIT = _("không có đơn vị mã này trong danh mục %(tree)s")
POPULATION_FILE_OUT_OF_SCOPE = _("%(unit)s không thuộc địa bàn bạn được nhập số liệu dân cư")
POPULATION_FILE_NOT_A_NUMBER = _("cột %(column)s ghi “%(value)s”, không phải số")
POPULATION_FILE_MISSING = _("thiếu %(column)s")
POPULATION_FILE_TWICE = _("đơn vị và năm này đã có ở dòng %(first)s")
POPULATION_FILE_EMPTY = _(
    "Tệp không có dòng số liệu nào. Mỗi dòng: mã đơn vị, năm, số hộ, số nhân khẩu, nguồn (dòng 1 là tiêu đề)."
)
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


# Columns of a resident-population file, in order (the first row is a header).
POPULATION_COLUMNS = (_("mã đơn vị"), _("năm"), _("số hộ"), _("số nhân khẩu"), _("nguồn"))


def resident_populations_import(*, user, name: str, data: bytes) -> int:
    """Enter many units' resident populations from a table (.xlsx or .csv, read as offices save
    them: core/grids.py): a header row, then per row the unit's GSO code, the year, households,
    persons and the source. The unit is looked up in the tree of its year (units/periods.py).
    All or nothing: any row that cannot be entered — unknown unit, outside the user's area, a
    figure that is not a number, persons below households, a unit's year twice — refuses the
    whole file with every such row listed (ReportError, one line per row). Returns the rows saved."""
    try:
        grid = read_grid(name, data)
    except GridUnreadable as error:
        raise ReportError(str(error)) from error
    rows = [
        (number, row)
        for number, row in enumerate(grid, start=1)
        if number > 1 and any(cell_text(c) for c in row)
    ]
    if not rows:
        raise ReportError(POPULATION_FILE_EMPTY)
    parsed, errors = [], []
    for number, row in rows:
        cells = list(row) + [None] * (len(POPULATION_COLUMNS) - len(row))
        code = cell_text(cells[0])
        figures, problems = [], []
        for index in (1, 2, 3):
            try:
                value = parse_count(cells[index])
            except ValueError:
                value = None
                problems.append(
                    POPULATION_FILE_NOT_A_NUMBER
                    % {"column": POPULATION_COLUMNS[index], "value": cell_text(cells[index])}
                )
            else:
                if value is None:
                    problems.append(POPULATION_FILE_MISSING % {"column": POPULATION_COLUMNS[index]})
            figures.append(value)
        if not code:
            problems.insert(0, POPULATION_FILE_MISSING % {"column": POPULATION_COLUMNS[0]})
        parsed.append((number, code, *figures, cell_text(cells[4])[:255], problems))
    units = _units_by_code({(code, tree_of_year(year)) for _n, code, year, *_rest in parsed if code and year})
    seen: dict = {}
    plan = []
    for number, code, year, households, persons, source, problems in parsed:
        unit = units.get((code, tree_of_year(year))) if code and year else None
        if not problems and unit is None:
            problems.append(POPULATION_FILE_UNKNOWN_UNIT % {"tree": _tree_name(tree_of_year(year))})
        if not problems and not access.can(user, ENTER_POPULATION, unit):
            problems.append(POPULATION_FILE_OUT_OF_SCOPE % {"unit": unit.name})
        if not problems:
            problem = resident_population_problem(
                unit=unit, year=year, households=households, persons=persons
            )
            if problem:
                problems.append(problem)
        if not problems and (unit.pk, year) in seen:
            problems.append(POPULATION_FILE_TWICE % {"first": seen[(unit.pk, year)]})
        if problems:
            errors.append(
                POPULATION_FILE_ROW
                % {"row": number, "code": code or "–", "problem": "; ".join(map(str, problems))}
            )
            continue
        seen[(unit.pk, year)] = number
        plan.append((unit, year, households, persons, source))
    if errors:
        raise ReportError("\n".join(errors))
    with transaction.atomic():
        for unit, year, households, persons, source in plan:
            resident_population_save(
                user=user, unit=unit, year=year, households=households, persons=persons, source=source
            )
    return len(plan)


def _units_by_code(wanted: set[tuple[str, str]]) -> dict[tuple[str, str], AdministrativeUnit]:
    """(code as typed, tree) → unit, in one query; unpadded codes ("468", "1") match as
    AdministrativeUnit.objects.by_code does."""
    if not wanted:
        return {}
    candidates = {}
    for code, tree in wanted:
        for candidate in [code] + [code.zfill(width) for width in (2, 3, 5) if len(code) < width]:
            candidates.setdefault((candidate, tree), (code, tree))
    found = {}
    query = AdministrativeUnit.objects.filter(
        admin_version__in={tree for _c, tree in wanted}, code__in={c for c, _t in candidates}
    ).exclude(level=Level.VILLAGE)
    for unit in query.select_related("province", "district", "commune"):
        key = candidates.get((unit.code, unit.admin_version))
        if key is not None and (key not in found or unit.code == key[0]):
            found[key] = unit
    return found


def _tree_name(tree: str) -> str:
    return str(AdminVersion(tree).label)
