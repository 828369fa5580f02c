"""The admin's import screens (django-import-export) under the upload guard (core/uploads.py).

These imports run inside the request, so they take the small tables' limits
(`UploadLimits.for_tables()`: a couple of megabytes, a few thousand rows); larger files go to the
pages whose import runs in the background worker (the census page). The upload's size is refused
before its bytes are read, a workbook is streamed by the guard before openpyxl sees it, and only
.xlsx and .csv are offered."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export.admin import ImportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ImportForm

from .uploads import UploadLimits, UploadRefused, check_upload_size, too_many_columns, too_many_rows


class GuardedXLSX(XLSX):
    def create_dataset(self, in_stream):
        from households.census.xlsx import guard_workbook

        guard_workbook(in_stream, UploadLimits.for_tables())
        return super().create_dataset(in_stream)


class GuardedCSV(CSV):
    def create_dataset(self, in_stream, **kwargs):
        limits = UploadLimits.for_tables()
        check_upload_size(len(in_stream), limits)
        dataset = super().create_dataset(in_stream, **kwargs)
        if len(dataset) > limits.max_rows:
            raise too_many_rows(len(dataset), limits)
        if dataset.width > limits.max_columns:
            raise too_many_columns(dataset.width - 1, limits)
        return dataset


class GuardedImportForm(ImportForm):
    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        try:
            check_upload_size(upload.size, UploadLimits.for_tables())
        except UploadRefused as error:
            raise ValidationError(
                _("%(error)s Tệp lớn hãy nhập ở trang Nhập dữ liệu rà soát (chạy nền).") % {"error": error}
            ) from error
        return upload


class GuardedImportMixin(ImportMixin):
    """ImportMixin with the guard: every admin that imports files uses this one."""

    import_form_class = GuardedImportForm
    import_formats = [GuardedXLSX, GuardedCSV]

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, UploadRefused):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)
