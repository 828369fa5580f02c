"""The parameters of one report (code, unit, period, organisation, poverty class), checked against the registry and
the reader's scope. Pages, background jobs and the command all come through `resolve`."""

from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.http import Http404
from django.utils.text import slugify
from django.utils.translation import gettext as _

from households.models import PovertyClass
from units.models import AdministrativeUnit, Level, Organisation
from units.periods import period_refusal

from .scope import ReportScope

MIN_YEAR, MAX_YEAR = 2010, 2100
# The classes a report with a `poverty_class` parameter is made for (`--class` of the command).
REPORT_CLASSES = (PovertyClass.POOR, PovertyClass.NEAR_POOR)


class ReportParamError(ValueError):
    """Parameters that cannot make this report; the message says what to change, in Vietnamese."""


@dataclass(frozen=True)
class ReportParams:
    code: str
    unit: AdministrativeUnit
    year: int
    quarter: int | None = None
    organisation: Organisation | None = None
    issued_on: date | None = None
    poverty_class: str = PovertyClass.POOR

    def as_query(self) -> dict:
        """URL query / job parameters (ids, never names)."""
        query = {"unit": self.unit.pk, "year": self.year}
        if self.quarter:
            query["quarter"] = self.quarter
        if self.organisation is not None:
            query["organisation"] = self.organisation.pk
        if self.poverty_class != PovertyClass.POOR:
            query["poverty_class"] = self.poverty_class
        if self.issued_on:
            query["issued_on"] = self.issued_on.isoformat()
        return query

    @property
    def start(self) -> date:
        """The first day of the period: of the quarter, or of the year."""
        return date(self.year, 3 * (self.quarter - 1) + 1 if self.quarter else 1, 1)

    @property
    def end(self) -> date:
        """The last day of the period: of the quarter, or 31 December."""
        if not self.quarter or self.quarter == 4:
            return date(self.year, 12, 31)
        return date(self.year, 3 * self.quarter + 1, 1) - timedelta(days=1)

    def with_unit(self, unit: AdministrativeUnit) -> "ReportParams":
        return replace(self, unit=unit)

    def file_name(self, fmt: str) -> str:
        """An ASCII file name officials can attach to an e-mail: mau02-2021-huyen-cam-lo.pdf."""
        period = f"{self.year}" + (f"-quy-{self.quarter}" if self.quarter else "")
        if self.poverty_class != PovertyClass.POOR:
            period += "-can-ngheo"
        place = slugify(self.unit.name.replace("đ", "d").replace("Đ", "D")) or self.unit.code
        return f"{self.code}-{period}-{place}.{fmt}"


def _is_within(unit: AdministrativeUnit, ancestor: AdministrativeUnit) -> bool:
    if unit.admin_version != ancestor.admin_version:
        return False
    return ancestor.pk in (unit.pk, unit.province_id, unit.district_id, unit.commune_id)


def organisation_for(unit: AdministrativeUnit, kind: str) -> Organisation | None:
    """The organisation of `kind` at `unit` or, failing that, at the nearest unit above it."""
    chain = [unit.pk] + [
        pk for pk in (unit.commune_id, unit.district_id, unit.province_id) if pk and pk != unit.pk
    ]
    found = {
        org.unit_id: org for org in Organisation.objects.filter(unit_id__in=chain, kind=kind, active=True)
    }
    return next((found[pk] for pk in chain if pk in found), None)


def resolve(
    scope: ReportScope,
    *,
    code: str,
    unit: AdministrativeUnit,
    year: int,
    quarter: int | None = None,
    organisation: Organisation | None = None,
    issued_on: date | None = None,
    poverty_class: str | None = None,
) -> ReportParams:
    """Checked parameters, or Http404 (unknown report, unit out of scope) / ReportParamError."""
    from .registry import REGISTRY

    spec = REGISTRY.get(code)
    if spec is None:
        raise Http404
    if not scope.can_view(unit):
        raise Http404
    if unit.level not in spec.levels:
        raise ReportParamError(
            _("Báo cáo “%(report)s” lập cho %(levels)s; hãy chọn đơn vị khác.")
            % {
                "report": spec.title,
                "levels": ", ".join(str(Level(level).label).lower() for level in spec.levels),
            }
        )
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ReportParamError(_("Năm %(year)s không hợp lệ.") % {"year": year})
    if spec.needs_quarter:
        if quarter not in (1, 2, 3, 4):
            raise ReportParamError(_("Hãy chọn quý (1 đến 4)."))
    elif spec.accepts_quarter:
        if quarter not in (None, 1, 2, 3, 4):
            raise ReportParamError(_("Hãy chọn quý (1 đến 4) hoặc cả năm."))
    else:
        quarter = None
    if spec.accepts_class:
        poverty_class = poverty_class or PovertyClass.POOR
        if poverty_class not in REPORT_CLASSES:
            raise ReportParamError(_("Hãy chọn hộ nghèo hoặc hộ cận nghèo."))
    else:
        poverty_class = PovertyClass.POOR
    if spec.needs_organisation:
        if organisation is None:
            organisation = organisation_for(unit, Organisation.Kind.WOMENS_UNION)
        if organisation is None:
            raise ReportParamError(_("Hãy chọn tổ chức (hội, đoàn thể) lập báo cáo."))
        if not organisation.is_mass_organisation:
            raise ReportParamError(_("Báo cáo này do hội, đoàn thể lập; hãy chọn một hội, đoàn thể."))
        if not _is_within(unit, organisation.unit):
            raise ReportParamError(
                _("%(org)s không phụ trách %(unit)s; hãy chọn đơn vị thuộc địa bàn của tổ chức.")
                % {"org": organisation.name, "unit": unit.name}
            )
    else:
        organisation = None
    params = ReportParams(
        code=code,
        unit=unit,
        year=year,
        quarter=quarter,
        organisation=organisation,
        issued_on=issued_on,
        poverty_class=poverty_class,
    )
    refusal = period_refusal(unit, params.start)
    if refusal:
        raise ReportParamError(refusal)
    return params
