"""The census import, start to end: read the workbook, find the header, validate every row, plan
what would change, and (unless it is a dry run) write it all or nothing.

    report = census_import(data=..., year=2024, user=admin, dry_run=True)

Strict mode (the default) writes nothing when any row has an error; `skip_errors=True` writes the
valid rows and reports the others. The same file imported twice changes nothing the second time."""

import gc
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import IntegrityError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from units.periods import tree_of_year

from ..classification import EITHER_2016
from ..models import Assessment, PovertyStandard, review_standard_date
from .apply import ApplyResult, apply_plan
from .columns import COLUMN_BY_KEY, Header, build_vocabulary, indicator_key, locate_header
from .plan import Plan, build_plan
from .validation import RowError, Validator, no_standard_message
from .xlsx import Limits, Workbook, WorkbookError

HEADER_SCAN_ROWS = 30
CONFLICT = _lazy(
    "Trong lúc nhập, dữ liệu của một số hộ vừa được ghi bởi một lần nhập khác nên chưa ghi gì. Hãy chạy lại lần nhập."
)
REQUIRED = ("code", "head_name", "sex", "birth_year", "member_count", "income")
PREVIEW_LIMIT = 200


def default_admin_version(year: int) -> str:
    """The tree a year's census file is read in: units/periods.tree_of_year."""
    return tree_of_year(year)


@dataclass
class ImportReport:
    year: int
    admin_version: str
    dry_run: bool
    skip_errors: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    mismatches: list = field(default_factory=list)
    counts: dict = field(default_factory=lambda: {"poor": 0, "near_poor": 0, "medium": 0, "not_poor": 0})
    poor_income: int = 0
    poor_deprivation: int = 0
    either_2016: bool = False
    written: bool = False
    error_rows: int = 0
    new_villages: list[str] = field(default_factory=list)
    changed_fields: dict = field(default_factory=dict)
    updated_preview: list[dict] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    header_rows: tuple = ()
    sheet: str = ""
    classes_by_row: dict[int, str] = field(default_factory=dict)
    outcomes: dict[int, str] = field(default_factory=dict)  # row → created / updated / unchanged
    applied: ApplyResult | None = None
    file_error: bool = False  # the file could not be read at all (no row was looked at)

    def as_json(self, *, error_limit: int | None = None) -> dict:
        errors = self.errors if error_limit is None else self.errors[:error_limit]
        counts = dict(self.counts)
        if self.either_2016:
            counts |= {"poor_income": self.poor_income, "poor_deprivation": self.poor_deprivation}
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [error.as_dict() for error in errors],
            "error_count": len(self.errors),
            "error_rows": self.error_rows,
            "counts": counts,
            "mismatches": [m.as_dict() for m in self.mismatches[: error_limit or None]],
            "mismatch_count": len(self.mismatches),
            "year": self.year,
            "admin_version": self.admin_version,
            "dry_run": self.dry_run,
            "skip_errors": self.skip_errors,
            "written": self.written,
            "new_villages": self.new_villages,
            "changed_fields": self.changed_fields,
            "ignored_columns": self.ignored_columns,
        }


def _candidate_indicators(year: int) -> dict[str, str]:
    """Indicators (code → name) of every standard, national and local, that serves the year-end
    review of `year` (in force on 1 January of the next year)."""
    names: dict[str, str] = {}
    day = review_standard_date(Assessment.Kind.PERIODIC, year)
    for standard in PovertyStandard.objects.covering(day).prefetch_related("indicators"):
        for indicator in standard.indicators.all():
            names.setdefault(indicator.code, indicator.name)
    return names


def _choose_sheet(workbook: Workbook, vocabulary) -> tuple[str, str, Header]:
    best = None
    for name, part in workbook.sheets:
        head = list(workbook.rows(part, limit=HEADER_SCAN_ROWS))
        header = locate_header(head, vocabulary)
        score = (not header.errors or bool(header.columns), len(header.columns))
        if best is None or score > best[0]:
            best = (score, name, part, header)
    return best[1], best[2], best[3]


def _file_checks(header: Header, year: int) -> list[RowError]:
    errors = []
    row = header.last_row or 0
    missing = [COLUMN_BY_KEY[key].header for key in REQUIRED if key not in header.columns]
    if "commune_code" not in header.columns and "commune" not in header.columns:
        missing.append(_("Mã xã hoặc Xã/Phường"))
    if missing:
        errors.append(
            RowError(
                0,
                "",
                _(
                    "Thiếu cột bắt buộc: %(cols)s (dòng tiêu đề là dòng %(row)s). Hãy thêm các cột này theo biểu mẫu."
                )
                % {"cols": ", ".join(missing), "row": row},
            )
        )
    try:
        standard = PovertyStandard.objects.for_review(Assessment.Kind.PERIODIC, year)
    except PovertyStandard.DoesNotExist:
        errors.append(RowError(0, "", no_standard_message(year)))
        return errors
    absent = [
        i.name for i in standard.indicators.order_by("order") if indicator_key(i.code) not in header.columns
    ]
    if absent:
        errors.append(
            RowError(
                0,
                "",
                _(
                    "Thiếu cột chỉ số thiếu hụt của %(standard)s (năm %(year)s): %(cols)s. Tên cột phải đúng tên chỉ số "
                    "như trong biểu mẫu."
                )
                % {"standard": standard.legal_basis, "year": year, "cols": ", ".join(absent)},
            )
        )
    return errors


class Stages:
    """Progress in thousandths across the stages: reading 0–600, plan 600–700, write 700–950."""

    def __init__(self, progress):
        self.progress = progress

    def __call__(self, start: int, end: int, done: float, total: float, message: str = ""):
        if self.progress is None:
            return
        share = (done / total) if total else 1
        self.progress(int(start + (end - start) * min(1.0, share)), 1000, message)


@contextmanager
def collector_paused():
    """The cyclic garbage collector off for the duration. An import keeps 10⁵–10⁶ small objects
    alive (parsed rows, the plan, rows to write), which every collection would walk again and
    again — a fifth of the import's time — while it creates almost no reference cycles; the
    collector comes back on, as it was, at the end."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@collector_paused()
def census_import(
    *,
    data: bytes,
    year: int,
    user=None,
    admin_version: str | None = None,
    dry_run: bool = False,
    skip_errors: bool = False,
    job_id=None,
    progress=None,
    limits: Limits | None = None,
) -> ImportReport:
    """Import a year-end review workbook; see the module docstring."""
    version = str(admin_version or default_admin_version(year))
    report = ImportReport(year=year, admin_version=version, dry_run=dry_run, skip_errors=skip_errors)
    stages = Stages(progress)
    try:
        workbook = Workbook(data, limits or Limits.for_census())
        vocabulary = build_vocabulary(_candidate_indicators(year))
        report.sheet, part, header = _choose_sheet(workbook, vocabulary)
    except WorkbookError as error:
        report.errors.append(RowError(0, "", str(error)))
        report.file_error = True
        return report
    report.header_rows = header.rows
    report.ignored_columns = header.ignored
    report.errors.extend(RowError(e.row, e.column, e.message) for e in header.errors)
    if header.columns:
        report.errors.extend(_file_checks(header, year))
    if report.errors:
        report.file_error = True
        return report

    validator = Validator(year=year, version=version, header=header, user=user)
    sheet_size = max(1, next(i.file_size for i in workbook.zip.infolist() if i.filename == part))
    try:
        stream_rows = workbook.rows(part)
        count = 0
        for number, values in stream_rows:
            if number < header.data_from:
                continue
            validator.validate(number, values)
            count += 1
            if count % 2000 == 0:
                stages(
                    0,
                    600,
                    min(count * 400, sheet_size),
                    sheet_size,
                    _("Đang đọc và kiểm tra: %(n)s dòng") % {"n": count},
                )
    except WorkbookError as error:
        report.errors = [RowError(0, "", str(error))]
        report.file_error = True
        return report
    rows = validator.finish()
    report.rows = len(rows) + len(validator.invalid_rows)
    report.error_rows = len(validator.invalid_rows)
    report.errors = validator.errors
    report.mismatches = validator.mismatches
    report.new_villages = [
        f"{nv.name} ({nv.commune.name})" for nv in validator.resolver.new_villages.values()
    ]
    report.either_2016 = any(
        not isinstance(info, str) and info.rules.rule == EITHER_2016 for info in validator._standards.values()
    )
    stages(600, 700, 0, 1, _("Đang so sánh với dữ liệu đã có"))
    present = frozenset(header.columns)
    village_names = _village_names(validator)
    plan = build_plan(rows, year=year, present=present, village_names=village_names)
    _fill_report(report, plan)
    report.classes_by_row = {row.number: row.result_class for row in rows}
    report.outcomes = {row.number: "unchanged" for row in rows}
    report.outcomes |= {row.number: "created" for row in plan.created}
    report.outcomes |= {row.number: "updated" for row, _existing, _changes in plan.updated}
    stages(700, 700, 1, 1)

    if dry_run or (report.errors and not skip_errors):
        return report
    standards = {k: info for k, info in validator._standards.items() if not isinstance(info, str)}
    try:
        report.applied = apply_plan(
            plan,
            user=user,
            job_id=job_id,
            new_villages=validator.resolver.new_villages,
            version=version,
            standards=standards,
            progress=lambda done, total: stages(700, 950, done, total, _("Đang ghi vào cơ sở dữ liệu")),
        )
    except IntegrityError:
        # Another import (or a person) wrote the same households meanwhile; nothing was written.
        report.errors = [RowError(0, "", CONFLICT)]
        return report
    report.written = True
    return report


def _village_names(validator: Validator) -> dict:
    from units.models import AdministrativeUnit

    names: dict = {key: nv.name for key, nv in validator.resolver.new_villages.items()}
    ids = {pk for index in validator.resolver._villages.values() for pk in index.values()}
    if ids:
        names.update(dict(AdministrativeUnit.objects.filter(pk__in=ids).values_list("pk", "name")))
    return names


def _fill_report(report: ImportReport, plan: Plan) -> None:
    report.created = len(plan.created)
    report.updated = len(plan.updated)
    report.unchanged = plan.unchanged
    report.counts = dict(plan.counts)
    report.poor_income = plan.poor_income
    report.poor_deprivation = plan.poor_deprivation
    report.changed_fields = dict(sorted(plan.changed_fields.items(), key=lambda item: -item[1]))
    report.updated_preview = [
        {
            "row": row.number,
            "code": row.code,
            "head_name": row.head_name,
            "commune": row.commune.name,
            "changes": [change.as_text() for change in changes],
        }
        for row, _existing, changes in plan.updated[:PREVIEW_LIMIT]
    ]


def errors_by_row(errors: list[RowError]) -> dict[int, list[RowError]]:
    grouped: dict[int, list[RowError]] = defaultdict(list)
    for error in errors:
        grouped[error.row].append(error)
    return grouped
