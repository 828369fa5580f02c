"""`target-table` (the Cam Lộ layout) and `union-targets` (the Đà Nẵng layout): the targets app's
tables (targets/tables.py, fed by targets/selectors.py) of the targets in the reader's scope, framed
as a report document. The figures are the targets' frozen baselines and allocations, never
recomputed here."""

from django.utils.functional import lazy
from django.utils.translation import gettext as _

from core import tables as t
from targets.selectors import target_table, union_table
from units.models import AdministrativeUnit

from ..frame import local_frame, organisation_frame, organisation_preparer
from ..params import ReportParamError
from .common import document


def _no_target(unit: AdministrativeUnit, year: int) -> str:
    return _("%(unit)s chưa có chỉ tiêu giảm nghèo năm %(year)s; hãy giao chỉ tiêu trước (mục Chỉ tiêu).") % {
        "unit": unit.name,
        "year": year,
    }


def _local_target(scope, unit: AdministrativeUnit, year: int):
    target = scope.targets().filter(unit=unit, year=year, organisation__isnull=True).first()
    if target is None:
        # Lazy: documents are produced in Vietnamese, the message is read in the page's language.
        raise ReportParamError(lazy(_no_target, str)(unit, year))
    return target


def produce_target_table(scope, params) -> t.Document:
    unit = params.unit
    target = _local_target(scope, unit, params.year)
    return document(
        code="target-table",
        title=_("Chỉ tiêu giảm nghèo năm %(year)s") % {"year": params.year},
        tables=[target_table(target, units=scope.units())],
        frame=local_frame(unit),
        issued_on=params.issued_on,
        preparer=scope.person_name,
        subtitle=[unit.name],
        meta={"unit": unit.pk, "year": params.year},
    )


def produce_union_targets(scope, params) -> t.Document:
    unit, organisation = params.unit, params.organisation
    target = _local_target(scope, unit, params.year)
    table = union_table(target, kind=organisation.kind, targets=scope.targets(), units=scope.units())
    return document(
        code="union-targets",
        title=_("Chỉ tiêu giảm nghèo năm %(year)s") % {"year": params.year},
        tables=[table],
        frame=organisation_frame(organisation),
        issued_on=params.issued_on,
        preparer=organisation_preparer(organisation, scope),
        subtitle=[organisation.name],
        landscape=False,
        meta={"unit": unit.pk, "year": params.year},
    )
