"""Renderers: any `core.tables.Document` to PDF (WeasyPrint) and XLSX (openpyxl). On screen, tables
are shown by core.tables_html (the one HTML rendering of a table, shared with the targets pages)."""

from core import tables as t

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def render(document: t.Document, fmt: str, **options) -> bytes:
    if fmt == "pdf":
        from .pdf import render_pdf

        return render_pdf(document, **options)
    if fmt == "xlsx":
        from .xlsx import render_xlsx

        return render_xlsx(document, **options)
    raise ValueError(f"Unknown format {fmt}")
