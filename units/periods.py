"""Which tree serves a period, and what a unit can say about a period: a pre-2025 unit has no
figures after 30/06/2025 (the day before the reform), a 2025 unit's figures before 01/07/2025 are
those of its predecessors. Every page, report and command asks here."""

from datetime import date

from django.db.models import Q
from django.utils.translation import gettext as _

from core.formatting import fmt_date

from .models import REFORM_DATE, AdministrativeUnit, AdminVersion, Level, UnitLineage


def tree_of_year(year: int) -> str:
    """The administrative tree a year's figures are read in: the one in force on 31 December of
    that year. So 2024 and earlier are pre-2025 (three tiers), 2025 and later the 2025 tree — the
    year-end review of 2025, its census files and the targets for 2026 are the new communes'."""
    return AdminVersion.V2025 if date(year, 12, 31) >= REFORM_DATE else AdminVersion.PRE2025


def successors(unit: AdministrativeUnit) -> list[AdministrativeUnit]:
    """The 2025 units a pre-2025 unit became (all or part of): the new province of a province, the
    new communes of a commune (several when it was split), of a district's communes, or of a
    village's commune (its own when assigned)."""
    if not unit.is_pre2025:
        return []
    if unit.level == Level.PROVINCE:
        ids = [unit.new_province_id] if unit.new_province_id else []
    elif unit.level == Level.VILLAGE and unit.new_commune_id:
        ids = [unit.new_commune_id]
    else:
        communes = Q(old=unit) if unit.level == Level.COMMUNE else Q(old__district=unit)
        if unit.level == Level.VILLAGE:
            communes = Q(old_id=unit.commune_id)
        ids = UnitLineage.objects.filter(communes).values("new_id")
    return list(AdministrativeUnit.objects.filter(pk__in=ids).order_by("code"))


def period_refusal(unit: AdministrativeUnit, start: date) -> str | None:
    """Why `unit` has no figures for a period starting on `start` (None: it has). A pre-2025 unit
    ended on 30/06/2025: a period starting later belongs to its successors."""
    if not unit.is_pre2025 or unit.valid_to is None or start <= unit.valid_to:
        return None
    names = ", ".join(f"{u.name} ({_('mã')} {u.code})" for u in successors(unit)) or _(
        "(chưa có trong bảng chuyển đổi)"
    )
    return _(
        "%(unit)s đã kết thúc từ ngày %(date)s (sắp xếp đơn vị hành chính); số liệu từ ngày này do "
        "đơn vị mới lập: %(successors)s. Hãy chọn đơn vị mới."
    ) % {"unit": unit.name, "date": fmt_date(REFORM_DATE), "successors": names}


def history_note(unit: AdministrativeUnit, start: date) -> str | None:
    """The note a 2025 unit's document carries for a period starting before the reform: whose
    figures it sums (None when the period is all after the reform, or the unit has no history)."""
    if unit.is_pre2025 or start >= REFORM_DATE:
        return None
    links = UnitLineage.objects.filter(new=unit, old__level=unit.level).select_related("old")
    names = [
        link.old.name + (_(" (một phần)") if link.partial else "") for link in links.order_by("old__code")
    ]
    if not names:
        return None
    return _("Số liệu trước %(date)s tổng hợp từ: %(units)s.") % {
        "date": fmt_date(REFORM_DATE),
        "units": ", ".join(names),
    }


def clamped_end(unit: AdministrativeUnit, end: date) -> date:
    """The last day a period ending on `end` can be counted for `unit` (a pre-2025 unit: 30/06/2025)."""
    if unit.is_pre2025 and unit.valid_to is not None:
        return min(end, unit.valid_to)
    return end
