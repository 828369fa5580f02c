import io

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Kind


class UnitSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm đơn vị"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Ví dụ: cam lo, Hải Châu"), "autocomplete": "off"}),
    )


class VillageForm(forms.Form):
    name = forms.CharField(
        label=_("Tên thôn/tổ dân phố"),
        max_length=120,
        error_messages={
            "required": _("Hãy nhập tên thôn/tổ dân phố."),
            "max_length": _("Tên thôn/tổ dân phố dài tối đa 120 ký tự; hãy viết ngắn lại."),
        },
    )
    kind = forms.ChoiceField(
        label=_("Loại"), choices=[(Kind.THON, Kind.THON.label), (Kind.TO_DAN_PHO, Kind.TO_DAN_PHO.label)]
    )


MAX_ASSIGNMENT_FILE = 1024 * 1024  # 1 MB: a commune's villages fit in a few kilobytes
MAX_ASSIGNMENT_ROWS = 2000


class VillageAssignmentUploadForm(forms.Form):
    """An .xlsx of village → new commune (first sheet, header row, then code or name of the village
    and code or name of the 2025 commune), read here into rows for the service."""

    file = forms.FileField(
        label=_("Tệp Excel (.xlsx)"),
        help_text=_(
            "Cột A: mã hoặc tên thôn; cột B: mã hoặc tên xã mới (để trống nếu chưa rõ). Dòng 1 là tiêu đề."
        ),
    )

    def clean_file(self):
        from openpyxl import load_workbook

        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Chỉ nhận tệp Excel .xlsx."))
        if upload.size > MAX_ASSIGNMENT_FILE:
            raise forms.ValidationError(_("Tệp quá lớn (tối đa 1 MB); bảng gán thôn chỉ cần hai cột."))
        from core.uploads import UploadLimits, UploadRefused
        from households.census.xlsx import guard_workbook

        data = upload.read()
        try:
            guard_workbook(data, UploadLimits.for_tables())  # before openpyxl pads or allocates
        except UploadRefused as error:
            raise forms.ValidationError(str(error)) from error
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            sheet = workbook.worksheets[0]
            rows = []
            for number, values in enumerate(sheet.iter_rows(min_row=2, max_col=2, values_only=True), start=2):
                if number > MAX_ASSIGNMENT_ROWS + 1:
                    raise forms.ValidationError(
                        _("Tệp có quá %(n)s dòng; một xã không có nhiều thôn như vậy.")
                        % {"n": MAX_ASSIGNMENT_ROWS}
                    )
                village, commune = (list(values) + [None, None])[:2]
                if village is None and commune is None:
                    continue
                rows.append((number, str(village or "").strip(), str(commune or "").strip()))
            workbook.close()
        except forms.ValidationError:
            raise
        except Exception as error:  # openpyxl raises many kinds on a damaged file
            raise forms.ValidationError(
                _("Không đọc được tệp: hãy lưu lại bằng Excel dưới dạng .xlsx rồi tải lên lại.")
            ) from error
        if not rows:
            raise forms.ValidationError(_("Tệp không có dòng nào sau dòng tiêu đề."))
        return rows
