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
    name = forms.CharField(label=_("Tên thôn/tổ dân phố"), max_length=120)
    kind = forms.ChoiceField(
        label=_("Loại"), choices=[(Kind.THON, Kind.THON.label), (Kind.TO_DAN_PHO, Kind.TO_DAN_PHO.label)]
    )
