"""The parameters of one report (code, unit, period, organisation, poverty class). They are checked
against the report's type and the reader's scope by `registry.resolve`, which pages, background
jobs and the command all come through."""

from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.utils.text import slugify

from households.models import PovertyClass
from units.models import AdministrativeUnit, Organisation

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


def organisation_for(unit: AdministrativeUnit, kind: str) -> Organisation | None:
    """The organisation of `kind` at `unit` or, failing that, at the nearest unit above it."""
    chain = [unit.pk] + [
        pk for pk in (unit.commune_id, unit.district_id, unit.province_id) if pk and pk != unit.pk
    ]
    found = {
        org.unit_id: org for org in Organisation.objects.filter(unit_id__in=chain, kind=kind, active=True)
    }
    return next((found[pk] for pk in chain if pk in found), None)
