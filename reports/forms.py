"""Pickers for a report (unit, year, quarter, organisation) and the period-lock form. Forms only
shape input: which units and organisations a person may use is decided by units/access.py."""

from datetime import date

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from units import access
from units.models import AdministrativeUnit, Level, Organisation

from .roles import ENTER_POPULATION
from .scope import VIEW

PICKER_LIMIT = 600


def year_choices(today: date) -> list[tuple[int, str]]:
    return [(year, str(year)) for year in range(today.year + 1, 2015, -1)]


QUARTER_CHOICES = [(1, _("Quý I")), (2, _("Quý II")), (3, _("Quý III")), (4, _("Quý IV"))]
CLASS_CHOICES = [("poor", _("Hộ nghèo")), ("near_poor", _("Hộ cận nghèo"))]
FORMAT_CHOICES = [("pdf", "PDF"), ("xlsx", "Excel")]


def last_closed_quarter(today: date) -> tuple[int, int]:
    """The most recent quarter that has ended (what officials report on)."""
    quarter = (today.month - 1) // 3
    return (today.year, quarter) if quarter else (today.year - 1, 4)


def unit_options(user, levels=(Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)) -> list[AdministrativeUnit]:
    """Units for the picker: the user's scope roots and the units below them down to communes
    (a national administrator: the provinces; drill-down links reach the rest)."""
    if access.sees_everything(user, VIEW):
        return list(AdministrativeUnit.objects.filter(level=Level.PROVINCE).order_by("admin_version", "code"))
    roots = access.scope_roots(user, VIEW)
    if not roots:
        return []
    q = Q(pk__in=[root.pk for root in roots])
    for root in roots:
        field = {Level.PROVINCE: "province", Level.DISTRICT: "district"}.get(root.level)
        if field:
            q |= Q(**{field: root}, level__lte=Level.COMMUNE)
    units = AdministrativeUnit.objects.filter(q, level__in=levels).select_related("province", "district")
    return sorted(units[:PICKER_LIMIT], key=_tree_order)


def _tree_order(unit: AdministrativeUnit) -> tuple:
    """2025 tree first, then each province followed by its districts and communes."""
    province = unit.code if unit.level == Level.PROVINCE else (unit.province.code if unit.province else "")
    district = unit.code if unit.level == Level.DISTRICT else (unit.district.code if unit.district else "")
    return (unit.admin_version != "2025", province, district, unit.level, unit.code)


def organisation_queryset(user):
    """Mass organisations a user may produce forms for: those at units in their scope, and those
    above their scope (a commune officer sends the district Union's forms for their commune)."""
    in_scope = access.units_q(user, VIEW, prefix="unit__")
    if in_scope is None:
        return Organisation.objects.none()
    above = set()
    for root in access.scope_roots(user, VIEW):
        above.update(pk for pk in (root.province_id, root.district_id, root.commune_id) if pk)
    organisations = Organisation.objects.filter(kind__in=Organisation.MASS_ORGANISATIONS, active=True)
    if in_scope:  # Q() means everywhere, and Q() | Q(…) would narrow it to the second half alone
        organisations = organisations.filter(in_scope | Q(unit_id__in=above))
    return organisations.select_related("unit").order_by(
        "-unit__admin_version", "unit__level", "unit__code", "kind"
    )


def unit_title(unit: AdministrativeUnit) -> str:
    """The unit's name; a pre-2025 province is marked, since a province officer sees the new province
    and the old ones merged into it, often under the same name."""
    if unit.level == Level.PROVINCE and unit.admin_version != "2025":
        return _("%(name)s (trước 2025)") % {"name": unit.name}
    return unit.name


def unit_label(unit: AdministrativeUnit) -> str:
    return "\u2003" * (unit.level - 1) + unit_title(unit)


class ExportForm(forms.Form):
    format = forms.ChoiceField(choices=FORMAT_CHOICES)
    year = forms.IntegerField(min_value=2010, max_value=2100)
    quarter = forms.IntegerField(min_value=1, max_value=4, required=False)
    organisation = forms.IntegerField(required=False)


class ResidentPopulationForm(forms.Form):
    """A unit's resident population for a year (the year is the page's, carried along)."""

    year = forms.IntegerField(min_value=2010, max_value=2100, widget=forms.HiddenInput)
    households = forms.IntegerField(label=_("Số hộ dân cư"), min_value=0)
    persons = forms.IntegerField(label=_("Số nhân khẩu dân cư"), min_value=0)
    source = forms.CharField(
        label=_("Nguồn số liệu"),
        max_length=255,
        required=False,
        help_text=_("Ví dụ: số liệu công an xã, thống kê dân số ngày 31/12."),
    )


class ResidentPopulationFileForm(forms.Form):
    """Many units' resident populations at once (reports.services.resident_populations_import)."""

    file = forms.FileField(
        label=_("Tệp Excel (.xlsx) hoặc .csv"),
        help_text=_(
            "Dòng 1 là tiêu đề; mỗi dòng sau: mã đơn vị, năm, số hộ, số nhân khẩu, nguồn. "
            "Đơn vị tìm theo danh mục của năm (đến 2024: trước 01/07/2025). Có dòng lỗi thì không nhập dòng nào."
        ),
    )


def population_unit_options(user) -> list[AdministrativeUnit]:
    """Units whose resident population the user may enter, for the page's picker (provinces,
    districts, communes; a national administrator: the provinces)."""
    levels = (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)
    q = access.units_q(user, ENTER_POPULATION)
    if q is None:
        return []
    units = AdministrativeUnit.objects.filter(q, level__in=levels)
    if access.sees_everything(user, ENTER_POPULATION):
        units = units.filter(level=Level.PROVINCE)
    units = units.select_related("province", "district").order_by("admin_version", "level", "code")
    return sorted(units[:PICKER_LIMIT], key=_tree_order)


class LockForm(forms.Form):
    unit = forms.IntegerField()
    year = forms.IntegerField(min_value=2010, max_value=2100)
    quarter = forms.IntegerField(min_value=1, max_value=4)
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)


def picker_context(
    user,
    today: date,
    *,
    unit=None,
    year=None,
    quarter=None,
    organisation=None,
    spec=None,
    poverty_class=None,
) -> dict:
    """What templates/reports/_pickers.html needs: the choices and what is selected."""
    units = unit_options(user, spec.levels if spec else (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE))
    if unit is not None and unit not in units:
        units.insert(0, unit)
    organisations = list(organisation_queryset(user)[:PICKER_LIMIT])
    if organisation is not None and organisation not in organisations:
        organisations.insert(0, organisation)
    own = access.organisations_for_user(user, VIEW)
    if organisation is None and own:
        organisation = own[0]
    default_year, default_quarter = last_closed_quarter(today)
    return {
        "unit_choices": [(u.pk, unit_label(u)) for u in units],
        "selected_unit": unit.pk if unit else (units[0].pk if units else None),
        "default_unit": unit or (units[0] if units else None),
        "years": year_choices(today),
        "selected_year": year or default_year,
        "quarters": QUARTER_CHOICES,
        "default_quarter": default_quarter,
        # A report whose quarter is optional defaults to the whole year ("").
        "selected_quarter": quarter
        if spec is not None and spec.accepts_quarter
        else quarter or default_quarter,
        "classes": CLASS_CHOICES,
        "selected_class": poverty_class or "poor",
        "organisations": organisations,
        "selected_organisation": organisation.pk if organisation else None,
    }
