"""The census import inside the Django admin (django-import-export), for smaller tables.

The admin reads the upload into a tablib Dataset (xlsx, csv, ...); this resource hands it to the
same pipeline as the import page and the command — same header tolerance, same validation
messages, same scope, same dry run and same set-based write — and reports each row back to the
admin's preview as new, updated, unchanged or invalid. The review year comes from the file's
"Năm rà soát" column. The admin only offers to confirm a file without errors (strict mode)."""

from collections import Counter

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources
from import_export.results import Result, RowResult

from ..models import Household
from .columns import COLUMNS, build_vocabulary
from .services import _candidate_indicators, _choose_sheet, census_import
from .xlsx import Limits, Workbook, WorkbookError

_TYPES = {
    "created": RowResult.IMPORT_TYPE_NEW,
    "updated": RowResult.IMPORT_TYPE_UPDATE,
    "unchanged": RowResult.IMPORT_TYPE_SKIP,
}


def year_from_file(data: bytes) -> int | None:
    """The most common value of the file's "Năm rà soát" column."""
    try:
        workbook = Workbook(data, Limits.for_tables())
        vocabulary = build_vocabulary(
            _candidate_indicators(2020) | _candidate_indicators(2025) | _candidate_indicators(2028)
        )
        _name, part, header = _choose_sheet(workbook, vocabulary)
    except WorkbookError:
        return None
    column = header.columns.get("year")
    if column is None:
        return None
    years = Counter()
    for number, values in workbook.rows(part):
        if number >= header.data_from and column < len(values):
            value = values[column]
            text = (
                str(int(value))
                if isinstance(value, (int, float)) and not isinstance(value, bool)
                else str(value or "").strip()
            )
            if text.isdigit() and 2016 <= int(text) <= 2030:
                years[int(text)] += 1
    return years.most_common(1)[0][0] if years else None


class CensusImportResource(resources.ModelResource):
    class Meta:
        model = Household
        fields = ("code",)
        name = "Kết quả rà soát cuối năm (biểu mẫu nhập)"

    def get_user_visible_fields(self):
        return [fields.Field(column_name=column.header) for column in COLUMNS]

    def import_data(
        self,
        dataset,
        dry_run=False,
        raise_errors=False,
        use_transactions=None,
        collect_failed_rows=False,
        rollback_on_validation_errors=False,
        **kwargs,
    ):
        result = Result()
        headers = [str(h) for h in (dataset.headers or [])]
        result.diff_headers = headers
        result.add_dataset_headers(headers)
        data = dataset.export("xlsx")
        year = year_from_file(data)
        if year is None:
            result.append_invalid_row(
                1,
                {},
                ValidationError(
                    _('Không xác định được năm rà soát: hãy ghi cột "Năm rà soát" (ví dụ 2024) cho các hộ.')
                ),
            )
            return result
        report = census_import(
            data=data, year=year, user=kwargs.get("user"), dry_run=dry_run, limits=Limits.for_tables()
        )
        by_row: dict[int, list[str]] = {}
        for error in report.errors:
            by_row.setdefault(error.row, []).append(
                f"{error.column}: {error.message}" if error.column else error.message
            )
        for number, messages in sorted(by_row.items()):
            values = dataset[number - 2] if 2 <= number < len(dataset) + 2 else ()
            row = dict(zip(headers, values, strict=False))
            result.append_invalid_row(max(number, 1), row, ValidationError(messages))
        if report.errors:
            return result
        for number, outcome in sorted(report.outcomes.items()):
            row_result = RowResult()
            row_result.import_type = _TYPES[outcome]
            values = dataset[number - 2] if 2 <= number < len(dataset) + 2 else ()
            row_result.diff = ["" if value is None else str(value) for value in values]
            row_result.object_repr = str(values[0]) if values else ""
            result.append_row_result(row_result)
            result.increment_row_result_total(row_result)
        return result
