"""Shapes of input for targets and registrations. Rules live in services.py."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import DateField
from households.models import PolicyGroup, PovertyCause, PovertyClass
from units.models import Organisation

from .models import HelpEntry, Outcome, SupportMeasure

FIRST_YEAR = 2016


def year_choices(selected: int | None = None) -> list[tuple[int, str]]:
    last = timezone.localdate().year + 1
    years = set(range(FIRST_YEAR, last + 1)) | ({selected} if selected else set())
    return [(year, str(year)) for year in sorted(years, reverse=True)]


class YearField(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Năm"))
        super().__init__(coerce=int, choices=year_choices, **kwargs)


def mass_organisation_choices(blank_label=None):
    choices = [
        (kind.value, kind.label) for kind in Organisation.Kind if kind in Organisation.MASS_ORGANISATIONS
    ]
    return [("", blank_label), *choices] if blank_label else choices


class PerspectiveForm(forms.Form):
    """Year and whose targets: the locality's (blank) or one kind of organisation's."""

    year = YearField(required=False)
    org = forms.ChoiceField(label=_("Chỉ tiêu của"), required=False, choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].choices = mass_organisation_choices(_("Chính quyền địa phương"))


# Django's Vietnamese for these reads badly ("Nhập một số tổng thể.", "… lớn hơn hoặc bằng với 0 .").
COUNT_ERRORS = {
    "invalid": _("Hãy nhập số hộ bằng chữ số, ví dụ 420."),
    "min_value": _("Số hộ không được âm."),
}


class Counts(forms.Form):
    """Whole numbers of households, never negative."""

    @staticmethod
    def count(label, required=True, **kwargs):
        return forms.IntegerField(
            label=label, min_value=0, required=required, error_messages=COUNT_ERRORS, **kwargs
        )


class EnteredBaselineMixin(forms.Form):
    baseline_households = Counts.count(_("Tổng số hộ đầu năm"), required=False)
    baseline_poor = Counts.count(_("Số hộ nghèo đầu năm"), required=False)
    baseline_near_poor = Counts.count(_("Số hộ cận nghèo đầu năm"), required=False)
    baseline_poor_social_protection = Counts.count(
        _("Hộ nghèo thuộc đối tượng bảo trợ xã hội"), required=False
    )

    def clean(self):
        data = super().clean()
        poor = data.get("baseline_poor") or 0
        households = data.get("baseline_households") or 0
        if households and poor > households:
            self.add_error("baseline_poor", _("Số hộ nghèo không được lớn hơn tổng số hộ."))
        if (data.get("baseline_poor_social_protection") or 0) > poor:
            self.add_error("baseline_poor_social_protection", _("Không được lớn hơn số hộ nghèo."))
        return data

    def entered_values(self) -> dict:
        data = self.cleaned_data
        poor = data.get("baseline_poor") or 0
        social = data.get("baseline_poor_social_protection") or 0
        return {
            "households": data.get("baseline_households") or 0,
            "poor": poor,
            "near_poor": data.get("baseline_near_poor") or 0,
            "poor_social_protection": social,
            "poor_policy": poor - social,
        }


class TargetCreateForm(EnteredBaselineMixin):
    year = YearField()
    org = forms.ChoiceField(label=_("Chỉ tiêu của"), required=False)
    reduce_poor = Counts.count(_("Số hộ nghèo giảm"))
    reduce_near_poor = Counts.count(_("Số hộ cận nghèo giảm"))
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    field_order = ["year", "org", "reduce_poor", "reduce_near_poor"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].choices = mass_organisation_choices(_("Chính quyền địa phương (UBND)"))


class TargetEditForm(EnteredBaselineMixin):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reduce_poor = Counts.count(_("Số hộ nghèo giảm"))
    reduce_near_poor = Counts.count(_("Số hộ cận nghèo giảm"))
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    field_order = ["reduce_poor", "reduce_near_poor"]

    def __init__(self, *args, entered: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not entered:
            for name in list(self.fields):
                if name.startswith("baseline_"):
                    del self.fields[name]


class AllocationForm(forms.Form):
    """One pair of inputs per child unit, named poor_<unit id> and near_<unit id>."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    mismatch_reason = forms.CharField(
        label=_("Lý do chênh lệch"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Bắt buộc khi tổng các đơn vị cấp dưới khác chỉ tiêu cấp trên."),
    )

    def __init__(self, *args, children=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.children = list(children)
        for unit in self.children:
            self.fields[f"poor_{unit.pk}"] = Counts.count(_("Hộ nghèo giảm – %(unit)s") % {"unit": unit.name})
            self.fields[f"near_{unit.pk}"] = Counts.count(
                _("Hộ cận nghèo giảm – %(unit)s") % {"unit": unit.name}
            )

    def rows(self) -> list[tuple]:
        """(unit, poor value, near-poor value, poor field, near-poor field) for the template."""
        out = []
        for unit in self.children:
            poor, near = self[f"poor_{unit.pk}"], self[f"near_{unit.pk}"]
            out.append((unit, poor, near))
        return out


class ShareForm(forms.Form):
    kind = forms.ChoiceField(label=_("Tổ chức"), choices=())
    percent = forms.DecimalField(
        label=_("Tỷ lệ phần của tổ chức (%)"),
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        localize=True,
        error_messages={
            "invalid": _("Hãy nhập tỷ lệ phần trăm bằng chữ số, ví dụ 20 hoặc 12,5."),
            "min_value": _("Tỷ lệ phải từ 0 đến 100%%."),
            "max_value": _("Tỷ lệ phải từ 0 đến 100%%."),
            "max_decimal_places": _("Tỷ lệ chỉ ghi tối đa 2 chữ số sau dấu phẩy."),
        },
        # xgettext:no-python-format
        help_text=_("Ví dụ: 20 — Hội LHPN TP Đà Nẵng nhận 20% chỉ tiêu của các quận, huyện năm 2017."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = mass_organisation_choices()


class RegistrationFieldsMixin(forms.Form):
    circumstances = forms.CharField(
        label=_("Hoàn cảnh"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ví dụ: chồng mất, một mình nuôi 2 con nhỏ; nhà tạm."),
    )
    causes = forms.ModelMultipleChoiceField(
        label=_("Nguyên nhân nghèo"),
        queryset=PovertyCause.objects.filter(active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    needs = forms.CharField(
        label=_("Nhu cầu"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ví dụ: vay 30 triệu đồng nuôi bò sinh sản; học nghề may."),
    )
    measures = forms.ModelMultipleChoiceField(
        label=_("Biện pháp giúp đỡ"),
        queryset=SupportMeasure.objects.filter(active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    responsible_member = forms.CharField(
        label=_("Người phụ trách giúp đỡ"),
        max_length=120,
        required=False,
        help_text=_("Hội viên hoặc chi hội được giao theo dõi, giúp đỡ hộ."),
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RegistrationCreateForm(RegistrationFieldsMixin):
    organisation = forms.ModelChoiceField(
        label=_("Tổ chức đăng ký"), queryset=Organisation.objects.none(), empty_label=None
    )
    year = YearField()

    field_order = ["organisation", "year"]

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        ids = [organisation.pk for organisation in organisations]
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=ids)
        if len(ids) == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.fields["organisation"].initial = ids[0]


class RegistrationEditForm(RegistrationFieldsMixin):
    version = forms.IntegerField(widget=forms.HiddenInput)


MAX_HELP_VALUE = 10_000_000_000  # 10 billion đồng for one delivery of help: anything above is a typing slip


class HelpEntryForm(forms.Form):
    kind = forms.ChoiceField(label=_("Hình thức hỗ trợ"), choices=HelpEntry.Kind.choices)
    value = forms.IntegerField(
        label=_("Giá trị (đồng)"),
        min_value=0,
        max_value=MAX_HELP_VALUE,
        initial=0,
        localize=True,
        error_messages={
            "invalid": _("Hãy nhập số tiền bằng chữ số, ví dụ 30.000.000."),
            "min_value": _("Số tiền không được âm; nhập 0 nếu không quy ra tiền."),
            "max_value": _("Số tiền quá lớn (tối đa 10.000.000.000 đ): hãy kiểm tra lại số chữ số 0."),
        },
        help_text=_("Tiền hoặc giá trị hiện vật, tính bằng đồng; 0 nếu không quy ra tiền."),
    )
    date = DateField(label=_("Ngày hỗ trợ"))
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)


class ProposeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(label=_("Kết quả đề xuất"), choices=Outcome.choices)


class ConfirmForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(label=_("Kết quả xác nhận"), choices=Outcome.choices)
    confirmed_on = DateField(label=_("Ngày xác nhận"))


YES_NO = [("", _("Tất cả")), ("1", _("Có")), ("0", _("Không"))]


class EligibleFilterForm(forms.Form):
    year = YearField(required=False)
    q = forms.CharField(label=_("Tên chủ hộ"), required=False)
    commune = forms.TypedChoiceField(label=_("Xã/phường"), coerce=int, required=False, empty_value=None)
    village = forms.TypedChoiceField(label=_("Thôn/tổ dân phố"), coerce=int, required=False, empty_value=None)
    klass = forms.ChoiceField(
        label=_("Nhóm hộ"),
        required=False,
        choices=[
            ("", _("Nghèo và cận nghèo")),
            (PovertyClass.POOR, _("Hộ nghèo")),
            (PovertyClass.NEAR_POOR, _("Hộ cận nghèo")),
        ],
    )
    female_head = forms.ChoiceField(label=_("Chủ hộ là nữ"), required=False, choices=YES_NO)
    group = forms.ModelChoiceField(
        label=_("Đối tượng chính sách"),
        queryset=PolicyGroup.objects.none(),
        required=False,
        to_field_name="code",
    )
    registered = forms.ChoiceField(
        label=_("Đã đăng ký"),
        required=False,
        choices=[("0", _("Chưa đăng ký")), ("", _("Tất cả")), ("1", _("Đã đăng ký"))],
    )

    def __init__(self, *args, policy_groups, communes=(), villages=(), **kwargs):
        """`policy_groups`: those the user may select by (units/access.py `selectable_policy_groups`)."""
        super().__init__(*args, **kwargs)
        self.fields["commune"].choices = [("", _("Tất cả"))] + [(u.pk, u.name) for u in communes]
        self.fields["village"].choices = [("", _("Tất cả"))] + [(u.pk, u.name) for u in villages]
        self.fields["group"].queryset = policy_groups


class RegistrationFilterForm(forms.Form):
    STATES = [
        ("", _("Tất cả")),
        ("open", _("Đang giúp đỡ")),
        ("stale", _("Quá 90 ngày chưa hỗ trợ")),
        ("awaiting", _("Chờ xã xác nhận")),
        ("confirmed", _("Đã xác nhận")),
    ]

    year = YearField(required=False)
    org = forms.ChoiceField(label=_("Tổ chức"), required=False, choices=())
    state = forms.ChoiceField(label=_("Tình trạng"), required=False, choices=STATES)
    commune = forms.TypedChoiceField(label=_("Xã/phường"), coerce=int, required=False, empty_value=None)
    q = forms.CharField(label=_("Tên chủ hộ"), required=False)

    def __init__(self, *args, communes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].choices = mass_organisation_choices(_("Tất cả"))
        self.fields["commune"].choices = [("", _("Tất cả"))] + [(u.pk, u.name) for u in communes]


class ImportForm(forms.Form):
    year = YearField()
    file = forms.FileField(
        label=_("Tệp bảng chỉ tiêu"),
        help_text=_(
            "Tệp .xlsx, .csv hoặc .tsv theo mẫu bảng chỉ tiêu của kế hoạch giảm nghèo: có dòng đánh số cột "
            "A, B, 1, 2, …, 11 dưới tiêu đề (cột B tên đơn vị, cột 1 dân số, cột 2 hộ nghèo, cột 8 hộ giảm)."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 1024 * 1024:
            raise forms.ValidationError(_("Tệp quá lớn (tối đa 1 MB); bảng chỉ tiêu chỉ cần vài chục dòng."))
        return upload
