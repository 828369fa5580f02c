"""Pieces shared by builders: totals, rates, the document frame."""

from collections.abc import Iterable
from datetime import date

from core.formatting import rate
from core.tables import Document, Table

from ..frame import Frame


def add(rows: Iterable[dict], keys: Iterable[str]) -> dict:
    keys = list(keys)
    total = dict.fromkeys(keys, 0)
    for row in rows:
        for key in keys:
            total[key] += row.get(key) or 0
    return total


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
