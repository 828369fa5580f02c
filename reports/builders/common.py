"""Pieces shared by builders: totals, rates, the document frame, and the rows of the summary
reports (one per child unit, district subtotals under a pre-2025 province, the unplaced row, the
total)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from core import tables as t
from core.formatting import rate
from core.tables import Document, Table
from units.models import Level

from ..frame import Frame
from ..selectors import Layout, UnitRef, no_child_label


def add(rows: Iterable[dict], keys: Iterable[str]) -> dict:
    keys = list(keys)
    total = dict.fromkeys(keys, 0)
    for row in rows:
        for key in keys:
            total[key] += row.get(key) or 0
    return total


def add_all(rows: Iterable[dict]) -> dict:
    """The sum of figure dicts, over every key any of them has."""
    rows = list(rows)
    return add(rows, dict.fromkeys(key for row in rows for key in row))


def pct(part, whole):
    """part ÷ whole × 100, two decimals half-up; None when whole is 0 or missing."""
    if part is None or not whole:
        return None
    return rate(part, whole)


def document(
    *,
    code: str,
    title: str,
    tables: list[Table],
    frame: Frame,
    issued_on: date | None,
    preparer: str = "",
    subtitle: list[str] | None = None,
    notes: list[str] | None = None,
    landscape: bool = True,
    meta: dict | None = None,
) -> Document:
    for table in tables:
        table.check()
    return Document(
        code=code,
        title=title,
        tables=tables,
        subtitle=subtitle or [],
        parent_agency=frame.parent_agency,
        agency=frame.agency,
        place=frame.place,
        issued_on=issued_on,
        signature=frame.signature,
        preparer=preparer,
        notes=notes or [],
        landscape=landscape,
        meta=meta or {},
    )


_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"))
_ROMAN += ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def roman(number: int) -> str:
    """1 → "I", 14 → "XIV": the numbering of district rows."""
    text = ""
    for value, letters in _ROMAN:
        count, number = divmod(number, value)
        text += letters * count
    return text


@dataclass(frozen=True)
class Place:
    """Where a row of a summary report sits: its unit (None: households with no row unit), TT,
    label and kind (data, a district's subtotal, the total)."""

    unit_id: int | None
    number: str
    label: str
    kind: str = t.DATA
    link: dict | None = None


def _link(ref: UnitRef) -> dict | None:
    return {"unit": ref.id} if ref.id and ref.level and ref.level < Level.VILLAGE else None


def layout_rows(
    layout: Layout, figures: dict, rows_of: Callable[[dict, Place], list[t.Row]], *, prepare=None
) -> list[t.Row]:
    """The rows of a summary report: per district (pre-2025 province) its subtotal row then its
    communes, else the children; then the unplaced households and any unit no longer listed (when
    they have figures); then the total. `figures` maps a row unit id to a dict of counts, summed
    for subtotals and the total; `prepare(figures, unit_id)` completes a data row's figures first
    (e.g. with its own resident population); `rows_of` turns figures at a place into rows."""
    prepare = prepare or (lambda raw, _unit_id: raw)
    rows: list[t.Row] = []
    counted: list[dict] = []
    listed: set = set()
    for index, (district, children) in enumerate(layout.groups, start=1):
        raws = [prepare(figures.get(child.id, {}), child.id) for child in children]
        listed.update(child.id for child in children)
        if district is not None:
            place = Place(district.id, roman(index), district.name, t.SUBTOTAL, _link(district))
            rows += rows_of(add_all(raws), place)
        for number, (child, raw) in enumerate(zip(children, raws, strict=True), start=1):
            rows += rows_of(raw, Place(child.id, str(number), child.name, t.DATA, _link(child)))
        counted += raws
    others = sorted((key for key in figures if key not in listed), key=lambda key: (key is None, key))
    for key in others:
        if not any(figures[key].values()):
            continue
        raw = prepare(figures[key], key)
        label = no_child_label(layout.unit) if key is None else _("Đơn vị mã %(id)s") % {"id": key}
        rows += rows_of(raw, Place(key, "", label))
        counted.append(raw)
    rows += rows_of(add_all(counted), Place(layout.unit.id, "", _("Tổng cộng"), t.TOTAL))
    return rows
