"""Renderers: any `core.tables.Document` to HTML (preview), PDF (WeasyPrint) and XLSX (openpyxl)."""

from datetime import date

from core import tables as t
from core.formatting import fmt_date, fmt_decimal, fmt_int

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def display(value, kind: str) -> str:
    """The printed text of a value: "1.458", "6,79" (the header says %), "24/01/2017"."""
    if value is None or value == "":
        return ""
    if kind in (t.INT, t.MONEY):
        return fmt_int(value)
    if kind == t.PERCENT:
        return fmt_decimal(value, 2)
    if kind == t.DATE and isinstance(value, date):
        return fmt_date(value)
    return str(value)


def render(document: t.Document, fmt: str, **options) -> bytes:
    if fmt == "pdf":
        from .pdf import render_pdf

        return render_pdf(document, **options)
    if fmt == "xlsx":
        from .xlsx import render_xlsx

        return render_xlsx(document, **options)
    raise ValueError(f"Unknown format {fmt}")
