"""Helpers shared by every Excel file the product writes (lists, reports, import results).

Text that begins with = + - @, a tab or a carriage return is prefixed with an apostrophe-like
quote so that a hostile name typed into a form can never become a formula in the official's
spreadsheet (CSV/formula injection)."""

from datetime import date, datetime

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")

# Number formats: Excel shows the thousands and decimal separators of the reader's locale, so a
# Vietnamese Excel displays 1.458 and 6,79 from these codes.
INT = "#,##0"
DEC2 = "#,##0.00"
PERCENT2 = '0.00"%"'  # rates are stored as percentages (6.79), as in the source tables
DATE = "dd/mm/yyyy"


def neutralise(value):
    """Return a cell value that cannot be interpreted as a formula."""
    if isinstance(value, str) and value.startswith(_DANGEROUS):
        return "'" + value
    return value


def cell_value(value):
    """Numbers and dates stay typed; text is neutralised."""
    if value is None or isinstance(value, (int, float, date, datetime)):
        return value
    return neutralise(str(value))
