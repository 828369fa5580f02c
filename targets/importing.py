"""Import of a target table shaped like the source documents (the Cam Lộ layout): title rows,
merged headers, the numbering row A, B, 1 … 11, one row per unit, a totals row.

The numbering row is the anchor: columns are recognised by their number, whatever the wording of
the merged headers above (which varies from one office to the next), so a file that the product
exported, or one typed by hand from the printed plan, reads the same way. Figures may be typed as
in the documents ("1.458", "6,79", "6,79%") or be numeric cells.

Every row is checked (targets/checks.py); every failure is reported with its row number in the
file, the unit as written, and the reason in Vietnamese. Consistent rows are imported as the
locality's targets of that year with their baseline marked "imported"; the totals row, when it is
consistent and matches the sum of the rows, becomes the parent unit's target."""

import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.formatting import fmt_int
from core.grids import DASHES, Cell, GridUnreadable, cell_text, parse_count, read_grid
from core.tables import INT
from core.text import nfc, search_key
from units.models import AdministrativeUnit, Level

from . import services
from .checks import Stated, check_row
from .models import AnnualTarget
from .selectors import Baseline
from .tables import RATE_OF, TARGET_COLUMNS

# Column number in the numbering row → column key (the Cam Lộ layout; tables.TARGET_COLUMNS).
NUMBERED = {
    int(column.number.split("=")[0]): column for column in TARGET_COLUMNS if column.number[0].isdigit()
}
COUNT_COLUMNS = [column.key for column in TARGET_COLUMNS if column.kind == INT]

TOTAL_NAMES = re.compile(r"^(tong cong|tong so|cong|tong|toan (huyen|tinh|thanh pho|thi xa|xa|quan))\b")

NO_NUMBERING_ROW = _(
    "Không tìm thấy dòng đánh số cột (A, B, 1, 2, …, 11) dưới tiêu đề bảng. Bảng chỉ tiêu phải có dòng "
    "này như bảng trong kế hoạch giảm nghèo (cột B là tên đơn vị, cột 1 là dân số, cột 8 là hộ giảm)."
)
MISSING_COLUMNS = _("Bảng thiếu cột {columns} trong dòng đánh số cột.")
NOT_A_NUMBER = _("Cột {number} ({name}) ghi “{value}”, không phải số hộ.")
NOT_A_RATE = _("Cột {number} ({name}) ghi “{value}”, không phải tỷ lệ phần trăm.")
UNKNOWN_UNIT = _("Không tìm thấy đơn vị “{name}” trong {parent}.")
AMBIGUOUS_UNIT = _(
    "Tên “{name}” khớp với nhiều đơn vị trong {parent}; hãy ghi đủ tên (xã, phường, thị trấn)."
)
DUPLICATE_UNIT = _("Đơn vị này đã có ở dòng {row}.")
NO_PARENT = _(
    "Không xác định được đơn vị cấp trên của các dòng trong bảng; hãy chỉ định mã đơn vị cấp trên (--unit)."
)
TOTAL_DIFFERS = _("Dòng tổng cộng, cột {number} ({name}) ghi {stated}, nhưng tổng các dòng là {total}.")
NO_ROWS = _("Bảng không có dòng số liệu nào dưới dòng đánh số cột.")
NAMES = {
    "households": _("dân số (hộ)"),
    "poor": _("hộ nghèo đầu năm"),
    "poor_rate": _("tỷ lệ hộ nghèo"),
    "poor_policy": _("hộ CS GN"),
    "poor_policy_rate": _("tỷ lệ hộ CS GN"),
    "poor_social_protection": _("HN cứng"),
    "poor_social_protection_rate": _("tỷ lệ HN cứng"),
    "reduce_poor": _("hộ giảm"),
    "reduce_rate": _("tỷ lệ giảm"),
    "year_end_poor": _("hộ nghèo cuối năm"),
    "year_end_rate": _("tỷ lệ hộ nghèo cuối năm"),
}


@dataclass
class RowError:
    row: int | None
    unit: str
    message: str


@dataclass
class ImportResult:
    rows: int = 0
    imported: int = 0
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    dry_run: bool = False
    parent: str = ""
    year: int | None = None
    targets: list[AnnualTarget] = field(default_factory=list)

    @property
    def flagged_units(self) -> list[str]:
        seen: dict[str, None] = {}
        for error in self.errors:
            if error.unit:
                seen.setdefault(error.unit)
        return list(seen)

    def as_json(self) -> dict:
        return {
            "rows": self.rows,
            "imported": self.imported,
            "errors": [asdict(error) for error in self.errors],
            "created": self.created,
            "updated": self.updated,
            "dry_run": self.dry_run,
            "parent": self.parent,
            "year": self.year,
        }


class ImportFailed(ValueError):
    """The file cannot be read as a target table at all."""


# --- Figures as typed ----------------------------------------------------------------------------


def parse_rate(cell: Cell | None) -> Stated | None:
    """A percentage as shown: "6,79", "6,79%", 6.79 (a numeric cell, with its format's decimals)."""
    if cell is None or cell.value is None:
        return None
    value = cell.value
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        number = Decimal(repr(float(value)))
        places = cell.places if cell.places is not None else max(0, -number.normalize().as_tuple().exponent)
        return Stated(number.quantize(Decimal(1).scaleb(-places)) if places <= 6 else number, min(places, 6))
    text = nfc(str(value)).replace("\u00a0", "").replace(" ", "").rstrip("%").strip()
    if not text:
        return None
    if text in DASHES:
        return Stated(Decimal(0), 0)
    if not re.fullmatch(r"\d+([.,]\d+)?", text):
        raise ValueError(text)
    whole, _sep, fraction = text.replace(",", ".").partition(".")
    try:
        return Stated(Decimal(f"{whole}.{fraction}" if fraction else whole), len(fraction))
    except InvalidOperation as error:
        raise ValueError(text) from error


# --- Layout --------------------------------------------------------------------------------------


@dataclass
class Layout:
    numbering_row: int  # index in the grid
    name_column: int
    columns: dict[str, int]  # column key → index in the row


def find_layout(grid: list[list[Cell]]) -> Layout:
    for r, row in enumerate(grid):
        texts = [cell_text(cell).upper() for cell in row]
        for c in range(len(texts) - 1):
            if texts[c] == "A" and texts[c + 1] == "B":
                columns = {}
                for j in range(c + 2, len(texts)):
                    match = re.match(r"^(\d+)", texts[j])
                    if match and int(match.group(1)) in NUMBERED:
                        columns.setdefault(NUMBERED[int(match.group(1))].key, j)
                missing = [
                    str(n)
                    for n, column in NUMBERED.items()
                    if column.key in ("households", "poor", "reduce_poor") and column.key not in columns
                ]
                if missing:
                    raise ImportFailed(str(MISSING_COLUMNS).format(columns=", ".join(missing)))
                return Layout(numbering_row=r, name_column=c + 1, columns=columns)
    raise ImportFailed(str(NO_NUMBERING_ROW))


# --- Units ---------------------------------------------------------------------------------------

_ABBREVIATIONS = [
    (r"^tt\.?\s+", "thi tran "),
    (r"^tx\.?\s+", "thi xa "),
    (r"^tp\.?\s+", "thanh pho "),
    (r"^p\.\s*", "phuong "),
    (r"^x\.\s*", "xa "),
    (r"^q\.\s*", "quan "),
    (r"^h\.\s*", "huyen "),
]
_KIND_WORDS = re.compile(
    r"^(xa|phuong|thi tran|thi xa|thanh pho|quan|huyen|thon|to dan pho|ban|khu pho|dac khu)\s+"
)
_ORGANISATION_WORDS = re.compile(
    r"^(hoi lhpn|hoi lien hiep phu nu|hoi nong dan|doan thanh nien|hoi ccb|hoi cuu chien binh)\s+"
)


def name_key(name: str) -> str:
    """The unit name as written, normalised: no diacritics, lower case, abbreviations spelled out."""
    key = _ORGANISATION_WORDS.sub("", search_key(name))
    for pattern, replacement in _ABBREVIATIONS:
        key = re.sub(pattern, replacement, key)
    return key


def bare_key(key: str) -> str:
    """The name without its kind ("xa cam tuyen" → "cam tuyen")."""
    return _KIND_WORDS.sub("", key)


class UnitMatcher:
    """Finds the units named in the rows among the children of the parent unit."""

    def __init__(self, parent: AdministrativeUnit):
        self.parent = parent
        self.children = list(AdministrativeUnit.objects.filter(parent=parent).order_by("code"))

    def match(self, name: str) -> AdministrativeUnit:
        key = name_key(name)
        exact = [unit for unit in self.children if name_key(unit.name) == key]
        if len(exact) == 1:
            return exact[0]
        bare = [unit for unit in self.children if bare_key(name_key(unit.name)) == bare_key(key)]
        if len(bare) == 1:
            return bare[0]
        message = AMBIGUOUS_UNIT if len(exact) > 1 or len(bare) > 1 else UNKNOWN_UNIT
        raise LookupError(str(message).format(name=name, parent=self.parent.name))


def guess_parent(names: list[str], admin_version: str) -> AdministrativeUnit | None:
    """The one unit whose children carry all the names, when the user did not say which."""
    keys = {bare_key(name_key(name)) for name in names}
    candidates = AdministrativeUnit.objects.filter(
        admin_version=admin_version, level__in=[Level.DISTRICT, Level.COMMUNE, Level.VILLAGE]
    ).exclude(parent=None)
    counts: dict[int, set[str]] = {}
    for key in keys:
        words = key.split()
        if not words:
            continue
        for unit in candidates.filter(search_name__contains=key).only("pk", "parent_id", "name"):
            if bare_key(name_key(unit.name)) == key:
                counts.setdefault(unit.parent_id, set()).add(key)
    full = [parent_id for parent_id, found in counts.items() if found == keys]
    if len(full) != 1:
        return None
    return AdministrativeUnit.objects.get(pk=full[0])


# --- The import ----------------------------------------------------------------------------------


@dataclass
class ParsedRow:
    line: int  # 1-based row number in the file
    name: str
    values: dict
    problems: list[str]
    is_total: bool = False


def parse_rows(grid: list[list[Cell]], layout: Layout) -> list[ParsedRow]:
    """The unit rows and the totals row below the numbering row, with their figures and any
    cell that is not a figure."""
    rows: list[ParsedRow] = []
    for r in range(layout.numbering_row + 1, len(grid)):
        cells = grid[r]

        def cell(index, cells=cells):
            return cells[index] if index < len(cells) else None

        name = cell_text(cell(layout.name_column))
        figures = [cell_text(cell(index)) for index in layout.columns.values()]
        if not name and not any(figures):
            if rows:
                break  # the blank line after the table
            continue
        if name.startswith("*") or not any(figures):
            continue  # a note, or a section heading without figures
        values: dict = {}
        problems: list[str] = []
        for key, index in layout.columns.items():
            column = next(c for c in TARGET_COLUMNS if c.key == key)
            number = column.number.split("=")[0]
            try:
                values[key] = parse_rate(cell(index)) if key in RATE_OF else parse_count(cell(index))
            except (ValueError, TypeError, ArithmeticError):  # ArithmeticError: decimal overflow (1e30)
                message = NOT_A_RATE if key in RATE_OF else NOT_A_NUMBER
                problems.append(
                    str(message).format(number=number, name=NAMES[key], value=cell_text(cell(index)))
                )
                values[key] = None
        is_total = bool(TOTAL_NAMES.match(search_key(name))) or (not name and bool(rows))
        rows.append(
            ParsedRow(
                line=r + 1,
                name=name or str(_("Tổng cộng") if is_total else _("(không ghi tên đơn vị)")),
                values=values,
                problems=problems,
                is_total=is_total,
            )
        )
        if is_total:
            break
    return rows


def _problems(row: ParsedRow) -> list[str]:
    if row.problems:
        return row.problems
    return [problem.message for problem in check_row(row.values)]


def _total_problems(total: ParsedRow, units: list[ParsedRow]) -> list[str]:
    problems = _problems(total)
    for key in COUNT_COLUMNS:
        stated = total.values.get(key)
        if stated is None or any(row.values.get(key) is None for row in units):
            continue
        summed = sum(row.values[key] for row in units)
        if stated != summed:
            column = next(c for c in TARGET_COLUMNS if c.key == key)
            problems.append(
                str(TOTAL_DIFFERS).format(
                    number=column.number.split("=")[0],
                    name=NAMES[key],
                    stated=fmt_int(stated),
                    total=fmt_int(summed),
                )
            )
    return problems


def _baseline(values: dict, existing: AnnualTarget | None) -> Baseline:
    baseline = Baseline.of_target(existing) if existing else Baseline()
    baseline.households = values["households"]
    baseline.poor = values["poor"]
    if values.get("poor_policy") is not None:
        baseline.poor_policy = values["poor_policy"]
    if values.get("poor_social_protection") is not None:
        baseline.poor_social_protection = values["poor_social_protection"]
    return baseline


def import_targets(
    *,
    name: str,
    data: bytes,
    year: int,
    admin_version: str,
    parent: AdministrativeUnit | None = None,
    user=None,
    dry_run: bool = False,
    note: str = "",
) -> ImportResult:
    """Read, check and (unless `dry_run`) import a target table. Raises ImportFailed when the file
    is not a target table at all; row problems are reported in the result."""
    try:
        grid = read_grid(name, data)
    except GridUnreadable as error:
        raise ImportFailed(str(error)) from error
    layout = find_layout(grid)
    parsed = parse_rows(grid, layout)
    units = [row for row in parsed if not row.is_total]
    total = next((row for row in parsed if row.is_total), None)
    if not units:
        raise ImportFailed(str(NO_ROWS))
    result = ImportResult(rows=len(units), dry_run=dry_run, year=year)
    if parent is None:
        parent = guess_parent([row.name for row in units], admin_version)
        if parent is None:
            result.errors.append(RowError(row=None, unit="", message=str(NO_PARENT)))
            return result
    result.parent = parent.name
    matcher = UnitMatcher(parent)

    good: list[tuple[ParsedRow, AdministrativeUnit]] = []
    seen: dict[int, int] = {}
    for row in units:
        problems = _problems(row)
        unit = None
        try:
            unit = matcher.match(row.name)
        except LookupError as error:
            problems = [str(error), *problems]
        else:
            if unit.pk in seen:
                problems = [str(DUPLICATE_UNIT).format(row=seen[unit.pk]), *problems]
            seen.setdefault(unit.pk, row.line)
        for message in problems:
            result.errors.append(RowError(row=row.line, unit=row.name, message=message))
        if not problems:
            good.append((row, unit))
    total_ok = False
    if total is not None:
        problems = _total_problems(total, units)
        for message in problems:
            result.errors.append(RowError(row=total.line, unit=total.name, message=message))
        total_ok = not problems

    result.imported = len(good)
    if dry_run:
        return result
    with transaction.atomic():
        top = None
        if total_ok:
            existing = AnnualTarget.objects.filter(unit=parent, year=year, organisation__isnull=True).first()
            top, created = services.target_save_imported(
                unit=parent,
                year=year,
                baseline=_baseline(total.values, existing),
                reduce_poor=total.values["reduce_poor"],
                user=user,
                note=note,
            )
            result.targets.append(top)
            result.created += created
            result.updated += not created
        else:
            top = AnnualTarget.objects.filter(unit=parent, year=year, organisation__isnull=True).first()
        for row, unit in good:
            existing = AnnualTarget.objects.filter(unit=unit, year=year, organisation__isnull=True).first()
            target, created = services.target_save_imported(
                unit=unit,
                year=year,
                baseline=_baseline(row.values, existing),
                reduce_poor=row.values["reduce_poor"],
                user=user,
                parent=top,
                position=units.index(row) + 1,
                note=note,
            )
            result.targets.append(target)
            result.created += created
            result.updated += not created
    return result
