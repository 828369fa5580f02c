from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.uploads import UploadLimits, UploadRefused, check_upload_size
from units.models import AdminVersion

from ..models import Assessment, PovertyStandard


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp Excel kết quả rà soát (.xlsx)"),
        help_text=_("Tệp như xã gửi lên: có thể có dòng tiêu đề, ô gộp, số ghi dạng chữ."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
    year = forms.IntegerField(label=_("Năm rà soát"))
    admin_version = forms.ChoiceField(
        label=_("Danh mục đơn vị hành chính"),
        required=False,
        choices=[
            ("", _("Theo năm rà soát (đến 2024: trước 01/07/2025; từ 2025: sau sắp xếp)")),
            *AdminVersion.choices,
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        self.years = PovertyStandard.objects.review_years(Assessment.Kind.PERIODIC)

    def clean_year(self):
        """A year whose year-end review has a standard: from 2015 (the lists of 2016, QĐ 59/2015)."""
        year = self.cleaned_data["year"]
        if year not in self.years:
            first, last = (self.years[0], self.years[-1]) if self.years else ("", "")
            raise forms.ValidationError(
                _(
                    "Chưa có chuẩn nghèo cho rà soát cuối năm %(year)s. Hãy chọn năm từ %(first)s đến %(last)s."
                )
                % {"year": year, "first": first, "last": last}
            )
        return year

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:  # before the view reads the bytes into memory
            check_upload_size(upload.size, UploadLimits.for_census())
        except UploadRefused as error:
            raise forms.ValidationError(str(error)) from error
        if not upload.name.lower().endswith((".xlsx", ".xlsm")):
            raise forms.ValidationError(
                _(
                    "Chỉ nhận tệp Excel .xlsx. Nếu là tệp .xls hoặc .csv, hãy mở bằng Excel và lưu lại dưới dạng .xlsx."
                )
            )
        return upload


class ConfirmForm(forms.Form):
    skip_errors = forms.BooleanField(label=_("Bỏ qua các dòng lỗi, nhập các dòng hợp lệ"), required=False)
