"""The shape of what officers type: households with their members, assessments, list filters.
Rules that involve other records live in services.py; these forms only clean input."""

from __future__ import annotations

import json

from django import forms
from django.core import signing
from django.forms.models import BaseInlineFormSet, inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import DateField
from core.formatting import fmt_int
from units import access

from .income import ANNUAL, BASES, PER_CAPITA
from .models import (
    Assessment,
    Household,
    Member,
    PolicyGroup,
    PoorGroup,
    PovertyCause,
    PovertyClass,
    PovertyStandard,
)
from .people import EARLIEST_BIRTH_YEAR, check_person
from .services import AssessmentInput, MemberInput

# The policy groups that reveal ethnic origin (sensitive data): the rule is units/access.py's.
SENSITIVE_POLICY_GROUPS = access.SENSITIVE_POLICY_GROUPS

# The 54 ethnic groups of Viet Nam in the order of the national list (QĐ 121-TCTK/PPCĐ).
ETHNIC_GROUPS = [
    "Kinh", "Tày", "Thái", "Hoa", "Khmer", "Mường", "Nùng", "Mông", "Dao", "Gia Rai", "Ngái", "Ê Đê",
    "Ba Na", "Xơ Đăng", "Sán Chay", "Cơ Ho", "Chăm", "Sán Dìu", "Hrê", "Mnông", "Ra Glai", "Xtiêng",
    "Bru-Vân Kiều", "Thổ", "Giáy", "Cơ Tu", "Gié Triêng", "Mạ", "Khơ Mú", "Co", "Tà Ôi", "Chơ Ro",
    "Kháng", "Xinh Mun", "Hà Nhì", "Chu Ru", "Lào", "La Chí", "La Ha", "Phù Lá", "La Hủ", "Lự", "Lô Lô",
    "Chứt", "Mảng", "Pà Thẻn", "Cơ Lao", "Cống", "Bố Y", "Si La", "Pu Péo", "Brâu", "Ơ Đu", "Rơ Măm",
]  # fmt: skip

_SIGNING_SALT = "households.form-original"

# The assessment form's income fields and the basis each one is (households/income.py).
INCOME_FIELDS = {"annual_income": ANNUAL, "income_per_capita": PER_CAPITA}


class MoneyField(forms.CharField):
    """Whole đồng, typed as officers write them: "1.500.000", "1 500 000", "1500000 đ"."""

    default_error_messages = {
        "invalid": _("Hãy nhập số tiền bằng chữ số, ví dụ 1.500.000."),
        "negative": _("Số tiền không được âm. Hộ không có thu nhập thì nhập 0."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, int):
            return fmt_int(value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        for noise in (" ", ".", ",", "đồng", "đ", "\u00a0"):
            text = text.replace(noise, "")
        if not text:
            return None
        if text.startswith("-") and text[1:].isdigit():
            raise forms.ValidationError(self.error_messages["negative"], code="negative")
        if not text.isdigit():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return int(text)


class VersionedFormMixin(forms.Form):
    """The version a record had when the form was opened, and what the form showed then (signed),
    so that a save from a stale copy is refused with the other person's changes listed."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    original = forms.CharField(widget=forms.HiddenInput, required=False)

    @staticmethod
    def sign(snapshot: dict) -> str:
        return signing.dumps(json.loads(json.dumps(snapshot, default=str)), salt=_SIGNING_SALT, compress=True)

    def original_snapshot(self) -> dict | None:
        try:
            return signing.loads(self.cleaned_data.get("original") or "", salt=_SIGNING_SALT)
        except signing.BadSignature:
            return None


# --- Households ---------------------------------------------------------------------------------


class HouseholdForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Household
        fields = [
            "code",
            "village",
            "address",
            "area",
            "labour",
            "agri_forestry_fishery_salt",
            "policy_groups",
            "causes",
            "note",
        ]
        widgets = {
            "policy_groups": forms.CheckboxSelectMultiple,
            "causes": forms.CheckboxSelectMultiple,
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "agri_forestry_fishery_salt": _(
                "Để xác định hộ có mức sống trung bình làm nông, lâm, ngư, diêm nghiệp."
            )
        }

    def __init__(self, *args, commune, show_ethnicity: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].required = False
        self.fields["code"].help_text = _("Để trống để hệ thống tự cấp mã (mã xã-thôn-số thứ tự).")
        self.fields["village"].queryset = commune.children.order_by("name")
        self.fields["village"].empty_label = _("— Chưa xác định —")
        self.fields["area"].help_text = _(
            "Mặc định theo loại xã/phường; chuẩn nghèo khác nhau giữa nông thôn và thành thị."
        )
        groups = PolicyGroup.objects.filter(active=True)
        if not show_ethnicity:
            groups = groups.exclude(code__in=SENSITIVE_POLICY_GROUPS)
        self.fields["policy_groups"].queryset = groups
        self.fields["causes"].queryset = PovertyCause.objects.filter(active=True)
        if self.instance.pk is None:
            del self.fields["version"]
            del self.fields["original"]
            self.fields["area"].required = False
            self.fields["area"].choices = [("", _("— Theo xã/phường —")), *self.fields["area"].choices[1:]]

    def hidden_policy_groups(self):
        """Sensitive groups the user cannot see: kept as they are when the form is saved."""
        if self.instance.pk is None:
            return []
        visible = set(self.fields["policy_groups"].queryset.values_list("pk", flat=True))
        return [g for g in self.instance.policy_groups.all() if g.pk not in visible]


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = [
            "full_name",
            "relation",
            "sex",
            "birth_date",
            "birth_year",
            "citizen_id",
            "ethnicity",
            "health_insurance",
            "disability",
            "schooling",
            "work",
        ]
        field_classes = {"birth_date": DateField}
        widgets = {"birth_year": forms.NumberInput(attrs={"min": EARLIEST_BIRTH_YEAR})}

    def __init__(self, *args, show_ethnicity: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["birth_year"].required = False
        self.fields["birth_year"].help_text = _("Nhập năm sinh nếu không rõ ngày sinh.")
        self.fields["birth_year"].widget.attrs["max"] = timezone.localdate().year
        self.fields["citizen_id"] = forms.CharField(
            label=_("Số CCCD/định danh"),
            required=False,
            max_length=20,
            help_text=_("12 chữ số; để trống nếu chưa có."),
            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        )
        if show_ethnicity:
            self.fields["ethnicity"] = forms.ChoiceField(
                label=_("Dân tộc"),
                required=False,
                choices=[("", _("— Chưa rõ —"))] + [(name, name) for name in ETHNIC_GROUPS],
            )
            current = self.initial.get("ethnicity")
            if current and current not in ETHNIC_GROUPS:
                self.fields["ethnicity"].choices.append((current, current))
        else:
            del self.fields["ethnicity"]
        self.citizen_id_warnings: tuple[str, ...] = ()

    def clean(self):
        data = super().clean()
        born = data.get("birth_date")
        year = data.get("birth_year")
        if born and year and born.year != year:
            self.add_error("birth_year", _("Năm sinh khác với năm của ngày sinh."))
        elif born:
            data["birth_year"] = born.year
        elif not year and "birth_year" not in self.errors:
            self.add_error("birth_year", _("Hãy nhập ngày sinh hoặc năm sinh."))
        if data.get("birth_year") and "birth_year" not in self.errors:
            check = check_person(
                sex=data.get("sex"),
                birth_year=data["birth_year"],
                birth_date=born,
                citizen_id=data.get("citizen_id"),
                latest=timezone.localdate(),
            )
            for name, errors in check.errors.items():
                for error in errors:
                    self.add_error(name, error)
            self.citizen_id_warnings = check.warnings
            if check.ok:
                data["citizen_id"] = check.citizen_id
        return data

    def member_input(self) -> MemberInput:
        data = self.cleaned_data
        return MemberInput(
            full_name=data["full_name"],
            sex=data["sex"],
            birth_year=data["birth_year"],
            relation=data["relation"],
            birth_date=data.get("birth_date"),
            citizen_id=data.get("citizen_id") or "",
            ethnicity=data.get("ethnicity") if "ethnicity" in self.fields else None,
            disability=data.get("disability", False),
            health_insurance=data.get("health_insurance", False),
            schooling=data.get("schooling") or "",
            work=data.get("work") or "",
        )


class BaseMemberFormSet(BaseInlineFormSet):
    error_summary_item = _("Nhân khẩu %(number)s")  # how the error summary names each member's form

    # Django's own messages for these have no Vietnamese translation.
    default_error_messages = {
        "too_few_forms": _("Hộ phải có ít nhất một nhân khẩu (chủ hộ)."),
        "too_many_forms": _("Một hộ có quá nhiều nhân khẩu (tối đa %(num)s)."),
        "missing_management_form": _(
            "Biểu mẫu nhân khẩu thiếu dữ liệu quản lý (%(field_names)s). Hãy tải lại trang và nhập lại."
        ),
    }

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [form for form in self.forms if form.cleaned_data and not self._should_delete_form(form)]
        if not kept:
            raise forms.ValidationError(_("Hộ phải có ít nhất một nhân khẩu (chủ hộ)."))
        heads = [form for form in kept if form.cleaned_data.get("relation") == Member.Relation.HEAD]
        if len(heads) != 1:
            raise forms.ValidationError(
                _("Hộ phải có đúng một người là chủ hộ (quan hệ với chủ hộ: “Chủ hộ”); hiện có %(count)s.")
                % {"count": len(heads)}
            )
        numbers: dict[str, str] = {}
        for form in kept:
            number = form.cleaned_data.get("citizen_id")
            if number and number in numbers:
                form.add_error(
                    "citizen_id", _("Trùng số CCCD với %(name)s trong hộ.") % {"name": numbers[number]}
                )
            elif number:
                numbers[number] = form.cleaned_data["full_name"]

    def edits(self):
        """The members form as service edits (add, change, remove)."""
        from .services import MemberEdit

        result = []
        for form in self.forms:
            if not form.has_changed() and form.instance.pk is None:
                continue
            if self._should_delete_form(form):
                if form.instance.pk:
                    result.append(MemberEdit(form.instance, None, delete=True))
                continue
            if form.instance.pk and not form.has_changed():
                continue
            result.append(MemberEdit(form.instance if form.instance.pk else None, form.member_input()))
        return result

    def warnings(self) -> list[str]:
        return [
            f"{form.cleaned_data.get('full_name', '')}: {warning}"
            for form in self.forms
            if form.cleaned_data
            for warning in form.citizen_id_warnings
        ]


MemberFormSet = inlineformset_factory(
    Household,
    Member,
    form=MemberForm,
    formset=BaseMemberFormSet,
    extra=0,
    min_num=1,
    validate_min=True,
    can_delete=True,
)


# --- Assessments --------------------------------------------------------------------------------


def review_years() -> list[int]:
    """Years a review can be made in: from the end-2015 review (lists of 2016, QĐ 59/2015) on."""
    return PovertyStandard.objects.review_years() or [timezone.localdate().year]


class AssessmentForm(VersionedFormMixin, forms.Form):
    """One survey. The indicator checkboxes are those of the standard that serves the review
    (`indicator_<code>`; the kind, review year and effective date decide it), with the legal
    definition as help text."""

    kind = forms.ChoiceField(
        label=_("Loại rà soát"), choices=Assessment.Kind.choices, widget=forms.RadioSelect
    )
    review_year = forms.TypedChoiceField(label=_("Năm rà soát"), coerce=int)
    effective_date = DateField(
        label=_("Ngày hiệu lực"), help_text=_("Ngày quyết định công nhận kết quả (dd/mm/yyyy).")
    )
    area = forms.ChoiceField(label=_("Khu vực"), choices=Household._meta.get_field("area").choices)
    member_count = forms.IntegerField(
        label=_("Số nhân khẩu"),
        min_value=1,
        max_value=99,
        error_messages={
            "invalid": _("Hãy nhập số nhân khẩu bằng chữ số."),
            "min_value": _("Hộ có ít nhất 1 nhân khẩu."),
            "max_value": _("Số nhân khẩu tối đa là 99; hãy kiểm tra lại."),
        },
    )
    annual_income = MoneyField(
        label=_("Tổng thu nhập của hộ trong 12 tháng qua (đồng)"),
        required=False,
        help_text=_(
            "Thu nhập bình quân = tổng thu nhập ÷ số nhân khẩu ÷ 12, tính lại khi sửa tổng thu nhập "
            "hoặc số nhân khẩu."
        ),
    )
    income_per_capita = MoneyField(
        label=_("Thu nhập bình quân (đồng/người/tháng)"),
        required=False,
        help_text=_(
            "Để trống để tính từ tổng thu nhập năm; nếu sửa số này, tổng thu nhập năm tính lại theo nó."
        ),
    )
    # Which income figure the officer typed in last (set by static/js/households.js); the other
    # one is computed from it (households/income.py).
    income_basis = forms.ChoiceField(
        choices=[(basis, basis) for basis in BASES], required=False, widget=forms.HiddenInput
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, standard: PovertyStandard, new: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["review_year"].choices = [(year, str(year)) for year in review_years()]
        self.fields["income_basis"].initial = (
            ANNUAL if self.initial.get("annual_income") is not None else PER_CAPITA
        )
        for name, basis in INCOME_FIELDS.items():
            self.fields[name].widget.attrs["data-income-basis"] = basis
        self.fields["income_basis"].widget.attrs["data-income-basis-field"] = ""
        if new:
            del self.fields["version"]
            del self.fields["original"]
        self.set_standard(standard)

    def set_standard(self, standard: PovertyStandard) -> None:
        for name in [n for n in self.fields if n.startswith("indicator_")]:
            del self.fields[name]
        self.standard = standard
        self.indicators = list(standard.indicators.order_by("order"))
        for indicator in self.indicators:
            self.fields[f"indicator_{indicator.code}"] = forms.BooleanField(
                label=indicator.name, help_text=indicator.definition, required=False
            )

    def indicator_groups(self):
        """(dimension, [bound fields]) in the legal order, for the template."""
        groups: list[tuple[str, list]] = []
        for indicator in self.indicators:
            field = self[f"indicator_{indicator.code}"]
            if groups and groups[-1][0] == indicator.dimension:
                groups[-1][1].append((indicator, field))
            else:
                groups.append((indicator.dimension, [(indicator, field)]))
        return groups

    def clean(self):
        data = super().clean()
        typed_wrong = any(name in self.errors for name in INCOME_FIELDS)  # said once, at the field
        if data.get("income_per_capita") is None and data.get("annual_income") is None and not typed_wrong:
            self.add_error(
                "income_per_capita",
                _("Hãy nhập thu nhập bình quân đầu người/tháng, hoặc tổng thu nhập của hộ trong năm."),
            )
        data["income_basis"] = self.typed_last_basis()
        return data

    def typed_last_basis(self) -> str:
        """The income figure typed last: the only one of the two that differs from what the form
        showed, else the one the page says was typed last (or, untouched, the record's own)."""
        changed = [basis for name, basis in INCOME_FIELDS.items() if name in self.changed_data]
        if len(changed) == 1:
            return changed[0]
        return self.cleaned_data.get("income_basis") or self.fields["income_basis"].initial

    def assessment_input(self) -> AssessmentInput:
        data = self.cleaned_data
        return AssessmentInput(
            kind=data["kind"],
            review_year=data["review_year"],
            effective_date=data["effective_date"],
            area=data["area"],
            member_count=data["member_count"],
            deprived=frozenset(i.code for i in self.indicators if data.get(f"indicator_{i.code}")),
            income_per_capita=data.get("income_per_capita"),
            annual_income=data.get("annual_income"),
            income_basis=data["income_basis"],
            note=data.get("note", ""),
        )


def assessment_initial(assessment: Assessment, codes: list[str]) -> dict:
    initial = {
        "kind": assessment.kind,
        "review_year": assessment.review_year,
        "effective_date": assessment.effective_date,
        "area": assessment.area,
        "member_count": assessment.member_count,
        "annual_income": assessment.annual_income,
        "income_per_capita": assessment.income_per_capita,
        "note": assessment.note,
    }
    initial |= {f"indicator_{code}": True for code in codes}
    return initial


APPROVE_UNCHECKED = _(
    "Hãy xem nhân khẩu và căn cứ phân loại, rồi đánh dấu “Tôi đã kiểm tra” trước khi duyệt."
)


class ApproveForm(forms.Form):
    """The leader's approval: the version seen, and that she checked the household before approving
    (a confirmation step that needs no JavaScript)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    checked = forms.BooleanField(
        label=_("Tôi đã kiểm tra nhân khẩu, thu nhập và các chỉ số thiếu hụt của hộ"),
        error_messages={"required": APPROVE_UNCHECKED},
    )


class ReturnForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Lý do trả lại"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ghi rõ cần kiểm tra, sửa gì."),
    )


# --- Lists --------------------------------------------------------------------------------------

NO_RESULT = "none"


class HouseholdFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm"),
        required=False,
        max_length=80,
        widget=forms.TextInput(
            attrs={
                "placeholder": _("Tên (có dấu hoặc không), mã hộ, số CCCD"),
                "type": "search",
                "autocomplete": "off",
            }
        ),
    )
    village = forms.ModelChoiceField(label=_("Thôn/tổ dân phố"), queryset=None, required=False)
    status = forms.ChoiceField(
        label=_("Phân loại"),
        required=False,
        choices=[("", _("Tất cả")), *PovertyClass.choices, (NO_RESULT, _("Chưa có kết quả"))],
    )
    group = forms.ChoiceField(
        label=_("Nhóm hộ nghèo"), required=False, choices=[("", _("Tất cả")), *PoorGroup.choices]
    )
    policy_group = forms.ModelChoiceField(
        label=_("Đối tượng chính sách"), queryset=None, required=False, to_field_name="code"
    )
    female_head = forms.ChoiceField(
        label=_("Chủ hộ"),
        required=False,
        choices=[("", _("Tất cả")), ("1", _("Chủ hộ là nữ")), ("0", _("Chủ hộ là nam"))],
    )
    state = forms.ChoiceField(
        label=_("Trạng thái rà soát"),
        required=False,
        choices=[("", _("Tất cả")), *Assessment.State.choices, (NO_RESULT, _("Chưa rà soát"))],
    )
    year = forms.TypedChoiceField(
        label=_("Phân loại theo năm"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Phân loại của hộ tại ngày 31/12 của năm chọn."),
    )

    def __init__(self, *args, villages, policy_groups, **kwargs):
        """`policy_groups`: those the reader may select by (units/access.py `selectable_policy_groups`)."""
        super().__init__(*args, **kwargs)
        if villages is None:
            del self.fields["village"]
        else:
            self.fields["village"].queryset = villages
            self.fields["village"].empty_label = _("Tất cả")
        self.fields["policy_group"].queryset = policy_groups
        self.fields["policy_group"].empty_label = _("Tất cả")
        self.fields["year"].choices = [("", _("Hiện tại"))] + [(y, str(y)) for y in reversed(review_years())]
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("class", "form-select" if name != "q" else "form-control")
