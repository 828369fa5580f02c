"""`quarterly` — the consolidated report of a quarter for a unit, one row per child unit:

Biểu 1  households, poor and near-poor with their rates; poor households by group (N1/N2 under the
        2016–2020 standard, social protection, merit, ethnic minority, female head, no labour)
Biểu 2  poor households deprived on each indicator of the standard in force (counted as the Hà Nam
        plan counts them: households, one household may lack several)
Biểu 3  flows in the quarter (households/flows.py, the one definition) and progress towards the
        year's targets (households that escaped by an approved review since 1 January)
Biểu 4  only when the previous quarter is locked: its figures as locked and as they stand now, and
        the assessments approved after the lock — corrections shown here, never in the locked report

Status on the last day of the quarter = each household's latest approved assessment effective on or
before it. `build_quarterly` is pure; `produce` reads the figures (a fixed number of grouped queries)."""

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from core import tables as t
from core.formatting import fmt_date, fmt_int
from core.text import display_name
from units.models import Level

from ..frame import Frame, local_frame
from ..selectors import (
    BASIC_STOCK,
    CHANGE_KEYS,
    StandardInfo,
    UnitRef,
    changes_by,
    children_of,
    late_approvals_by,
    lock_covering,
    no_child_label,
    poor_groups_by,
    previous_quarter,
    quarter_dates,
    standard_for,
    stock_aggregates,
    stock_by,
    targets_by_unit,
)
from . import ROMAN
from .common import add, document, pct

CODE = "quarterly"

GROUP_KEYS = (
    "poor_income",
    "poor_deprivation",
    "poor_social_protection",
    "poor_merit",
    "poor_ethnic",
    "poor_female",
    "poor_no_labour",
)
STOCK_KEYS = ("households", "poor", "near_poor", *GROUP_KEYS, "poor_other_standard")

OTHER_STANDARD = _(
    "%(count)s hộ nghèo có kết quả rà soát theo chuẩn nghèo khác, không tính vào các cột nhóm N1/N2 và chỉ số thiếu hụt."
)
TARGETS_DIFFER = _("Tổng chỉ tiêu của các đơn vị (%(children)s) khác chỉ tiêu của %(unit)s (%(own)s).")


@dataclass
class QuarterlyData:
    unit: UnitRef
    year: int
    quarter: int
    start: date
    end: date
    standard: StandardInfo | None
    children: list[UnitRef]
    rows: dict  # child id (None: households with no child unit recorded) → figures
    targets: dict = field(default_factory=dict)  # child id → (reduce_poor, reduce_near_poor)
    own_target: tuple[int, int] | None = None
    previous: tuple[int, int] | None = None  # (year, quarter) of the previous, locked quarter
    corrections: dict | None = None  # child id → {"locked": {...}, "now": {...}, "late": n}
    previous_locked_on: date | None = None


def quarter_label(year: int, quarter: int, *, lower: bool = False) -> str:
    return f"{'quý' if lower else 'Quý'} {ROMAN[quarter]}/{year}"


def _child_rows(data: QuarterlyData) -> list[tuple[UnitRef, dict]]:
    """Children in code order, then the households with no child unit recorded (if any)."""
    rows = [(child, data.rows.get(child.id, {})) for child in data.children]
    orphans = data.rows.get(None)
    if orphans and any(orphans.values()):
        rows.append((UnitRef(None, no_child_label(data.unit)), orphans))
    known = {child.id for child in data.children} | {None}
    for key, figures in data.rows.items():  # a child unit no longer listed (should not happen)
        if key not in known and any(figures.values()):
            rows.append((UnitRef(key, _("Đơn vị mã %(id)s") % {"id": key}), figures))
    return rows


def _link(child: UnitRef) -> dict | None:
    return {"unit": child.id} if child.id and child.level and child.level < Level.VILLAGE else None


def _base_cells(index: int | None, child: UnitRef) -> dict:
    return {"number": str(index) if index else "", "label": child.name}


def _stock_table(data: QuarterlyData, children: list[tuple[UnitRef, dict]]) -> t.Table:
    either = data.standard is not None and data.standard.either_rule
    columns = [
        t.Column("number", "TT", "A", t.CODE, 4),
        t.Column("label", "Đơn vị", "B", t.TEXT, 16),
        t.Column("households", "Tổng số hộ", "1", t.INT, 8),
        t.Column("poor", "Số hộ", "2", t.INT, 7),
        t.Column("poor_rate", "Tỷ lệ (%)", "3=2/1", t.PERCENT, 6, formula="Cột 2 ÷ cột 1 × 100"),
        t.Column("near_poor", "Số hộ", "4", t.INT, 7),
        t.Column("near_poor_rate", "Tỷ lệ (%)", "5=4/1", t.PERCENT, 6, formula="Cột 4 ÷ cột 1 × 100"),
    ]
    group_columns = []
    if either:
        group_columns += [("poor_income", "N1 (thu nhập)"), ("poor_deprivation", "N2 (thiếu hụt)")]
    group_columns += [
        ("poor_social_protection", "Bảo trợ xã hội"),
        ("poor_merit", "Người có công"),
        ("poor_ethnic", "Dân tộc thiểu số"),
        ("poor_female", "Chủ hộ là nữ"),
        ("poor_no_labour", "Không có khả năng lao động"),
    ]
    for offset, (key, label) in enumerate(group_columns, start=6):
        columns.append(t.Column(key, label, str(offset), t.INT, 7))
    header = t.grouped_header(
        columns,
        [
            ("Hộ nghèo", ["poor", "poor_rate"]),
            ("Hộ cận nghèo", ["near_poor", "near_poor_rate"]),
            ("Hộ nghèo theo nhóm đối tượng", [key for key, _label in group_columns]),
        ],
    )

    def values(figures: dict) -> dict:
        cells = {
            key: figures.get(key, 0)
            for key in ("households", "poor", "near_poor", *[k for k, _l in group_columns])
        }
        cells["poor_rate"] = pct(cells["poor"], cells["households"])
        cells["near_poor_rate"] = pct(cells["near_poor"], cells["households"])
        return cells

    def issues(figures: dict) -> list[str]:
        other = figures.get("poor_other_standard", 0)
        return [OTHER_STANDARD % {"count": fmt_int(other)}] if other else []

    rows = []
    for index, (child, figures) in enumerate(children, start=1):
        number = index if child.id else None
        rows.append(
            t.Row(
                {**_base_cells(number, child), **values(figures)}, issues=issues(figures), link=_link(child)
            )
        )
    total = add([figures for _child, figures in children], STOCK_KEYS)
    rows.append(
        t.Row({"number": "", "label": _("Tổng cộng"), **values(total)}, kind=t.TOTAL, issues=issues(total))
    )
    notes = [_("Tỷ lệ (%) = số hộ ÷ tổng số hộ (cột 1) × 100, làm tròn 2 chữ số thập phân.")]
    if either:
        notes.append(
            _("N1: hộ nghèo về thu nhập; N2: hộ nghèo do thiếu hụt từ 3 chỉ số trở lên (QĐ 59/2015/QĐ-TTg).")
        )
    return t.Table(
        "stock",
        _("Biểu 1. Hộ nghèo, hộ cận nghèo đến ngày %(date)s") % {"date": fmt_date(data.end)},
        columns,
        rows,
        header=header,
        notes=notes,
    )


def _indicator_table(data: QuarterlyData, children: list[tuple[UnitRef, dict]]) -> t.Table | None:
    standard = data.standard
    if standard is None or not standard.indicators:
        return None
    columns = [
        t.Column("number", "TT", "A", t.CODE, 4),
        t.Column("label", "Đơn vị", "B", t.TEXT, 16),
        t.Column("poor", "Số hộ nghèo", "1", t.INT, 7),
    ]
    groups: list[tuple[str, list[str]]] = []
    for position, (order, dimension, name) in enumerate(standard.indicators, start=2):
        key = f"ind_{order}"
        columns.append(t.Column(key, name, str(position), t.INT, 7))
        if groups and groups[-1][0] == dimension:
            groups[-1][1].append(key)
        else:
            groups.append((dimension, [key]))
    top = [
        t.HeaderCell("TT", rowspan=2),
        t.HeaderCell("Đơn vị", rowspan=2),
        t.HeaderCell("Số hộ nghèo", rowspan=2),
    ]
    top += [t.HeaderCell(dimension, colspan=len(keys)) for dimension, keys in groups]
    bottom = [t.HeaderCell(column.label) for column in columns[3:]]
    keys = ["poor", *[f"ind_{order}" for order, _d, _n in standard.indicators]]
    rows = []
    for index, (child, figures) in enumerate(children, start=1):
        number = index if child.id else None
        rows.append(
            t.Row({**_base_cells(number, child), **{k: figures.get(k, 0) for k in keys}}, link=_link(child))
        )
    total = add([figures for _child, figures in children], keys)
    rows.append(t.Row({"number": "", "label": _("Tổng cộng"), **total}, kind=t.TOTAL))
    return t.Table(
        "indicators",
        _("Biểu 2. Hộ nghèo thiếu hụt các chỉ số dịch vụ xã hội cơ bản (%(basis)s)")
        % {"basis": standard.legal_basis},
        columns,
        rows,
        header=[top, bottom],
        notes=[_("Số hộ nghèo thiếu hụt từng chỉ số; một hộ có thể thiếu hụt nhiều chỉ số.")],
    )


def _changes_table(data: QuarterlyData, children: list[tuple[UnitRef, dict]]) -> t.Table:
    columns = [
        t.Column("number", "TT", "A", t.CODE, 4),
        t.Column("label", "Đơn vị", "B", t.TEXT, 16),
        t.Column("escaped_poverty", "Thoát nghèo", "1", t.INT, 7),
        t.Column("new_poor", "Phát sinh mới", "2", t.INT, 7),
        t.Column("relapsed_poor", "Tái nghèo", "3", t.INT, 7),
        t.Column("escaped_near_poverty", "Thoát cận nghèo", "4", t.INT, 7),
        t.Column("new_near_poor", "Phát sinh mới", "5", t.INT, 7),
        t.Column("relapsed_near_poor", "Tái cận nghèo", "6", t.INT, 7),
        t.Column("target_poor", "Chỉ tiêu", "7", t.INT, 7),
        t.Column("done_poor", "Đã thoát từ đầu năm", "8", t.INT, 8),
        t.Column("done_poor_rate", "Tỷ lệ (%)", "9=8/7", t.PERCENT, 6),
        t.Column("target_near_poor", "Chỉ tiêu", "10", t.INT, 7),
        t.Column("done_near_poor", "Đã thoát từ đầu năm", "11", t.INT, 8),
        t.Column("done_near_poor_rate", "Tỷ lệ (%)", "12=11/10", t.PERCENT, 6),
    ]
    header = t.grouped_header(
        columns,
        [
            (_("Hộ nghèo biến động trong quý"), ["escaped_poverty", "new_poor", "relapsed_poor"]),
            (
                _("Hộ cận nghèo biến động trong quý"),
                ["escaped_near_poverty", "new_near_poor", "relapsed_near_poor"],
            ),
            (
                _("Chỉ tiêu giảm hộ nghèo năm %(year)s") % {"year": data.year},
                ["target_poor", "done_poor", "done_poor_rate"],
            ),
            (
                _("Chỉ tiêu giảm hộ cận nghèo năm %(year)s") % {"year": data.year},
                ["target_near_poor", "done_near_poor", "done_near_poor_rate"],
            ),
        ],
    )

    def values(figures: dict, target: tuple[int, int] | None) -> dict:
        cells = {key: figures.get(key, 0) for key in CHANGE_KEYS}
        cells["done_poor"] = figures.get("escaped_poverty_ytd", 0)
        cells["done_near_poor"] = figures.get("escaped_near_poverty_ytd", 0)
        cells["target_poor"] = target[0] if target else None
        cells["target_near_poor"] = target[1] if target else None
        cells["done_poor_rate"] = pct(cells["done_poor"], cells["target_poor"])
        cells["done_near_poor_rate"] = pct(cells["done_near_poor"], cells["target_near_poor"])
        return cells

    rows = []
    child_targets = []
    for index, (child, figures) in enumerate(children, start=1):
        target = data.targets.get(child.id) if child.id else None
        if target:
            child_targets.append(target)
        number = index if child.id else None
        rows.append(t.Row({**_base_cells(number, child), **values(figures, target)}, link=_link(child)))
    keys = [*CHANGE_KEYS, "escaped_poverty_ytd", "escaped_near_poverty_ytd"]
    total = add([figures for _child, figures in children], keys)
    summed = (sum(p for p, _n in child_targets), sum(n for _p, n in child_targets)) if child_targets else None
    own = data.own_target or summed
    issues = []
    if data.own_target and summed and summed != data.own_target:
        issues.append(
            TARGETS_DIFFER
            % {
                "children": f"{fmt_int(summed[0])}/{fmt_int(summed[1])}",
                "unit": data.unit.name,
                "own": f"{fmt_int(data.own_target[0])}/{fmt_int(data.own_target[1])}",
            }
        )
    rows.append(
        t.Row({"number": "", "label": _("Tổng cộng"), **values(total, own)}, kind=t.TOTAL, issues=issues)
    )
    return t.Table(
        "changes",
        _("Biểu 3. Biến động trong %(quarter)s và tiến độ thực hiện chỉ tiêu")
        % {"quarter": quarter_label(data.year, data.quarter, lower=True)},
        columns,
        rows,
        header=header,
        notes=[
            _(
                "Biến động: phiếu rà soát đã duyệt có ngày hiệu lực từ %(start)s đến %(end)s. Hộ nghèo thành hộ cận "
                "nghèo được tính là thoát nghèo và phát sinh cận nghèo mới."
            )
            % {"start": fmt_date(data.start), "end": fmt_date(data.end)},
            _("Đã thoát từ đầu năm: từ 01/01/%(year)s đến %(end)s.")
            % {"year": data.year, "end": fmt_date(data.end)},
        ],
    )


def _corrections_table(data: QuarterlyData, children: list[tuple[UnitRef, dict]]) -> t.Table | None:
    if not data.corrections or not data.previous:
        return None
    keys = ("households", "poor", "near_poor")
    rows_data = []
    for child, _figures in children:
        entry = data.corrections.get(child.id, {})
        rows_data.append((child, entry))
    extra = [key for key in data.corrections if key not in {child.id for child, _f in children}]
    for key in extra:
        rows_data.append((UnitRef(key, _("Đơn vị mã %(id)s") % {"id": key}), data.corrections[key]))

    def values(entry: dict) -> dict:
        locked, now = entry.get("locked", {}), entry.get("now", {})
        cells = {}
        for key in keys:
            cells[f"{key}_locked"] = locked.get(key, 0)
            cells[f"{key}_now"] = now.get(key, 0)
            cells[f"{key}_diff"] = cells[f"{key}_now"] - cells[f"{key}_locked"]
        cells["late"] = entry.get("late", 0)
        return cells

    built = [(child, values(entry)) for child, entry in rows_data]
    if not any(cells[f"{k}_diff"] or cells["late"] for _c, cells in built for k in keys):
        return None
    previous = quarter_label(*data.previous, lower=True)
    columns = [t.Column("number", "TT", "A", t.CODE, 4), t.Column("label", "Đơn vị", "B", t.TEXT, 16)]
    groups = []
    number = 1
    for key, heading in (("households", "Tổng số hộ"), ("poor", "Hộ nghèo"), ("near_poor", "Hộ cận nghèo")):
        columns += [
            t.Column(f"{key}_locked", "Đã khóa", str(number), t.INT, 7),
            t.Column(f"{key}_now", "Hiện nay", str(number + 1), t.INT, 7),
            t.Column(f"{key}_diff", "Chênh lệch", f"{number + 2}={number + 1}-{number}", t.INT, 7),
        ]
        groups.append((heading, [f"{key}_locked", f"{key}_now", f"{key}_diff"]))
        number += 3
    columns.append(t.Column("late", "Phiếu duyệt sau khi khóa", str(number), t.INT, 8))
    rows = []
    for index, (child, cells) in enumerate(built, start=1):
        rows.append(t.Row({**_base_cells(index if child.id else None, child), **cells}, link=_link(child)))
    total_keys = [f"{k}_{s}" for k in keys for s in ("locked", "now", "diff")] + ["late"]
    rows.append(
        t.Row(
            {"number": "", "label": _("Tổng cộng"), **add([c for _x, c in built], total_keys)}, kind=t.TOTAL
        )
    )
    locked_on = fmt_date(data.previous_locked_on) if data.previous_locked_on else ""
    return t.Table(
        "corrections",
        _("Biểu 4. Điều chỉnh số liệu %(previous)s sau khi khóa sổ") % {"previous": previous},
        columns,
        rows,
        header=t.grouped_header(columns, groups),
        notes=[
            _(
                "Số liệu %(previous)s đã khóa ngày %(date)s và không thay đổi. Các phiếu được duyệt sau ngày khóa "
                "có hiệu lực trong %(previous)s hoặc trước đó được ghi nhận ở biểu này, như số điều chỉnh của kỳ này."
            )
            % {"previous": previous, "date": locked_on}
        ],
    )


def build_quarterly(
    data: QuarterlyData, *, frame: Frame, issued_on: date | None, preparer: str = ""
) -> t.Document:
    children = _child_rows(data)
    tables = [_stock_table(data, children)]
    indicator = _indicator_table(data, children)
    if indicator:
        tables.append(indicator)
    tables.append(_changes_table(data, children))
    corrections = _corrections_table(data, children)
    if corrections:
        tables.append(corrections)
    subtitle = [data.unit.name, _("Số liệu đến ngày %(date)s") % {"date": fmt_date(data.end)}]
    if data.standard:
        subtitle.append(
            _("Chuẩn nghèo: %(name)s (%(basis)s)")
            % {"name": data.standard.name, "basis": data.standard.legal_basis}
        )
    return document(
        code=CODE,
        title=_("Báo cáo tổng hợp hộ nghèo, hộ cận nghèo %(quarter)s")
        % {"quarter": f"quý {ROMAN[data.quarter]} năm {data.year}"},
        tables=tables,
        frame=frame,
        issued_on=issued_on,
        preparer=preparer,
        subtitle=subtitle,
        meta={"unit": data.unit.id, "year": data.year, "quarter": data.quarter},
    )


# --- Figures from the database -----------------------------------------------------------------------


def _collapse(rows: dict[tuple, dict], group_fields: list[str], unit, child: str | None) -> dict:
    """Rows grouped by `group_fields` (tuples) summed up to `unit`'s children (`child` field)."""
    own = group_fields.index(unit_field(unit)) if unit_field(unit) in group_fields else None
    position = group_fields.index(child) if child in group_fields else None
    result: dict = {}
    for key, figures in rows.items():
        if own is not None and key[own] != unit.pk:
            continue
        child_id = key[position] if position is not None else None
        bucket = result.setdefault(child_id, {})
        for name, value in figures.items():
            bucket[name] = bucket.get(name, 0) + (value or 0)
    return result


def unit_field(unit) -> str:
    return unit.located_field


def _merge(*sources: dict) -> dict:
    merged: dict = {}
    for source in sources:
        for key, figures in source.items():
            merged.setdefault(key, {}).update(figures)
    return merged


@dataclass
class Figures:
    """Everything a quarterly report of `top` (and of any unit below it) needs, grouped by `fields`."""

    top: object
    fields: list[str]
    year: int
    quarter: int
    standard: StandardInfo | None
    rows: dict
    targets: dict
    previous_lock: object | None
    previous_rows: dict | None


def fetch(scope, unit, year: int, quarter: int, *, fields: list[str]) -> Figures:
    start, end = quarter_dates(year, quarter)
    standard = standard_for(end, unit)
    stock = _merge(
        stock_by(scope, unit, end, fields, stock_aggregates(standard)),
        poor_groups_by(scope, unit, end, fields),
    )
    changes = changes_by(scope, unit, start, end, fields)
    targets = targets_by_unit(scope, unit, year, whole_subtree=len(fields) > 1)
    previous_lock = lock_covering(unit, *previous_quarter(year, quarter))
    previous_rows = None
    if previous_lock is not None:
        previous_end = quarter_dates(*previous_quarter(year, quarter))[1]
        now = stock_by(scope, unit, previous_end, fields, BASIC_STOCK)
        late = late_approvals_by(scope, unit, previous_end, previous_lock.locked_at, fields)
        previous_rows = _merge(now, late)
    return Figures(
        unit, fields, year, quarter, standard, _merge(stock, changes), targets, previous_lock, previous_rows
    )


def data_for(figures: Figures, unit, children: list[UnitRef]) -> QuarterlyData:
    """The QuarterlyData of `unit` (the fetched unit or one below it) from grouped figures."""
    child = unit.child_field
    start, end = quarter_dates(figures.year, figures.quarter)
    corrections = None
    previous = None
    locked_on = None
    if figures.previous_lock is not None and figures.previous_rows is not None:
        previous = previous_quarter(figures.year, figures.quarter)
        locked = figures.previous_lock.snapshot.get("figures", {}).get(str(unit.pk))
        if locked is not None:
            now = _collapse(figures.previous_rows, figures.fields, unit, child)
            corrections = {}
            for key in set(now) | {None if k == "none" else int(k) for k in locked}:
                corrections[key] = {
                    "locked": locked.get("none" if key is None else str(key), {}),
                    "now": {k: now.get(key, {}).get(k, 0) for k in ("households", "poor", "near_poor")},
                    "late": now.get(key, {}).get("late", 0),
                }
            locked_on = figures.previous_lock.locked_at.date()
    ids = {c.id for c in children}
    return QuarterlyData(
        unit=UnitRef.of(unit),
        year=figures.year,
        quarter=figures.quarter,
        start=start,
        end=end,
        standard=figures.standard,
        children=children,
        rows=_collapse(figures.rows, figures.fields, unit, child),
        targets={unit_id: target for unit_id, target in figures.targets.items() if unit_id in ids},
        own_target=figures.targets.get(unit.pk),
        previous=previous,
        corrections=corrections,
        previous_locked_on=locked_on,
    )


def lock_figures(data: QuarterlyData) -> dict:
    """The stock figures of a document, by child ("none" for households with no child unit): what
    the next quarter compares its live figures with."""
    return {
        ("none" if key is None else str(key)): {
            k: figures.get(k, 0) for k in ("households", "poor", "near_poor")
        }
        for key, figures in data.rows.items()
    }


def produce(scope, params) -> t.Document:
    from ..models import PeriodLock

    unit = params.unit
    lock: PeriodLock | None = lock_covering(unit, params.year, params.quarter)
    if lock is not None:
        snapshot = lock.snapshot.get("documents", {}).get(str(unit.pk))
        if snapshot is not None:
            document_ = t.Document.from_dict(snapshot)
            document_.locked = {
                "at": lock.locked_at.isoformat(),
                "date": fmt_date(lock.locked_at.date()),
                "by": display_name(lock.locked_by),
                "unit": lock.unit.name,
            }
            return document_
    figures = fetch(scope, unit, params.year, params.quarter, fields=[unit.child_field])
    data = data_for(figures, unit, children_of(unit))
    return build_quarterly(
        data, frame=local_frame(unit), issued_on=params.issued_on, preparer=scope.person_name
    )


def estimate_rows(scope, params) -> int:
    return 4 * (len(children_of(params.unit)) + 2)
